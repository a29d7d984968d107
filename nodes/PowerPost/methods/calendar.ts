import type { IDataObject, ILoadOptionsFunctions, INodeListSearchItems, INodeListSearchResult } from 'n8n-workflow';
import { DateTime } from 'luxon';

import { powerPostRequest } from '../transport';

/** A readable line for a calendar entry: date, time and title. */
export function entryLabel(entry: IDataObject): string {
	const time = typeof entry.scheduled_time === 'string' && entry.scheduled_time ? ` ${entry.scheduled_time}` : '';
	return `${String(entry.scheduled_date)}${time} · ${String(entry.title)}`;
}

/**
 * "From list" for calendar entries: those of the last week and the coming year (one request, the
 * API's 366-day maximum), in date order, filtered by title or ID.
 */
async function searchCalendarEntries(this: ILoadOptionsFunctions, filter?: string): Promise<INodeListSearchResult> {
	const today = DateTime.now().setZone(this.getTimezone());
	const body = await powerPostRequest(this, {
		method: 'GET',
		path: '/calendar/entries',
		qs: { start_date: today.minus({ days: 7 }).toISODate(), end_date: today.plus({ days: 358 }).toISODate() },
	});
	const term = (filter ?? '').trim().toLowerCase();
	const entries = Array.isArray(body.entries) ? (body.entries as IDataObject[]) : [];
	const results: INodeListSearchItems[] = entries
		.filter((entry) => !term || String(entry.title).toLowerCase().includes(term) || String(entry.entry_id).toLowerCase().includes(term))
		.map((entry) => ({ name: entryLabel(entry), value: String(entry.entry_id) }));
	return { results };
}

export const calendarSearch: Record<string, (this: ILoadOptionsFunctions, filter?: string, paginationToken?: string) => Promise<INodeListSearchResult>> = {
	searchCalendarEntries,
};
