import type { INodeProperties } from 'n8n-workflow';

import type { Resource } from '../../../shared/router';
import * as getCredits from './getCredits.operation';

const operation: INodeProperties = {
	displayName: 'Operation',
	name: 'operation',
	type: 'options',
	noDataExpression: true,
	displayOptions: { show: { resource: ['account'] } },
	options: [
		{
			name: 'Get Credits',
			value: 'getCredits',
			description: 'Read the account\'s credit balance (free; shared by all workspaces). Docs: https://powerpost.ai/docs/api-reference/credits.',
			action: 'Get the credit balance',
		},
	],
	default: 'getCredits',
};

export const account: Resource = {
	description: [operation, ...getCredits.description],
	operations: { getCredits },
};
