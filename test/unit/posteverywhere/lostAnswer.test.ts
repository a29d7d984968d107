// The pure decisions behind the PostEverywhere node's lost-answer handling: what counts as "the
// asked state" for Schedule Draft, where a Bulk Schedule row lands, the name an import is stored
// under, and the scopes GET /me reports. (The full behaviour: test/faults/posteverywhereNode.test.ts.)
import { scopesOf } from '../../../nodes/PostEverywhere/actions/ai';
import { importedName } from '../../../nodes/PostEverywhere/actions/media/uploadFromUrl.operation';
import { rowInstant } from '../../../nodes/PostEverywhere/actions/post/bulkSchedule.operation';
import { sameAsRequested } from '../../../nodes/PostEverywhere/actions/post/create.operation';
import { describePost, reachedSchedule } from '../../../nodes/PostEverywhere/actions/post/scheduleDraft.operation';

describe('Schedule Draft: the asked state', () => {
	const at = { scheduled_for: '2026-12-05T09:00:00Z' };
	test('the same instant in another notation is reached; another time, or still a draft, is not', () => {
		expect(reachedSchedule({ status: 'scheduled', scheduled_for: '2026-12-05T10:00:00+01:00' }, at)).toBe(true);
		expect(reachedSchedule({ status: 'scheduled', scheduled_for: '2026-12-02T09:00:00Z' }, at)).toBe(false);
		expect(reachedSchedule({ status: 'draft', scheduled_for: '2026-12-05T09:00:00Z' }, at)).toBe(false);
	});
	test('Publish Now: publishing or any final state is reached, scheduled is not', () => {
		const now = { publish_now: true };
		for (const status of ['publishing', 'published', 'partially_failed', 'failed']) expect(reachedSchedule({ status }, now)).toBe(true);
		expect(reachedSchedule({ status: 'scheduled', scheduled_for: '2026-12-05T09:00:00Z' }, now)).toBe(false);
	});
	test('asked accounts must be the post\'s accounts', () => {
		expect(reachedSchedule({ status: 'publishing', account_ids: [2281, 2280] }, { publish_now: true, account_ids: [2280, 2281] })).toBe(true);
		expect(reachedSchedule({ status: 'publishing', account_ids: [2280] }, { publish_now: true, account_ids: [2280, 2281] })).toBe(false);
	});
	test('describePost names the time of a scheduled post', () => {
		expect(describePost({ status: 'scheduled', scheduled_for: '2026-12-02T09:00:00Z' })).toBe('scheduled for 2026-12-02T09:00:00Z');
		expect(describePost({ status: 'draft' })).toBe('draft');
	});
});

describe('Create: the post a lost create made', () => {
	const body = { content: 'Hello', account_ids: [2280, 2281], media_ids: [], scheduled_for: '2026-12-05T09:00:00Z' };
	test('same content, accounts (any order), media and instant', () => {
		expect(sameAsRequested({ content: 'Hello', account_ids: [2281, 2280], media_ids: [], scheduled_for: '2026-12-05T09:00:00.000Z' }, body)).toBe(true);
		expect(sameAsRequested({ content: 'Hello', account_ids: [2280], scheduled_for: '2026-12-05T09:00:00Z' }, body)).toBe(false);
		expect(sameAsRequested({ content: 'Hello!', account_ids: [2280, 2281], scheduled_for: '2026-12-05T09:00:00Z' }, body)).toBe(false);
		expect(sameAsRequested({ content: 'Hello', account_ids: [2280, 2281], scheduled_for: '2026-12-05T09:30:00Z' }, body)).toBe(false);
	});
	test('a draft is only matched by a draft', () => {
		expect(sameAsRequested({ content: 'x', account_ids: [], status: 'publishing' }, { content: 'x', account_ids: [], draft: true })).toBe(false);
		expect(sameAsRequested({ content: 'x', account_ids: [], status: 'draft' }, { content: 'x', account_ids: [], draft: true })).toBe(true);
	});
});

test('Bulk Schedule: a row lands at its wall time in the time zone', () => {
	expect(new Date(rowInstant({ date: '2027-03-01', time: '09:30' }, 'Europe/Berlin')).toISOString()).toBe('2027-03-01T08:30:00.000Z');
	expect(new Date(rowInstant({ date: '2027-07-01', time: '09:30' }, 'America/New_York')).toISOString()).toBe('2027-07-01T13:30:00.000Z');
});

test('Upload From URL: the stored name is the File Name, else the URL\'s last path segment', () => {
	expect(importedName({ url: 'https://cdn.example.com/a/b/photo%20one.jpg?x=1' })).toBe('photo one.jpg');
	expect(importedName({ url: 'https://cdn.example.com/a.jpg', filename: 'mine.jpg' })).toBe('mine.jpg');
});

test('GET /me scopes: top-level or in api_key; none shown is undefined', () => {
	expect(scopesOf({ scopes: ['read', 'write'] })).toEqual(['read', 'write']);
	expect(scopesOf({ api_key: { scopes: ['read', 'ai'] } })).toEqual(['read', 'ai']);
	expect(scopesOf({})).toBeUndefined();
});
