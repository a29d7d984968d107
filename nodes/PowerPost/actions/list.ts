import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import type { CursorPage } from '../../shared/pagination';
import { collectCursorPages } from '../../shared/pagination';
import { Checker } from '../../shared/validation';
import { powerPostRequest } from '../transport';

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

/**
 * Runs a cursor-paginated list endpoint (`?status&limit&cursor` → `{data, next_cursor, has_more}`)
 * with the operation's Return All / Limit and Filters → Status parameters.
 */
export async function listWithStatusFilter(
	ctx: IExecuteFunctions,
	itemIndex: number,
	path: string,
	statuses: readonly string[],
): Promise<IDataObject[]> {
	const check = new Checker(ctx.getNode(), itemIndex);
	const { returnAll, limit } = readReturnAll(ctx, check, itemIndex);
	const filters = ctx.getNodeParameter('filters', itemIndex, {}) as IDataObject;
	const status = filters.status === undefined || filters.status === '' ? undefined : check.oneOf('Status', filters.status, statuses);
	return await collectCursorPages<IDataObject>(
		async (cursor, pageSize) => {
			const qs: IDataObject = { limit: pageSize };
			if (status) qs.status = status;
			if (cursor) qs.cursor = cursor;
			return await powerPostRequest<CursorPage<IDataObject>>(ctx, { method: 'GET', path, qs, itemIndex });
		},
		{ returnAll, limit, maxPageSize: 100 },
	);
}
