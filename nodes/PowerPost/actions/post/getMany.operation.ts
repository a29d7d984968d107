import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { collectCursorPages, type CursorPage } from '../../../shared/pagination';
import { Checker } from '../../../shared/validation';
import { powerPostRequest } from '../../transport';
import { readReturnAll, returnAllProperties } from '../list';
import type { OperationResult } from '../types';
import { POST_STATUSES } from './common';

/** Contract §17.2: `GET /posts?status&limit&cursor` → `{data, next_cursor, has_more}`, newest first, without item content. */

const properties: INodeProperties[] = [
	...returnAllProperties,
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
	const { returnAll, limit } = readReturnAll(this, check, itemIndex);
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
