import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { collectCursorPages } from '../../../shared/pagination';
import type { CursorPage } from '../../../shared/pagination';
import { Checker } from '../../../shared/validation';
import { powerPostRequest } from '../../transport';
import { readReturnAll, returnAllProperties } from '../list';
import type { OperationResult } from '../types';

/** Contract §6.2: `GET /content/generations` (cursor pages, newest first, without the captions). */
export const STATUSES = ['pending', 'processing', 'completed', 'failed'] as const;

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
				default: 'completed',
				options: STATUSES.map((value) => ({ name: value[0].toUpperCase() + value.slice(1), value })),
				description: 'Only generations with this status',
			},
		],
	},
];

export const description = updateDisplayOptions({ show: { resource: ['caption'], operation: ['getMany'] } }, properties);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<OperationResult> {
	const check = new Checker(this.getNode(), itemIndex);
	const { returnAll, limit } = readReturnAll(this, check, itemIndex);
	const filters = this.getNodeParameter('filters', itemIndex, {}) as IDataObject;
	const status = filters.status === undefined || filters.status === '' ? undefined : check.oneOf('Status', filters.status, STATUSES);

	return await collectCursorPages<IDataObject>(
		async (cursor, pageSize) => {
			const qs: IDataObject = { limit: pageSize };
			if (status) qs.status = status;
			if (cursor) qs.cursor = cursor;
			return await powerPostRequest<CursorPage<IDataObject>>(this, { method: 'GET', path: '/content/generations', qs, itemIndex });
		},
		{ returnAll, limit, maxPageSize: 100 },
	);
}
