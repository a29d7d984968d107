// PowerPost Trigger reconciliation (poller.ts) against an in-memory API, under both sandbox
// profiles: `strict` (contract only: newest created first, no updated_at, no item times) and
// `generous` (updated_at order and timestamps). State goes through JSON between polls, and the
// Runner models what n8n keeps: static data saved after every poll, or only at activation and when
// a poll emits (n8n 2.41's default), with restarts that fall back to what was saved.
import type { IDataObject } from 'n8n-workflow';

import type { EventSettings } from '../../nodes/PowerPostTrigger/events';
import type { PollOutcome, TriggerState } from '../../nodes/PowerPostTrigger/poller';
import { fetchSample, LIMITS, pollOnce, STATE_KEY, STATE_VERSION } from '../../nodes/PowerPostTrigger/poller';
import { commitPollState, loadPollState } from '../../nodes/shared/pollState';
import { DAY, FakePosts, HOUR, MIN, PROFILES, T0, iso } from './triggerFake';

const ALL: EventSettings = { events: ['itemPosted', 'itemFailed', 'postFinished'], platforms: [], postTypes: [] };
const copy = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

/** Runs polls the way n8n does; `save` says when static data reaches the database. */
class Runner {
	memory: IDataObject = {};
	saved: IDataObject = {};
	warnings: string[] = [];
	received = new Map<string, number>();
	polls = 0;
	/** The process's memory; a restart starts with an empty one. */
	tokens = new Map<string, string>();
	constructor(
		readonly api: FakePosts,
		readonly save: 'emit' | 'every' = 'every',
		public settings: EventSettings = ALL,
		public lookbackHours = 0,
		/** n8n's clock: deliberately unrelated to PowerPost's (T0). */
		public clock = () => Date.now(),
	) {}

	async poll(): Promise<PollOutcome> {
		const previous = loadPollState<TriggerState>(this.memory, STATE_KEY, STATE_VERSION);
		const outcome = await pollOnce(this.api, previous, this.settings, {
			lookbackHours: this.lookbackHours,
			now: this.clock,
			warn: (m) => this.warnings.push(m),
			memory: { key: 'wf:node', tokens: this.tokens },
		});
		commitPollState(this.memory, STATE_KEY, STATE_VERSION, outcome.state);
		if (this.save === 'every' || !previous || outcome.events.length > 0) this.saved = copy(this.memory);
		for (const e of outcome.events) {
			const key = `${e.post_id as string}:${(e.item_id as string) ?? 'done'}:${e.event as string}`;
			this.received.set(key, (this.received.get(key) ?? 0) + 1);
		}
		this.polls++;
		return outcome;
	}

	/** n8n restarts: only what was saved survives. */
	restart(): void {
		this.memory = copy(this.saved);
		this.tokens = new Map();
	}

	get state(): TriggerState {
		return loadPollState<TriggerState>(this.memory, STATE_KEY, STATE_VERSION)!;
	}

	/** Every expected result of these posts, and how the received events compare. */
	tally(postIds: Iterable<string>) {
		const expected = new Set<string>();
		for (const id of postIds) {
			const post = this.api.posts.get(id)!;
			for (const item of post.items!) {
				if (item.status === 'posted') expected.add(`${id}:${item.item_id}:item.posted`);
				if (item.status === 'failed') expected.add(`${id}:${item.item_id}:item.failed`);
			}
			if (post.status === 'published' || post.status === 'failed') expected.add(`${id}:done:post.finished`);
		}
		const lost = [...expected].filter((key) => !this.received.has(key));
		const duplicates = [...this.received.values()].reduce((sum, n) => sum + Math.max(0, n - 1), 0);
		const foreign = [...this.received.keys()].filter((key) => !expected.has(key));
		return { expected: expected.size, lost: lost.length, duplicates, foreign: foreign.length };
	}
}

const summary = (events: IDataObject[]) => events.map((e) => `${e.event as string} ${e.post_id as string} ${(e.platform as string) ?? '-'}`);

describe.each(PROFILES)('profile %s', (profile) => {
	const strict = profile === 'strict';

	describe('first activation', () => {
		it('history is not emitted; the next idle poll makes one request, with 10 or 10,000 posts of history', async () => {
			for (const size of [10, 10_000]) {
				const api = new FakePosts(profile);
				for (let i = 0; i < size; i++) api.finished(T0 - (size - i) * MIN, ['instagram', 'x'], i % 7 === 0 ? ['x'] : []);
				const runner = new Runner(api);
				expect((await runner.poll()).events).toEqual([]);
				api.requests = [];
				for (let i = 0; i < 3; i++) expect((await runner.poll()).events).toEqual([]);
				expect(api.requests.map((r) => `${r.kind} ${r.status ?? ''}`)).toEqual(['list ', 'list ', 'list ']);
			}
		});

		it('posts in flight at activation are tracked; results finished before are not emitted, later ones are', async () => {
			const api = new FakePosts(profile);
			const post = api.add({ status: 'publishing', items: [{ platform: 'instagram' }, { platform: 'x', post_type: 'x-post' }] }, T0 - 2 * HOUR);
			api.setItem(post.post_id, 0, T0 - HOUR, 'posted');
			api.setItem(post.post_id, 1, T0 - HOUR, 'posting');
			const drafted = api.draft(T0 - 40 * DAY, ['linkedin']);
			const runner = new Runner(api);
			expect((await runner.poll()).events).toEqual([]);
			expect(Object.keys(runner.state.track).sort()).toEqual([post.post_id, drafted.post_id].sort());
			api.setItem(post.post_id, 1, T0 + 30_000, 'posted');
			expect(summary((await runner.poll()).events)).toEqual([`item.posted ${post.post_id} x`, `post.finished ${post.post_id} -`]);
		});

		it('"Include Results From the Last N Hours" emits recent results once, nothing older', async () => {
			const api = new FakePosts(profile);
			const now = Date.now();
			api.finished(now - 5 * HOUR);
			const recent = api.finished(now - 90 * MIN, ['tiktok']);
			const newest = api.finished(now - 10 * MIN, ['x'], ['x']);
			const runner = new Runner(api, 'every', ALL, 2);
			expect(summary((await runner.poll()).events)).toEqual([
				`item.posted ${recent.post_id} tiktok`,
				`post.finished ${recent.post_id} -`,
				`item.failed ${newest.post_id} x`,
				`post.finished ${newest.post_id} -`,
			]);
			expect((await runner.poll()).events).toEqual([]);
		});

		it('an empty account: the first post ever published is emitted', async () => {
			const api = new FakePosts(profile);
			const runner = new Runner(api);
			expect((await runner.poll()).events).toEqual([]);
			const post = api.finished(T0);
			expect(summary((await runner.poll()).events)).toEqual([`item.posted ${post.post_id} instagram`, `post.finished ${post.post_id} -`]);
		});
	});

	describe('exactly once', () => {
		it('a post created, published and finished between two polls is emitted once, with all fields', async () => {
			const api = new FakePosts(profile);
			api.finished(T0 - HOUR);
			const runner = new Runner(api);
			await runner.poll();
			const post = api.finished(T0 + 40_000, ['instagram', 'linkedin']);
			const { events } = await runner.poll();
			expect(events).toHaveLength(3);
			expect(events[0]).toMatchObject({
				event: 'item.posted',
				post_id: post.post_id,
				item_id: post.items![0].item_id,
				post_type: 'instagram-feed',
				platform: 'instagram',
				status: 'posted',
				platform_post_id: 'instagram_123',
				error: null,
				posted_at: strict ? null : iso(T0 + 40_000),
				post_status: 'published',
				post_created_at: iso(T0 + 40_000),
			});
			expect(events[2]).toMatchObject({ event: 'post.finished', status: 'published', outcome: 'all_posted', counts: { total: 2, posted: 2, failed: 0 }, platforms: ['instagram', 'linkedin'] });
			for (let i = 0; i < 3; i++) expect((await runner.poll()).events).toEqual([]);
		});

		it('items finishing in different polls: each once, "post finished" with the last', async () => {
			const api = new FakePosts(profile);
			const runner = new Runner(api);
			await runner.poll();
			const post = api.add({ status: 'draft', items: [{ platform: 'instagram' }, { platform: 'x', post_type: 'x-post' }, { platform: 'tiktok', post_type: 'tiktok-video' }] }, T0 + 1000);
			api.setItem(post.post_id, 0, T0 + 2000, 'posting');
			expect((await runner.poll()).events).toEqual([]);
			api.setItem(post.post_id, 0, T0 + MIN, 'posted');
			api.setItem(post.post_id, 1, T0 + MIN, 'posting');
			expect(summary((await runner.poll()).events)).toEqual([`item.posted ${post.post_id} instagram`]);
			api.setItem(post.post_id, 1, T0 + 2 * MIN, 'failed');
			expect(summary((await runner.poll()).events)).toEqual([`item.failed ${post.post_id} x`]);
			api.setItem(post.post_id, 2, T0 + 3 * MIN, 'posted');
			const last = await runner.poll();
			expect(summary(last.events)).toEqual([`item.posted ${post.post_id} tiktok`, `post.finished ${post.post_id} -`]);
			expect(last.events[1]).toMatchObject({ outcome: 'partial', counts: { total: 3, posted: 2, failed: 1 } });
			expect(runner.state.track).toEqual({});
			expect((await runner.poll()).events).toEqual([]);
		});

		it('a draft published 30 days after it was created (no other change in between) is caught', async () => {
			const api = new FakePosts(profile);
			const runner = new Runner(api);
			await runner.poll();
			const post = api.draft(T0 + MIN, ['facebook', 'x']);
			await runner.poll();
			for (let i = 0; i < 1000; i++) api.finished(T0 + HOUR + i * 40 * MIN); // weeks of other activity
			for (let day = 0; day < 30; day++) await runner.poll();
			api.publishNow(post.post_id, T0 + 30 * DAY, ['x']);
			const events = summary((await runner.poll()).events);
			expect(events.filter((e) => e.includes(post.post_id))).toEqual([`item.posted ${post.post_id} facebook`, `item.failed ${post.post_id} x`, `post.finished ${post.post_id} -`]);
			expect(runner.tally(api.posts.keys())).toMatchObject({ lost: 0, duplicates: 0 });
		});

		it('a post scheduled 59 days ahead is caught when it publishes; idle polls meanwhile cost a bounded few requests', async () => {
			const api = new FakePosts(profile);
			const runner = new Runner(api);
			await runner.poll();
			const post = api.draft(T0 + MIN, ['linkedin']);
			api.setStatus(post.post_id, T0 + 2 * MIN, 'scheduled', T0 + 59 * DAY);
			await runner.poll();
			expect(runner.state.track[post.post_id]).toBe('s');
			api.requests = [];
			for (let i = 0; i < 20; i++) expect((await runner.poll()).events).toEqual([]);
			expect(api.requests.length).toBeLessThanOrEqual(strict ? 40 : 22);
			expect(api.countOf('get')).toBe(0);
			api.setItem(post.post_id, 0, T0 + 59 * DAY + 5000, 'posted');
			expect(summary((await runner.poll()).events)).toEqual([`item.posted ${post.post_id} linkedin`, `post.finished ${post.post_id} -`]);
			expect(runner.state.track).toEqual({});
		});

		it('a poll that fails midway emits nothing and changes nothing; the next poll emits everything once', async () => {
			const api = new FakePosts(profile);
			const runner = new Runner(api);
			await runner.poll();
			const slow = api.add({ status: 'publishing', items: [{ platform: 'instagram', status: 'posting' }, { platform: 'x', post_type: 'x-post' }] }, T0 + 5000);
			await runner.poll();
			api.setItem(slow.post_id, 0, T0 + 7 * MIN, 'posted');
			api.setItem(slow.post_id, 1, T0 + 7 * MIN, 'failed');
			const a = api.finished(T0 + 7 * MIN, ['x']);
			const before = JSON.stringify(runner.memory);
			api.fault = (request, index) => (index === api.requests.length - 1 && request.kind === 'list' && api.requests.filter((r) => r.kind === 'list').length % 2 === 0 ? new Error('PowerPost: HTTP 500 [INTERNAL_ERROR]') : undefined);
			let failed = 0;
			for (let i = 0; i < 3; i++) await runner.poll().catch(() => failed++);
			api.fault = undefined;
			if (failed > 0) expect(JSON.stringify(runner.memory) === before || runner.received.size > 0).toBe(true);
			await runner.poll();
			expect(runner.tally([slow.post_id, a.post_id])).toEqual({ expected: 5, lost: 0, duplicates: 0, foreign: 0 });
		});

		it('cancelled back to draft keeps being watched; a post gone (404) stops being watched', async () => {
			const api = new FakePosts(profile);
			const a = api.add({ status: 'scheduled', scheduled_at: iso(T0 + HOUR), items: [{}] }, T0 - DAY);
			const b = api.add({ status: 'publishing', items: [{ status: 'posting' }] }, T0 - DAY);
			const runner = new Runner(api);
			await runner.poll();
			expect(Object.keys(runner.state.track).sort()).toEqual([a.post_id, b.post_id].sort());
			api.setStatus(a.post_id, T0 + 30 * MIN, 'draft');
			api.posts.delete(b.post_id);
			expect((await runner.poll()).events).toEqual([]);
			expect(runner.state.track).toEqual({ [a.post_id]: 'd' });
			api.publishNow(a.post_id, T0 + 2 * DAY);
			expect((await runner.poll()).events).toHaveLength(2);
		});
	});

	describe('what n8n persists, restarts and clocks', () => {
		it.each(['emit', 'every'] as const)('state saved %s: restarts between and after polls stay exactly once', async (save) => {
			const api = new FakePosts(profile);
			for (let i = 0; i < 50; i++) api.finished(T0 - (50 - i) * MIN);
			const runner = new Runner(api, save);
			await runner.poll();
			const ours: string[] = [];
			let at = T0;
			for (let round = 0; round < 60; round++) {
				at += MIN;
				// a new draft, a publish of an older draft, an item finishing, a scheduled post firing
				const draft = api.draft(at, round % 3 === 0 ? ['instagram', 'x'] : ['linkedin']);
				ours.push(draft.post_id);
				if (round % 4 === 1) api.setStatus(draft.post_id, at + 1, 'scheduled', at + 3 * MIN);
				const older = ours[Math.max(0, ours.length - 3)];
				const post = api.posts.get(older)!;
				if (post.status === 'draft' && round % 2 === 0) api.setItem(older, 0, at + 2, 'posting');
				else if (post.status === 'publishing' || post.status === 'scheduled') {
					const next = post.items!.findIndex((item) => item.status !== 'posted' && item.status !== 'failed');
					api.setItem(older, next, at + 3, round % 5 === 0 ? 'failed' : 'posted');
				}
				await runner.poll();
				if (round % 7 === 3) runner.restart();
			}
			for (const id of ours) if (api.posts.get(id)!.status !== 'draft') api.publishNow(id, at + HOUR);
			for (let i = 0; i < 3; i++) await runner.poll();
			const tally = runner.tally(ours);
			expect(tally.expected).toBeGreaterThan(60);
			expect(tally).toMatchObject({ lost: 0, duplicates: 0, foreign: 0 });
		});

		it('a restart to an older snapshot in the middle of a publish (idle knowledge lost) loses and repeats nothing', async () => {
			const api = new FakePosts(profile);
			const runner = new Runner(api, 'emit');
			await runner.poll();
			const post = api.draft(T0 + MIN, ['instagram', 'x', 'tiktok']);
			await runner.poll(); // learns the draft (not saved: nothing emitted)
			api.setItem(post.post_id, 0, T0 + 2 * MIN, 'posted');
			expect((await runner.poll()).events).toHaveLength(1); // saved with the emit
			api.setItem(post.post_id, 1, T0 + 3 * MIN, 'posting');
			await runner.poll(); // idle, not saved
			runner.restart();
			api.setItem(post.post_id, 1, T0 + 4 * MIN, 'posted');
			api.setItem(post.post_id, 2, T0 + 4 * MIN, 'failed');
			await runner.poll();
			expect(runner.tally([post.post_id])).toEqual({ expected: 4, lost: 0, duplicates: 0, foreign: 0 });
		});

		it("n8n's clock an hour ahead or behind PowerPost's changes nothing", async () => {
			for (const skew of [-HOUR, HOUR]) {
				const api = new FakePosts(profile);
				const runner = new Runner(api, 'every', ALL, 0, () => T0 + skew);
				await runner.poll();
				const a = api.finished(T0 + 1000);
				const b = api.draft(T0 + 2000);
				await runner.poll();
				api.publishNow(b.post_id, T0 + 3000);
				await runner.poll();
				expect(runner.tally([a.post_id, b.post_id])).toEqual({ expected: 4, lost: 0, duplicates: 0, foreign: 0 });
			}
		});

		it("PowerPost's clock stepped back 30 minutes: posts created \"in the past\" are still found", async () => {
			const api = new FakePosts(profile);
			const runner = new Runner(api);
			api.finished(T0 - 10 * MIN);
			await runner.poll();
			const before = api.finished(T0 + MIN);
			await runner.poll();
			const ids = [before.post_id];
			for (let i = 0; i < 12; i++) {
				const at = T0 - 30 * MIN + i * MIN; // the server's clock jumped back
				ids.push(api.finished(at, ['x']).post_id);
				await runner.poll();
			}
			for (let i = 0; i < LIMITS.fullEvery; i++) await runner.poll();
			expect(runner.tally(ids)).toEqual({ expected: 26, lost: 0, duplicates: 0, foreign: 0 });
		});
	});

	describe('volume, budget and cost', () => {
		it('a backlog of 10,000 results built while n8n was stopped all arrives, over several polls, once', async () => {
			const api = new FakePosts(profile);
			const runner = new Runner(api);
			await runner.poll();
			const ids: string[] = [];
			for (let i = 0; i < 10_000; i++) ids.push(api.finished(T0 + i * 1000, ['instagram']).post_id);
			const sizes: number[] = [];
			for (let i = 0; i < 6; i++) {
				const outcome = await runner.poll();
				sizes.push(outcome.events.length);
				expect(outcome.requests).toBeLessThanOrEqual(LIMITS.maxRequests);
			}
			expect(sizes[0]).toBeLessThan(20_000); // more than one poll's budget
			expect(runner.tally(ids)).toEqual({ expected: 20_000, lost: 0, duplicates: 0, foreign: 0 });
			expect(runner.state.gaps).toEqual([]);
		});

		it('a saved list cursor PowerPost no longer accepts: the read starts over from the top, nothing lost', async () => {
			const api = new FakePosts(profile);
			const runner = new Runner(api);
			await runner.poll();
			const ids: string[] = [];
			for (let i = 0; i < 8000; i++) ids.push(api.finished(T0 + i * 1000, ['x']).post_id);
			await runner.poll();
			expect(runner.state.gaps).toHaveLength(1);
			api.expireCursors();
			for (let i = 0; i < 6; i++) await runner.poll();
			expect(runner.warnings.join('\n')).toMatch(/refused a saved list cursor/);
			expect(runner.tally(ids)).toEqual({ expected: 16_000, lost: 0, duplicates: 0, foreign: 0 });
		});

		it('600 posts publishing at once: every result once', async () => {
			const api = new FakePosts(profile);
			const runner = new Runner(api);
			await runner.poll();
			const ids: string[] = [];
			for (let i = 0; i < 600; i++) {
				const post = api.draft(T0 + i, ['instagram', 'x']);
				api.setItem(post.post_id, 0, T0 + MIN, 'posting');
				ids.push(post.post_id);
			}
			await runner.poll();
			for (const [n, id] of ids.entries()) api.setItem(id, 0, T0 + 2 * MIN + n, 'posted');
			await runner.poll();
			for (const [n, id] of ids.entries()) api.setItem(id, 1, T0 + 3 * MIN + n, n % 3 ? 'posted' : 'failed');
			for (let i = 0; i < 3; i++) await runner.poll();
			expect(runner.tally(ids)).toEqual({ expected: 1800, lost: 0, duplicates: 0, foreign: 0 });
		});

		it('more than 100 posts sharing the newest timestamp: idle polls stay at one request', async () => {
			const api = new FakePosts(profile);
			for (let i = 0; i < 150; i++) api.finished(T0);
			const runner = new Runner(api);
			await runner.poll();
			api.requests = [];
			for (let i = 0; i < 5; i++) await runner.poll();
			expect(api.requests.length).toBeLessThanOrEqual(strict ? 10 : 6);
		});

		it('a list in no order, or a status filter the server ignores: slower, but nothing lost, and a warning', async () => {
			const api = new FakePosts(profile);
			for (let i = 0; i < 150; i++) api.finished(T0 - DAY + i * MIN);
			const runner = new Runner(api);
			await runner.poll();
			api.unordered = true;
			api.ignoreStatusFilter = true;
			const draft = api.draft(T0 + 1000, ['x']);
			await runner.poll();
			api.publishNow(draft.post_id, T0 + 2000);
			const post = api.finished(T0 + 3000, ['tiktok']);
			await runner.poll();
			expect(runner.tally([draft.post_id, post.post_id])).toEqual({ expected: 4, lost: 0, duplicates: 0, foreign: 0 });
			expect(runner.warnings.join('\n')).toMatch(/ordered neither/);
		});

		it('state stays small: ids of posts created in the last hour and posts not final, nothing else', async () => {
			const api = new FakePosts(profile);
			const runner = new Runner(api);
			await runner.poll();
			let at = T0;
			for (let hour = 0; hour < 48; hour++) {
				for (let i = 0; i < 100; i++) api.finished((at += 36_000), ['instagram', 'x']);
				await runner.poll();
			}
			expect(Object.keys(runner.state.seen).length).toBeLessThanOrEqual(101);
			expect(JSON.stringify(runner.memory).length).toBeLessThan(8_000);
		});
	});
});

describe('filters and Fetch Test Event', () => {
	it('events and platform / post type filters select what is emitted', async () => {
		const api = new FakePosts('strict');
		const runner = new Runner(api, 'every', { events: ['itemFailed', 'postFinished'], platforms: ['x'], postTypes: [] });
		await runner.poll();
		const a = api.finished(T0 + 1000, ['instagram', 'x'], ['instagram']);
		api.finished(T0 + 2000, ['tiktok'], ['tiktok']);
		expect(summary((await runner.poll()).events)).toEqual([`post.finished ${a.post_id} -`]);
		runner.settings = { events: ['itemPosted'], platforms: [], postTypes: ['tiktok-video'] };
		const c = api.finished(T0 + MIN, ['tiktok', 'x']);
		expect(summary((await runner.poll()).events)).toEqual([`item.posted ${c.post_id} tiktok`]);
	});

	it.each(PROFILES)('%s: the newest matching result, without state', async (profile) => {
		const api = new FakePosts(profile);
		api.finished(T0 - 2 * HOUR, ['x'], ['x']);
		const newest = api.finished(T0 - HOUR, ['instagram', 'tiktok']);
		api.add({ status: 'draft', items: [{}] }, T0);
		expect((await fetchSample(api, ALL)).event).toMatchObject({ event: 'post.finished', post_id: newest.post_id });
		const failed = await fetchSample(api, { ...ALL, events: ['itemFailed'] });
		expect(failed.event).toMatchObject({ event: 'item.failed', platform: 'x', error: { code: 'PLATFORM_ERROR' } });
		expect((await fetchSample(api, { ...ALL, platforms: ['youtube'] })).event).toBeUndefined();
	});
});
