import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { locatorValue } from '../../../shared/locator';
import type { Operation, OperationResult, Resource } from '../../../shared/router';
import { Checker } from '../../../shared/validation';
import { peRequest } from '../../transport';
import { accountLocator, entriesOf, idPath, numericId } from '../common';

/**
 * Contract §5: connected accounts. `GET /accounts` (unpaged), `GET /accounts/{id}` and the detailed
 * verdict `GET /accounts/{id}/health` (`can_post` is the field to decide on, §15.15).
 */

async function readAccountId(ctx: IExecuteFunctions, itemIndex: number): Promise<number> {
	return numericId(new Checker(ctx.getNode(), itemIndex), 'Account', locatorValue(ctx, 'accountId', 'Account', itemIndex, { max: 20 }));
}

const getMany: Operation = {
	description: [],
	async execute(this: IExecuteFunctions, itemIndex: number): Promise<OperationResult> {
		return entriesOf(await peRequest<unknown>(this, { method: 'GET', path: '/accounts', itemIndex }), 'accounts');
	},
};

const get: Operation = {
	description: [accountLocator({ resource: ['account'], operation: ['get'] })],
	async execute(this: IExecuteFunctions, itemIndex: number): Promise<OperationResult> {
		return await peRequest(this, { method: 'GET', path: `/accounts/${idPath(await readAccountId(this, itemIndex))}`, itemIndex });
	},
};

const getHealth: Operation = {
	description: [accountLocator({ resource: ['account'], operation: ['getHealth'] })],
	async execute(this: IExecuteFunctions, itemIndex: number): Promise<OperationResult> {
		return await peRequest(this, { method: 'GET', path: `/accounts/${idPath(await readAccountId(this, itemIndex))}/health`, itemIndex });
	},
};

const operation: INodeProperties = {
	displayName: 'Operation',
	name: 'operation',
	type: 'options',
	noDataExpression: true,
	displayOptions: { show: { resource: ['account'] } },
	options: [
		{ name: 'Get', value: 'get', description: 'Read one connected account with its health summary. Docs: https://developers.posteverywhere.ai/api.', action: 'Get an account' },
		{
			name: 'Get Health',
			value: 'getHealth',
			description: 'Detailed health of an account: can_post, reasons, token expiry, recent failures. Docs: https://developers.posteverywhere.ai/api.',
			action: 'Get the health of an account',
		},
		{ name: 'Get Many', value: 'getMany', description: 'List every connected account with its health. Docs: https://developers.posteverywhere.ai/api.', action: 'Get many accounts' },
	],
	default: 'getMany',
};

export const account: Resource = {
	description: [operation, ...get.description, ...getHealth.description],
	operations: { getMany, get, getHealth },
};
