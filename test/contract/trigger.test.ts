// PowerPost Trigger against the sandbox, through n8n-core's real PollContext (harness runPoll),
// under both sandbox profiles (strict: only what the contract documents; generous: the switches of
// sandbox/ASSUMPTIONS.md): immediate and scheduled publishes, partial failures, history of 1,000+
// posts, request cost of an idle poll, exactly-once across failed polls and restarts, manual mode,
// errors.
import type { IDataObject } from 'n8n-workflow';

import { PROFILE_NAMES, startSandbox, type Sandbox } from '../../sandbox/server';
import { runPoll, type RunPollResult } from '../harness';
import { credsFor } from './generation-helpers';
import { api, draft, FAST_TIMING } from './post-helpers';

describe.each(PROFILE_NAMES)('profile %s', (profile) => {
	const strict = profile === 'strict';
	let sb: Sandbox;
	beforeAll(async () => {
		sb = await startSandbox({ profile, tickMs: 0, rateLimit: false, timing: FAST_TIMING });
	});
	afterAll(async () => {
		await sb.close();
	});
	beforeEach(() => {
		sb.reset();
		Object.assign(sb.timing, FAST_TIMING);
	});

	jest.setTimeout(30_000);

	const MIN = 60_000;
	const DAY = 24 * 60 * MIN;
	const ALL_EVENTS = ['itemPosted', 'itemFailed', 'postFinished'];

	/** An active trigger: polls on, keeping only what n8n keeps between polls (node static data). */
	class Trigger {
		staticData: IDataObject | undefined;
		constructor(
			public parameters: Record<string, unknown> = { events: ALL_EVENTS },
			public key?: string,
		) {}

		async poll(): Promise<RunPollResult & { events: Array<Record<string, any>>; requests: number }> {
			const before = sb.requests.length;
			const result = await runPoll({
				nodeType: 'powerPostTrigger',
				parameters: this.parameters,
				credentials: credsFor(sb, this.key ?? sb.keys.full),
				staticData: this.staticData,
			});
			this.staticData = result.staticData;
			const events = (result.items?.[0] ?? []).map((item) => item.json as Record<string, any>);
			return { ...result, events, requests: sb.requests.length - before };
		}
	}

	async function publish(items: Array<Record<string, unknown>>): Promise<Record<string, any>> {
		const post = await draft(sb, items);
		const response = await api(sb, 'POST', `/posts/${post.post_id}/publish`);
		expect(response.status).toBe(200);
		return post;
	}

	const ITEMS = [
		{ post_type: 'instagram-feed', content: 'New menu is live' },
		{ post_type: 'x-post', content: 'New menu is live' },
		{ post_type: 'linkedin-post', content: 'New menu is live' },
	];

	const lines = (events: Array<Record<string, any>>) => events.map((e) => `${e.event} ${e.platform ?? '-'}`);

	describe('PowerPost Trigger: publish results', () => {
		test('first activation starts from now; an immediate publish is emitted once, with ids, times and the summary', async () => {
			sb.seedPosts(30);
			const trigger = new Trigger();
			const first = await trigger.poll();
			expect(first.error).toBeUndefined();
			expect(first.items).toBeNull();

			const post = await publish(ITEMS);
			sb.clock.advance(MIN);
			const { events, error } = await trigger.poll();
			expect(error).toBeUndefined();
			expect(lines(events)).toEqual(['item.posted instagram', 'item.posted x', 'item.posted linkedin', 'post.finished -']);
			const stored = sb.state.posts.get(post.post_id)!;
			expect(events[0]).toMatchObject({
				post_id: post.post_id,
				item_id: stored.items[0].item_id,
				post_type: 'instagram-feed',
				status: 'posted',
				platform_post_id: stored.items[0].platform_post_id,
				error: null,
				posted_at: strict ? null : new Date(stored.items[0].posted_at!).toISOString(),
				post_status: 'published',
			});
			expect(events[0].platform_post_id).toMatch(/^instagram_\d+$/);
			expect(events[3]).toMatchObject({
				event: 'post.finished',
				status: 'published',
				outcome: 'all_posted',
				counts: { total: 3, posted: 3, failed: 0 },
				published_at: strict ? null : new Date(stored.published_at!).toISOString(),
			});
			expect(events[3].items.map((i: any) => [i.platform, i.status])).toEqual([
				['instagram', 'posted'],
				['x', 'posted'],
				['linkedin', 'posted'],
			]);

			// the next polls (inside the overlap window, and later) emit nothing again
			expect((await trigger.poll()).items).toBeNull();
			sb.clock.advance(10 * MIN);
			expect((await trigger.poll()).items).toBeNull();
		});

		test('partial failure ([fail] in one item): the failed item carries the error, the post is "partial"', async () => {
			const trigger = new Trigger();
			await trigger.poll();
			await publish([
				{ post_type: 'facebook-post', content: 'Weekend hours' },
				{ post_type: 'tiktok-video', content: 'Weekend hours [fail]' },
			]);
			sb.clock.advance(MIN);
			const { events } = await trigger.poll();
			expect(lines(events)).toEqual(['item.posted facebook', 'item.failed tiktok', 'post.finished -']);
			expect(events[1]).toMatchObject({ status: 'failed', platform_post_id: null, error: { code: 'PLATFORM_ERROR' } });
			expect(events[1].error.message).toMatch(/tiktok rejected the post/);
			expect(events[1].failed_at).toEqual(strict ? null : expect.any(String));
			expect(events[2]).toMatchObject({ outcome: 'partial', status: 'published', counts: { total: 2, posted: 1, failed: 1 } });
		});

		test('items finishing in different polls: each result once, "post finished" with the last one', async () => {
			Object.assign(sb.timing, { publishQueue: 0, publishItem: 10 * MIN });
			const trigger = new Trigger();
			await trigger.poll();
			await publish(ITEMS);
			const seen: string[] = [];
			for (let step = 0; step < 4; step++) {
				sb.clock.advance(10 * MIN + 1000);
				const { events, error } = await trigger.poll();
				expect(error).toBeUndefined();
				seen.push(lines(events).join(', '));
			}
			expect(seen).toEqual(['item.posted instagram', 'item.posted x', 'item.posted linkedin, post.finished -', '']);
		});

		test('a post scheduled 3 days ahead is caught when it publishes, without reads by id meanwhile', async () => {
			const trigger = new Trigger({ events: ALL_EVENTS, filters: { platforms: ['linkedin'] } });
			await trigger.poll();
			const post = await draft(sb, [{ post_type: 'linkedin-post', content: 'Quarterly report is out' }]);
			const scheduledAt = new Date(sb.clock.now() + 3 * DAY).toISOString();
			expect((await api(sb, 'POST', `/posts/${post.post_id}/schedule`, { scheduled_at: scheduledAt })).status).toBe(200);

			const noted = await trigger.poll();
			expect(noted.items).toBeNull();
			expect((noted.staticData.powerPostTrigger as any).state.track[post.post_id]).toBe('s');
			for (let day = 0; day < 2; day++) {
				sb.clock.advance(DAY);
				const idle = await trigger.poll();
				expect(idle.items).toBeNull();
				// strict: the newest posts and the scheduled list; generous: changed posts only (fast path)
				expect(idle.requests).toBeLessThanOrEqual(2);
			}
			sb.clock.advance(DAY + 5 * MIN);
			const { events } = await trigger.poll();
			expect(lines(events)).toEqual(['item.posted linkedin', 'post.finished -']);
			expect(events[0]).toMatchObject({ post_id: post.post_id, scheduled_at: new Date(Date.parse(scheduledAt)).toISOString() });
			expect(sb.requests.filter((r) => r.path === `/posts/${post.post_id}`)).toHaveLength(0);
			expect((await trigger.poll()).items).toBeNull();
		});

		test('filters: only the chosen events, platforms and post types', async () => {
			const trigger = new Trigger({ events: ['itemFailed'], filters: { postTypes: ['x-post'] } });
			await trigger.poll();
			await publish([
				{ post_type: 'x-post', content: 'A [fail]' },
				{ post_type: 'instagram-reel', content: 'A [fail]' },
			]);
			await publish([{ post_type: 'x-post', content: 'B' }]);
			sb.clock.advance(MIN);
			const { events } = await trigger.poll();
			expect(events.map((e) => [e.event, e.post_type])).toEqual([['item.failed', 'x-post']]);
		});
	});

	describe('PowerPost Trigger: history and cost', () => {
		async function idleRequests(history: number): Promise<number[]> {
			sb.reset();
			sb.seedPosts(history);
			const trigger = new Trigger();
			const first = await trigger.poll();
			expect(first.items).toBeNull();
			const counts: number[] = [];
			const from = sb.requests.length;
			for (let i = 0; i < 3; i++) {
				sb.clock.advance(MIN);
				const idle = await trigger.poll();
				expect(idle.error).toBeUndefined();
				expect(idle.items).toBeNull();
				counts.push(idle.requests);
			}
			// what an idle poll asks: one page of the posts list
			expect(sb.requests.slice(from).map((r) => `${r.method} ${r.path} ${JSON.stringify(r.query)} ${r.status}`)).toEqual(
				counts.map(() => 'GET /posts {"limit":"100"} 200'),
			);
			return counts;
		}

		test('an idle poll makes the same small number of requests with 10 and 1,200 posts of history', async () => {
			const small = await idleRequests(10);
			const large = await idleRequests(1200);
			expect(small).toEqual(large);
			expect(Math.max(...large)).toBeLessThanOrEqual(2);
			expect(large).toEqual([1, 1, 1]);
		});

		test('1,000+ posts of history: nothing old is emitted, a new result is, and "last N hours" brings recent ones', async () => {
			sb.seedPosts(1000);
			const trigger = new Trigger();
			expect((await trigger.poll()).items).toBeNull();
			const post = await publish([{ post_type: 'youtube-short', title: 'Behind the scenes', content: 'Behind the scenes' }]);
			sb.clock.advance(MIN);
			const { events } = await trigger.poll();
			expect(events.map((e) => [e.event, e.post_id])).toEqual([
				['item.posted', post.post_id],
				['post.finished', post.post_id],
			]);

			// a second workflow, activated now with "last 2 hours": the seeded posts are 1 minute apart
			// (strict: the post's created_at decides, 10 minutes before its result)
			const lookback = new Trigger({ events: ['postFinished'], options: { lookbackHours: 2 } });
			const recent = await lookback.poll();
			expect(recent.error).toBeUndefined();
			const finished = recent.events;
			expect(finished.length).toBeGreaterThanOrEqual(strict ? 105 : 115);
			expect(finished.length).toBeLessThanOrEqual(122);
			expect(finished.at(-1)!.post_id).toBe(post.post_id);
			expect(new Set(finished.map((e) => e.post_id)).size).toBe(finished.length);
			expect(finished.some((e) => e.outcome === 'all_failed')).toBe(true);
			expect((await lookback.poll()).items).toBeNull();
		});
	});

	describe('PowerPost Trigger: failures, restarts, manual mode', () => {
		test('a poll that fails does not move the cursor; the next one emits everything exactly once', async () => {
			const trigger = new Trigger();
			await trigger.poll();
			await publish(ITEMS);
			sb.clock.advance(MIN);
			const before = JSON.stringify(trigger.staticData);
			sb.faults.add({ method: 'GET', path: '/posts', kind: 'drop-before', times: 10 });
			const failed = await trigger.poll();
			expect(failed.error).toBeDefined();
			expect(failed.items).toBeNull();
			expect(JSON.stringify(failed.staticData)).toBe(before);

			sb.faults.clear();
			const { events } = await trigger.poll();
			expect(lines(events)).toEqual(['item.posted instagram', 'item.posted x', 'item.posted linkedin', 'post.finished -']);
			expect((await trigger.poll()).items).toBeNull();
		});

		test('transient errors are retried by the transport: the poll still succeeds', async () => {
			const trigger = new Trigger();
			await trigger.poll();
			await publish([{ post_type: 'x-post', content: 'Retry me' }]);
			sb.clock.advance(MIN);
			sb.faults.add({ method: 'GET', path: '/posts', kind: 'status', status: 503, times: 1 });
			const { events, error } = await trigger.poll();
			expect(error).toBeUndefined();
			expect(lines(events)).toEqual(['item.posted x', 'post.finished -']);
		});

		test('restart: a new process with only the stored static data continues exactly where it was', async () => {
			const first = new Trigger();
			await first.poll();
			await publish([{ post_type: 'x-post', content: 'Before restart' }]);
			sb.clock.advance(MIN);
			expect(lines((await first.poll()).events)).toEqual(['item.posted x', 'post.finished -']);

			const restarted = new Trigger();
			restarted.staticData = JSON.parse(JSON.stringify(first.staticData));
			await publish([{ post_type: 'facebook-post', content: 'After restart' }]);
			sb.clock.advance(MIN);
			expect(lines((await restarted.poll()).events)).toEqual(['item.posted facebook', 'post.finished -']);
		});

		test('a bad key, or a key without posts:read, fails the poll with a clear error, and no key leaks', async () => {
			const good = new Trigger();
			await good.poll();
			const stored = JSON.stringify(good.staticData);

			const bad = new Trigger(undefined, 'pp_live_sk_not_a_real_key_123456');
			bad.staticData = JSON.parse(stored);
			const unauthorized = await bad.poll();
			expect(unauthorized.error?.name).toBe('NodeApiError');
			expect(unauthorized.error?.message).toMatch(/INVALID_API_KEY/);
			expect(JSON.stringify(unauthorized.staticData)).toBe(stored);

			const noScope = new Trigger(undefined, sb.keys.custom(['account:read', 'content:read']));
			noScope.staticData = JSON.parse(stored);
			const forbidden = await noScope.poll();
			expect(forbidden.error?.message).toMatch(/INSUFFICIENT_SCOPE/);
			expect(String(forbidden.error?.description)).toMatch(/posts:read/);
			for (const result of [unauthorized, forbidden]) {
				const text = JSON.stringify({ e: result.error, m: result.error?.message, d: result.error?.description, l: result.logs });
				expect(text).not.toContain('pp_live_sk_not_a_real_key_123456');
				expect(text).not.toContain(sb.keys.full);
			}
		});

		test('activation fails loudly: bad key, missing scope or a workspace of another account is an error, never an empty success', async () => {
			const cases: Array<[string, Record<string, unknown>, RegExp]> = [
				['bad key', credsFor(sb, 'pp_live_sk_not_a_real_key_123456'), /INVALID_API_KEY/],
				['no posts:read', credsFor(sb, sb.keys.custom(['account:read'])), /INSUFFICIENT_SCOPE/],
				['foreign workspace', credsFor(sb, sb.keys.full, sb.workspaces.foreign), /FORBIDDEN/],
			];
			for (const [what, credentials, code] of cases) {
				const first = await runPoll({ nodeType: 'powerPostTrigger', parameters: { events: ALL_EVENTS }, credentials: credentials as never });
				expect({ what, message: first.error?.message }).toEqual({ what, message: expect.stringMatching(code) });
				expect(first.error?.name).toBe('NodeApiError');
				expect(first.items).toBeNull();
				expect(first.staticData).toEqual({});
			}
		});

		test('Fetch Test Event returns a real recent result and leaves the live cursor alone', async () => {
			const trigger = new Trigger();
			await trigger.poll();
			const stored = JSON.stringify(trigger.staticData);
			const post = await publish([
				{ post_type: 'instagram-story', content: 'Story' },
				{ post_type: 'x-post', content: 'Tweet [fail]' },
			]);
			sb.clock.advance(MIN);

			const manual = await runPoll({
				nodeType: 'powerPostTrigger',
				parameters: { events: ['itemFailed'] },
				credentials: credsFor(sb),
				staticData: JSON.parse(stored),
				mode: 'manual',
			});
			expect(manual.error).toBeUndefined();
			expect(manual.items?.[0]).toHaveLength(1);
			expect(manual.items?.[0][0].json).toMatchObject({ event: 'item.failed', post_id: post.post_id, platform: 'x' });
			expect(JSON.stringify(manual.staticData)).toBe(stored);

			// the live trigger still gets the results
			expect(lines((await trigger.poll()).events)).toEqual(['item.posted instagram', 'item.failed x', 'post.finished -']);
		});

		test('Fetch Test Event with no result in the workspace explains why', async () => {
			await draft(sb);
			const manual = await runPoll({ nodeType: 'powerPostTrigger', parameters: { events: ALL_EVENTS }, credentials: credsFor(sb), mode: 'manual' });
			expect(manual.items).toBeNull();
			expect(manual.error?.message).toBe('No publish result matching the trigger settings was found');
			expect(String(manual.error?.description)).toMatch(/Publish a post/);
			expect(manual.staticData).toEqual({});
		});
	});
});
