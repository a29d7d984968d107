import type { IDataObject, INodeProperties } from 'n8n-workflow';
import { DateTime } from 'luxon';

import { isHourMinute, isIsoDate, parseDateTime } from '../../../shared/time';
import type { Checker } from '../../../shared/validation';
import { PLATFORMS, platformOptions } from '../post/common';
import { listOrIdLocator } from '../../../shared/locator';

/** Contract §11: at most 366 days per `GET /calendar/entries` request. */
export const MAX_RANGE_DAYS = 366;
export const TITLE_MAX = 500;
export const DESCRIPTION_MAX = 5000;

/** The "Calendar Entry" resource locator. */
export function entryLocator(operations: string[]): INodeProperties {
	return listOrIdLocator({
		displayName: 'Calendar Entry',
		name: 'entryId',
		description: 'The calendar entry (`entry_id`)',
		searchListMethod: 'searchCalendarEntries',
		show: { resource: ['calendar'], operation: operations },
		placeholder: 'e.g. 3fa85f64-5717-4562-b3fc-2c963f66afa6',
	});
}

export const platformsField: INodeProperties = {
	displayName: 'Platforms',
	name: 'platforms',
	type: 'multiOptions',
	options: platformOptions,
	default: [],
	description: 'Platforms the entry is planned for (a note only: calendar entries never publish)',
};

/**
 * A calendar day `YYYY-MM-DD`. A plain date is taken as is; a date-time (what n8n's date picker and
 * `$now` give) is read in the workflow's time zone unless it carries an offset, then its day in
 * that zone is used.
 */
export function toCalendarDate(check: Checker, field: string, value: unknown, zone: string): string {
	if (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value.trim())) {
		const text = value.trim();
		if (!isIsoDate(text)) check.fail(field, `"${text}" is not a real date`, 'a date such as 2026-12-01');
		return text;
	}
	if (value === undefined || value === null || value === '') check.fail(field, 'is required but empty', 'a date such as 2026-12-01');
	const parsed = parseDateTime(value, zone);
	if (!parsed.ok) check.fail(field, parsed.reason, 'a date such as 2026-12-01, or a date-time');
	return parsed.value.setZone(zone).toISODate() as string;
}

/** A 24-hour `HH:MM` time; accepts `9:30` and `09:30:00` and writes them as `09:30`. */
export function toHourMinute(check: Checker, field: string, value: unknown): string {
	const text = typeof value === 'string' ? value.trim() : '';
	const match = /^(\d{1,2}):(\d{2})(?::\d{2})?$/.exec(text);
	const normalized = match ? `${match[1].padStart(2, '0')}:${match[2]}` : text;
	if (!isHourMinute(normalized)) check.fail(field, `"${text}" is not a 24-hour time`, 'HH:MM from 00:00 to 23:59, e.g. 09:30');
	return normalized;
}

export function readPlatforms(check: Checker, value: unknown): string[] {
	return check.listOf('Platforms', value, PLATFORMS);
}

/** Splits an inclusive date range into windows of at most `maxDays` days, in order. */
export function splitRange(start: string, end: string, maxDays = MAX_RANGE_DAYS): Array<{ start: string; end: string }> {
	const windows: Array<{ start: string; end: string }> = [];
	const last = DateTime.fromISO(end, { zone: 'utc' });
	let from = DateTime.fromISO(start, { zone: 'utc' });
	while (from <= last) {
		const to = DateTime.min(from.plus({ days: maxDays - 1 }), last);
		windows.push({ start: from.toISODate() as string, end: to.toISODate() as string });
		from = to.plus({ days: 1 });
	}
	return windows;
}

export function entriesOf(body: IDataObject): IDataObject[] {
	return Array.isArray(body.entries) ? (body.entries as IDataObject[]) : [];
}
