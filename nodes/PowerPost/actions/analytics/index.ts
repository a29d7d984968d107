import type { INodeProperties } from 'n8n-workflow';

import type { Resource } from '../../../shared/router';
import * as getForPost from './getForPost.operation';
import * as getForPostItem from './getForPostItem.operation';

const DOCS = 'https://powerpost.ai/docs/api-reference/analytics';

const operation: INodeProperties = {
	displayName: 'Operation',
	name: 'operation',
	type: 'options',
	noDataExpression: true,
	displayOptions: { show: { resource: ['analytics'] } },
	options: [
		{
			name: 'Get for Post',
			value: 'getForPost',
			description: `Read views, likes and comments of every item of a post, one output item per platform item. metrics is null (metricsAvailable false) until PowerPost fetched them after posting; they refresh daily for 90 days. Docs: ${DOCS}.`,
			action: 'Get analytics for a post',
		},
		{
			name: 'Get for Post Item',
			value: 'getForPostItem',
			description: `Read views, likes and comments of one post item (its item_id). metrics is null (metricsAvailable false) until PowerPost fetched them after posting. Docs: ${DOCS}.`,
			action: 'Get analytics for a post item',
		},
	],
	default: 'getForPost',
};

export const analytics: Resource = {
	description: [operation, ...getForPost.description, ...getForPostItem.description],
	operations: { getForPost, getForPostItem },
};
