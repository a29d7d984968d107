import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { collectCursorPages, type CursorPage } from '../../../shared/pagination';
import { Checker } from '../../../shared/validation';
import { powerPostRequest } from '../../transport';
import type { OperationResult } from '../types';
import { POST_STATUSES } from './common';

/** Contract §17.2: `GET /posts?status&limit&cursor` → `{data, next_cursor, has_more}`, newest first, without item content. */

const properties: INodeProperties[] = [
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
	{
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
				options: [
					{ name: 'Draft', value: 'draft' },
					{ name: 'Failed', value: 'failed' },
					{ name: 'Published', value: 'published' },
					{ name: 'Publishing', value: 'publishing' },
					{ name: 'Scheduled', value: 'scheduled' },
				],
				default: 'draft',
				description: 'Only posts with this status',
			},
		],
	},
];

export const description = updateDisplayOptions({ show: { resource: ['post'], operation: ['getMany'] } }, properties);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<OperationResult> {
	const check = new Checker(this.getNode(), itemIndex);
	const returnAll = check.boolean('Return All', this.getNodeParameter('returnAll', itemIndex, false));
	const limit = returnAll ? 0 : check.integer('Limit', this.getNodeParameter('limit', itemIndex, 50), { min: 1 });
	const filters = this.getNodeParameter('filters', itemIndex, {}) as IDataObject;
	const status = filters.status === undefined || filters.status === '' ? undefined : check.oneOf('Status', filters.status, POST_STATUSES);
	return await collectCursorPages<IDataObject>(
		async (cursor, pageSize) => {
			const qs: IDataObject = { limit: pageSize };
			if (status) qs.status = status;
			if (cursor) qs.cursor = cursor;
			return await powerPostRequest<CursorPage<IDataObject>>(this, { method: 'GET', path: '/posts', qs, itemIndex });
		},
		{ returnAll, limit, maxPageSize: 100 },
	);
}
