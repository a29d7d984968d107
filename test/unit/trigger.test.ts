import type { IDataObject } from 'n8n-workflow';

import type { EventSettings } from '../../nodes/PowerPostTrigger/events';
import type { TriggerState } from '../../nodes/PowerPostTrigger/poller';
import { fetchSample, LIMITS, pollOnce, STATE_KEY, STATE_VERSION } from '../../nodes/PowerPostTrigger/poller';
import { commitPollState, loadPollState } from '../../nodes/shared/pollState';
import { DAY, FakePosts, HOUR, MIN, T0, iso } from './triggerFake';

const ALL: EventSettings = { events: ['itemPosted', 'itemFailed', 'postFinished'], platforms: [], postTypes: [] };

/** Runs polls the way n8n does: state only through (JSON) static data, a fresh object per poll. */
class Runner {
	staticData: IDataObject = {};
	warnings: string[] = [];
	constructor(
		readonly api: FakePosts,
		public settings: EventSettings = ALL,
		public lookbackHours = 0,
	) {}

	async poll(now: number): Promise<{ events: IDataObject[]; requests: number }> {
		// a restart between polls: only what was committed to static data survives
		const staticData = JSON.parse(JSON.stringify(this.staticData)) as IDataObject;
		const previous = loadPollState<TriggerState>(staticData, STATE_KEY, STATE_VERSION);
		const outcome = await pollOnce(this.api, previous, this.settings, {
			lookbackHours: this.lookbackHours,
			now,
			warn: (m) => this.warnings.push(m),
		});
		commitPollState(staticData, STATE_KEY, STATE_VERSION, outcome.state);
		this.staticData = staticData;
		return outcome;
	}

	get state(): TriggerState {
		return loadPollState<TriggerState>(this.staticData, STATE_KEY, STATE_VERSION)!;
	}
}

const summary = (events: IDataObject[]) => events.map((e) => `${e.event as string} ${e.post_id as string} ${(e.platform as string) ?? '-'}`);

describe('first activation', () => {
	it('starts from now: history is not emitted, and the next idle poll makes one request', async () => {
		const api = new FakePosts();
		for (let i = 0; i < 300; i++) api.finished(T0 - (300 - i) * MIN, ['instagram', 'x'], i % 7 === 0 ? ['x'] : []);
		const runner = new Runner(api);

		const first = await runner.poll(T0);
		expect(first.events).toEqual([]);
		expect(runner.state).toMatchObject({ mark: T0 - MIN, polled: T0, flight: {} });

		api.requests = [];
		const idle = await runner.poll(T0 + MIN);
		expect(idle.events).toEqual([]);
		expect(idle.requests).toBe(1);
		expect(api.requests).toEqual([{ kind: 'list', limit: LIMITS.firstPageSize }]);
	});

	it('"Include Results From the Last N Hours" emits recent results once, and nothing older', async () => {
		const api = new FakePosts();
		const old = api.finished(T0 - 5 * HOUR);
		const recent = api.finished(T0 - 90 * MIN, ['tiktok']);
		const newest = api.finished(T0 - 10 * MIN, ['x'], ['x']);
		const runner = new Runner(api, ALL, 2);

		const first = await runner.poll(T0);
		expect(summary(first.events)).toEqual([
			`item.posted ${recent.post_id} tiktok`,
			`post.finished ${recent.post_id} -`,
			`item.failed ${newest.post_id} x`,
			`post.finished ${newest.post_id} -`,
		]);
		expect(first.events.some((e) => e.post_id === old.post_id)).toBe(false);
		expect((await runner.poll(T0 + MIN)).events).toEqual([]);
	});

	it('an empty account: the first post ever published is emitted', async () => {
		const api = new FakePosts();
		const runner = new Runner(api);
		expect((await runner.poll(T0)).events).toEqual([]);
		const post = api.finished(T0 + 30_000);
		expect(summary((await runner.poll(T0 + MIN)).events)).toEqual([
			`item.posted ${post.post_id} instagram`,
			`post.finished ${post.post_id} -`,
		]);
	});
});

describe('exactly once', () => {
	it('a post published between two polls is emitted once, with all fields', async () => {
		const api = new FakePosts();
		api.finished(T0 - HOUR);
		const runner = new Runner(api);
		await runner.poll(T0);

		const post = api.finished(T0 + 40_000, ['instagram', 'linkedin']);
		const { events } = await runner.poll(T0 + MIN);
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
			posted_at: iso(T0 + 40_000),
			post_status: 'published',
			published_at: iso(T0 + 40_000),
		});
		expect(events[2]).toMatchObject({
			event: 'post.finished',
			status: 'published',
			outcome: 'all_posted',
			counts: { total: 2, posted: 2, failed: 0 },
			platforms: ['instagram', 'linkedin'],
		});
		// the post is still inside the 5-minute overlap of the next polls: dedup keeps it silent
		expect((await runner.poll(T0 + 2 * MIN)).events).toEqual([]);
		expect((await runner.poll(T0 + 3 * MIN)).events).toEqual([]);
	});

	it('a post whose items finish in different polls: each item once, "post finished" at the end', async () => {
		const api = new FakePosts();
		const runner = new Runner(api);
		await runner.poll(T0);
		const post = api.add({ status: 'publishing', items: [{ platform: 'instagram' }, { platform: 'x', post_type: 'x-post' }, { platform: 'tiktok', post_type: 'tiktok-video' }] }, T0 + 1000);
		api.setItem(post.post_id, 0, T0 + 2000, 'posting');

		expect((await runner.poll(T0 + MIN)).events).toEqual([]);
		expect(runner.state.flight[post.post_id]).toMatchObject({ s: 'publishing' });

		api.setItem(post.post_id, 0, T0 + MIN + 5000, 'posted');
		api.setItem(post.post_id, 1, T0 + MIN + 6000, 'posting');
		expect(summary((await runner.poll(T0 + 2 * MIN)).events)).toEqual([`item.posted ${post.post_id} instagram`]);

		api.setItem(post.post_id, 1, T0 + 2 * MIN + 5000, 'failed');
		api.setItem(post.post_id, 2, T0 + 2 * MIN + 6000, 'posting');
		expect(summary((await runner.poll(T0 + 3 * MIN)).events)).toEqual([`item.failed ${post.post_id} x`]);

		api.setItem(post.post_id, 2, T0 + 3 * MIN + 5000, 'posted');
		const last = await runner.poll(T0 + 4 * MIN);
		expect(summary(last.events)).toEqual([`item.posted ${post.post_id} tiktok`, `post.finished ${post.post_id} -`]);
		expect(last.events[1]).toMatchObject({ outcome: 'partial', counts: { total: 3, posted: 2, failed: 1 } });
		expect((last.events[1].items as IDataObject[]).map((i) => i.status)).toEqual(['posted', 'failed', 'posted']);
		expect(runner.state.flight[post.post_id]).toBeUndefined();
		expect((await runner.poll(T0 + 5 * MIN)).events).toEqual([]);
	});

	it('partial failure: the failed item carries its error code and message', async () => {
		const api = new FakePosts();
		const runner = new Runner(api);
		await runner.poll(T0);
		const post = api.finished(T0 + 10_000, ['facebook', 'youtube'], ['youtube']);
		const { events } = await runner.poll(T0 + MIN);
		const failed = events.find((e) => e.event === 'item.failed')!;
		expect(failed).toMatchObject({
			post_id: post.post_id,
			platform: 'youtube',
			status: 'failed',
			platform_post_id: null,
			error: { code: 'PLATFORM_ERROR', message: 'youtube rejected the post' },
			failed_at: iso(T0 + 10_000),
		});
		expect(events.find((e) => e.event === 'post.finished')).toMatchObject({ outcome: 'partial', status: 'published' });
	});

	it('a poll that fails midway emits nothing and changes nothing; the next poll emits everything once', async () => {
		const api = new FakePosts();
		const runner = new Runner(api);
		await runner.poll(T0);
		// this API does not move updated_at while items progress: the publishing post is re-read by id
		api.bumpUpdatedAt = false;
		const slow = api.add({ status: 'publishing', items: [{ platform: 'instagram', status: 'posting' }, { platform: 'x', post_type: 'x-post' }] }, T0 + 5000);
		const other = api.finished(T0 + 10_000, ['tiktok']);
		expect(summary((await runner.poll(T0 + 30_000)).events)).toEqual([`item.posted ${other.post_id} tiktok`, `post.finished ${other.post_id} -`]);
		expect(runner.state.flight[slow.post_id]).toMatchObject({ s: 'publishing' });
		expect((await runner.poll(T0 + 6 * MIN)).events).toEqual([]);

		api.setItem(slow.post_id, 0, T0 + 7 * MIN, 'posted');
		api.setItem(slow.post_id, 1, T0 + 7 * MIN, 'failed');
		const a = api.finished(T0 + 7 * MIN, ['x']);
		const before = JSON.stringify(runner.staticData);
		api.fault = (request) => (request.kind === 'get' ? new Error('PowerPost: HTTP 500 [INTERNAL_ERROR]') : undefined);
		await expect(runner.poll(T0 + 8 * MIN)).rejects.toThrow('INTERNAL_ERROR');
		expect(JSON.stringify(runner.staticData)).toBe(before);

		api.fault = undefined;
		const { events } = await runner.poll(T0 + 9 * MIN);
		expect(summary(events).sort()).toEqual(
			[
				`item.posted ${a.post_id} x`,
				`post.finished ${a.post_id} -`,
				`item.posted ${slow.post_id} instagram`,
				`item.failed ${slow.post_id} x`,
				`post.finished ${slow.post_id} -`,
			].sort(),
		);
		expect(runner.state.flight).toEqual({});
		expect((await runner.poll(T0 + 10 * MIN)).events).toEqual([]);
	});

	it('a failure on the second list page changes nothing either', async () => {
		const api = new FakePosts();
		const runner = new Runner(api);
		await runner.poll(T0);
		for (let i = 0; i < 30; i++) api.finished(T0 + 1000 + i * 1000);
		api.fault = (request) => (request.kind === 'list' && request.cursor ? new Error('socket hang up') : undefined);
		const before = JSON.stringify(runner.staticData);
		await expect(runner.poll(T0 + MIN)).rejects.toThrow('socket hang up');
		expect(JSON.stringify(runner.staticData)).toBe(before);
		api.fault = undefined;
		const { events } = await runner.poll(T0 + 2 * MIN);
		expect(events.filter((e) => e.event === 'post.finished')).toHaveLength(30);
		expect(new Set(events.map((e) => `${e.event as string}${e.item_id as string}${e.post_id as string}`)).size).toBe(60);
	});
});

describe('scheduled posts and in-flight tracking', () => {
	it('a post scheduled days ahead costs no request until its time, then is caught', async () => {
		const api = new FakePosts();
		const scheduledAt = T0 + 3 * DAY;
		const post = api.add({ status: 'scheduled', scheduled_at: iso(scheduledAt), items: [{ platform: 'linkedin', post_type: 'linkedin-post' }] }, T0 - 2 * DAY);
		const runner = new Runner(api);
		await runner.poll(T0);
		expect(runner.state.flight[post.post_id]).toEqual({ s: 'scheduled', at: scheduledAt, since: T0 });

		api.requests = [];
		for (let hour = 1; hour <= 5; hour++) await runner.poll(T0 + hour * HOUR);
		expect(api.countOf('get')).toBe(0);
		expect(api.countOf('list')).toBe(5);

		// it publishes 3 days later; this API does not even move updated_at: the by-id re-read catches it
		api.bumpUpdatedAt = false;
		api.setItem(post.post_id, 0, scheduledAt + 5000, 'posted');
		const { events } = await runner.poll(scheduledAt + MIN);
		expect(summary(events)).toEqual([`item.posted ${post.post_id} linkedin`, `post.finished ${post.post_id} -`]);
		expect(runner.state.flight).toEqual({});
		expect((await runner.poll(scheduledAt + 2 * MIN)).events).toEqual([]);
	});

	it('a scheduled post cancelled back to draft, or deleted (404), stops being watched', async () => {
		const api = new FakePosts();
		const a = api.add({ status: 'scheduled', scheduled_at: iso(T0 + HOUR), items: [{}] }, T0 - DAY);
		const b = api.add({ status: 'publishing', items: [{ status: 'posting' }] }, T0 - DAY);
		const runner = new Runner(api);
		await runner.poll(T0);
		expect(Object.keys(runner.state.flight).sort()).toEqual([a.post_id, b.post_id].sort());
		api.update(a.post_id, T0 + 30 * MIN, (p) => {
			p.status = 'draft';
			p.scheduled_at = null;
		});
		api.posts.delete(b.post_id);
		expect((await runner.poll(T0 + 2 * HOUR)).events).toEqual([]);
		expect(runner.state.flight).toEqual({});
	});

	it('a post already publishing at activation: items finished before are not emitted, later ones are', async () => {
		const api = new FakePosts();
		const post = api.add({ status: 'publishing', items: [{ platform: 'instagram' }, { platform: 'x', post_type: 'x-post' }] }, T0 - 2 * HOUR);
		api.setItem(post.post_id, 0, T0 - HOUR, 'posted');
		api.setItem(post.post_id, 1, T0 - HOUR, 'posting');
		const runner = new Runner(api);
		expect((await runner.poll(T0)).events).toEqual([]);
		api.setItem(post.post_id, 1, T0 + 30_000, 'posted');
		expect(summary((await runner.poll(T0 + MIN)).events)).toEqual([`item.posted ${post.post_id} x`, `post.finished ${post.post_id} -`]);
	});
});

describe('filters', () => {
	it('events and platform / post type filters select what is emitted', async () => {
		const api = new FakePosts();
		const runner = new Runner(api, { events: ['itemFailed', 'postFinished'], platforms: ['x'], postTypes: [] });
		await runner.poll(T0);
		const a = api.finished(T0 + 1000, ['instagram', 'x'], ['instagram']);
		const b = api.finished(T0 + 2000, ['tiktok'], ['tiktok']);
		expect(summary((await runner.poll(T0 + MIN)).events)).toEqual([`post.finished ${a.post_id} -`]);
		void b;

		runner.settings = { events: ['itemPosted'], platforms: [], postTypes: ['tiktok-video'] };
		const c = api.finished(T0 + MIN + 1000, ['tiktok', 'x']);
		expect(summary((await runner.poll(T0 + 2 * MIN)).events)).toEqual([`item.posted ${c.post_id} tiktok`]);
	});
});

describe('cost and bounds', () => {
	it('an idle poll makes the same single request with 10 or 10,000 posts of history', async () => {
		for (const size of [10, 10_000]) {
			const api = new FakePosts();
			for (let i = 0; i < size; i++) api.finished(T0 - (size - i) * MIN, ['instagram', 'x']);
			const runner = new Runner(api);
			await runner.poll(T0);
			api.requests = [];
			await runner.poll(T0 + MIN);
			await runner.poll(T0 + 2 * MIN);
			expect(api.requests).toHaveLength(2);
		}
	});

	it('after a burst of 500 results, idle polls are back to one request once the 5-minute overlap has passed', async () => {
		const api = new FakePosts();
		const runner = new Runner(api);
		await runner.poll(T0);
		for (let i = 0; i < 500; i++) api.finished(T0 + 1000 + i * 100);
		expect((await runner.poll(T0 + MIN)).events).toHaveLength(1000);
		await runner.poll(T0 + 7 * MIN);
		api.requests = [];
		expect((await runner.poll(T0 + 8 * MIN)).events).toEqual([]);
		expect(api.requests).toHaveLength(1);
	});

	it('a list that is not ordered by updated_at: the poll reads on, misses nothing, and warns', async () => {
		const api = new FakePosts();
		for (let i = 0; i < 150; i++) api.finished(T0 - DAY + i * MIN);
		api.unordered = true;
		const runner = new Runner(api);
		await runner.poll(T0);
		const post = api.finished(T0 + 1000, ['x']);
		post.post_id = 'post-00000'; // sorts first by id, so it is not where an ordered list would put it
		api.posts.delete('post-00151');
		api.posts.set(post.post_id, post);
		expect(summary((await runner.poll(T0 + MIN)).events)).toEqual([`item.posted post-00000 x`, `post.finished post-00000 -`]);
		expect(runner.warnings.join('\n')).toMatch(/not ordered by updated_at/);
	});

	it('dedup keys stay bounded and pruning never causes a repeat', async () => {
		const api = new FakePosts();
		const runner = new Runner(api);
		await runner.poll(T0);
		let now = T0;
		for (let round = 0; round < 12; round++) {
			for (let i = 0; i < 60; i++) api.finished(now + 1000 + i * 100, ['instagram', 'x', 'tiktok']);
			now += 6 * HOUR;
			const { events } = await runner.poll(now);
			expect(events).toHaveLength(60 * 4);
		}
		const state = runner.state;
		expect(Object.keys(state.seen.keys).length).toBeLessThanOrEqual(LIMITS.maxKeys);
		expect(state.seen.floor).toBeGreaterThan(T0);
		// an old post reappears among the changes (its updated_at moved): its events stay silent
		const first = [...api.posts.values()][0];
		first.updated_at = iso(now + 1000);
		expect((await runner.poll(now + MIN)).events).toEqual([]);
	});
});

describe('Fetch Test Event (sample)', () => {
	it('returns the newest matching result, and reads nothing of the trigger state', async () => {
		const api = new FakePosts();
		api.finished(T0 - 2 * HOUR, ['x'], ['x']);
		const newest = api.finished(T0 - HOUR, ['instagram', 'tiktok']);
		api.add({ status: 'draft', items: [{}] }, T0);
		expect((await fetchSample(api, ALL)).event).toMatchObject({ event: 'post.finished', post_id: newest.post_id });
		const failed = await fetchSample(api, { ...ALL, events: ['itemFailed'] });
		expect(failed.event).toMatchObject({ event: 'item.failed', platform: 'x', error: { code: 'PLATFORM_ERROR' } });
	});

	it('returns nothing when no result matches', async () => {
		const api = new FakePosts();
		api.add({ status: 'draft', items: [{}] }, T0);
		api.finished(T0 - HOUR, ['x']);
		const sample = await fetchSample(api, { ...ALL, platforms: ['youtube'] });
		expect(sample.event).toBeUndefined();
		expect(sample.checked).toBe(2);
	});
});
