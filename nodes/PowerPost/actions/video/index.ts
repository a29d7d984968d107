import type { INodeProperties } from 'n8n-workflow';

import type { Resource } from '../../../shared/router';
import * as generate from './generate.operation';
import * as get from './get.operation';

const operation: INodeProperties = {
	displayName: 'Operation',
	name: 'operation',
	type: 'options',
	noDataExpression: true,
	displayOptions: { show: { resource: ['video'] } },
	options: [
		{
			name: 'Generate',
			value: 'generate',
			description:
				'Create an AI video from a prompt, optionally animating an uploaded image (spends credits; takes minutes; by default waits and outputs its media ID). Docs: https://powerpost.ai/docs/api-reference/videos.',
			action: 'Generate a video',
		},
		{
			name: 'Get',
			value: 'get',
			description: 'Read one video generation: its status and, once completed, the video (media ID, preview URL). Docs: https://powerpost.ai/docs/api-reference/videos.',
			action: 'Get a video generation',
		},
	],
	default: 'generate',
};

export const video: Resource = {
	description: [operation, ...generate.description, ...get.description],
	operations: { generate, get },
};
