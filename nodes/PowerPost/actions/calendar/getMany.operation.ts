import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { Checker } from '../../../shared/validation';
import { powerPostRequest } from '../../transport';
import { readReturnAll, returnAllProperties } from '../../../shared/list';
import type { OperationResult } from '../../../shared/router';
import { MAX_RANGE_DAYS, entriesOf, splitRange, toCalendarDate } from './common';

/**
 * Contract §11: `GET /calendar/entries?start_date&end_date` (both required, at most 366 days,
 * unpaginated). Longer ranges are read in 366-day windows, merged in order and deduplicated.
 */

const properties: INodeProperties[] = [
	{
		displayName: 'Start Date',
		name: 'startDate',
		type: 'dateTime',
		default: '',
		required: true,
		description: 'First day of the range (included); a date-time counts as its day in the workflow\'s time zone',
	},
	{
		displayName: 'End Date',
		name: 'endDate',
		type: 'dateTime',
		default: '',
		required: true,
		description: `Last day of the range (included). Ranges over ${MAX_RANGE_DAYS} days are read in several requests automatically.`,
	},
	...returnAllProperties,
];

export const description = updateDisplayOptions({ show: { resource: ['calendar'], operation: ['getMany'] } }, properties);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<OperationResult> {
	const check = new Checker(this.getNode(), itemIndex);
	const zone = this.getTimezone();
	const start = toCalendarDate(check, 'Start Date', this.getNodeParameter('startDate', itemIndex, ''), zone);
	const end = toCalendarDate(check, 'End Date', this.getNodeParameter('endDate', itemIndex, ''), zone);
	if (start > end) check.fail('End Date', `${end} is before the Start Date ${start}`, `a day on or after ${start}`);
	const { limit } = readReturnAll(this, check, itemIndex);

	const seen = new Set<string>();
	const results: IDataObject[] = [];
	for (const window of splitRange(start, end)) {
		const body = await powerPostRequest(this, {
			method: 'GET',
			path: '/calendar/entries',
			qs: { start_date: window.start, end_date: window.end },
			itemIndex,
		});
		for (const entry of entriesOf(body)) {
			const id = String(entry.entry_id);
			if (seen.has(id)) continue;
			seen.add(id);
			results.push(entry);
			if (results.length >= limit) return results;
		}
	}
	return results;
}
