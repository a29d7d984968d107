import type { INodeProperties } from 'n8n-workflow';

import type { Resource } from '../../../shared/router';
import * as generate from './generate.operation';
import * as get from './get.operation';

const operation: INodeProperties = {
	displayName: 'Operation',
	name: 'operation',
	type: 'options',
	noDataExpression: true,
	displayOptions: { show: { resource: ['image'] } },
	options: [
		{
			name: 'Generate',
			value: 'generate',
			description:
				'Create 1 to 4 AI images from a prompt, style images or a caption generation (spends credits; by default waits and outputs their media IDs). Docs: https://powerpost.ai/docs/api-reference/images.',
			action: 'Generate images',
		},
		{
			name: 'Get',
			value: 'get',
			description: 'Read one image generation: its status and images (media IDs, preview URLs). Docs: https://powerpost.ai/docs/api-reference/images.',
			action: 'Get an image generation',
		},
	],
	default: 'generate',
};

export const image: Resource = {
	description: [operation, ...generate.description, ...get.description],
	operations: { generate, get },
};
