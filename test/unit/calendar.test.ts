// Pure logic of the Calendar operations: dates in the workflow zone, times, range windows, PATCH bodies.
import type { INode } from 'n8n-workflow';

import { splitRange, toCalendarDate, toHourMinute } from '../../nodes/PowerPost/actions/calendar/common';
import { buildPatch } from '../../nodes/PowerPost/actions/calendar/update.operation';
import { entryLabel } from '../../nodes/PowerPost/methods/calendar';
import { Checker } from '../../nodes/shared/validation';

const node: INode = { id: '1', name: 'PowerPost', type: 'n8n-nodes-powerpost.powerPost', typeVersion: 1, position: [0, 0], parameters: {} };
const check = () => new Checker(node, 0);

describe('toCalendarDate', () => {
	test.each([
		['2026-12-01', 'UTC', '2026-12-01'],
		['2026-12-01', 'Pacific/Kiritimati', '2026-12-01'],
		['2026-12-01T00:00:00', 'America/Los_Angeles', '2026-12-01'],
		['2026-12-01T23:30:00Z', 'Europe/Berlin', '2026-12-02'],
		['2026-12-01T02:00:00+05:00', 'UTC', '2026-11-30'],
		['2026-12-01 18:00', 'Asia/Tokyo', '2026-12-01'],
	])('%s in %s is %s', (input, zone, expected) => {
		expect(toCalendarDate(check(), 'Scheduled Date', input, zone)).toBe(expected);
	});

	test('a Date object counts in the workflow zone', () => {
		expect(toCalendarDate(check(), 'Scheduled Date', new Date('2026-12-31T23:00:00Z'), 'Europe/Paris')).toBe('2027-01-01');
	});

	test.each([
		['', /Scheduled Date: is required but empty/],
		['2026-13-01', /"2026-13-01" is not a real date/],
		['tomorrow', /Scheduled Date: "tomorrow" is not an ISO 8601 date-time/],
	])('%j is rejected', (input, message) => {
		expect(() => toCalendarDate(check(), 'Scheduled Date', input, 'UTC')).toThrow(message);
	});
});

describe('toHourMinute', () => {
	test.each([
		['09:30', '09:30'],
		['9:30', '09:30'],
		['23:59:00', '23:59'],
		['00:00', '00:00'],
	])('%s → %s', (input, expected) => expect(toHourMinute(check(), 'Scheduled Time', input)).toBe(expected));

	test.each(['24:00', '9.30', '12:60', '7pm', ''])('%j is rejected', (input) => {
		expect(() => toHourMinute(check(), 'Scheduled Time', input)).toThrow(/Scheduled Time: .* is not a 24-hour time/);
	});
});

describe('splitRange', () => {
	test('a single day and exactly 366 days are one window', () => {
		expect(splitRange('2026-05-05', '2026-05-05')).toEqual([{ start: '2026-05-05', end: '2026-05-05' }]);
		expect(splitRange('2026-01-01', '2027-01-01')).toEqual([{ start: '2026-01-01', end: '2027-01-01' }]);
	});

	test('367 days are two windows, contiguous, none longer than 366 days (leap year included)', () => {
		// 2027-03-01 … 2028-02-29 is 366 days (2028 is a leap year).
		expect(splitRange('2027-03-01', '2028-02-29')).toEqual([{ start: '2027-03-01', end: '2028-02-29' }]);
		expect(splitRange('2027-03-01', '2028-03-01')).toEqual([
			{ start: '2027-03-01', end: '2028-02-29' },
			{ start: '2028-03-01', end: '2028-03-01' },
		]);
	});

	test('ten years: windows cover every day once', () => {
		const windows = splitRange('2020-01-01', '2029-12-31');
		expect(windows[0].start).toBe('2020-01-01');
		expect(windows[windows.length - 1].end).toBe('2029-12-31');
		for (let i = 1; i < windows.length; i++) {
			const gap = (Date.parse(windows[i].start) - Date.parse(windows[i - 1].end)) / 86_400_000;
			expect(gap).toBe(1);
		}
		for (const w of windows) expect((Date.parse(w.end) - Date.parse(w.start)) / 86_400_000 + 1).toBeLessThanOrEqual(366);
	});
});

describe('buildPatch', () => {
	test('only the given fields; clears become null', () => {
		expect(buildPatch(check(), { title: ' New ' }, 'UTC')).toEqual({ title: 'New' });
		expect(buildPatch(check(), { clearDescription: true, clearTime: true }, 'UTC')).toEqual({ description: null, scheduled_time: null });
	});

	test('a switched-off clear option changes nothing', () => {
		expect(() => buildPatch(check(), { clearDescription: false }, 'UTC')).toThrow(/Update Fields: nothing to change/);
	});

	test('platforms replace the list; an empty list is sent as []', () => {
		expect(buildPatch(check(), { platforms: [] }, 'UTC')).toEqual({ platforms: [] });
		expect(buildPatch(check(), { platforms: 'x, linkedin' }, 'UTC')).toEqual({ platforms: ['x', 'linkedin'] });
	});

	test('a date-time is turned into the day in the workflow zone; a time is normalized', () => {
		expect(buildPatch(check(), { scheduledDate: '2027-01-01T01:00:00', scheduledTime: '7:05' }, 'Europe/Berlin')).toEqual({
			scheduled_date: '2027-01-01',
			scheduled_time: '07:05',
		});
	});

	test('conflicting clear options are rejected', () => {
		expect(() => buildPatch(check(), { scheduledTime: '10:00', clearTime: true }, 'UTC')).toThrow(/Scheduled Time: is set together with Clear Scheduled Time/);
	});

	test('an empty title is rejected (a title cannot be cleared)', () => {
		expect(() => buildPatch(check(), { title: '' }, 'UTC')).toThrow(/Title: is required but empty/);
	});
});

describe('entry label', () => {
	test('date, optional time and title', () => {
		expect(entryLabel({ scheduled_date: '2026-12-01', scheduled_time: '09:30', title: 'Launch' })).toBe('2026-12-01 09:30 · Launch');
		expect(entryLabel({ scheduled_date: '2026-12-01', scheduled_time: null, title: 'Launch' })).toBe('2026-12-01 · Launch');
	});
});
