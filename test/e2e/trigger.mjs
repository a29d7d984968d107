#!/usr/bin/env node
// E2E: the PowerPost Trigger activated in a running n8n 2.x (or 1.x with `--n8n 1`), against two
// sandboxes at once: one `generous`, one `strict` (only what the API contract documents, its clock
// an hour ahead of n8n's). Publishing makes the trigger fire, each publish result exactly once,
// across a restart of n8n between polls.
//
//   npm run test:e2e:trigger [-- --no-build] [-- --keep] [-- --deadline-min 14] [-- --n8n 1] [-- --scheduler]
//
// `--scheduler` (2.x) turns on n8n's durable scheduler for poll triggers: N8N_SCHEDULER_ENABLED,
// N8N_SCHEDULER_POLL_TRIGGERS_ENABLED, N8N_USE_WORKFLOW_PUBLICATION_SERVICE,
// N8N_POLLER_DURABLE_CURSORS_ENABLED (static data committed with each poll) and
// N8N_SCHEDULER_POLL_TIMEOUT=45. Without it, n8n saves static data only at activation and when a
// poll emits.
//
// What happens (real time; n8n's minimum poll interval is 1 minute):
//   1. two sandboxes + a fresh n8n user folder with our packed package; per sandbox a read-only
//      credential (its polls are told apart in the sandbox request log) and a recorder workflow
//      (PowerPost Trigger, all three events, every minute → No Op). examples/04-publish-results.json
//      is activated too (generous sandbox, full key) when it exists.
//   2. Workflows published with `n8n publish:workflow` before `n8n start`.
//   3. After the activation poll: post A (LinkedIn, Facebook, X with "[fail]") is published.
//   4. After the poll that reports A, n8n is stopped (2.x only). Meanwhile post C is published and
//      finishes, and draft D is created. n8n starts again.
//   5. After the first poll of the restarted n8n: draft D and post B (3 items, the middle one
//      "[fail]") are published.
//   6. Two more polls (the last one idle: no execution).
//   7. Executions are read through n8n's public API (includeData) and compared with the posts'
//      final state in each sandbox: every item.posted / item.failed / post.finished of A, B, C, D
//      exactly once, nothing else.
// Prints the checks and "N passed, N failed"; exit 1 on any failure. About 6–8 minutes.

import fs from 'node:fs';
import path from 'node:path';
import { createUserFolder, fetchJson, freePort, packPackage, sandboxCredential, startSandboxProcess } from '../../scripts/n8n-driver.mjs';
import { prepareExampleWorkflow, EXAMPLES_DIR } from '../../scripts/examples.mjs';
import { provision } from '../../scripts/n8n-runtime.mjs';
import { artifactsDir, createHarness, ensureBuilt, executionsOf, parseCommonArgs, pollsIn, startServerRetry, sleep } from './lib-harness.mjs';

const args = parseCommonArgs(process.argv.slice(2), { deadlineMin: 14 });
// `--n8n 1` runs the same check in n8n 1.x (default 2.x).
const N8N = args.rest?.[args.rest.indexOf('--n8n') + 1] === '1' && args.rest.includes('--n8n') ? '1' : '2';
const SCHEDULER = (args.rest ?? []).includes('--scheduler');
const SCHEDULER_ENV = {
	N8N_SCHEDULER_ENABLED: 'true',
	N8N_SCHEDULER_POLL_TRIGGERS_ENABLED: 'true',
	N8N_USE_WORKFLOW_PUBLICATION_SERVICE: 'true',
	N8N_POLLER_DURABLE_CURSORS_ENABLED: 'true',
	N8N_SCHEDULER_POLL_TIMEOUT: '45',
};
const h = createHarness(`e2e:trigger n8n ${N8N}${SCHEDULER ? ' scheduler' : ''}`, { deadlineMin: args.deadlineMin });
const { log } = h;

// With its G/S suffix at most 16 characters: n8n 1.x saves static data only for workflow ids of
// up to 16 characters (scripts/n8n-driver.mjs importWorkflows checks it).
const RECORDER_ID = 'ppE2eTrigRec1';
const TRIGGER_NAME = 'PowerPost Trigger';
const EXAMPLE_FILE = path.join(EXAMPLES_DIR, '04-publish-results.json');
const READ_CRED_ID = 'ppSandboxCredRO1';
const POLL_GAP_MS = 10000; // requests of one poll arrive within this gap

function recorderWorkflow(id = RECORDER_ID, credId = READ_CRED_ID, label = '') {
	return {
		id,
		name: `(e2e) trigger recorder${label}`,
		nodes: [
			{
				id: 't1',
				name: TRIGGER_NAME,
				type: 'n8n-nodes-powerpost.powerPostTrigger',
				typeVersion: 1,
				position: [0, 0],
				parameters: {
					pollTimes: { item: [{ mode: 'everyMinute' }] },
					events: ['itemPosted', 'itemFailed', 'postFinished'],
					filters: {},
					options: {},
				},
				credentials: { powerPostApi: { id: credId, name: `PowerPost Sandbox (read only)${label}` } },
			},
			{ id: 't2', name: 'Record', type: 'n8n-nodes-base.noOp', typeVersion: 1, position: [220, 0], parameters: {} },
		],
		connections: { [TRIGGER_NAME]: { main: [[{ node: 'Record', type: 'main', index: 0 }]] } },
		settings: { executionOrder: 'v1', saveDataSuccessExecution: 'all', saveDataErrorExecution: 'all' },
	};
}

/** The trigger example with its credential pointed at ours and its poll forced to every minute. */
function exampleWorkflow(cred) {
	const { workflow } = prepareExampleWorkflow(EXAMPLE_FILE, cred);
	const triggers = (workflow.nodes ?? []).filter((n) => n.type === 'n8n-nodes-powerpost.powerPostTrigger');
	if (triggers.length !== 1) throw new Error(`expected one PowerPost Trigger in ${path.basename(EXAMPLE_FILE)}, found ${triggers.length}`);
	const original = JSON.stringify(triggers[0].parameters?.pollTimes ?? null);
	triggers[0].parameters = { ...triggers[0].parameters, pollTimes: { item: [{ mode: 'everyMinute' }] } };
	// a Manual Trigger next to it would be fine; n8n activates on the poll trigger
	workflow.settings = { ...(workflow.settings ?? {}), saveDataSuccessExecution: 'all', saveDataErrorExecution: 'all' };
	return { workflow, triggerName: triggers[0].name, trigger: triggers[0], originalPollTimes: original };
}

// ---------- sandbox API (as a user would: full key) ----------

function sandboxApi(sb) {
	const call = async (method, p, body) => {
		const { res, text } = await fetchJson(`${sb.url}${p}`, { method, headers: { 'x-api-key': sb.keys.full, 'X-Workspace-Id': sb.workspaces.primary }, body });
		if (!res.ok) throw new Error(`${method} ${p} → ${res.status}: ${text.slice(0, 300)}`);
		return JSON.parse(text);
	};
	return {
		createPost: (items) => call('POST', '/posts', { items }),
		publish: (id) => call('POST', `/posts/${id}/publish`),
		getPost: (id) => call('GET', `/posts/${id}`),
	};
}

/** Polls of one credential (key label) seen by the sandbox: clusters of its requests. */
async function pollsOf(sb, keyLabel) {
	return pollsIn((await sb.requests())?.requests ?? [], keyLabel, POLL_GAP_MS);
}

/** The first poll that starts after `after` (ms, sandbox request times) and has ended. */
async function waitForPollAfter(sb, keyLabel, after, timeoutMs) {
	const t0 = Date.now();
	while (Date.now() - t0 < timeoutMs && h.remainingMs() > 0) {
		const polls = (await pollsOf(sb, keyLabel)).filter((p) => p.at > after);
		// complete when its last request is a few seconds old (sandbox clock: it may run ahead of ours)
		const now = (await sb.control('GET', '/info'))?.clock?.now ?? Date.now();
		if (polls.length && now - polls[0].lastAt > 5000) return polls[0];
		await sleep(500);
	}
	throw new Error(`no poll of the ${keyLabel} key after +${Math.round(after / 1000)} within ${Math.round(timeoutMs / 1000)} s`);
}

async function waitForPoll(sb, keyLabel, count, timeoutMs) {
	const t0 = Date.now();
	while (Date.now() - t0 < timeoutMs && h.remainingMs() > 0) {
		const polls = await pollsOf(sb, keyLabel);
		// the poll is complete when its last request is a few seconds old
		if (polls.length >= count && Date.now() - polls[count - 1].lastAt > 2500) return polls;
		await sleep(500);
	}
	throw new Error(`poll #${count} (${keyLabel} key) not seen within ${Math.round(timeoutMs / 1000)} s`);
}

// ---------- n8n executions ----------

function eventsIn(execution, triggerName) {
	const runs = execution.data?.resultData?.runData?.[triggerName] ?? [];
	const items = runs.flatMap((r) => r?.data?.main?.[0] ?? []);
	return items.map((i) => i.json);
}

const eventKey = (e) => `${e.event}|${e.post_id}|${e.item_id ?? '-'}`;

/** What the trigger must report for these posts (final sandbox state), filtered like the node. */
function expectedEvents(posts, { events = ['itemPosted', 'itemFailed', 'postFinished'], platforms = [], postTypes = [] } = {}) {
	const want = new Set(events);
	const itemOk = (it) => (!platforms.length || platforms.includes(it.platform)) && (!postTypes.length || postTypes.includes(it.post_type));
	const out = [];
	for (const p of posts) {
		for (const it of p.items) {
			if (it.status === 'posted' && want.has('itemPosted') && itemOk(it)) out.push({ event: 'item.posted', post_id: p.post_id, item_id: it.item_id });
			if (it.status === 'failed' && want.has('itemFailed') && itemOk(it)) out.push({ event: 'item.failed', post_id: p.post_id, item_id: it.item_id });
		}
		if (want.has('postFinished') && p.items.some(itemOk)) out.push({ event: 'post.finished', post_id: p.post_id, item_id: null });
	}
	return out;
}

function compareEvents(label, executions, triggerName, expected) {
	const seen = new Map();
	executions.forEach((ex, i) => {
		for (const e of eventsIn(ex, triggerName)) {
			const k = eventKey(e);
			if (!seen.has(k)) seen.set(k, []);
			seen.get(k).push({ exec: ex.id, index: i, e });
		}
	});
	const exp = new Set(expected.map(eventKey));
	const missing = [...exp].filter((k) => !seen.has(k));
	const dupes = [...seen].filter(([, v]) => v.length > 1).map(([k, v]) => `${k} ×${v.length} (executions ${v.map((x) => x.exec).join(',')})`);
	const extra = [...seen.keys()].filter((k) => !exp.has(k));
	const byType = (list) => list.reduce((m, k) => ((m[k.split('|')[0]] = (m[k.split('|')[0]] ?? 0) + 1), m), {});
	const got = [...seen].flatMap(([k, v]) => v.map(() => k));
	h.check(
		`${label}: every publish result arrived`,
		missing.length === 0,
		missing.length ? `missing ${missing.join(', ')}` : `expected ${JSON.stringify(byType([...exp]))}`,
	);
	h.check(`${label}: no result arrived twice`, dupes.length === 0, dupes.length ? dupes.join('; ') : `${got.length} events in ${executions.length} executions`);
	h.check(`${label}: nothing unexpected`, extra.length === 0, extra.length ? `unexpected ${extra.join(', ')}` : `got ${JSON.stringify(byType(got))}`);
	return seen;
}

// ---------- main ----------

const STRICT_SKEW_MS = 3600_000; // the strict sandbox's clock runs an hour ahead of n8n's

/** Starts a sandbox process with a profile (the CLI reads POWERPOST_SANDBOX_PROFILE). */
async function sandboxWithProfile(profile) {
	const before = process.env.POWERPOST_SANDBOX_PROFILE;
	process.env.POWERPOST_SANDBOX_PROFILE = profile;
	try {
		const sb = await startSandboxProcess({ logFile: path.join(artifactsDir('e2e'), `trigger-sandbox-${profile}-n8n${N8N}${SCHEDULER ? '-scheduler' : ''}.log`) });
		h.onCleanup(() => sb.stop());
		return sb;
	} finally {
		if (before === undefined) delete process.env.POWERPOST_SANDBOX_PROFILE;
		else process.env.POWERPOST_SANDBOX_PROFILE = before;
	}
}

/** LinkedIn, Facebook and X items of post `name`; the item at `failing` fails at publish. */
const threeItems = (name, failing) =>
	['linkedin-post', 'facebook-post', 'x-post'].map((type, i) => ({ post_type: type, content: `e2e trigger ${name}: ${type}${i === failing ? ' [fail]' : ''}` }));

const fmt = (poll, tStart) => `+${((poll.at - tStart) / 1000).toFixed(1)} s, ${poll.requests.length} request(s): ${poll.requests.map((r) => `${r.method} ${r.path}${Object.keys(r.query).length ? `?${new URLSearchParams(r.query)}` : ''}`).join(', ')}`;

async function main() {
	await ensureBuilt(args, log);
	if (SCHEDULER && N8N !== '2') throw new Error('--scheduler needs n8n 2.x');
	log(`n8n ${N8N}${SCHEDULER ? ' with the durable scheduler' : ''}: provisioning (reused when ready)`);
	await provision(N8N, { log: (l) => log(l) });
	const pkg = await packPackage();

	// two sandboxes: generous and strict (strict clock an hour ahead)
	const sides = [];
	for (const profile of ['generous', 'strict']) {
		const sb = await sandboxWithProfile(profile);
		const info = await sb.control('GET', '/info');
		if (info.profile !== profile) throw new Error(`sandbox profile ${info.profile}, expected ${profile}`);
		if (profile === 'strict') await sb.advanceClock(STRICT_SKEW_MS);
		log(`sandbox ${profile} on ${sb.origin}${profile === 'strict' ? ' (clock +1 h)' : ''}`);
		const suffix = profile === 'strict' ? 'S' : 'G';
		sides.push({ profile, sb, api: sandboxApi(sb), workflowId: `${RECORDER_ID}${suffix}`, credId: `${READ_CRED_ID}${suffix}`, posts: {} });
	}

	const uf = await createUserFolder(N8N, { extraEnv: SCHEDULER ? SCHEDULER_ENV : {} });
	h.onCleanup(() => uf.cleanup({ keep: args.keep }));
	await uf.installPackage(pkg);
	const fullCred = sandboxCredential(sides[0].sb);
	const creds = [fullCred];
	const workflows = [];
	for (const side of sides) {
		creds.push(sandboxCredential(side.sb, { key: 'readOnly', id: side.credId, name: `PowerPost Sandbox (read only) ${side.profile}` }));
		workflows.push(recorderWorkflow(side.workflowId, side.credId, ` ${side.profile}`));
	}
	await uf.importCredentials(creds);

	let example = null;
	if (fs.existsSync(EXAMPLE_FILE)) {
		try {
			example = exampleWorkflow(fullCred);
			workflows.push(example.workflow);
			log(`also activating ${path.basename(EXAMPLE_FILE)} (trigger "${example.triggerName}", poll times ${example.originalPollTimes} → everyMinute)`);
		} catch (e) {
			h.check('04-publish-results.json: importable trigger example', false, e.message);
		}
	}
	await uf.importWorkflows(workflows);
	for (const wf of workflows) {
		const r = await uf.activateWorkflowOffline(wf.id);
		log(`published ${wf.id} (${(r.ms / 1000).toFixed(1)} s)`);
	}

	const tStart = Date.now();
	let srv = await startServerRetry(uf, freePort, log);
	log(`n8n ${srv.url} ready in ${((Date.now() - tStart) / 1000).toFixed(1)} s`);
	for (const side of sides) {
		const active = await srv.api('GET', `/api/v1/workflows/${side.workflowId}`);
		h.check(`${side.profile}: recorder workflow is active after start`, active.active === true, `active=${active.active}`);
	}

	const sbNow = async (side) => (await side.sb.control('GET', '/info'))?.clock?.now ?? Date.now();
	const pollAfter = async (side, after, label, timeoutMs = 100000) => {
		const poll = await waitForPollAfter(side.sb, 'readOnly', after, timeoutMs);
		log(`${side.profile} ${label}: ${fmt(poll, side.t0)}`);
		(side.polls ??= []).push({ label, ...poll });
		return poll;
	};
	for (const side of sides) side.t0 = (await sbNow(side)) - (Date.now() - tStart);

	// 1) activation poll: starts from "now"
	for (const side of sides) side.last = await pollAfter(side, 0, 'poll 1 (activation)');

	// 2) post A, finished long before the next poll
	for (const side of sides) {
		side.posts.A = await side.api.createPost(threeItems('A', 2));
		await side.api.publish(side.posts.A.post_id);
	}
	log('published post A on both sandboxes');
	for (const side of sides) side.last = await pollAfter(side, side.last.lastAt, 'poll 2 (reports A)');

	// 3) n8n restarts (1.x and 2.x); meanwhile post C is published and finishes, draft D is created
	log('stopping n8n');
	await srv.stop();
	for (const side of sides) {
		side.posts.C = await side.api.createPost([{ post_type: 'x-post', content: 'e2e trigger C: while n8n was down' }, { post_type: 'tiktok-video', content: 'C [fail]' }]);
		await side.api.publish(side.posts.C.post_id);
		side.posts.D = await side.api.createPost([{ post_type: 'instagram-feed', content: 'e2e trigger D: a draft published later' }]);
	}
	log('published post C and created draft D while n8n was down');
	await sleep(6000);
	for (const side of sides) side.restartAt = await sbNow(side);
	const tRestart = Date.now();
	srv = await startServerRetry(uf, freePort, log);
	log(`n8n restarted in ${((Date.now() - tRestart) / 1000).toFixed(1)} s`);
	for (const side of sides) side.last = await pollAfter(side, side.restartAt, 'poll 3 (first after restart)');

	// 4) draft D and post B published
	for (const side of sides) {
		await side.api.publish(side.posts.D.post_id);
		side.posts.B = await side.api.createPost(threeItems('B', 1));
		await side.api.publish(side.posts.B.post_id);
	}
	log('published draft D and post B on both sandboxes');
	await sleep(8000); // B and D finish (sandbox real time)
	for (const side of sides) side.last = await pollAfter(side, side.last.lastAt, 'poll 4 (reports B, D)');
	let idleChecked = false;
	if (h.remainingMs() > 100000) {
		for (const side of sides) side.idle = side.last = await pollAfter(side, side.last.lastAt, 'poll 5 (idle)');
		idleChecked = true;
	} else log('skipping the idle poll: deadline close');
	await sleep(2000); // let the last execution be saved

	// ---------- compare ----------
	const dump = {};
	for (const side of sides) {
		const finals = [];
		for (const [name, post] of Object.entries(side.posts)) {
			const final = await side.api.getPost(post.post_id);
			finals.push(final);
			log(`${side.profile} sandbox: ${name} ${final.status} [${final.items.map((i) => `${i.platform}:${i.status}`).join(', ')}]`);
		}
		const expected = expectedEvents(finals);
		const execs = await executionsOf(srv, side.workflowId);
		const seen = compareEvents(side.profile, execs, TRIGGER_NAME, expected);
		h.check(
			`${side.profile}: every execution succeeded`,
			execs.length > 0 && execs.every((e) => e.status === 'success'),
			execs.map((e) => `#${e.id} ${e.mode}/${e.status}: ${eventsIn(e, TRIGGER_NAME).length} event(s)`).join('; '),
		);
		const names = Object.fromEntries(Object.entries(side.posts).map(([name, post]) => [post.post_id, name]));
		for (const ex of execs) log(`${side.profile} execution #${ex.id} at ${ex.startedAt}: ${eventsIn(ex, TRIGGER_NAME).map((e) => `${e.event}(${names[e.post_id] ?? '?'}${e.platform ? ` ${e.platform}` : ''})`).join(', ')}`);
		if (idleChecked) {
			// nothing new since the previous poll: no execution started after the idle poll began
			const idleRealTime = tStart + (side.idle.at - side.t0); // the idle poll, on n8n's clock
			const late = execs.filter((ex) => Date.parse(ex.startedAt) >= idleRealTime - 1000);
			h.check(`${side.profile}: idle poll started no execution`, late.length === 0, late.map((e) => `#${e.id} ${e.startedAt}`).join(', '));
			h.check(`${side.profile}: idle poll made one request`, side.idle.requests.length === 1, side.idle.requests.map((r) => `${r.method} ${r.path}?${new URLSearchParams(r.query)}`).join(', '));
		}
		dump[side.profile] = { polls: side.polls, executions: execs, expected, seen: [...seen.keys()] };
	}

	if (example) {
		const side = sides[0];
		const finals = await Promise.all(Object.values(side.posts).map((post) => side.api.getPost(post.post_id)));
		const exExecs = await executionsOf(srv, example.workflow.id);
		const p = example.trigger.parameters ?? {};
		const exExpected = expectedEvents(finals, {
			events: p.events ?? ['itemPosted', 'itemFailed'],
			platforms: p.filters?.platforms ?? [],
			postTypes: p.filters?.postTypes ?? [],
		});
		compareEvents('04-publish-results.json', exExecs, example.triggerName, exExpected);
		const itemsOf = (ex, node) => (ex.data?.resultData?.runData?.[node] ?? []).reduce((n, r) => n + (r?.data?.main?.[0]?.length ?? 0), 0);
		const names = new Set((example.workflow.nodes ?? []).map((n) => n.name));
		if (names.has('Success Report') && names.has('Failure Report')) {
			const sum = (node) => exExecs.reduce((n, ex) => n + itemsOf(ex, node), 0);
			const posted = exExpected.filter((e) => e.event === 'item.posted').length;
			const failed = exExpected.filter((e) => e.event === 'item.failed').length;
			h.check(
				'04-publish-results.json: successes and failures routed apart',
				sum('Success Report') === posted && sum('Failure Report') === failed,
				`Success Report ${sum('Success Report')} item(s) (expected ${posted}), Failure Report ${sum('Failure Report')} (expected ${failed})`,
			);
		}
		const bad = exExecs.filter((e) => e.status !== 'success');
		h.check(
			'04-publish-results.json: every execution succeeded',
			exExecs.length > 0 && bad.length === 0,
			exExecs.map((e) => `#${e.id} ${e.status}${e.status !== 'success' ? `: ${e.data?.resultData?.error?.message ?? ''}` : ''}`).join('; '),
		);
		fs.writeFileSync(path.join(artifactsDir('e2e'), 'trigger-example-executions.json'), JSON.stringify(exExecs, null, 2));
	}
	fs.writeFileSync(path.join(artifactsDir('e2e'), `trigger-executions-n8n${N8N}${SCHEDULER ? '-scheduler' : ''}.json`), JSON.stringify(dump, null, 2));
	h.check('n8n still running at the end', srv.child.exitCode === null && srv.child.signalCode === null, '');
}

main()
	.catch((e) => h.check('trigger e2e ran to the end', false, e?.stack?.split('\n').slice(0, 4).join(' | ') ?? String(e)))
	.finally(() => h.finish());
