import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { readReturnAll, readStatusFilter } from '../../shared/list';
import type { CursorPage } from '../../shared/pagination';
import { collectCursorPages } from '../../shared/pagination';
import { Checker } from '../../shared/validation';
import { powerPostRequest } from '../transport';

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
	const status = readStatusFilter(ctx, check, itemIndex, statuses);
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
