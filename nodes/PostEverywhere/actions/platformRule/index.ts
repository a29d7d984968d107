import type { IExecuteFunctions } from 'n8n-workflow';

import type { Operation, OperationResult, Resource } from '../../../shared/router';
import { peRequest } from '../../transport';

/** Contract §8 `GET /platform-rules`: the composer's rules (limits, media, features) keyed by platform, passed on as they come. */
const getAll: Operation = {
	description: [],
	async execute(this: IExecuteFunctions, itemIndex: number): Promise<OperationResult> {
		return await peRequest(this, { method: 'GET', path: '/platform-rules', itemIndex });
	},
};

export const platformRule: Resource = {
	description: [
		{
			displayName: 'Operation',
			name: 'operation',
			type: 'options',
			noDataExpression: true,
			displayOptions: { show: { resource: ['platformRule'] } },
			options: [
				{
					name: 'Get Many',
					value: 'getAll',
					description: 'Read the rules per platform: character limits, media counts and types, features. Docs: https://developers.posteverywhere.ai/api.',
					action: 'Get the platform rules',
				},
			],
			default: 'getAll',
		},
	],
	operations: { getAll },
};
