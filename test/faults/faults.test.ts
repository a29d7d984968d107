/**
 * `npm run test:faults`: every operation under injected faults, the trigger under failing polls
 * and restarts, generated bad input for every parameter, and a secret scan over all of it.
 * Prints a table of figures at the end and asserts the targets (issue 6).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';

import type { FaultRule, Sandbox } from '../../sandbox/server';
import { startSandbox } from '../../sandbox/server';
import { resources } from '../../nodes/PowerPost/actions/resources';
import { runNode, runPoll } from '../harness';
import type { RunNodeResult } from '../harness';
import { api, draft, FAST_TIMING } from '../contract/post-helpers';
import { credsFor } from '../contract/generation-helpers';
import { badCases } from './badInput';
import type { Ctx, Json, OpSpec, Target } from './ops';
import { OPERATIONS } from './ops';
import { errorTextOf, isClearError, isUnhandled, namesField, SecretScan } from './outcome';
import type { ProxyFault } from './proxy';
import { startFaultProxy } from './proxy';

jest.setTimeout(15 * 60_000);

const NO_LIMIT = { limit: 1_000_000, windowMs: 60_000 };
const sandboxes: Sandbox[] = [];
const allKeys = () => sandboxes.flatMap((sb) => [sb.keys.full, sb.keys.draftOnly, sb.keys.readOnly, sb.keys.noCredits]);
const secrets = new SecretScan(allKeys);
let processFailures = 0;
const onProcessFailure = () => {
	processFailures++;
};

async function newSandbox(options: Parameters<typeof startSandbox>[0] = {}): Promise<Sandbox> {
	const sb = await startSandbox({ timing: FAST_TIMING, rateLimit: NO_LIMIT, ...options });
	sandboxes.push(sb);
	return sb;
}

beforeAll(() => {
	process.on('unhandledRejection', onProcessFailure);
	process.on('uncaughtException', onProcessFailure);
});
afterAll(async () => {
	process.off('unhandledRejection', onProcessFailure);
	process.off('uncaughtException', onProcessFailure);
	await Promise.all(sandboxes.map((sb) => sb.close()));
});

async function run(sb: Sandbox, op: OpSpec, params: Json, extra: Partial<Parameters<typeof runNode>[0]> = {}): Promise<RunNodeResult> {
	try {
		return await runNode({
			nodeType: 'powerPost',
			parameters: { resource: op.resource, operation: op.operation, ...params },
			credentials: credsFor(sb),
			...extra,
		});
	} catch (error) {
		// n8n refuses to start a workflow whose node has issues (a required parameter is empty): the user sees that error.
		// Anything else thrown out of the execution is a crash.
		const refused = [(error as Error)?.name, (error as Error)?.constructor?.name].includes('WorkflowHasIssuesError');
		const shown = refused ? (error as Error) : Object.assign(new TypeError(`the execution threw: ${String(error)}`), { cause: error });
		return { status: 'error', outputs: [], error: shown, logs: [], runData: {}, nodeName: '', durationMs: 0 } as unknown as RunNodeResult;
	}
}

const jsonOf = (result: RunNodeResult): Json[] => (result.outputs[0] ?? []).map((item) => item.json as Json);

// ---------------------------------------------------------------------------------------------
// 1. Operations under injected faults
// ---------------------------------------------------------------------------------------------

interface FaultKind {
	label: string;
	rule: Omit<FaultRule, 'path' | 'method'>;
	/** A transient fault after which a repeatable request must end in success. */
	transient: boolean;
}

const FAULTS: FaultKind[] = [
	{ label: '429 retryAfter 1', rule: { kind: 'rate-limit', retryAfter: 1 }, transient: true },
	{ label: '500', rule: { kind: 'status', status: 500 }, transient: true },
	{ label: '502', rule: { kind: 'status', status: 502 }, transient: true },
	{ label: '503', rule: { kind: 'status', status: 503 }, transient: true },
	{ label: 'drop-before', rule: { kind: 'drop-before' }, transient: true },
	{ label: 'drop-after', rule: { kind: 'drop-after' }, transient: true },
	{ label: '502 after acting', rule: { kind: 'status', status: 502, applied: true }, transient: true },
	{ label: 'stale read', rule: { kind: 'stale-read' }, transient: true },
	{ label: 'delay', rule: { kind: 'delay' }, transient: true },
	{ label: 'HTML 200', rule: { kind: 'html' }, transient: false },
	{ label: 'malformed JSON', rule: { kind: 'malformed-json' }, transient: false },
];

/** Delay for operations without a request-timeout option: below n8n's default, so it must still succeed. */
const SHORT_DELAY_MS = 300;

interface FaultCase {
	op: string;
	target: string;
	fault: string;
	fired: number;
	outcome: 'success' | 'clear error' | 'wrong output' | 'unclear error' | 'unhandled';
	correct: boolean;
	expected: string;
	doubles: number;
	detail: string;
}

const faultCases: FaultCase[] = [];
const notes: string[] = [];

type Counted = 'posts' | 'generations' | 'imageGenerations' | 'videoGenerations' | 'calendar' | 'media';
const sizes = (sb: Sandbox): Record<Counted, number> => ({
	posts: sb.state.posts.size,
	generations: sb.state.generations.size,
	imageGenerations: sb.state.imageGenerations.size,
	videoGenerations: sb.state.videoGenerations.size,
	calendar: sb.state.calendar.size,
	media: [...sb.state.media.values()].filter((m) => m.source === 'upload').length,
});

async function faultOne(sb: Sandbox, op: OpSpec, target: Target, fault: FaultKind): Promise<void> {
	sb.faults.clear();
	const ctx: Ctx = op.setup ? await op.setup(sb) : {};
	const before = sizes(sb);
	sb.requests.length = 0;
	let params = op.params(ctx);
	const rule: FaultRule = { ...fault.rule, method: target.method, path: target.path };
	let expected = fault.transient && (target.repeatable || fault.rule.kind === 'rate-limit') ? 'success' : 'success or clear error';
	if (fault.rule.kind === 'delay') {
		if (op.timeout) {
			// Past the operation's own request timeout (its smallest allowed value).
			params = { ...params, ...op.timeout.patch(op.timeout.minSeconds) };
			rule.delayMs = op.timeout.minSeconds * 1000 + 1500;
			expected = 'success or clear error';
		} else {
			rule.delayMs = SHORT_DELAY_MS;
		}
	}
	sb.faults.add(rule);
	const result = await run(sb, op, params, { input: op.input?.(ctx) });
	secrets.check(`fault ${op.name} ${target.label} ${fault.label}`, result);
	// Let lifecycles that the run started (a publish answered late) finish before counting.
	await new Promise((resolve) => setTimeout(resolve, 50));

	const fired = sb.requests.filter((r) => r.faulted).length;
	let doubles = 0;
	const after = sizes(sb);
	for (const key of op.creates ?? []) doubles += Math.max(0, after[key] - before[key] - 1);
	for (const key of Object.keys(after) as Counted[]) {
		if (!(op.creates ?? []).includes(key) && after[key] > before[key] && key !== 'media') doubles += after[key] - before[key];
	}
	if (op.acts) {
		const acted = sb.requests.filter(
			(r) => {
				// A request that took effect: answered 2xx, or its answer was lost after it took effect.
				const status = r.appliedStatus ?? r.status;
				return r.method === op.acts!.method && op.acts!.path.test(r.path) && status >= 200 && status < 300 && (!r.faulted || ['drop-after', 'delay', 'status'].includes(r.faulted));
			},
		);
		doubles += Math.max(0, acted.length - 1);
	}

	let outcome: FaultCase['outcome'];
	if (isUnhandled(result.error)) outcome = 'unhandled';
	else if (result.status === 'success') outcome = op.ok(jsonOf(result), ctx) ? 'success' : 'wrong output';
	else outcome = isClearError(result.error) ? 'clear error' : 'unclear error';
	const correct = expected === 'success' ? outcome === 'success' : outcome === 'success' || outcome === 'clear error';
	const { message, description } = errorTextOf(result.error);
	faultCases.push({
		op: op.name,
		target: target.label,
		fault: fault.rule.kind === 'delay' ? `delay ${rule.delayMs} ms${op.timeout ? ` (timeout ${op.timeout.minSeconds} s)` : ''}` : fault.label,
		fired,
		outcome,
		correct,
		expected,
		doubles,
		detail: outcome === 'success' ? '' : `${message} | ${description}`.slice(0, 300),
	});
}

describe('every operation under injected faults', () => {
	it('covers every operation of the node', () => {
		const names = Object.entries(resources).flatMap(([resource, r]) => Object.keys(r.operations).map((operation) => `${resource}.${operation}`));
		expect(OPERATIONS.map((op) => op.name).sort()).toEqual(names.sort());
	});

	it('runs each fault on each request of each operation', async () => {
		// One sandbox per operation, operations in parallel: faults match by path, so runs must not share a sandbox.
		await Promise.all(
			OPERATIONS.map(async (op) => {
				const sb = await newSandbox();
				for (const target of op.targets) {
					for (const fault of FAULTS) await faultOne(sb, op, target, fault);
				}
				if (!op.timeout) notes.push(`${op.name}: no request-timeout option; delay injected ${SHORT_DELAY_MS} ms (below n8n's 60 s default)`);
			}),
		);
		expect(faultCases.length).toBeGreaterThan(OPERATIONS.length * FAULTS.length - 1);
	});
});

// ---------------------------------------------------------------------------------------------
// 2. The trigger: failing polls at each step, restarts between polls, a few hundred results
// ---------------------------------------------------------------------------------------------

const trigger = { posts: 0, expected: 0, received: 0, lost: 0, duplicates: 0, polls: 0, failedPolls: 0, faultsFired: 0, unhandled: 0, unexpected: 0 };

describe('PowerPost Trigger under faults and restarts', () => {
	it('emits every publish result exactly once', async () => {
		const sb = await newSandbox();
		const proxy = await startFaultProxy(sb.url);
		const credentials = { powerPostApi: { apiKey: sb.keys.full, workspaceId: sb.workspaces.primary, baseUrl: proxy.url } };
		const parameters = { events: ['itemPosted', 'itemFailed', 'postFinished'], filters: {}, options: {} };
		const received = new Map<string, number>();
		const ours = new Set<string>();
		// Only static data survives between polls: it goes through JSON, as n8n stores it.
		let staticData: Json = {};

		const poll = async (fault?: { at: number; kind: ProxyFault }) => {
			proxy.reset();
			if (fault) proxy.arm(fault.at, fault.kind);
			const result = await runPoll({ nodeType: 'powerPostTrigger', parameters, credentials, staticData: JSON.parse(JSON.stringify(staticData)) });
			trigger.faultsFired += proxy.reset().fired;
			trigger.polls++;
			secrets.check('trigger poll', result);
			if (result.error) {
				trigger.failedPolls++;
				if (isUnhandled(result.error)) trigger.unhandled++;
				if (!isClearError(result.error)) trigger.unexpected++;
			}
			for (const item of result.items?.[0] ?? []) {
				const json = item.json as Json;
				const key = `${json.post_id}:${json.item_id ?? 'done'}:${json.event}`;
				received.set(key, (received.get(key) ?? 0) + 1);
			}
			staticData = JSON.parse(JSON.stringify(result.staticData)) as Json;
			return result;
		};

		// Some history before activation (must not be emitted).
		sb.seedPosts(30);
		const first = await poll();
		expect(first.error).toBeUndefined();

		const KINDS: ProxyFault[] = ['html', 'malformed-json', '429-long', 'drop', '503', 'html', 'malformed-json', '429-long'];
		const ROUNDS = 40;
		for (let round = 0; round < ROUNDS; round++) {
			// 3 posts per round: 1–3 items, some items fail at publish, some posts are scheduled a moment ahead.
			for (let j = 0; j < 3; j++) {
				const n = round * 3 + j;
				const types = ['x-post', 'linkedin-post', 'facebook-post'].slice(0, 1 + (n % 3));
				const p = await draft(sb, types.map((t, k) => ({ post_type: t, content: n % 4 === 0 && k === 0 ? `Post ${n} [fail]` : `Post ${n}` })));
				ours.add(p.post_id);
				if (n % 5 === 4) {
					await api(sb, 'POST', `/posts/${p.post_id}/schedule`, { scheduled_at: new Date(sb.clock.now() + 1500).toISOString() });
				} else {
					await api(sb, 'POST', `/posts/${p.post_id}/publish`);
				}
			}
			await new Promise((resolve) => setTimeout(resolve, (round % 4) * 60));
			// A poll that fails at step 1, 2, 3 … (the n-th request it makes), then a clean one.
			await poll({ at: 1 + (round % 4), kind: KINDS[round % KINDS.length] });
			if (round % 10 === 9) await poll({ at: 1, kind: '500-persistent' });
			await poll();
		}

		// Let everything finish, then poll until quiet.
		const allFinal = () => [...ours].every((id) => ['published', 'failed'].includes(sb.state.posts.get(id)?.status ?? ''));
		for (let i = 0; i < 100 && !allFinal(); i++) await new Promise((resolve) => setTimeout(resolve, 100));
		expect(allFinal()).toBe(true);
		for (let i = 0; i < 3; i++) await poll();

		const expected = new Set<string>();
		for (const id of ours) {
			const p = sb.state.posts.get(id)!;
			for (const item of p.items) {
				if (item.status === 'posted') expected.add(`${id}:${item.item_id}:item.posted`);
				if (item.status === 'failed') expected.add(`${id}:${item.item_id}:item.failed`);
			}
			expected.add(`${id}:done:post.finished`);
		}
		trigger.posts = ours.size;
		trigger.expected = expected.size;
		trigger.received = [...received.values()].reduce((a, b) => a + b, 0);
		trigger.lost = [...expected].filter((key) => !received.has(key)).length;
		trigger.duplicates = [...received.values()].reduce((a, b) => a + Math.max(0, b - 1), 0);
		// Seeded history (before activation) must not show up either.
		const foreign = [...received.keys()].filter((key) => !expected.has(key));
		trigger.unexpected += foreign.length;
		await proxy.close();
		expect(trigger.expected).toBeGreaterThan(200);
	});
});

// ---------------------------------------------------------------------------------------------
// 3. Bad input: generated invalid values for every parameter of every operation
// ---------------------------------------------------------------------------------------------

interface BadResult {
	op: string;
	what: string;
	named: boolean;
	requests: number;
	detail: string;
}
const badResults: BadResult[] = [];

/**
 * Bugs in node code found by this suite, reported to the node's owners (node code is not edited
 * here). They are printed with the figures and left out of the assertion; each must still
 * reproduce, so the entry has to be removed once the bug is fixed.
 */
const KNOWN_BAD_INPUT: Array<{ op: string; what: RegExp; bug: string }> = [];
const knownBug = (b: { op: string; what: string }) => KNOWN_BAD_INPUT.find((k) => (k.op === '*' || k.op === b.op) && k.what.test(b.what));
let badUnhandled = 0;

describe('bad input', () => {
	it('fails before any request, naming the parameter', async () => {
		const sb = await newSandbox();
		const ctx: Ctx = {};
		for (const op of OPERATIONS) {
			const base = op.params(ctx);
			for (const bad of badCases(op, base)) {
				const before = sb.requests.length;
				const input = bad.input ?? op.input?.(ctx);
				const result = await run(sb, op, bad.params, { input, timezone: bad.timezone });
				secrets.check(`bad ${op.name} ${bad.what}`, result);
				const requests = sb.requests.length - before;
				if (isUnhandled(result.error)) badUnhandled++;
				const named = result.status === 'error' && !isUnhandled(result.error) && namesField(result.error, bad.field);
				const { message } = errorTextOf(result.error);
				badResults.push({ op: op.name, what: bad.what, named, requests, detail: result.status === 'error' ? message.slice(0, 160) : `status ${result.status}` });
			}
		}
		expect(badResults.length).toBeGreaterThan(300);
	});
});

// ---------------------------------------------------------------------------------------------
// 4. Lost answers (issue 10): each case ends as PowerPost's direct answer would, or as "outcome unknown"
// ---------------------------------------------------------------------------------------------

interface LostCase {
	name: string;
	/** What a correct run ends with: `success`, an error code, or `OUTCOME_UNKNOWN`. */
	expected: string;
	got: string;
	/** Requests of the action that took effect (at most 1). */
	effective: number;
	detail: string;
}
const lostCases: LostCase[] = [];

type LostSetup = 'draft' | 'scheduled' | 'published';
interface LostSpec {
	name: string;
	op: string;
	setup: LostSetup;
	params: (id: string) => Json;
	faults: (id: string) => FaultRule[];
	expected: string;
	acts: RegExp;
}

const day = (n: number) => new Date(Date.now() + n * 86_400_000).toISOString().replace(/\.\d{3}Z$/, 'Z');
const postById = (id: string) => ({ __rl: true, mode: 'id', value: id });
const lagging = (id: string, times: number): FaultRule => ({ method: 'GET', path: `/posts/${id}`, kind: 'stale-read', times });

const LOST_CASES: LostSpec[] = [
	{
		name: 'Schedule, answer lost (502), post already scheduled for another day',
		op: 'post.schedule',
		setup: 'scheduled',
		params: (id) => ({ postId: postById(id), scheduledAt: day(5) }),
		faults: () => [{ path: /\/schedule$/, kind: 'status', status: 502 }],
		expected: 'ALREADY_PUBLISHED',
		acts: /\/schedule$/,
	},
	{
		name: 'Publish, answer lost (504), post already published',
		op: 'post.publish',
		setup: 'published',
		params: (id) => ({ postId: postById(id), waitForCompletion: false }),
		faults: () => [{ path: /\/publish$/, kind: 'status', status: 504 }],
		expected: 'ALREADY_PUBLISHED',
		acts: /\/publish$/,
	},
	{
		name: 'Cancel Publish, answer lost (502), plain draft',
		op: 'post.cancelPublish',
		setup: 'draft',
		params: (id) => ({ postId: postById(id) }),
		faults: () => [{ path: /\/cancel-publish$/, kind: 'status', status: 502 }],
		expected: 'INVALID_STATE',
		acts: /\/cancel-publish$/,
	},
	{
		name: 'Schedule applied, answer lost (502), 2 lagging reads',
		op: 'post.schedule',
		setup: 'draft',
		params: (id) => ({ postId: postById(id), scheduledAt: day(3) }),
		faults: (id) => [{ path: /\/schedule$/, kind: 'status', status: 502, applied: true }, lagging(id, 2)],
		expected: 'success',
		acts: /\/schedule$/,
	},
	{
		name: 'Cancel Publish applied, answer lost (502), 3 lagging reads',
		op: 'post.cancelPublish',
		setup: 'scheduled',
		params: (id) => ({ postId: postById(id) }),
		faults: (id) => [{ path: /\/cancel-publish$/, kind: 'status', status: 502, applied: true }, lagging(id, 3)],
		expected: 'success',
		acts: /\/cancel-publish$/,
	},
	{
		name: 'Publish applied, answer lost (503), 1 lagging read',
		op: 'post.publish',
		setup: 'draft',
		params: (id) => ({ postId: postById(id), waitForCompletion: false }),
		faults: (id) => [{ path: /\/publish$/, kind: 'status', status: 503, applied: true }, lagging(id, 1)],
		expected: 'success',
		acts: /\/publish$/,
	},
	{
		name: 'Publish not carried out (502): sent once more',
		op: 'post.publish',
		setup: 'draft',
		params: (id) => ({ postId: postById(id), waitForCompletion: false }),
		faults: () => [{ path: /\/publish$/, kind: 'status', status: 502 }],
		expected: 'success',
		acts: /\/publish$/,
	},
	{
		name: 'Schedule applied, answer lost (502), reads never catch up',
		op: 'post.schedule',
		setup: 'draft',
		params: (id) => ({ postId: postById(id), scheduledAt: day(4) }),
		faults: (id) => [{ path: /\/schedule$/, kind: 'status', status: 502, applied: true }, lagging(id, 20)],
		expected: 'OUTCOME_UNKNOWN',
		acts: /\/schedule$/,
	},
];

describe('lost answers (issue 10)', () => {
	it('ends every case as the API would answer: never a wrong success, never a false failure', async () => {
		const sb = await newSandbox();
		for (const spec of LOST_CASES) {
			sb.faults.clear();
			const post = await draft(sb);
			if (spec.setup === 'scheduled') await api(sb, 'POST', `/posts/${post.post_id}/schedule`, { scheduled_at: day(2) });
			if (spec.setup === 'published') await api(sb, 'POST', `/posts/${post.post_id}/publish`);
			sb.requests.length = 0;
			for (const rule of spec.faults(post.post_id)) sb.faults.add(rule);
			const op = OPERATIONS.find((candidate) => candidate.name === spec.op)!;
			const result = await run(sb, op, spec.params(post.post_id), { onError: 'continueErrorOutput' });
			secrets.check(`lost answer: ${spec.name}`, result);
			const error = result.outputs[1]?.[0]?.json as Json | undefined;
			const got = result.status !== 'success' ? 'node error' : error ? String(error.details?.code ?? 'error') : 'success';
			const took = (status: number) => status >= 200 && status < 300;
			const effective = sb.requests.filter((r) => r.method === 'POST' && spec.acts.test(r.path) && took(r.appliedStatus ?? r.status)).length;
			lostCases.push({ name: spec.name, expected: spec.expected, got, effective, detail: error ? String(error.error).slice(0, 160) : '' });
		}
		expect(lostCases).toHaveLength(LOST_CASES.length);
	});
});

// ---------------------------------------------------------------------------------------------
// Figures and targets
// ---------------------------------------------------------------------------------------------

describe('figures', () => {
	it('prints the table and meets the targets', () => {
		const fired = faultCases.reduce((sum, c) => sum + c.fired, 0);
		const correct = faultCases.filter((c) => c.correct).length;
		const doubles = faultCases.reduce((sum, c) => sum + c.doubles, 0);
		const unhandled = faultCases.filter((c) => c.outcome === 'unhandled').length + trigger.unhandled + badUnhandled + processFailures;
		const recovered = faultCases.filter((c) => c.outcome === 'success').length;
		const clear = faultCases.filter((c) => c.outcome === 'clear error').length;
		const named = badResults.filter((b) => b.named).length;
		const badRequests = badResults.reduce((sum, b) => sum + b.requests, 0);
		const badWithRequests = badResults.filter((b) => b.requests > 0).length;
		const failing = badResults.filter((b) => !b.named || b.requests > 0);
		const known = failing.filter((b) => knownBug(b));
		const unknownUnnamed = failing.filter((b) => !knownBug(b) && !b.named).length;
		const unknownRequests = failing.filter((b) => !knownBug(b)).reduce((sum, b) => sum + b.requests, 0);
		const lostRight = lostCases.filter((c) => c.got === c.expected).length;
		const lostTwice = lostCases.filter((c) => c.effective > 1).length;
		const stale = badResults.length ? KNOWN_BAD_INPUT.filter((k) => !known.some((b) => knownBug(b) === k)).map((k) => k.bug) : [];

		const rows: Array<[string, string, string, boolean | string | undefined]> = [
			['Faults: runs (operation × request × fault)', String(faultCases.length), '', undefined],
			['Faults: injected (fired at the sandbox)', String(fired), '', undefined],
			['Faults: runs that ended correctly', `${correct} / ${faultCases.length}`, 'all', correct === faultCases.length],
			['  of which success (after retry or recovery)', String(recovered), '', undefined],
			['  of which clear error naming PowerPost, with a hint', String(clear), '', undefined],
			['Faults: double publishes/creates', String(doubles), '0', doubles === 0],
			['Unhandled exceptions (all suites)', String(unhandled), '0', unhandled === 0],
			['Trigger: posts published / events expected', `${trigger.posts} / ${trigger.expected}`, '', undefined],
			['Trigger: polls / failed polls / faults fired', `${trigger.polls} / ${trigger.failedPolls} / ${trigger.faultsFired}`, '', undefined],
			['Trigger: lost events', String(trigger.lost), '0', trigger.lost === 0],
			['Trigger: duplicate events', String(trigger.duplicates), '0', trigger.duplicates === 0],
			['Trigger: events outside the stream, unclear poll errors', String(trigger.unexpected), '0', trigger.unexpected === 0],
			['Bad input: cases', String(badResults.length), '', undefined],
			['Bad input: error naming the parameter', `${named} / ${badResults.length}`, 'all', named === badResults.length || (unknownUnnamed === 0 && 'known bugs')],
			['Bad input: requests sent (cases with requests)', `${badRequests} (${badWithRequests})`, '0', badRequests === 0 || (unknownRequests === 0 && 'known bugs')],
			['Bad input: cases failing from known node bugs (below)', String(known.length), '', undefined],
			['Lost answers (issue 10): cases ended as the API answers', `${lostRight} / ${lostCases.length}`, 'all', lostRight === lostCases.length],
			['Lost answers: actions that took effect twice', String(lostTwice), '0', lostTwice === 0],
			['Secrets: runs scanned / API key found', `${secrets.runs} / ${secrets.leaks}`, '0', secrets.leaks === 0],
		];
		const width = Math.max(...rows.map((r) => r[0].length));
		const lines = [
			'',
			'=== Fault suite figures ===',
			`${'Figure'.padEnd(width)} | ${'Value'.padEnd(14)} | Target | Met`,
			...rows.map(([name, value, target, met]) => `${name.padEnd(width)} | ${value.padEnd(14)} | ${target.padEnd(6)} | ${met === undefined ? '' : typeof met === 'string' ? `no: ${met}` : met ? 'yes' : 'NO'}`),
		];
		const missed = faultCases.filter((c) => !c.correct);
		if (missed.length) {
			lines.push('', 'Fault runs that did not end as expected:');
			for (const c of missed) lines.push(`  ${c.op} | ${c.target} | ${c.fault} | expected ${c.expected}, got ${c.outcome} | ${c.detail}`);
		}
		const doubled = faultCases.filter((c) => c.doubles > 0);
		if (doubled.length) {
			lines.push('', 'Double publishes/creates:');
			for (const c of doubled) lines.push(`  ${c.op} | ${c.target} | ${c.fault} | ${c.doubles}`);
		}
		const unnamed = badResults.filter((b) => !b.named || b.requests > 0);
		if (unnamed.length) {
			lines.push('', 'Bad-input cases not named or that sent requests:');
			for (const b of unnamed) lines.push(`  ${b.op} | ${b.what} | requests ${b.requests} | ${b.detail}`);
		}
		if (known.length) {
			lines.push('', 'Known node bugs (reported; left out of the assertion until fixed):');
			for (const k of KNOWN_BAD_INPUT) lines.push(`  ${k.bug}: ${known.filter((b) => knownBug(b) === k).length} cases`);
		}
		if (lostCases.length) {
			lines.push('', 'Lost answers (issue 10): case | expected | got | actions that took effect | message');
			for (const c of lostCases) lines.push(`  ${c.name} | ${c.expected} | ${c.got} | ${c.effective} | ${c.detail}`);
		}
		if (secrets.leakedIn.length) lines.push('', 'API key visible in:', ...secrets.leakedIn.map((l) => `  ${l}`));
		if (notes.length) lines.push('', 'Notes:', ...notes.map((n) => `  ${n}`));
		const text = lines.join('\n');
		process.stdout.write(`${text}\n`);
		const dir = path.join(__dirname, '../../test-artifacts');
		mkdirSync(dir, { recursive: true });
		writeFileSync(path.join(dir, 'faults.txt'), `${text}\n`);

		expect({ missed: faultCases.filter((c) => !c.correct).map((c) => `${c.op} ${c.target} ${c.fault}: ${c.detail}`), doubles, unhandled, lost: trigger.lost, duplicates: trigger.duplicates, unexpected: trigger.unexpected, unnamed: unknownUnnamed, badRequests: unknownRequests, staleKnownBugs: stale, secrets: secrets.leaks, lostWrong: lostCases.filter((c) => c.got !== c.expected).map((c) => `${c.name}: expected ${c.expected}, got ${c.got} (${c.detail})`), lostTwice }).toEqual({
			missed: [],
			doubles: 0,
			unhandled: 0,
			lost: 0,
			duplicates: 0,
			unexpected: 0,
			unnamed: 0,
			badRequests: 0,
			staleKnownBugs: [],
			secrets: 0,
			lostWrong: [],
			lostTwice: 0,
		});
	});
});
