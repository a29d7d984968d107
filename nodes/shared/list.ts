import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import type { Checker } from './validation';

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

/** The "Filters → Status" collection of a list operation. */
export function statusFilterProperty(statuses: readonly string[], defaultStatus: string, what: string): INodeProperties {
	return {
		displayName: 'Filters',
		name: 'filters',
		type: 'collection',
		placeholder: 'Add Filter',
		default: {},
		options: [
			{
				displayName: 'Status',
				name: 'status',
				type: 'options',
				default: defaultStatus,
				options: [...statuses].sort().map((value) => ({ name: value[0].toUpperCase() + value.slice(1), value })),
				description: `Only ${what} with this status`,
			},
		],
	};
}

/** Reads the optional "Filters → Status" of one item, checked against the allowed statuses. */
export function readStatusFilter(ctx: IExecuteFunctions, check: Checker, itemIndex: number, statuses: readonly string[]): string | undefined {
	const filters = ctx.getNodeParameter('filters', itemIndex, {}) as IDataObject;
	return filters.status === undefined || filters.status === '' ? undefined : check.oneOf('Status', filters.status, statuses);
}
