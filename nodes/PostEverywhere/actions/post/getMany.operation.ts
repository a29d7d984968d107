import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { returnAllProperties } from '../../../shared/list';
import type { OperationResult } from '../../../shared/router';
import { Checker } from '../../../shared/validation';
import { compact, label, numericId, offsetList, optionalDateTime, platformOptions, POST_STATUSES } from '../common';

/** Contract §4.2 `GET /posts`: the basic and advanced filters, paged by `limit` + `offset`. */
const DATE_FILTERS: Array<[string, string, string]> = [
	['createdAfter', 'created_after', 'Created After'],
	['createdBefore', 'created_before', 'Created Before'],
	['scheduledAfter', 'scheduled_after', 'Scheduled After'],
	['scheduledBefore', 'scheduled_before', 'Scheduled Before'],
	['publishedAfter', 'published_after', 'Published After'],
	['publishedBefore', 'published_before', 'Published Before'],
	['updatedAfter', 'updated_after', 'Updated After'],
];
const SORTS = ['created_at', 'scheduled_for', 'published_at', 'updated_at'] as const;

const properties: INodeProperties[] = [
	...returnAllProperties,
	{
		displayName: 'Filters',
		name: 'filters',
		type: 'collection',
		placeholder: 'Add Filter',
		default: {},
		options: [
			{ displayName: 'Account ID', name: 'accountId', type: 'number', default: 0, description: 'Only posts to this account' },
			{ displayName: 'Campaign ID', name: 'campaignId', type: 'number', default: 0, description: 'Only posts of this campaign' },
			...DATE_FILTERS.map(
				([name, , displayName]): INodeProperties => ({
					displayName,
					name,
					type: 'dateTime',
					default: '',
					description: `Inclusive bound (${displayName.toLowerCase()} or at this time; a time without an offset is read in the workflow's time zone)`,
				}),
			),
			{
				displayName: 'Platforms',
				name: 'platforms',
				type: 'multiOptions',
				options: platformOptions,
				default: [],
				description: 'Only posts to these platforms',
			},
			{ displayName: 'Search', name: 'search', type: 'string', default: '', description: 'Full-text search in the content' },
			{
				displayName: 'Statuses',
				name: 'statuses',
				type: 'multiOptions',
				options: POST_STATUSES.map((value) => ({ name: label(value), value })),
				default: [],
				description: 'Only posts with one of these statuses',
			},
		],
	},
	{
		displayName: 'Sort',
		name: 'sort',
		type: 'collection',
		placeholder: 'Add Sort',
		default: {},
		options: [
			{
				displayName: 'Sort By',
				name: 'sortBy',
				type: 'options',
				options: SORTS.map((value) => ({ name: label(value), value })),
				default: 'created_at',
			},
			{
				displayName: 'Order',
				name: 'order',
				type: 'options',
				options: [
					{ name: 'Ascending', value: 'asc' },
					{ name: 'Descending', value: 'desc' },
				],
				default: 'desc',
			},
		],
	},
];

export const description = updateDisplayOptions({ show: { resource: ['post'], operation: ['getMany'] } }, properties);

/** The query of one item's filters and sort. */
export function postFilters(ctx: IExecuteFunctions, check: Checker, itemIndex: number): IDataObject {
	const filters = ctx.getNodeParameter('filters', itemIndex, {}) as IDataObject;
	const sort = ctx.getNodeParameter('sort', itemIndex, {}) as IDataObject;
	const qs: IDataObject = {
		status: check.listOf('Statuses', filters.statuses, POST_STATUSES).join(','),
		platform: check.list('Platforms', filters.platforms).join(','),
		search: check.text('Search', filters.search, { max: 500 }),
	};
	if (filters.accountId) qs.account_id = numericId(check, 'Account ID', filters.accountId);
	if (filters.campaignId) qs.campaign_id = numericId(check, 'Campaign ID', filters.campaignId);
	for (const [name, key, field] of DATE_FILTERS) qs[key] = optionalDateTime(ctx, check, field, filters[name]);
	if (sort.sortBy !== undefined) qs.sort = check.oneOf('Sort By', sort.sortBy, SORTS);
	if (sort.order !== undefined) qs.order = check.oneOf('Order', sort.order, ['asc', 'desc']);
	return compact(qs);
}

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<OperationResult> {
	const check = new Checker(this.getNode(), itemIndex);
	const qs = postFilters(this, check, itemIndex);
	return await offsetList(this, check, itemIndex, { path: '/posts', key: 'posts', qs });
}
