// The PostEverywhere Trigger's memory beyond the 6-hour dedup window (issue 12): a post still
// publishing keeps its publications' keys until it settles (a sibling's result read hours late is
// emitted once), and failures are remembered 30 days (a hand retry of some failed destinations
// does not repeat the others). Against a fake server whose posts do not move while a destination
// settles beside siblings in flight (like the strict sandbox).
import type { IDataObject } from 'n8n-workflow';

import { FailureKeys } from '../../../nodes/PostEverywhereTrigger/failureKeys';
import type { PostsApi, TriggerState } from '../../../nodes/PostEverywhereTrigger/poller';
import { HORIZON_MS, pollOnce } from '../../../nodes/PostEverywhereTrigger/poller';

const settings = { events: ['published', 'failed'] as Array<'published' | 'failed'>, platforms: [], includeRetryPending: true };
const iso = (ms: number) => new Date(ms).toISOString();
const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
const T0 = Date.parse('2026-06-01T12:00:00Z');

class Server {
	posts = new Map<string, IDataObject>();
	now = T0;
	readonly api: PostsApi = {
		list: async (query) => {
			const after = query.updated_after ? Date.parse(String(query.updated_after)) : -Infinity;
			const dir = query.order === 'desc' ? -1 : 1;
			const sorted = [...this.posts.values()]
				.filter((p) => Date.parse(String(p.updated_at)) >= after && (!query.status || p.status === query.status))
				.sort((a, b) => (Date.parse(String(a.updated_at)) - Date.parse(String(b.updated_at))) * dir || String(a.post_id).localeCompare(String(b.post_id)));
			const offset = Number(query.offset ?? 0);
			return { posts: JSON.parse(JSON.stringify(sorted.slice(offset, offset + Number(query.limit)))) as IDataObject[], serverTime: this.now };
		},
		results: async () => [],
	};

	/** A post to `accounts`, every destination in `status`; the post's `updated_at` is now. */
	create(id: string, accounts: number[], status: string): void {
		const destinations = accounts.map((account_id) => ({ account_id, platform: 'x', status, attempts: status === 'queued' ? 0 : 1, published_at: null, next_retry_at: null }));
		this.posts.set(id, { post_id: id, status: 'publishing', updated_at: iso(this.now), destinations });
		this.settle(id, false);
	}

	/** Sets one destination's state; the post moves only when `move` (its status changed). */
	set(id: string, account: number, status: 'published' | 'failed' | 'queued', attempts: number, move: boolean): void {
		const d = (this.posts.get(id)!.destinations as IDataObject[]).find((x) => x.account_id === account)!;
		Object.assign(d, { status, attempts, published_at: status === 'published' ? iso(this.now) : null });
		this.settle(id, move);
	}

	private settle(id: string, move: boolean): void {
		const post = this.posts.get(id)!;
		const statuses = (post.destinations as IDataObject[]).map((d) => d.status);
		post.status = statuses.some((s) => s === 'queued' || s === 'publishing') ? 'publishing' : statuses.every((s) => s === 'published') ? 'published' : statuses.every((s) => s === 'failed') ? 'failed' : 'partially_failed';
		if (move) post.updated_at = iso(this.now);
	}
}

class Trigger {
	state: TriggerState | undefined;
	got: string[] = [];
	constructor(readonly server: Server) {}
	async poll() {
		const outcome = await pollOnce(this.server.api, this.state, settings, { maxPages: 10 });
		this.state = JSON.parse(JSON.stringify(outcome.state)) as TriggerState;
		this.got.push(...outcome.events.map((e) => `${String(e.destination_key)}|${String(e.status)}|${String(e.attempts)}`));
	}
	/** Polls every `every` ms for `span` ms (server clock). */
	async run(span: number, every = HOUR) {
		for (let at = 0; at < span; at += every) {
			this.server.now += every;
			await this.poll();
		}
	}
}

test('a publication read 7 h late, when its in-flight sibling settles, is emitted once, and not again when a sibling is retried by hand later', async () => {
	const server = new Server();
	const t = new Trigger(server);
	await t.poll();
	server.create('p', [1, 2, 3], 'queued');
	await t.run(2 * MIN, MIN); // read while every destination is queued: the post is open
	server.now += 10 * MIN;
	server.create('later', [9], 'queued'); // a later post: the walk moves past 'p'
	server.set('later', 9, 'published', 1, true);
	await t.run(10 * MIN, MIN);
	server.set('p', 1, 'published', 1, false); // settles beside siblings in flight: the post does not move
	server.set('p', 2, 'published', 1, false);
	await t.run(7 * HOUR);
	expect(t.got).toEqual(['later:9|published|1']);
	t.got = [];
	server.set('p', 3, 'failed', 3, true); // 7 h later the last one fails for good: the post moves
	await t.run(HOUR);
	expect(t.got.sort()).toEqual(['p:1|published|1', 'p:2|published|1', 'p:3|failed|3']);
	expect(t.state!.open).toEqual({}); // settled: nothing kept for it beyond the usual
	// Two days later the failure is retried by hand and publishes: only that result is new.
	await t.run(2 * DAY, 6 * HOUR);
	server.set('p', 3, 'queued', 3, true);
	await t.run(HOUR, 30 * MIN);
	server.set('p', 3, 'published', 4, true);
	await t.run(HOUR, 30 * MIN);
	expect(t.got.sort()).toEqual(['p:1|published|1', 'p:2|published|1', 'p:3|failed|3', 'p:3|published|4']);
});

test('a hand retry of some failed destinations 8 h and 3 days later repeats none of the others', async () => {
	const server = new Server();
	const t = new Trigger(server);
	await t.poll();
	server.create('f', [1, 2, 3], 'queued');
	server.now += MIN;
	for (const account of [1, 2]) server.set('f', account, 'failed', 3, false);
	server.set('f', 3, 'failed', 3, true);
	await t.run(HOUR);
	expect(t.got.sort()).toEqual(['f:1|failed|3', 'f:2|failed|3', 'f:3|failed|3']);
	for (const [after, account] of [[8 * HOUR, 1], [3 * DAY, 2]]) {
		await t.run(after);
		server.set('f', account, 'queued', 3, true); // POST /posts/f/retry {account_ids: [account]}
		await t.run(HOUR, 10 * MIN);
		server.set('f', account, 'published', 4, true);
		await t.run(HOUR, 10 * MIN);
	}
	expect(t.got.sort()).toEqual(['f:1|failed|3', 'f:1|published|4', 'f:2|failed|3', 'f:2|published|4', 'f:3|failed|3']);
});

test('past the 30-day horizon a failure is forgotten: a hand retry of a sibling then repeats it (README)', async () => {
	const server = new Server();
	const t = new Trigger(server);
	await t.poll();
	server.create('old', [1, 2], 'queued');
	server.now += MIN;
	server.set('old', 1, 'failed', 3, false);
	server.set('old', 2, 'failed', 3, true);
	await t.run(HOUR);
	await t.run(HORIZON_MS + 2 * DAY, DAY);
	server.set('old', 1, 'queued', 3, true);
	await t.run(HOUR, 10 * MIN);
	expect(t.got.sort()).toEqual(['old:1|failed|3', 'old:2|failed|3', 'old:2|failed|3']);
});

test('failure keys: 8 bytes each, grouped by day, whole days dropped past the horizon or over the cap', () => {
	const keys = new FailureKeys();
	keys.add('aaaaaaaaXXXX', T0);
	keys.add('bbbbbbbbXXXX', T0 + DAY);
	keys.add('ccccccccXXXX', T0 + 2 * DAY);
	keys.add('ccccccccYYYY', T0 + 3 * DAY); // same 48 bits: already there
	const copy = new FailureKeys(JSON.parse(JSON.stringify(keys.toJSON())));
	expect(copy.size).toBe(3);
	expect(Object.values(copy.toJSON()).join('')).toHaveLength(24);
	expect(copy.has('bbbbbbbbZZZZ')).toBe(true);
	copy.prune(T0 + 3 * DAY, 2 * DAY, 10); // the day of T0 ended more than 2 days before
	expect([copy.has('aaaaaaaa'), copy.has('bbbbbbbb'), copy.has('cccccccc')]).toEqual([false, true, true]);
	copy.prune(T0 + 3 * DAY, 2 * DAY, 1); // over the cap: the oldest day goes
	expect([copy.has('bbbbbbbb'), copy.has('cccccccc')]).toEqual([false, true]);
});
