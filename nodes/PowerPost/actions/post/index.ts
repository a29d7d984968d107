import type { INodeProperties } from 'n8n-workflow';

import type { Resource } from '../../../shared/router';
import * as cancelPublish from './cancelPublish.operation';
import * as create from './create.operation';
import * as get from './get.operation';
import * as getMany from './getMany.operation';
import * as publish from './publish.operation';
import * as schedule from './schedule.operation';

const DOCS = 'https://powerpost.ai/docs/api-reference/posts';

const operation: INodeProperties = {
	displayName: 'Operation',
	name: 'operation',
	type: 'options',
	noDataExpression: true,
	displayOptions: { show: { resource: ['post'] } },
	options: [
		{
			name: 'Cancel Publish',
			value: 'cancelPublish',
			description: `Turn a scheduled post, or a publish no item of which has started posting, back into a draft. Docs: ${DOCS}.`,
			action: 'Cancel a scheduled or running publish',
		},
		{
			name: 'Create',
			value: 'create',
			description: `Create a draft post with 1–12 items, one per post type (e.g. instagram-feed, x-post), each with content, media IDs and (YouTube) a title; content can come from a caption generation. Free. Docs: ${DOCS}.`,
			action: 'Create a draft post',
		},
		{
			name: 'Get',
			value: 'get',
			description: `Read a post with each item's status, platform_post_id (posted) or error (failed). Docs: ${DOCS}.`,
			action: 'Get a post',
		},
		{
			name: 'Get Many',
			value: 'getMany',
			description: `List posts of the workspace, newest first, optionally by status (without item content). Docs: ${DOCS}.`,
			action: 'Get many posts',
		},
		{
			name: 'Publish',
			value: 'publish',
			description: `Publish a draft post now to every platform of its items (costs credits per posted item) and optionally wait for the per-item results. Docs: ${DOCS}.`,
			action: 'Publish a post',
		},
		{
			name: 'Schedule',
			value: 'schedule',
			description: `Queue a draft post to publish itself at a time up to 60 days ahead (at most 100 scheduled posts per workspace). Docs: ${DOCS}.`,
			action: 'Schedule a post',
		},
	],
	default: 'create',
};

export const post: Resource = {
	description: [
		operation,
		...create.description,
		...get.description,
		...getMany.description,
		...publish.description,
		...schedule.description,
		...cancelPublish.description,
	],
	operations: { create, get, getMany, publish, schedule, cancelPublish },
};
