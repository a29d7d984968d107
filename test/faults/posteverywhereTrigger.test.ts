// PostEverywhere Trigger (polling), exactly once under the situations of issue 9 and issue 12,
// against the PostEverywhere sandbox over real HTTP and through n8n-core's real PollContext
// (harness runPoll), under both sandbox profiles (strict: no has_more, no destination ids,
// next_retry_at only on the results endpoint, a destination that settles while its siblings are in
// flight does not move the post's updated_at) and both ways n8n persists static data (after every
// poll; only at activation and when a poll emits = n8n 2.41's default). Every scenario restarts n8n
// every 3 ticks and crashes polls midway (a fault on the n-th request of a poll). The sandbox's
// clock runs an hour ahead of n8n's (or behind).
// Figures: test-artifacts/posteverywhere-trigger-faults.txt.
import type { IDataObject } from 'n8n-workflow';

import { startPostEverywhereSandbox, type PostEverywhereSandbox, type ProfileName, type SwitchName } from '../../sandbox/posteverywhere/server';
import { runPoll } from '../harness';
import { PollingTrigger, SAVES, writeTable, type Save } from './pollTrigger';
import { startFaultProxy, type FaultProxy } from './proxy';

jest.setTimeout(600_000);

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
const PROFILES: ProfileName[] = ['strict', 'generous'];
const TIMING = { publishQueue: 10, publishAttempt: 10, retryDelay: 10 * MIN, maxAttempts: 3 };

interface Row {
	profile: ProfileName;
	save: Save;
	scenario: string;
	expected: number;
	lost: number;
	duplicates: number;
	intermediate: number;
	foreign: number;
	polls: number;
	requests: number;
	crashed: number;
	restarts: number;
	skipped: number;
}
const rows: Row[] = [];

/** The identity of a result: destination, outcome and attempt (what the README promises once). */
const eventKey = (postId: string, accountId: unknown, published: boolean, attempts: unknown) => `${postId}:${String(accountId)}|${published ? 'published' : 'failed'}|${String(attempts)}`;

interface Context {
	sb: PostEverywhereSandbox;
	t: PollingTrigger;
	/** Results that must arrive besides the final state of every destination (observed intermediate failures). */
	required: Set<string>;
}
type Body = (c: Context) => Promise<string[]>;

async function call(sb: PostEverywhereSandbox, method: string, route: string, body?: unknown): Promise<Record<string, any>> {
	const response = await fetch(sb.url + route, {
		method,
		headers: { Authorization: `Bearer ${sb.keys.full}`, ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
		body: body === undefined ? undefined : JSON.stringify(body),
	});
	const json = (await response.json()) as { data: Record<string, any> };
	if (response.status >= 300) throw new Error(`${method} ${route}: ${response.status} ${JSON.stringify(json)}`);
	return json.data;
}

const accountsOf = (sb: PostEverywhereSandbox) => [sb.accounts.linkedin, sb.accounts.x, sb.accounts.facebook, sb.accounts.threads, sb.accounts.instagram];

/** Creates a post on `n` accounts; `tag` steers the sandbox's outcome ([fail:x], [flaky], [fail-once]). */
async function post(sb: PostEverywhereSandbox, n: number, tag = '', more: IDataObject = {}): Promise<string> {
	const created = await call(sb, 'POST', '/posts', { content: `Post ${tag}`.trim(), account_ids: accountsOf(sb).slice(0, n), ...more });
	return created.post_id as string;
}

const SCENARIOS: Array<[string, Body]> = [
	[
		'overlapping ticks (a slow answer)',
		async ({ sb, t }) => {
			const ids: string[] = [];
			for (let round = 0; round < 15; round++) {
				for (let j = 0; j < 4; j++) ids.push(await post(sb, 2 + (j % 2), j === 3 ? '[fail:x]' : ''));
				sb.advanceClock(MIN);
				await t.overlapping(() => sb.faults.add({ method: 'GET', path: '/posts', kind: 'delay', delayMs: 800, times: 1 }));
			}
			return ids;
		},
	],
	[
		"the server's clock stepped back 30 min",
		async ({ sb, t }) => {
			const ids: string[] = [];
			for (let round = 0; round < 40; round++) {
				if (round === 20) sb.advanceClock(-30 * MIN);
				ids.push(await post(sb, 2 + (round % 3), round % 7 === 3 ? '[flaky]' : ''));
				sb.advanceClock(MIN);
				await t.poll(round % 5 === 2 ? { crashAt: 1 + (round % 2) } : {});
			}
			return ids;
		},
	],
	[
		'a backlog of 10,000 results while n8n was stopped',
		async ({ sb }) => {
			const before = new Set(sb.state.posts.keys());
			sb.advanceClock(4 * DAY);
			await sb.control('POST', '/seed-posts', { n: 5000 }); // 1–3 destinations each, a minute apart, all after the activation
			return [...sb.state.posts.keys()].filter((id) => !before.has(id));
		},
	],
	[
		'600 posts publishing at once',
		async ({ sb, t }) => {
			Object.assign(sb.timing, { publishQueue: 0, publishAttempt: 2 * MIN });
			const ids: string[] = [];
			for (let i = 0; i < 600; i++) ids.push(await post(sb, 2, i % 9 === 0 ? '[fail:linkedin]' : ''));
			for (let step = 0; step < 6; step++) {
				sb.advanceClock(MIN);
				await t.poll(step % 2 === 1 ? { crashAt: step } : {});
			}
			return ids;
		},
	],
	[
		'destinations settling while siblings are in flight',
		async ({ sb, t }) => {
			const ids: string[] = [];
			for (let i = 0; i < 40; i++) ids.push(await post(sb, 3 + (i % 3), i % 2 ? '[fail:x]' : '[flaky]'));
			for (let step = 0; step < 40; step++) {
				sb.advanceClock(MIN);
				await t.poll(step % 6 === 4 ? { crashAt: 1 + (step % 3) } : {});
			}
			return ids;
		},
	],
	[
		'failed ×3 with next_retry_at, retried by hand, then published',
		async ({ sb, t, required }) => {
			const ids: string[] = [];
			for (let i = 0; i < 60; i++) ids.push(await post(sb, 1, '[fail-once]'));
			const observe = async (step: number) => {
				await t.pollUntilDone(step % 2 ? { crashAt: 2 } : {});
				// every state of these posts is a post-level change (one destination): each is read
				for (const id of ids) {
					const d = sb.state.posts.get(id)!.destinations[0];
					if (d.status === 'failed' || d.status === 'published') required.add(eventKey(id, d.account_id, d.status === 'published', d.attempts));
				}
			};
			sb.advanceClock(MIN);
			await observe(0); // attempt 1 failed, retry pending
			sb.advanceClock(TIMING.retryDelay);
			await observe(1); // attempt 2 failed, retry pending
			sb.advanceClock(TIMING.retryDelay);
			await observe(2); // attempt 3 failed for good
			for (const id of ids) await call(sb, 'POST', `/posts/${id}/retry`, {});
			sb.advanceClock(MIN);
			await observe(3); // attempt 4 published
			return ids;
		},
	],
	[
		'1,500 posts sharing one updated_at, some retried meanwhile',
		async ({ sb, t }) => {
			const before = new Set(sb.state.posts.keys());
			sb.advanceClock(30 * MIN);
			await sb.control('POST', '/seed-posts', { n: 1500 });
			const ids = [...sb.state.posts.keys()].filter((id) => !before.has(id));
			// A server that stamps a batch with one time (older than the overlap)
			const at = sb.now() - 10 * MIN;
			for (const id of ids) {
				const p = sb.state.posts.get(id)!;
				p.updated_at = at;
				for (const d of p.destinations) if (d.published_at !== null) d.published_at = at;
			}
			const failed = ids.filter((id) => sb.state.posts.get(id)!.status === 'failed');
			for (let step = 0; step < 4; step++) {
				await t.poll();
				// failed posts of the group are retried by hand: they leave the group
				for (const id of failed.slice(step * 10, step * 10 + 10)) await call(sb, 'POST', `/posts/${id}/retry`, {});
				sb.advanceClock(MIN);
			}
			return ids;
		},
	],
	[
		'scheduled 59 days ahead; drafts published 30 days later',
		async ({ sb, t }) => {
			const ids: string[] = [];
			for (let i = 0; i < 50; i++) ids.push(await post(sb, 1 + (i % 3), '', { scheduled_for: new Date(sb.now() + 59 * DAY - i * MIN).toISOString() }));
			const drafts: string[] = [];
			for (let i = 0; i < 50; i++) drafts.push(await post(sb, 1 + (i % 3), i % 5 === 0 ? '[fail:x]' : '', { draft: true }));
			await t.poll();
			for (let step = 0; step < 6; step++) {
				sb.advanceClock(10 * DAY);
				if (step === 2) for (const id of drafts) await call(sb, 'POST', `/posts/${id}/schedule`, { publish_now: true });
				await t.poll(step % 3 === 1 ? { crashAt: 1 } : {});
			}
			return [...ids, ...drafts];
		},
	],
	[
		'a destination in flight 7 h after its siblings published',
		async ({ sb, t }) => {
			const ids: string[] = [];
			for (let i = 0; i < 30; i++) {
				const id = await post(sb, 3 + (i % 3), i % 4 === 1 ? '[fail:x]' : '');
				ids.push(id);
				// the siblings settle 20 min later (the post is out of the overlap by then), the last
				// destination 7 h after them (a platform outage): the post stays publishing meanwhile
				const destinations = sb.state.posts.get(id)!.destinations;
				for (const d of destinations) d.due = sb.now() + 20 * MIN + i * MIN;
				destinations.at(-1)!.due = sb.now() + 7 * HOUR + 20 * MIN + i * MIN;
			}
			for (let step = 0; step < 18; step++) {
				sb.advanceClock(step < 2 ? MIN : 30 * MIN);
				await t.poll(step % 5 === 3 ? { crashAt: 1 } : {});
			}
			return ids;
		},
	],
	[
		'some failed destinations retried by hand 8 h and 3 days later',
		async ({ sb, t, required }) => {
			const ids: string[] = [];
			for (let i = 0; i < 25; i++) ids.push(await post(sb, 3 + (i % 3), '[fail-once]'));
			const ticks = async (n: number, step: number) => {
				for (let k = 0; k < n; k++) {
					sb.advanceClock(step);
					await t.poll(k % 4 === 2 ? { crashAt: 1 } : {});
				}
			};
			const retry = async (index: number) => {
				for (const id of ids) {
					// the failure before the hand retry was final, and is a result of its own
					const d = sb.state.posts.get(id)!.destinations[index];
					required.add(eventKey(id, d.account_id, false, d.attempts));
					await call(sb, 'POST', `/posts/${id}/retry`, { account_ids: [d.account_id] });
				}
			};
			await ticks(4, TIMING.retryDelay); // every attempt failed: final failures
			await ticks(8, HOUR);
			await retry(0); // 8 h later, one destination of each post
			await ticks(6, 12 * HOUR);
			await retry(1); // 3 days later, another
			await ticks(3, MIN);
			return ids;
		},
	],
	...(['legacyPostsList', 'legacyResults', 'doneStatusName', 'partialStatusName', 'camelCaseMeta'] as SwitchName[]).map((name): [string, Body] => [
		`variant switch ${name}`,
		async ({ sb, t }) => {
			await sb.control('POST', '/switches', { [name]: true });
			const ids: string[] = [];
			for (let round = 0; round < 12; round++) {
				for (let j = 0; j < 3; j++) ids.push(await post(sb, 2 + j, ['', '[fail:x]', '[flaky]'][j]));
				sb.advanceClock(MIN);
				await t.poll(round % 4 === 2 ? { crashAt: 1 + (round % 3) } : {});
			}
			return ids;
		},
	]),
];

describe.each(PROFILES)('profile %s', (profile) => {
	let sb: PostEverywhereSandbox;
	let proxy: FaultProxy;
	beforeAll(async () => {
		sb = await startPostEverywhereSandbox({ port: 'auto', uploadPort: 'auto', profile, tickMs: 0, rateLimit: false, timing: TIMING });
		proxy = await startFaultProxy(sb.url);
	});
	afterAll(async () => {
		await proxy.close();
		await sb.stop();
	});

	describe.each(SAVES)('static data saved %s', (save) => {
		test.each(SCENARIOS)('%s: every result exactly once', async (scenario, body) => {
			sb.reset();
			Object.assign(sb.timing, TIMING);
			// n8n's clock is never PostEverywhere's: here the server runs an hour ahead (or behind)
			sb.advanceClock(save === 'emit' ? HOUR : -HOUR);
			await sb.control('POST', '/seed-posts', { n: 200 }); // history: never emitted
			const t = new PollingTrigger({
				proxy,
				save,
				baseId: `pe${profile[0]}${save[0]}${SCENARIOS.findIndex(([name]) => name === scenario)}`,
				run: async (staticData, workflowId) =>
					await runPoll({
						nodeType: 'postEverywhereTrigger',
						parameters: { events: ['published', 'failed'], options: {} },
						credentials: { postEverywhereRestApi: { apiKey: sb.keys.full, baseUrl: proxy.url } },
						staticData,
						workflowId,
					}),
				keyOf: ({ json }) => eventKey(String(json.post_id), json.account_id, json.event === 'published', json.attempts),
			});
			const requestsBefore = sb.requests().length;
			await t.poll();
			const required = new Set<string>();
			const ids = await body({ sb, t, required });
			sb.advanceClock(2 * HOUR);
			const newest = () => Math.max(...[...sb.state.posts.values()].map((p) => p.updated_at));
			await t.drain((memory) => {
				// the walk has not caught up yet: its cursor is further behind the newest post than the overlap
				const cursor = Date.parse((memory.postEverywhereTrigger as { state?: { cursor?: string } } | undefined)?.state?.cursor ?? '');
				return !(cursor >= Math.min(newest(), sb.now()) - 10 * MIN);
			});
			const reads = sb.requests().slice(requestsBefore).filter((r) => r.method === 'GET').length;

			const expected = new Set(required);
			const finalAttempts = new Map<string, number>();
			for (const id of ids) {
				for (const d of sb.state.posts.get(id)!.destinations) {
					expect(['published', 'failed']).toContain(d.status); // everything settled
					expected.add(eventKey(id, d.account_id, d.status === 'published', d.attempts));
					finalAttempts.set(`${id}:${d.account_id}`, d.attempts);
				}
			}
			const tally = t.tally(expected);
			// A failure seen while a later attempt was still to come is a promised event too (README), once.
			const intermediate = tally.extra.filter((key) => {
				const [dest, outcome, attempts] = key.split('|');
				return outcome === 'failed' && Number(attempts) < (finalAttempts.get(dest) ?? 0);
			});
			const foreign = tally.extra.length - intermediate.length;
			rows.push({ profile, save, scenario, expected: tally.expected, lost: tally.lost, duplicates: tally.duplicates, intermediate: intermediate.length, foreign, polls: t.polls, requests: reads, crashed: t.crashed, restarts: t.restarts, skipped: t.skipped });
			expect(tally.expected).toBeGreaterThan(60);
			expect({ lost: tally.lost, duplicates: tally.duplicates, foreign }).toEqual({ lost: 0, duplicates: 0, foreign: 0 });
		});
	});
});

afterAll(() => {
	const header = ['profile', 'saved', 'scenario', 'expected', 'lost', 'dup', 'intermediate', 'foreign', 'polls', 'requests', 'crashed', 'restarts', 'skipped ticks'];
	const lines = rows.map((r) => [r.profile, r.save, r.scenario, r.expected, r.lost, r.duplicates, r.intermediate, r.foreign, r.polls, r.requests, r.crashed, r.restarts, r.skipped]);
	const total = rows.reduce((sum, r) => sum + r.expected, 0);
	const bad = rows.reduce((sum, r) => sum + r.lost + r.duplicates + r.foreign, 0);
	writeTable('PostEverywhere Trigger fault scenarios', 'posteverywhere-trigger-faults.txt', header, lines, `total expected results ${total}, lost + duplicate + foreign ${bad}`);
});
