// PowerPost Trigger, exactly once under the situations of issue 9, against the sandbox over real
// HTTP and through n8n-core's real PollContext (harness runPoll), under both sandbox profiles and
// both ways n8n persists static data (after every poll; only at activation and when a poll emits,
// n8n 2.41's default). Every scenario restarts n8n between polls and crashes polls midway (a fault
// on the n-th request of a poll: nothing is committed, then the process restarts).
// Figures: test-artifacts/trigger-faults.txt.

import { PROFILE_NAMES, startSandbox, type ProfileName, type Sandbox } from '../../sandbox/server';
import { runPoll } from '../harness';
import { PollingTrigger, SAVES, writeTable, type Save } from './pollTrigger';
import { startFaultProxy, type FaultProxy } from './proxy';

jest.setTimeout(300_000);

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;

interface Row {
	profile: ProfileName;
	save: Save;
	scenario: string;
	expected: number;
	lost: number;
	duplicates: number;
	foreign: number;
	polls: number;
	skipped: number;
	crashed: number;
	restarts: number;
}
const rows: Row[] = [];

/** One active PowerPost Trigger (test/faults/pollTrigger.ts), with the tally of PowerPost's events. */
function powerPostTrigger(sb: Sandbox, proxy: FaultProxy, save: Save, baseId: string): PollingTrigger {
	return new PollingTrigger({
		proxy,
		save,
		baseId,
		run: async (staticData, workflowId) =>
			await runPoll({
				nodeType: 'powerPostTrigger',
				parameters: { events: ['itemPosted', 'itemFailed', 'postFinished'], filters: {}, options: {} },
				credentials: { powerPostApi: { apiKey: sb.keys.full, workspaceId: sb.workspaces.primary, baseUrl: proxy.url } },
				staticData,
				workflowId,
			}),
		keyOf: ({ json }) => `${json.post_id as string}:${(json.item_id as string) ?? 'done'}:${json.event as string}`,
	});
}

/** Every result the posts `ids` have, as the trigger names them. */
function expectedOf(sb: Sandbox, ids: Iterable<string>): Set<string> {
	const expected = new Set<string>();
	for (const id of ids) {
		const post = sb.state.posts.get(id)!;
		for (const item of post.items) {
			if (item.status === 'posted') expected.add(`${id}:${item.item_id}:item.posted`);
			if (item.status === 'failed') expected.add(`${id}:${item.item_id}:item.failed`);
		}
		if (post.status === 'published' || post.status === 'failed') expected.add(`${id}:done:post.finished`);
	}
	return expected;
}

/** Two ticks at once: the second starts while the first waits for a slow answer. */
const overlapping = async (t: PollingTrigger, sb: Sandbox) => await t.overlapping(() => sb.faults.add({ method: 'GET', path: '/posts', kind: 'delay', delayMs: 800, times: 1 }));

async function call(sb: Sandbox, method: string, route: string, body?: unknown): Promise<Record<string, any>> {
	const response = await fetch(sb.url + route, {
		method,
		headers: { 'x-api-key': sb.keys.full, 'X-Workspace-Id': sb.workspaces.primary, ...(body ? { 'Content-Type': 'application/json' } : {}) },
		body: body ? JSON.stringify(body) : undefined,
	});
	const json = (await response.json()) as Record<string, any>;
	if (response.status !== 200) throw new Error(`${method} ${route}: ${response.status} ${JSON.stringify(json)}`);
	return json;
}

const TYPES = ['x-post', 'linkedin-post', 'facebook-post', 'instagram-feed'];
async function draft(sb: Sandbox, n: number, items = 2): Promise<string> {
	const post = await call(sb, 'POST', '/posts', {
		items: TYPES.slice(0, items).map((postType, k) => ({ post_type: postType, content: n % 5 === 0 && k === 0 ? `Post ${n} [fail]` : `Post ${n}` })),
	});
	return post.post_id as string;
}

type Body = (t: PollingTrigger, sb: Sandbox) => Promise<string[]>;

const SCENARIOS: Array<[string, Body]> = [
	[
		'overlapping ticks (slow answers)',
		async (t, sb) => {
			const ids: string[] = [];
			for (let round = 0; round < 15; round++) {
				for (let j = 0; j < 4; j++) {
					const id = await draft(sb, round * 4 + j);
					await call(sb, 'POST', `/posts/${id}/publish`);
					ids.push(id);
				}
				sb.clock.advance(MIN);
				await overlapping(t, sb);
			}
			return ids;
		},
	],
	[
		"clocks 1 h apart, then PowerPost's clock stepped back 30 min",
		async (t, sb) => {
			const ids: string[] = [];
			for (let round = 0; round < 40; round++) {
				if (round === 20) sb.clock.advance(-30 * MIN);
				const id = await draft(sb, round, 2 + (round % 3));
				await call(sb, 'POST', `/posts/${id}/publish`);
				ids.push(id);
				sb.clock.advance(MIN);
				await t.poll(round % 5 === 2 ? { crashAt: 1 + (round % 2) } : {});
			}
			return ids;
		},
	],
	[
		'a backlog of 10,000 results built while n8n was stopped',
		async (t, sb) => {
			const before = new Set(sb.state.posts.keys());
			sb.clock.advance(4 * DAY);
			sb.seedPosts(5000); // 1–3 items each, one minute apart, all after the activation
			return [...sb.state.posts.keys()].filter((id) => !before.has(id));
		},
	],
	[
		'600 posts publishing at once',
		async (t, sb) => {
			Object.assign(sb.timing, { publishQueue: 0, publishItem: 2 * MIN });
			const ids: string[] = [];
			for (let i = 0; i < 600; i++) ids.push(await draft(sb, i, 2));
			for (const id of ids) await call(sb, 'POST', `/posts/${id}/publish`);
			for (let step = 0; step < 6; step++) {
				sb.clock.advance(MIN);
				await t.poll(step % 2 === 1 ? { crashAt: step } : {});
			}
			return ids;
		},
	],
	[
		'100 posts scheduled 59 days ahead',
		async (t, sb) => {
			const ids: string[] = [];
			for (let i = 0; i < 100; i++) {
				const id = await draft(sb, i, 1 + (i % 2));
				await call(sb, 'POST', `/posts/${id}/schedule`, { scheduled_at: new Date(sb.clock.now() + 59 * DAY - i * MIN).toISOString() });
				ids.push(id);
			}
			await t.poll();
			for (let day = 0; day < 3; day++) {
				sb.clock.advance(20 * DAY);
				await t.poll();
			}
			return ids;
		},
	],
	[
		'drafts published 30 days after they were created',
		async (t, sb) => {
			const ids: string[] = [];
			for (let i = 0; i < 100; i++) ids.push(await draft(sb, i, 1 + (i % 3)));
			await t.poll();
			for (let day = 0; day < 3; day++) {
				sb.clock.advance(10 * DAY);
				await t.poll();
			}
			for (const id of ids) await call(sb, 'POST', `/posts/${id}/publish`);
			return ids;
		},
	],
];

describe.each(PROFILE_NAMES)('profile %s', (profile) => {
	let sb: Sandbox;
	let proxy: FaultProxy;
	beforeAll(async () => {
		sb = await startSandbox({ profile, tickMs: 0, rateLimit: false, timing: { publishQueue: 10, publishItem: 10 } });
		proxy = await startFaultProxy(sb.url);
	});
	afterAll(async () => {
		await proxy.close();
		await sb.close();
	});

	describe.each(SAVES)('static data saved %s', (save) => {
		test.each(SCENARIOS)('%s: every result exactly once', async (scenario, body) => {
			sb.reset();
			Object.assign(sb.timing, { publishQueue: 10, publishItem: 10 });
			// n8n's clock is never PowerPost's: here PowerPost runs an hour ahead (or behind)
			sb.clock.advance(save === 'emit' ? HOUR : -HOUR);
			sb.seedPosts(200); // history: never emitted
			const t = powerPostTrigger(sb, proxy, save, `wf-${profile}-${save}-${scenario.length}`);
			await t.poll();
			const ids = await body(t, sb);
			sb.clock.advance(2 * HOUR);
			// until nothing arrives and no walk is left
			await t.drain((memory) => ((memory.powerPostTrigger as { state?: { gaps?: unknown[] } } | undefined)?.state?.gaps?.length ?? 0) > 0, 30);
			const { extra, ...tally } = t.tally(expectedOf(sb, ids));
			rows.push({ profile, save, scenario, ...tally, foreign: extra.length, polls: t.polls, skipped: t.skipped, crashed: t.crashed, restarts: t.restarts });
			expect(tally.expected).toBeGreaterThan(100);
			expect({ ...tally, foreign: extra.length }).toMatchObject({ lost: 0, duplicates: 0, foreign: 0 });
		});
	});
});

afterAll(() => {
	const header = ['profile', 'saved', 'scenario', 'results', 'lost', 'dup', 'foreign', 'polls', 'skipped', 'crashed', 'restarts'];
	const lines = rows.map((r) => [r.profile, r.save, r.scenario, r.expected, r.lost, r.duplicates, r.foreign, r.polls, r.skipped, r.crashed, r.restarts]);
	const total = rows.reduce((sum, r) => sum + r.expected, 0);
	const bad = rows.reduce((sum, r) => sum + r.lost + r.duplicates + r.foreign, 0);
	writeTable('Trigger fault scenarios', 'trigger-faults.txt', header, lines, `total results ${total}, lost + duplicate + foreign ${bad}`);
});
