import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { collectCursorPages } from '../../../shared/pagination';
import type { CursorPage } from '../../../shared/pagination';
import { Checker } from '../../../shared/validation';
import { powerPostRequest } from '../../transport';
import type { OperationResult } from '../types';

/** Contract §6.2: `GET /content/generations` (cursor pages, newest first, without the captions). */
const show = { resource: ['caption'], operation: ['getMany'] };

export const STATUSES = ['pending', 'processing', 'completed', 'failed'] as const;

export const description: INodeProperties[] = [
	{
		displayName: 'Return All',
		name: 'returnAll',
		type: 'boolean',
		default: false,
		displayOptions: { show },
		description: 'Whether to return all results or only up to a given limit',
	},
	{
		displayName: 'Limit',
		name: 'limit',
		type: 'number',
		typeOptions: { minValue: 1 },
		default: 50,
		displayOptions: { show: { ...show, returnAll: [false] } },
		description: 'Max number of results to return',
	},
	{
		displayName: 'Filters',
		name: 'filters',
		type: 'collection',
		placeholder: 'Add Filter',
		default: {},
		displayOptions: { show },
		options: [
			{
				displayName: 'Status',
				name: 'status',
				type: 'options',
				default: 'completed',
				options: STATUSES.map((value) => ({ name: value[0].toUpperCase() + value.slice(1), value })),
			},
		],
	},
];

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<OperationResult> {
	const check = new Checker(this.getNode(), itemIndex);
	const returnAll = check.boolean('Return All', this.getNodeParameter('returnAll', itemIndex, false));
	const limit = returnAll ? 0 : check.integer('Limit', this.getNodeParameter('limit', itemIndex, 50), { min: 1 });
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
