// Contract §11: Calendar → Create, Get, Get Many, Update, Delete against the sandbox, through n8n-core (harness).
import { DateTime } from 'luxon';

import { startSandbox, type Sandbox } from '../../sandbox/server';
import { countRequests, errorText, expectNoSecrets, runListSearch } from './generation-helpers';
import { api, byId, jsonOf, op } from './post-helpers';

let sb: Sandbox;
beforeAll(async () => {
	sb = await startSandbox({ tickMs: 0, rateLimit: false });
});
afterAll(async () => {
	await sb.close();
});
beforeEach(() => sb.reset());

const total = () => sb.requests.length;

async function entry(fields: Record<string, unknown>, workspace?: string): Promise<Record<string, any>> {
	const response = await api(sb, 'POST', '/calendar/entries', { title: 'Planned', scheduled_date: '2026-12-01', ...fields }, { workspace });
	if (response.status !== 200) throw new Error(`setup: ${JSON.stringify(response.body)}`);
	return response.body;
}

describe('Calendar → Create', () => {
	test('creates an entry with every field; a short time is written as HH:MM', async () => {
		const r = await op(sb, 'calendar', 'create', {
			title: 'Black Friday teaser',
			scheduledDate: '2026-11-27',
			additionalFields: { description: 'Teaser video + carousel', scheduledTime: '9:30', platforms: ['instagram', 'tiktok'] },
		});
		expect(r.status).toBe('success');
		const [out] = jsonOf(r);
		expect(out).toMatchObject({
			title: 'Black Friday teaser',
			description: 'Teaser video + carousel',
			scheduled_date: '2026-11-27',
			scheduled_time: '09:30',
			platforms: ['instagram', 'tiktok'],
		});
		expect(out.entry_id).toBeTruthy();
		expect(sb.state.calendar.size).toBe(1);
		expectNoSecrets(sb, r);
	});

	test('a date-time is read in the workflow time zone: 23:30 UTC is already the next day in Berlin', async () => {
		const r = await op(sb, 'calendar', 'create', { title: 'Late', scheduledDate: '2026-12-01T23:30:00Z' }, { timezone: 'Europe/Berlin' });
		expect(jsonOf(r)[0]).toMatchObject({ scheduled_date: '2026-12-02', scheduled_time: null, description: null, platforms: [] });
	});

	test("n8n's date picker value (naive date-time) gives its own day", async () => {
		const r = await op(sb, 'calendar', 'create', { title: 'Picker', scheduledDate: '2026-12-01T00:00:00' }, { timezone: 'America/Los_Angeles' });
		expect(jsonOf(r)[0].scheduled_date).toBe('2026-12-01');
	});

	test.each([
		['a title over 500 characters', { title: 'x'.repeat(501), scheduledDate: '2026-12-01' }, /Title: is too long \(501 characters\)/],
		['an empty title', { title: '={{ "" }}', scheduledDate: '2026-12-01' }, /Title: is required but empty/],
		['an impossible date', { title: 'a', scheduledDate: '2026-02-30' }, /Scheduled Date: "2026-02-30" is not a real date/],
		['a bad time', { title: 'a', scheduledDate: '2026-12-01', additionalFields: { scheduledTime: '25:00' } }, /Scheduled Time: "25:00" is not a 24-hour time/],
		['a description over 5000', { title: 'a', scheduledDate: '2026-12-01', additionalFields: { description: 'd'.repeat(5001) } }, /Description: is too long/],
		['an unknown platform', { title: 'a', scheduledDate: '2026-12-01', additionalFields: { platforms: '={{ ["x", "myspace"] }}' } }, /Platforms: "myspace" is not a supported value/],
	])('%s fails before any request', async (_name, parameters, message) => {
		const before = total();
		const r = await op(sb, 'calendar', 'create', parameters);
		expect(errorText(r)).toMatch(message);
		expect(total()).toBe(before);
	});

	test('403 with a read-only key names calendar:write', async () => {
		const r = await op(sb, 'calendar', 'create', { title: 'a', scheduledDate: '2026-12-01' }, { key: sb.keys.readOnly });
		expect(errorText(r)).toMatch(/calendar:write/);
		expectNoSecrets(sb, r);
	});

	test('403 for a workspace of another account', async () => {
		const r = await op(sb, 'calendar', 'create', { title: 'a', scheduledDate: '2026-12-01' }, { workspace: sb.workspaces.foreign });
		expect(errorText(r)).toMatch(/FORBIDDEN/);
	});
});

describe('Calendar → Get / Delete', () => {
	test('Get returns the entry', async () => {
		const created = await entry({ title: 'Launch', scheduled_time: '10:00' });
		const r = await op(sb, 'calendar', 'get', { entryId: byId(created.entry_id) });
		expect(jsonOf(r)[0]).toEqual(created);
	});

	test('an entry of another workspace is 404', async () => {
		const other = await entry({}, sb.workspaces.secondary);
		const r = await op(sb, 'calendar', 'get', { entryId: byId(other.entry_id) });
		expect(errorText(r)).toMatch(/NOT_FOUND/);
	});

	test('Delete outputs {deleted, entry_id}; a second delete is 404', async () => {
		const created = await entry({});
		const r = await op(sb, 'calendar', 'delete', { entryId: byId(created.entry_id) });
		expect(jsonOf(r)[0]).toEqual({ deleted: true, entry_id: created.entry_id });
		expect(sb.state.calendar.size).toBe(0);
		const again = await op(sb, 'calendar', 'delete', { entryId: byId(created.entry_id) });
		expect(errorText(again)).toMatch(/NOT_FOUND/);
	});
});

describe('Calendar → Get Many', () => {
	test('a range within 366 days is one request; entries come in date order', async () => {
		await entry({ title: 'B', scheduled_date: '2026-12-10' });
		await entry({ title: 'A', scheduled_date: '2026-12-01' });
		await entry({ title: 'outside', scheduled_date: '2027-03-01' });
		const r = await op(sb, 'calendar', 'getMany', { startDate: '2026-12-01', endDate: '2026-12-31', returnAll: true });
		expect(jsonOf(r).map((e) => e.title)).toEqual(['A', 'B']);
		expect(sb.requests.filter((q) => q.method === 'GET' && q.path === '/calendar/entries').map((q) => q.query)).toEqual([
			{ start_date: '2026-12-01', end_date: '2026-12-31' },
		]);
	});

	test('a range over 366 days is read in windows of at most 366 days, merged in order', async () => {
		const dates = ['2026-01-01', '2026-12-31', '2027-01-01', '2027-06-15', '2028-01-02', '2028-03-01'];
		for (const [i, date] of dates.entries()) await entry({ title: `E${i}`, scheduled_date: date });
		const r = await op(sb, 'calendar', 'getMany', { startDate: '2026-01-01', endDate: '2028-03-01', returnAll: true });
		expect(jsonOf(r).map((e) => e.scheduled_date)).toEqual(dates);
		const windows = sb.requests.filter((q) => q.method === 'GET' && q.path === '/calendar/entries').map((q) => [q.query.start_date, q.query.end_date]);
		expect(windows).toEqual([
			['2026-01-01', '2027-01-01'],
			['2027-01-02', '2028-01-02'],
			['2028-01-03', '2028-03-01'],
		]);
		expect(sb.requests.every((q) => q.status === 200)).toBe(true);
	});

	test('a Limit stops early: later windows are not read', async () => {
		for (const date of ['2026-01-05', '2026-02-05', '2026-03-05']) await entry({ scheduled_date: date });
		const r = await op(sb, 'calendar', 'getMany', { startDate: '2026-01-01', endDate: '2029-01-01', returnAll: false, limit: 2 });
		expect(jsonOf(r).map((e) => e.scheduled_date)).toEqual(['2026-01-05', '2026-02-05']);
		expect(countRequests(sb, 'GET', '/calendar/entries')).toBe(1);
	});

	test('an end before the start fails before any request', async () => {
		const r = await op(sb, 'calendar', 'getMany', { startDate: '2026-12-02', endDate: '2026-12-01', returnAll: true });
		expect(errorText(r)).toMatch(/End Date: 2026-12-01 is before the Start Date 2026-12-02/);
		expect(total()).toBe(0);
	});
});

describe('Calendar → Update', () => {
	test('only the added fields are sent; others stay as they were', async () => {
		const created = await entry({ title: 'Old', description: 'Keep me', scheduled_time: '08:00', platforms: ['x'] });
		const r = await op(sb, 'calendar', 'update', { entryId: byId(created.entry_id), updateFields: { title: 'New' } });
		expect(jsonOf(r)[0]).toMatchObject({ title: 'New', description: 'Keep me', scheduled_time: '08:00', platforms: ['x'] });
	});

	test('Clear Description / Clear Scheduled Time send null; platforms replace the list', async () => {
		const created = await entry({ description: 'Remove me', scheduled_time: '08:00', platforms: ['x', 'linkedin'] });
		const r = await op(sb, 'calendar', 'update', {
			entryId: byId(created.entry_id),
			updateFields: { clearDescription: true, clearTime: true, platforms: ['youtube'] },
		});
		expect(jsonOf(r)[0]).toMatchObject({ description: null, scheduled_time: null, platforms: ['youtube'] });
	});

	test('a new date-time moves the day (workflow time zone)', async () => {
		const created = await entry({});
		const r = await op(sb, 'calendar', 'update', { entryId: byId(created.entry_id), updateFields: { scheduledDate: '2027-01-05T01:00:00+05:00' } }, { timezone: 'UTC' });
		expect(jsonOf(r)[0].scheduled_date).toBe('2027-01-04');
	});

	test.each([
		['nothing to change', {}, /Update Fields: nothing to change/],
		['a description together with Clear Description', { description: 'x', clearDescription: true }, /Description: is set together with Clear Description/],
		['a bad time', { scheduledTime: '7pm' }, /Scheduled Time: "7pm" is not a 24-hour time/],
	])('%s fails before any request', async (_name, updateFields, message) => {
		const created = await entry({});
		const before = total();
		const r = await op(sb, 'calendar', 'update', { entryId: byId(created.entry_id), updateFields });
		expect(errorText(r)).toMatch(message);
		expect(total()).toBe(before);
	});

	test('404 for an entry of another workspace', async () => {
		const other = await entry({}, sb.workspaces.secondary);
		const r = await op(sb, 'calendar', 'update', { entryId: byId(other.entry_id), updateFields: { title: 'x' } });
		expect(errorText(r)).toMatch(/NOT_FOUND/);
	});
});

describe('Calendar "From list" search', () => {
	test('entries of the coming year, in date order, filtered by title', async () => {
		const day = (days: number) => DateTime.now().plus({ days }).toISODate() as string;
		await entry({ title: 'Summer sale', scheduled_date: day(200), scheduled_time: '10:00' });
		await entry({ title: 'Launch party', scheduled_date: day(3) });
		await entry({ title: 'Two years out', scheduled_date: day(700) });
		const all = await runListSearch(sb, 'searchCalendarEntries');
		expect(all.results.map((r) => r.name)).toEqual([`${day(3)} · Launch party`, `${day(200)} 10:00 · Summer sale`]);
		const filtered = await runListSearch(sb, 'searchCalendarEntries', { filter: 'sale' });
		expect(filtered.results.map((r) => r.name)).toEqual([`${day(200)} 10:00 · Summer sale`]);
		const windows = sb.requests.filter((q) => q.method === 'GET').map((q) => q.query);
		// One request per search, of 366 days starting a week ago (today is read in the workflow's zone, so ± 1 day here).
		expect(windows).toHaveLength(2);
		const { start_date: start, end_date: end } = windows[0];
		expect([day(-8), day(-7), day(-6)]).toContain(start);
		expect(DateTime.fromISO(end).diff(DateTime.fromISO(start), 'days').days).toBe(365);
	});
});
