// Pure logic of the Post operations: item building, schedule time checks, publish completion, lost-answer recovery is in postActOnce.test.ts.
import type { IDataObject, IExecuteFunctions, INode } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';
import { DateTime } from 'luxon';

import { Checker } from '../../nodes/shared/validation';
import { POST_TYPES, postTypeOptions } from '../../nodes/PowerPost/actions/post/common';
import { readItems } from '../../nodes/PowerPost/actions/post/create.operation';
import { isPublishFinal, summarize } from '../../nodes/PowerPost/actions/post/publish.operation';
import { readScheduledAt } from '../../nodes/PowerPost/actions/post/schedule.operation';
import { postLabel } from '../../nodes/PowerPost/methods/posts';

const node: INode = { id: '1', name: 'PowerPost', type: 'n8n-nodes-powerpost.powerPost', typeVersion: 1, position: [0, 0], parameters: {} };
const check = () => new Checker(node, 0);

function paramsCtx(params: IDataObject): IExecuteFunctions {
	return {
		getNode: () => node,
		getNodeParameter: (name: string, _i: number, fallback?: unknown) => (name in params ? params[name] : fallback),
	} as unknown as IExecuteFunctions;
}

describe('post types', () => {
	test('12 post types, offered sorted by name', () => {
		expect(POST_TYPES).toHaveLength(12);
		const names = postTypeOptions.map((o) => o.name);
		expect(names).toEqual([...names].sort((a, b) => a.localeCompare(b)));
	});
});

describe('Post → Create: readItems', () => {
	test('shared mode: one item per post type; the title only on YouTube types; media from an array', () => {
		const items = readItems(
			paramsCtx({ itemsSource: 'shared', postTypes: ['x-post', 'youtube-video'], content: ' Hi ', title: 'T', mediaIds: ['m1', 'm2', 'm1'] }),
			0,
		);
		expect(items).toEqual([
			{ post_type: 'x-post', content: 'Hi', media_ids: ['m1', 'm2'] },
			{ post_type: 'youtube-video', content: 'Hi', title: 'T', media_ids: ['m1', 'm2'] },
		]);
	});

	test('shared mode: post types as comma/newline text (a spreadsheet cell)', () => {
		const items = readItems(paramsCtx({ itemsSource: 'shared', postTypes: 'linkedin-post\nfacebook-story', content: 'x' }), 0);
		expect(items.map((i) => i.post_type)).toEqual(['linkedin-post', 'facebook-story']);
	});

	test('JSON mode accepts {items: [...]} and comma-separated media ids; empty content stays out', () => {
		const items = readItems(
			paramsCtx({ itemsSource: 'json', itemsJson: { items: [{ post_type: 'tiktok-video', content: '', media_ids: 'v1, v2' }] } }),
			0,
		);
		expect(items).toEqual([{ post_type: 'tiktok-video', media_ids: ['v1', 'v2'] }]);
	});

	test('items mode names the entry in errors', () => {
		const ctx = paramsCtx({ itemsSource: 'items', items: { item: [{ postType: 'x-post' }, { postType: 'tiktok-reel' }] } });
		expect(() => readItems(ctx, 0)).toThrow(/Items → entry 2 → Post Type: "tiktok-reel" is not a supported value/);
	});

	test('no entries in items mode is an error naming Items', () => {
		expect(() => readItems(paramsCtx({ itemsSource: 'items', items: {} }), 0)).toThrow(/Items: has 0 entries/);
	});

	test('a JSON entry that is not an object is named', () => {
		expect(() => readItems(paramsCtx({ itemsSource: 'json', itemsJson: '[1]' }), 0)).toThrow(/Items \(JSON\) → entry 1: is not an object/);
	});
});

describe('Post → Schedule: readScheduledAt', () => {
	const now = DateTime.fromISO('2026-11-22T12:00:00Z', { zone: 'utc' });

	test('a naive time is read in the workflow zone and returned in UTC', () => {
		expect(readScheduledAt(check(), '2026-11-25T09:30', 'Europe/Berlin', now)).toBe('2026-11-25T08:30:00Z');
		expect(readScheduledAt(check(), '2026-11-25 09:30', 'America/New_York', now)).toBe('2026-11-25T14:30:00Z');
	});

	test('an offset is kept whatever the workflow zone', () => {
		expect(readScheduledAt(check(), '2026-11-25T09:30:00+02:00', 'Asia/Tokyo', now)).toBe('2026-11-25T07:30:00Z');
	});

	test('exactly 60 days ahead is allowed, one minute more is not', () => {
		expect(readScheduledAt(check(), '2027-01-21T12:00:00Z', 'UTC', now)).toBe('2027-01-21T12:00:00Z');
		expect(() => readScheduledAt(check(), '2027-01-21T12:01:00Z', 'UTC', now)).toThrow(/more than 60 days ahead/);
	});

	test('the past (in the workflow zone) is rejected with the resolved UTC time', () => {
		// 12:30 in Berlin is 11:30 UTC, before now (12:00 UTC) although 12:30 > 12:00 naively.
		const error = (() => {
			try {
				readScheduledAt(check(), '2026-11-22T12:30', 'Europe/Berlin', now);
			} catch (e) {
				return e as NodeOperationError;
			}
			return undefined;
		})();
		expect(error).toBeInstanceOf(NodeOperationError);
		expect(error?.message).toBe(
			'Scheduled At: 2026-11-22T12:30 (2026-11-22T11:30:00Z in UTC) is in the past. Allowed: a time after now (2026-11-22T12:00:00Z) and at most 60 days ahead',
		);
	});

	test('garbage is rejected', () => {
		expect(() => readScheduledAt(check(), 'soon', 'UTC', now)).toThrow(/Scheduled At: "soon" is not an ISO 8601 date-time/);
		expect(() => readScheduledAt(check(), '', 'UTC', now)).toThrow(/Scheduled At: it is empty/);
	});
});

describe('Post → Publish: completion and summary', () => {
	const post = (status: string, ...itemStatuses: string[]) => ({ status, items: itemStatuses.map((s) => ({ status: s })) });

	test.each([
		[post('publishing', 'posting', 'draft'), false],
		[post('publishing', 'posted', 'posting'), false],
		[post('publishing', 'posted', 'failed'), true],
		[post('published', 'posted'), true],
		[post('failed', 'failed'), true],
		[post('draft', 'draft'), true],
		[post('scheduled', 'draft'), false],
		[post('publishing'), false],
	])('%j final: %s', (state, final) => {
		expect(isPublishFinal(state)).toBe(final);
	});

	test('summary counts posted, failed and pending items', () => {
		expect(summarize(post('publishing', 'posted', 'failed', 'posting', 'posted'))).toEqual({ total: 4, posted: 2, failed: 1, pending: 1 });
		expect(summarize({})).toEqual({ total: 0, posted: 0, failed: 0, pending: 0 });
	});
});

describe('post list label', () => {
	test('status, post types and time', () => {
		expect(
			postLabel({ post_id: 'p', status: 'published', created_at: '2026-11-20T08:15:42.000Z', items: [{ post_type: 'x-post' }, { post_type: 'linkedin-post' }] }),
		).toBe('published · x-post, linkedin-post · 2026-11-20 08:15 UTC');
	});
});
