import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import type { Checker } from '../../shared/validation';

/** The "Return All" / "Limit" pair of every list operation (n8n's standard wording). */
export const returnAllProperties: INodeProperties[] = [
	{
		displayName: 'Return All',
		name: 'returnAll',
		type: 'boolean',
		default: false,
		description: 'Whether to return all results or only up to a given limit',
	},
	{
		displayName: 'Limit',
		name: 'limit',
		type: 'number',
		typeOptions: { minValue: 1 },
		default: 50,
		displayOptions: { show: { returnAll: [false] } },
		description: 'Max number of results to return',
	},
];

/** Reads "Return All" / "Limit"; `limit` is Infinity when everything is wanted. */
export function readReturnAll(ctx: IExecuteFunctions, check: Checker, itemIndex: number): { returnAll: boolean; limit: number } {
	const returnAll = check.boolean('Return All', ctx.getNodeParameter('returnAll', itemIndex, false));
	const limit = returnAll ? Infinity : check.integer('Limit', ctx.getNodeParameter('limit', itemIndex, 50), { min: 1 });
	return { returnAll, limit };
}
