import type { INodeProperties } from 'n8n-workflow';

import type { Resource } from '../../../shared/router';
import * as bulkCreate from './bulkCreate.operation';
import * as bulkSchedule from './bulkSchedule.operation';
import * as create from './create.operation';
import * as del from './delete.operation';
import * as get from './get.operation';
import * as getMany from './getMany.operation';
import * as getResults from './results.operation';
import * as retry from './retry.operation';
import * as retryFailed from './retryFailed.operation';
import * as scheduleDraft from './scheduleDraft.operation';
import * as update from './update.operation';


const operation: INodeProperties = {
	displayName: 'Operation',
	name: 'operation',
	type: 'options',
	noDataExpression: true,
	displayOptions: { show: { resource: ['post'] } },
	options: [
		{
			name: 'Bulk Create',
			value: 'bulkCreate',
			description: 'Create up to 50 posts in one call; outputs one item per post with ok, post or error. Docs: https://developers.posteverywhere.ai/api.',
			action: 'Create many posts at once',
		},
		{
			name: 'Bulk Schedule',
			value: 'bulkSchedule',
			description: 'Schedule up to 100 rows of date, time, content and platforms in one call, with a dry run to validate first. Docs: https://developers.posteverywhere.ai/api.',
			action: 'Schedule rows of posts',
		},
		{
			name: 'Create',
			value: 'create',
			description: 'Publish now, schedule, queue or draft a post to connected accounts, with per-platform content, and optionally wait for every account\'s result. Docs: https://developers.posteverywhere.ai/api.',
			action: 'Create a post',
		},
		{ name: 'Delete', value: 'delete', description: 'Delete a draft or scheduled post (optionally also from X). Docs: https://developers.posteverywhere.ai/api.', action: 'Delete a post' },
		{ name: 'Get', value: 'get', description: 'Read a post with the status of each destination. Docs: https://developers.posteverywhere.ai/api.', action: 'Get a post' },
		{
			name: 'Get Many',
			value: 'getMany',
			description: 'List posts filtered by status, platform, account, campaign, dates or text. Docs: https://developers.posteverywhere.ai/api.',
			action: 'Get many posts',
		},
		{
			name: 'Get Results',
			value: 'getResults',
			description: 'Read the publish result of every account of a post (published, failed, failed with a retry pending, in flight). Docs: https://developers.posteverywhere.ai/api.',
			action: 'Get the publish results of a post',
		},
		{
			name: 'Retry',
			value: 'retry',
			description: 'Re-queue the failed destinations of a post and optionally wait for the new results. Docs: https://developers.posteverywhere.ai/api.',
			action: 'Retry a failed post',
		},
		{
			name: 'Retry Failed',
			value: 'retryFailed',
			description: 'Re-queue failed destinations across posts by post IDs, account, platform or time. Docs: https://developers.posteverywhere.ai/api.',
			action: 'Retry failed posts by filter',
		},
		{
			name: 'Schedule Draft',
			value: 'scheduleDraft',
			description: 'Publish a draft now or at a time, and optionally wait for the results. Docs: https://developers.posteverywhere.ai/api.',
			action: 'Schedule a draft post',
		},
		{ name: 'Update', value: 'update', description: 'Change a draft or scheduled post. Docs: https://developers.posteverywhere.ai/api.', action: 'Update a post' },
	],
	default: 'create',
};

export const post: Resource = {
	description: [
		operation,
		...create.description,
		...getMany.description,
		...get.description,
		...update.description,
		...del.description,
		...getResults.description,
		...retry.description,
		...scheduleDraft.description,
		...bulkCreate.description,
		...retryFailed.description,
		...bulkSchedule.description,
	],
	operations: { create, getMany, get, update, delete: del, getResults, retry, scheduleDraft, bulkCreate, retryFailed, bulkSchedule },
};
