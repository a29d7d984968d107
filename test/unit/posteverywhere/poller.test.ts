// The PostEverywhere Trigger's poll over a fake GET /posts that sorts by updated_at, filters
// inclusively and pages by offset (contract §4.2, §14): pages, equal timestamps, a post updated
// during the walk, a poll cut by its page budget.
import type { IDataObject } from 'n8n-workflow';

import type { PostsApi, TriggerState } from '../../../nodes/PostEverywhereTrigger/poller';
import { pollOnce } from '../../../nodes/PostEverywhereTrigger/poller';

const settings = { events: ['published', 'failed'] as Array<'published' | 'failed'>, platforms: [], includeRetryPending: true };
const iso = (ms: number) => new Date(ms).toISOString();

function fakeApi(posts: IDataObject[], options: { hasMore: boolean; now?: () => number }) {
	const queries: IDataObject[] = [];
	const api: PostsApi = {
		async list(query) {
			queries.push(query);
			const after = query.updated_after ? Date.parse(String(query.updated_after)) : -Infinity;
			const sorted = posts
				.filter((p) => Date.parse(String(p.updated_at)) >= after && (!query.status || p.status === query.status))
				.sort((a, b) => (Date.parse(String(a.updated_at)) - Date.parse(String(b.updated_at))) * (query.order === 'desc' ? -1 : 1) || String(a.post_id).localeCompare(String(b.post_id)));
			const offset = Number(query.offset ?? 0);
			const page = sorted.slice(offset, offset + Number(query.limit));
			const copy = JSON.parse(JSON.stringify(page)) as IDataObject[];
			const serverTime = options.now?.();
			return options.hasMore ? { posts: copy, hasMore: offset + page.length < sorted.length, serverTime } : { posts: copy, serverTime };
		},
		async results() {
			return [];
		},
	};
	return { api, queries };
}

const post = (id: string, updatedAt: number, status = 'published'): IDataObject => ({
	post_id: id,
	status,
	updated_at: iso(updatedAt),
	destinations: [{ account_id: 1, platform: 'x', status, attempts: 1, next_retry_at: null }],
});

test.each([true, false])('250 new posts, many sharing a timestamp, are emitted once each across pages (has_more: %s)', async (hasMore) => {
	const posts: IDataObject[] = [post('old', 1000)];
	const { api } = fakeApi(posts, { hasMore });
	let state: TriggerState | undefined = (await pollOnce(api, undefined, settings, { maxPages: 10 })).state;
	for (let i = 0; i < 250; i++) posts.push(post(`p${String(i).padStart(3, '0')}`, 2000 + Math.floor(i / 30) * 10));
	const outcome = await pollOnce(api, state, settings, { maxPages: 10 });
	state = outcome.state;
	expect(outcome.events.map((e) => e.post_id).sort()).toEqual(posts.slice(1).map((p) => p.post_id).sort());
	expect((await pollOnce(api, state, settings, { maxPages: 10 })).events).toEqual([]);
});

test('a post updated while the walk runs is read again later, never skipped', async () => {
	const posts: IDataObject[] = [];
	for (let i = 0; i < 150; i++) posts.push(post(`p${String(i).padStart(3, '0')}`, 5000 + i));
	const { api } = fakeApi(posts, { hasMore: false });
	const start: TriggerState = { cursor: iso(4000), offset: 0, seen: { keys: {}, floor: null } };
	let moved = false;
	const wrapped: PostsApi = {
		...api,
		async list(query) {
			const page = await api.list(query);
			if (!moved && page.posts.length) {
				// Right after the first page was answered, one of its posts is updated (moves to the end).
				moved = true;
				const target = posts.find((p) => p.post_id === 'p010') as IDataObject;
				target.updated_at = iso(9000);
			}
			return page;
		},
	};
	const first = await pollOnce(wrapped, start, settings, { maxPages: 10 });
	const second = await pollOnce(wrapped, first.state, settings, { maxPages: 10 });
	const ids = [...first.events, ...second.events].map((e) => e.post_id);
	expect(new Set(ids).size).toBe(150);
	expect(ids).toHaveLength(150);
});

test('a poll stops at its page budget and the next poll carries on from the committed cursor', async () => {
	const posts: IDataObject[] = [];
	for (let i = 0; i < 350; i++) posts.push(post(`p${String(i).padStart(3, '0')}`, 10_000 + i));
	const { api } = fakeApi(posts, { hasMore: true });
	const start: TriggerState = { cursor: iso(1), offset: 0, seen: { keys: {}, floor: null } };
	const first = await pollOnce(api, start, settings, { maxPages: 2 });
	expect(first.more).toBe(true);
	// The second page starts at the first page's last post (read again, dropped by the dedup set).
	expect(first.events).toHaveLength(199);
	const second = await pollOnce(api, first.state, settings, { maxPages: 2 });
	expect(second.events).toHaveLength(151);
	expect(second.more).toBe(false);
});
