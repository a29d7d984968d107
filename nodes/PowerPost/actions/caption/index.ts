import type { INodeProperties } from 'n8n-workflow';

import type { Resource } from '../../../shared/router';
import * as generate from './generate.operation';
import * as get from './get.operation';
import * as getMany from './getMany.operation';

const operation: INodeProperties = {
	displayName: 'Operation',
	name: 'operation',
	type: 'options',
	noDataExpression: true,
	displayOptions: { show: { resource: ['caption'] } },
	options: [
		{
			name: 'Generate',
			value: 'generate',
			description:
				'Write AI captions for up to six platforms from a prompt, images or a video (spends credits; by default waits until they are ready). Docs: https://powerpost.ai/docs/api-reference/generate.',
			action: 'Generate captions',
		},
		{
			name: 'Get',
			value: 'get',
			description: 'Read one caption generation: its status and, once completed, the caption per platform. Docs: https://powerpost.ai/docs/api-reference/generations.',
			action: 'Get a caption generation',
		},
		{
			name: 'Get Many',
			value: 'getMany',
			description: 'List caption generations of the workspace, newest first, optionally by status (without the captions). Docs: https://powerpost.ai/docs/api-reference/generations.',
			action: 'Get many caption generations',
		},
	],
	default: 'generate',
};

export const caption: Resource = {
	description: [operation, ...generate.description, ...get.description, ...getMany.description],
	operations: { generate, get, getMany },
};
