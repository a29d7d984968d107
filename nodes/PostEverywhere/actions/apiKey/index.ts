import type { IExecuteFunctions } from 'n8n-workflow';

import type { Operation, OperationResult, Resource } from '../../../shared/router';
import { peRequest } from '../../transport';

/** Contract §8 `GET /me`: the key, its scopes, the organization, plan and quota (AI credits left). */
const get: Operation = {
	description: [],
	async execute(this: IExecuteFunctions, itemIndex: number): Promise<OperationResult> {
		return await peRequest(this, { method: 'GET', path: '/me', itemIndex });
	},
};

export const apiKey: Resource = {
	description: [
		{
			displayName: 'Operation',
			name: 'operation',
			type: 'options',
			noDataExpression: true,
			displayOptions: { show: { resource: ['apiKey'] } },
			options: [
				{
					name: 'Get',
					value: 'get',
					description: 'Read the API key\'s scopes (is "ai" among them?), the organization, the plan and the quota of accounts, AI credits and storage. Docs: https://developers.posteverywhere.ai/api.',
					action: 'Get the API key and quota',
				},
			],
			default: 'get',
		},
	],
	operations: { get },
};
