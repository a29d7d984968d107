// The PostEverywhere Trigger's poll against a fake server with its own clock (answers carry
// `meta.timestamp`): the cursor never passes the server's clock minus the overlap, a server clock
// stepped back, a change committed late with an earlier `updated_at`, restarts that lose what idle
// polls learned, big groups of equal `updated_at`, and dedup-set pruning.
import type { IDataObject } from 'n8n-workflow';

import type { PostsApi, TriggerState } from '../../../nodes/PostEverywhereTrigger/poller';
import { fromVersion1, serverTimeOf } from '../../../nodes/PostEverywhereTrigger/PostEverywhereTrigger.node';
import { OVERLAP_MS, PAGE_SIZE, pollOnce, RETENTION_MS, stateKey } from '../../../nodes/PostEverywhereTrigger/poller';

const settings = { events: ['published', 'failed'] as Array<'published' | 'failed'>, platforms: [], includeRetryPending: true };
const iso = (ms: number) => new Date(ms).toISOString();
const MIN = 60_000;
const T0 = Date.parse('2026-06-01T12:00:00Z');

/** A server with a clock: `GET /posts` filters `updated_at >= updated_after`, sorts asc, ties by id. */
class Server {
	posts = new Map<string, IDataObject>();
	now = T0;
	requests: IDataObject[] = [];
	/** Posts written but not yet visible (committed late). */
	hidden = new Set<string>();

	readonly api: PostsApi = {
		list: async (query) => {
			this.requests.push(query);
			const after = query.updated_after ? Date.parse(String(query.updated_after)) : -Infinity;
			const dir = query.order === 'desc' ? -1 : 1;
			const sorted = [...this.posts.values()]
				.filter((p) => !this.hidden.has(String(p.post_id)) && Date.parse(String(p.updated_at)) >= after && (!query.status || p.status === query.status))
				.sort((a, b) => (Date.parse(String(a.updated_at)) - Date.parse(String(b.updated_at))) * dir || String(a.post_id).localeCompare(String(b.post_id)));
			const offset = Number(query.offset ?? 0);
			const page = sorted.slice(offset, offset + Number(query.limit));
			return { posts: JSON.parse(JSON.stringify(page)) as IDataObject[], serverTime: this.now };
		},
		results: async () => [],
	};

	/** A post whose destinations are final: published, stamped now (or at `at`). */
	publish(id: string, at = this.now, accounts = [1]): void {
		this.posts.set(id, {
			post_id: id,
			status: 'published',
			updated_at: iso(at),
			destinations: accounts.map((account) => ({ account_id: account, platform: 'x', status: 'published', attempts: 1, published_at: iso(at), next_retry_at: null })),
		});
	}
}

class Trigger {
	state: TriggerState | undefined;
	got: string[] = [];
	constructor(readonly server: Server) {}
	async poll(maxPages = 10) {
		const outcome = await pollOnce(this.server.api, this.state, settings, { maxPages });
		this.state = outcome.state;
		this.got.push(...outcome.events.map((e) => `${String(e.destination_key)}|${String(e.status)}|${String(e.attempts)}`));
		return outcome;
	}
}

const dupes = (keys: string[]) => keys.length - new Set(keys).size;

test('the cursor never passes the server clock minus the overlap, even after a post stamped in the future', async () => {
	const server = new Server();
	const t = new Trigger(server);
	await t.poll();
	// The server's clock was stepped back 30 min after stamping one post: that post is 30 min ahead.
	server.publish('future', T0 + 30 * MIN);
	server.now += MIN;
	await t.poll();
	expect(t.got).toEqual(['future:1|published|1']);
	expect(Date.parse(t.state!.cursor!)).toBeLessThanOrEqual(server.now - OVERLAP_MS);
	// Later changes, stamped by the (behind) server clock, earlier than the future post: all read.
	for (let i = 0; i < 20; i++) {
		server.now += MIN;
		server.publish(`later${i}`);
		await t.poll();
	}
	expect(t.got).toHaveLength(21);
	expect(dupes(t.got)).toBe(0);
});

test('a stored cursor ahead of the server clock (clock stepped back) restarts the walk at the safe line', async () => {
	const server = new Server();
	const t = new Trigger(server);
	await t.poll();
	for (let i = 0; i < 10; i++) {
		server.now += MIN;
		server.publish(`before${i}`);
		await t.poll();
	}
	server.now -= 30 * MIN; // stepped back: new posts are stamped before the cursor
	for (let i = 0; i < 10; i++) {
		server.now += MIN;
		server.publish(`after${i}`);
		await t.poll();
	}
	expect(t.got.sort()).toEqual([...Array.from({ length: 10 }, (_, i) => `before${i}:1|published|1`), ...Array.from({ length: 10 }, (_, i) => `after${i}:1|published|1`)].sort());
});

test('a change committed late with an earlier updated_at (within the overlap) is still read', async () => {
	const server = new Server();
	const t = new Trigger(server);
	await t.poll();
	server.now += 10 * MIN;
	server.publish('late', server.now - 2 * MIN);
	server.hidden.add('late');
	server.publish('visible', server.now - MIN);
	await t.poll();
	expect(t.got).toEqual(['visible:1|published|1']);
	server.hidden.delete('late'); // committed now, stamped 2 min ago
	server.now += MIN;
	await t.poll();
	expect(t.got).toEqual(['visible:1|published|1', 'late:1|published|1']);
	// Its cost: the posts of the last OVERLAP_MS are read again by every poll (one page here).
	const before = server.requests.length;
	await t.poll();
	expect(server.requests.length - before).toBe(1);
});

test('restarts that drop what idle polls learned cost requests, never events', async () => {
	const server = new Server();
	const t = new Trigger(server);
	await t.poll();
	let saved = t.state; // n8n 2.41's default: saved at activation and when a poll emits
	for (let round = 0; round < 40; round++) {
		server.now += MIN;
		if (round % 4 === 0) server.publish(`p${round}`, server.now - (round % 8 === 0 ? 2 * MIN : 0));
		const { events } = await t.poll();
		if (events.length) saved = t.state;
		if (round % 3 === 2) t.state = saved; // restart
	}
	expect(t.got).toHaveLength(10);
	expect(dupes(t.got)).toBe(0);
});

test('more posts of one updated_at than a poll reads: carried on at the offset, a post leaving the group shifts nothing past the walk', async () => {
	const server = new Server();
	const t = new Trigger(server);
	await t.poll();
	server.now += MIN;
	const at = server.now;
	for (let i = 0; i < 2500; i++) server.publish(`t${String(i).padStart(4, '0')}`, at);
	server.now += 30 * MIN; // the group is older than the overlap
	const first = await t.poll(10);
	expect(first.more).toBe(true);
	expect(t.state!.offset).toBeGreaterThan(PAGE_SIZE);
	// Two posts already read leave the group (updated again; their destinations do not change).
	for (const id of ['t0003', 't0500']) server.posts.get(id)!.updated_at = iso(server.now);
	for (let i = 0; i < 5 && (await t.poll(10)).more; i++);
	expect(new Set(t.got).size).toBe(2500);
	expect(dupes(t.got)).toBe(0);
});

test('pruning keeps every key that can come back through the overlap, and a publication whose key was pruned is not repeated', async () => {
	const server = new Server();
	const t = new Trigger(server);
	await t.poll();
	server.now += MIN;
	// A post with one published and one failed destination.
	server.posts.set('mixed', {
		post_id: 'mixed',
		status: 'partially_failed',
		updated_at: iso(server.now),
		destinations: [
			{ account_id: 1, platform: 'x', status: 'published', attempts: 1, published_at: iso(server.now), next_retry_at: null },
			{ account_id: 2, platform: 'threads', status: 'failed', attempts: 3, published_at: null, next_retry_at: null },
		],
	});
	await t.poll();
	expect(t.got).toHaveLength(2);
	// A day of other results, one poll per minute for the last minutes (keys of the overlap stay).
	for (let i = 0; i < 200; i++) server.publish(`other${i}`, server.now + i * 7 * MIN);
	server.now += 26 * 60 * MIN;
	await t.poll(30);
	const keys = Object.entries(t.state!.seen.keys);
	const cursor = Date.parse(t.state!.cursor!);
	expect(keys.every(([, time]) => time >= cursor - RETENTION_MS)).toBe(true);
	expect(keys.filter(([, time]) => time >= cursor - OVERLAP_MS).length).toBe([...server.posts.values()].filter((p) => Date.parse(String(p.updated_at)) >= cursor).length);
	expect(t.state!.seen.keys[stateKey('mixed', { account_id: 1, status: 'published', attempts: 1 })]).toBeUndefined(); // pruned
	// The failed destination is retried by hand a day later and publishes: the post moves again.
	const mixed = server.posts.get('mixed')!;
	server.now += MIN;
	(mixed.destinations as IDataObject[])[1] = { account_id: 2, platform: 'threads', status: 'published', attempts: 4, published_at: iso(server.now), next_retry_at: null };
	Object.assign(mixed, { status: 'published', updated_at: iso(server.now) });
	const before = t.got.length;
	await t.poll();
	expect(t.got.slice(before)).toEqual(['mixed:2|published|4']);
	expect(dupes(t.got)).toBe(0);
});

test('the activation poll emits nothing and marks the overlap window and posts still publishing as seen', async () => {
	const server = new Server();
	for (let i = 0; i < 5; i++) server.publish(`old${i}`, T0 - (i + 1) * MIN);
	server.posts.set('inflight', {
		post_id: 'inflight',
		status: 'publishing',
		updated_at: iso(T0 - 60 * MIN),
		destinations: [
			{ account_id: 1, platform: 'x', status: 'published', attempts: 1, published_at: iso(T0 - 50 * MIN), next_retry_at: null },
			{ account_id: 2, platform: 'threads', status: 'publishing', attempts: 1, published_at: null, next_retry_at: null },
		],
	});
	const t = new Trigger(server);
	expect((await t.poll()).events).toEqual([]);
	// The in-flight post settles (its published sibling was final before activation).
	const inflight = server.posts.get('inflight')!;
	server.now += MIN;
	(inflight.destinations as IDataObject[])[1] = { account_id: 2, platform: 'threads', status: 'published', attempts: 1, published_at: iso(server.now), next_retry_at: null };
	Object.assign(inflight, { status: 'published', updated_at: iso(server.now) });
	await t.poll();
	expect(t.got).toEqual(['inflight:2|published|1']);
});

test('a version-1 state (plain keys, no offset) carries on without repeating what it emitted', async () => {
	const server = new Server();
	server.publish('a', T0 - MIN);
	const v1 = { cursor: iso(T0 - MIN), seen: { keys: { 'a:1|published|1': T0 - MIN }, floor: null } };
	const t = new Trigger(server);
	t.state = fromVersion1(1, v1);
	expect(t.state?.offset).toBe(0);
	server.now += MIN;
	server.publish('b');
	await t.poll();
	expect(t.got).toEqual(['b:1|published|1']);
});

test("the server's clock is read from meta.timestamp, else from the Date header; neither gives none", () => {
	const at = '2026-06-01T12:00:00.250Z';
	expect(serverTimeOf({ data: [], meta: { request_id: 'req_1', timestamp: at } }, { date: 'Mon, 01 Jun 2026 11:00:00 GMT' })).toBe(Date.parse(at));
	expect(serverTimeOf({ data: [], meta: { requestId: 'req_1' } }, { date: 'Mon, 01 Jun 2026 11:00:00 GMT' })).toBe(Date.parse('2026-06-01T11:00:00Z'));
	expect(serverTimeOf([{ post_id: 'a' }], {})).toBeUndefined();
});
