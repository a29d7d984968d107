#!/usr/bin/env node
// E2E: the PostEverywhere examples and the PostEverywhere Webhook Trigger in real n8n 2.x and 1.x,
// with the packed package installed the way n8n installs it, against the PostEverywhere sandbox
// under its STRICT profile (only what the contract documents) plus the one switch a local receiver
// needs (`localWebhookUrls`: PostEverywhere itself delivers only to public HTTPS URLs).
//
//   npm run test:e2e:posteverywhere [-- --no-build] [-- --n8n 2|1] [-- --keep] [-- --deadline-min 20]
//
// Per n8n major (one sandbox, one user folder, ONE `n8n start`):
//   1. examples/posteverywhere/01 (binary video → Media Upload → Publish on 3 accounts, waiting) and
//      03 (rows → Bulk Schedule dry run → Bulk Schedule) run with `n8n execute --id` (Manual Trigger).
//   2. n8n starts; 02 (Webhook Trigger → Failed? → Retry Failed Account / Published) is activated over
//      the public API: the trigger must register exactly one webhook in the sandbox.
//   3. Two posts are published in the sandbox (instagram + linkedin; x with "[fail-once]"): the sandbox
//      sends signed deliveries (post.published ×2, post.failed after the automatic attempts); the
//      workflow retries the failed account, which then publishes (post.published). Exactly one
//      production execution per delivered event, routed by outcome.
//   4. Forged deliveries (bad signature, no signature, stale timestamp, tampered body) get 401 and
//      start nothing; a replay of a delivered event is answered 200 and starts nothing; a fresh
//      control delivery (positive control) starts exactly one execution.
//   5. Deactivation deletes the webhook in the sandbox.
//   6. The polling PostEverywhere Trigger (every minute → No Op, read-only key), activated in the same
//      n8n start before the webhook example: its activation poll marks what exists as seen. Besides
//      the webhook part's two posts, two more are published after step 5 (the video on every
//      account; three accounts, facebook failing every attempt). After they are final and two more
//      polls: each destination result arrived exactly once (by destination_key + event), nothing of
//      the posts from before activation, every execution succeeded, the events carry the sandbox's
//      final state, and the second poll after that started nothing.
// Prints a table of checks; exit 1 on any failure.

import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { createUserFolder, fetchJson, freePort, packPackage, REPO_DIR, sleep } from '../../scripts/n8n-driver.mjs';
import { prepareExampleWorkflow } from '../../scripts/examples.mjs';
import { provision } from '../../scripts/n8n-runtime.mjs';
import { artifactsDir, createHarness, ensureBuilt, executeRepeatingSilentExit, executionsOf, parseCommonArgs, pollsIn, startServerRetry } from './lib-harness.mjs';

const args = parseCommonArgs(process.argv.slice(2), { deadlineMin: 20 });
const rest = args.rest ?? [];
const only = rest.includes('--n8n') ? rest[rest.indexOf('--n8n') + 1] : undefined;
const VERSIONS = only ? [only] : ['2', '1'];
const h = createHarness('e2e:posteverywhere', { deadlineMin: args.deadlineMin });
const { log } = h;

const EXAMPLES = path.join(REPO_DIR, 'examples', 'posteverywhere');
const VIDEO = '01-video-to-several-accounts.json';
const WEBHOOK = '02-webhook-retry-failed.json';
const BULK = '03-bulk-schedule-dry-run.json';
const CREDENTIAL = { id: 'peSandboxCred001', name: 'PostEverywhere Sandbox', type: 'postEverywhereRestApi' };
const FORGERIES = ['bad-signature', 'no-signature', 'stale-timestamp', 'tampered-body'];
// the polling trigger's recorder: its id at most 16 characters (n8n 1.x keeps static data only for those)
const POLL_WF = 'pePollRec1';
const POLL_TRIGGER = 'PostEverywhere Trigger';
const READ_CREDENTIAL = { id: 'pePollCredRO1', name: 'PostEverywhere Sandbox (read only)', type: 'postEverywhereRestApi' };

function pollRecorder() {
	return {
		id: POLL_WF,
		name: '(e2e) PostEverywhere Trigger recorder',
		nodes: [
			{
				id: 'p1',
				name: POLL_TRIGGER,
				type: 'n8n-nodes-powerpost.postEverywhereTrigger',
				typeVersion: 1,
				position: [0, 0],
				parameters: { pollTimes: { item: [{ mode: 'everyMinute' }] }, events: ['published', 'failed'], options: {} },
				credentials: { postEverywhereRestApi: { id: READ_CREDENTIAL.id, name: READ_CREDENTIAL.name } },
			},
			{ id: 'p2', name: 'Record', type: 'n8n-nodes-base.noOp', typeVersion: 1, position: [220, 0], parameters: {} },
		],
		connections: { [POLL_TRIGGER]: { main: [[{ node: 'Record', type: 'main', index: 0 }]] } },
		settings: { executionOrder: 'v1', saveDataSuccessExecution: 'all', saveDataErrorExecution: 'all' },
	};
}

// ---------- the PostEverywhere sandbox as a separate process (its CLI) ----------

async function startPeSandbox(logFile) {
	const [port, uploadPort] = [await freePort(), await freePort()];
	const tsx = path.join(REPO_DIR, 'node_modules', '.bin', 'tsx');
	const cliArgs = ['sandbox/posteverywhere/cli.ts', '--port', String(port), '--upload-port', String(uploadPort), '--profile', 'strict', '--switch', 'localWebhookUrls'];
	// sandbox-clock timing: publishing and the automatic retries settle within seconds
	for (const t of ['publishAttempt=300', 'retryDelay=500', 'mediaProcessing=500']) cliArgs.push('--timing', t);
	cliArgs.push('--no-rate-limit');
	const fd = fs.openSync(logFile, 'w');
	const child = spawn(tsx, cliArgs, { cwd: REPO_DIR, stdio: ['ignore', fd, fd] });
	fs.closeSync(fd);
	const exited = new Promise((res) => child.on('exit', res));
	const origin = `http://127.0.0.1:${port}`;
	const stop = async () => {
		if (child.exitCode !== null || child.signalCode !== null) return;
		child.kill('SIGTERM');
		await exited;
	};
	const t0 = Date.now();
	let info;
	while (!info) {
		if (child.exitCode !== null) throw new Error(`PostEverywhere sandbox exited: ${fs.readFileSync(logFile, 'utf8').slice(-1500)}`);
		if (Date.now() - t0 > 60000) {
			await stop();
			throw new Error('PostEverywhere sandbox not up after 60 s');
		}
		try {
			const res = await fetch(`${origin}/__sandbox/info`, { signal: AbortSignal.timeout(2000) });
			if (res.ok) info = await res.json();
		} catch {}
		if (!info) await sleep(300);
	}
	const request = async (url, method, body, headers = {}) => {
		const { res, text, json } = await fetchJson(url, { method, headers, body });
		return { status: res.status, json: json === undefined ? text : json };
	};
	const key = info.keys.full;
	const sb = {
		origin,
		url: info.url ?? `${origin}/api/v1`,
		info,
		key,
		stop,
		control: async (method, p, body) => (await request(`${origin}/__sandbox${p}`, method, body)).json,
		/** The API as a user calls it (full key); returns { status, data }. */
		api: async (method, p, body) => {
			const r = await request(`${sb.url}${p}`, method, body, { Authorization: `Bearer ${key}` });
			return { status: r.status, data: r.json?.data ?? r.json };
		},
	};
	return sb;
}

// ---------- n8n results ----------

/** Items of a node's last run (main output `output`) in an execution's data. */
function itemsOf(data, node, output = 0) {
	const runs = data?.resultData?.runData?.[node] ?? [];
	return (runs[runs.length - 1]?.data?.main?.[output] ?? []).map((i) => i.json);
}
const ranIn = (data, node) => (data?.resultData?.runData?.[node] ?? []).length > 0;

const finished = (list) => list.filter((e) => e.finished || (e.status && !['running', 'new', 'waiting'].includes(e.status)));

async function until(what, fn, timeoutMs) {
	const t0 = Date.now();
	for (;;) {
		const v = await fn();
		if (v) return v;
		if (Date.now() - t0 > timeoutMs || h.remainingMs() < 0) throw new Error(`${what}: not within ${Math.round(timeoutMs / 1000)} s`);
		await sleep(500);
	}
}

const hooksIn = async (sb) => {
	const r = await sb.api('GET', '/webhooks');
	return Array.isArray(r.data) ? r.data : (r.data?.webhooks ?? []);
};
const requestsOf = async (sb) => (await sb.control('GET', '/requests'))?.requests ?? [];

/**
 * `n8n execute`, run once more when n8n exited with no result at all before the workflow sent
 * anything (lib-harness executeRepeatingSilentExit). Never after a request reached the sandbox,
 * so nothing is sent twice.
 */
async function executeOnce(uf, sb, id) {
	return executeRepeatingSilentExit(uf, id, {
		timeoutMs: 180000,
		mayRepeat: async (run) => {
			if ((await requestsOf(sb)).length > 0) return false;
			log(`n8n execute exited ${run.code} with no result and no API request; running it once more. Its stderr ended: ${String(run.stderr ?? '').trim().split('\n').slice(-5).join(' | ')}`);
			return true;
		},
	});
}
const count = (reqs, method, re) => reqs.filter((r) => r.method === method && re.test(r.path)).length;

// ---------- the polling trigger ----------

/** The first poll (read-only key) that starts after `after` (sandbox clock) and has ended (its last request 4 s old). */
async function pollAfter(sb, after, what) {
	return await until(what, async () => {
		const poll = pollsIn(await requestsOf(sb), 'readOnly').find((p) => p.at > after);
		const now = (await sb.control('GET', '/info'))?.clock?.now ?? Date.now();
		return poll && now - poll.lastAt > 4000 ? poll : null;
	}, 100000);
}

const PUBLISHED = ['published', 'done'];
const isFinal = (d) => PUBLISHED.includes(d.status) || d.status === 'failed';

/** Every result of these posts published, or failed with no retry pending (next_retry_at: the results endpoint only, §4.6). */
async function allFinal(sb, postIds) {
	const results = await Promise.all(postIds.map(async (postId) => (await sb.api('GET', `/posts/${postId}/results`)).data?.results));
	return results.every((list) => Array.isArray(list) && list.length > 0 && list.every((r) => isFinal(r) && !r.next_retry_at));
}

/**
 * The trigger's events against the posts' final state (GET /posts/{id}). Each destination's final
 * result (published, or failed after its last attempt) exactly once, with the final state's fields;
 * besides, a failure seen before a later attempt (a retry pending, or failed before a retry that
 * published) at most once per event; nothing else.
 */
function judgePollEvents(events, finals) {
	const destinations = new Map();
	for (const post of finals) for (const d of post.destinations ?? []) destinations.set(`${post.post_id ?? post.id}:${d.account_id}`, d);
	const byKey = new Map();
	for (const e of events) {
		const k = `${e.destination_key}|${e.event}`;
		byKey.set(k, [...(byKey.get(k) ?? []), e]);
	}
	const missing = [];
	const wrong = [];
	for (const [key, d] of destinations) {
		const [e, ...again] = byKey.get(`${key}|${PUBLISHED.includes(d.status) ? 'published' : 'failed'}`) ?? [];
		if (!e) missing.push(`${key} ${d.platform} ${d.status}`);
		else if (again.length) wrong.push(`${key} ${e.event} ×${again.length + 1}`);
		else {
			const fields = ['account_id', 'platform', 'status', 'attempts', 'published_at', 'platform_post_id', 'platform_post_url', 'error'];
			const off = fields.filter((f) => (e[f] ?? null) !== (d[f] ?? null));
			if (off.length) wrong.push(`${key} ${e.event}: ${off.map((f) => `${f} ${JSON.stringify(e[f])} ≠ ${JSON.stringify(d[f])}`).join(', ')}`);
		}
	}
	const unexpected = [];
	for (const [k, list] of byKey) {
		const [key, event] = k.split('|');
		const d = destinations.get(key);
		const final = d && (PUBLISHED.includes(d.status) ? 'published' : 'failed');
		if (event === final) continue;
		// a failure before a later attempt: before a retry that published, or with a retry pending before the last failure
		const earlier = final === 'published' ? ['failed', 'failed_retry_pending'].includes(event) : event === 'failed_retry_pending' && list.every((e) => Number(e.attempts) < Number(d.attempts));
		if (!earlier) unexpected.push(`${k}${d ? '' : ' (not a post published after activation)'}`);
		else if (list.length > 1) wrong.push(`${k} ×${list.length}`);
	}
	return { destinations: destinations.size, missing, wrong, unexpected };
}

// ---------- one n8n major ----------

async function runVersion(N8N, pkg) {
	const tag = `n8n ${N8N}`;
	const sb = await startPeSandbox(path.join(artifactsDir('e2e'), `posteverywhere-sandbox-n8n${N8N}.log`));
	h.onCleanup(() => sb.stop());
	h.check(`${tag}: sandbox under the strict profile, local webhook URLs allowed`, sb.info.profile === 'strict' && sb.info.switches?.localWebhookUrls === true, `profile ${sb.info.profile}`);
	log(`${tag}: PostEverywhere sandbox on ${sb.origin} (strict + localWebhookUrls)`);

	const uf = await createUserFolder(N8N);
	h.onCleanup(() => uf.cleanup({ keep: args.keep }));
	await uf.installPackage(pkg);
	const credential = { ...CREDENTIAL, data: { apiKey: sb.key, baseUrl: sb.url } };
	await uf.importCredentials([credential, { ...READ_CREDENTIAL, data: { apiKey: sb.info.keys.readOnly, baseUrl: sb.url } }]);
	const wf = Object.fromEntries([VIDEO, WEBHOOK, BULK].map((f) => [f, prepareExampleWorkflow(path.join(EXAMPLES, f), credential).workflow]));
	await uf.importWorkflows([...Object.values(wf), pollRecorder()]);
	const existing = { posts: [], media: undefined }; // what exists before the polling trigger is activated

	// 1a) binary video → upload → publish on three accounts, waiting for every result
	{
		const t0 = Date.now();
		const run = await executeOnce(uf, sb, wf[VIDEO].id);
		const data = run.result?.data;
		h.check(`${tag} ${VIDEO}: finished with success`, run.ok, run.ok ? `${((Date.now() - t0) / 1000).toFixed(1)} s (n8n execute)` : run.error);
		const [media] = itemsOf(data, 'Upload Video');
		// the bytes the example's Code node builds (its base64 literal), to compare with what was stored
		const literal = /const mp4 = '([A-Za-z0-9+/=]+)'/.exec(wf[VIDEO].nodes.find((n) => n.name === 'Video File')?.parameters?.jsCode ?? '')?.[1] ?? '';
		const bytes = Buffer.from(literal, 'base64');
		const sha256 = createHash('sha256').update(bytes).digest('hex');
		const uploads = (await sb.control('GET', '/uploads'))?.uploads ?? [];
		const stored = ((await sb.control('GET', '/media'))?.media ?? []).find((m) => m.id === media?.media_id);
		h.check(
			`${tag} ${VIDEO}: the video went to the upload host without the key, whole`,
			!!media?.media_id && uploads.length === 1 && uploads[0].method === 'PUT' && uploads[0].authorization === false && bytes.length > 0 && stored?.stored?.size === bytes.length && stored?.stored?.sha256 === sha256,
			`media ${media?.media_id} ${media?.status}; uploads ${uploads.map((u) => `${u.method} auth=${u.authorization} ${u.bytes} B`).join(', ')}; sent ${bytes.length} B sha256 ${sha256.slice(0, 12)}…, stored ${stored?.stored?.size} B sha256 ${String(stored?.stored?.sha256).slice(0, 12)}…`,
		);
		const [post] = itemsOf(data, 'Publish');
		existing.media = media?.media_id;
		existing.posts.push(post?.post_id ?? post?.id);
		const results = post?.results ?? [];
		h.check(
			`${tag} ${VIDEO}: published on 3 accounts, each result reported`,
			post?.outcome === 'published' && results.length === 3 && results.every((r) => r.status === 'published'),
			`outcome ${post?.outcome}; ${results.map((r) => `${r.account_id}:${r.status}`).join(', ')}`,
		);
		const reqs = await requestsOf(sb);
		h.check(`${tag} ${VIDEO}: one POST /posts, one upload slot`, count(reqs, 'POST', /^\/posts$/) === 1 && count(reqs, 'POST', /^\/media\/upload$/) === 1, `${reqs.length} API requests`);
	}

	// 1c) rows → bulk schedule dry run → for real
	{
		await sb.control('DELETE', '/requests');
		const run = await executeOnce(uf, sb, wf[BULK].id);
		const data = run.result?.data;
		h.check(`${tag} ${BULK}: finished with success`, run.ok, run.ok ? `${(run.ms / 1000).toFixed(1)} s (n8n execute)` : run.error);
		const [dry] = itemsOf(data, 'Check Rows');
		const [real] = itemsOf(data, 'Schedule Rows');
		h.check(`${tag} ${BULK}: dry run validated 3 rows, scheduled nothing`, dry?.dry_run === true && dry?.summary?.valid === 3 && dry?.summary?.invalid === 0, JSON.stringify(dry?.summary));
		h.check(
			`${tag} ${BULK}: then 3 posts scheduled`,
			real?.dry_run === false && real?.summary?.scheduled === 3 && (real?.results ?? []).every((r) => r.post_id && r.status === 'scheduled'),
			JSON.stringify(real?.summary),
		);
		existing.posts.push(...(real?.results ?? []).map((r) => r.post_id));
		const sent = (await requestsOf(sb)).filter((r) => r.method === 'POST' && r.path === '/posts/bulk-schedule');
		h.check(`${tag} ${BULK}: two bulk-schedule calls, dry run first`, sent.length === 2 && sent[0].body?.dryRun === true && sent[1].body?.dryRun === false, sent.map((r) => `dryRun=${r.body?.dryRun}`).join(', '));
	}

	// 2) one n8n start: the polling trigger's recorder, then the webhook trigger example, activated
	const srv = await startServerRetry(uf, freePort, log);
	h.onCleanup(() => srv.stop());
	const tPoll = Date.now();
	await srv.activate(POLL_WF);
	const activation = await pollAfter(sb, 0, 'the polling trigger\'s activation poll');
	h.check(
		`${tag} poll trigger: the activation poll read with the read-only key and started nothing`,
		(await executionsOf(srv, POLL_WF, { includeData: false })).length === 0,
		activation.requests.map((r) => `${r.method} ${r.path}?${new URLSearchParams(r.query)} → ${r.status}`).join(', '),
	);
	// two posts for it alone, final before the webhook example is activated (no delivery of theirs)
	const { accounts } = sb.info;
	const everywhere = await sb.api('POST', '/posts', {
		content: 'e2e poll: the new roast, everywhere',
		account_ids: ['instagram', 'x', 'facebook', 'linkedin', 'youtube', 'tiktok', 'threads', 'pinterest'].map((p) => accounts[p]),
		media_ids: [existing.media],
		platform_content: { youtube: { settings: { title: 'The new roast' } } },
	});
	const partly = await sb.api('POST', '/posts', { content: 'e2e poll: opening hours [fail:facebook]', account_ids: [accounts.linkedin, accounts.facebook, accounts.threads] });
	const pollPosts = [everywhere, partly].map((r) => r.data?.id ?? r.data?.post_id).filter(Boolean);
	h.check(`${tag} poll trigger: two posts published (8 accounts; 3 with facebook failing)`, everywhere.status < 300 && partly.status < 300 && pollPosts.length === 2, `${everywhere.status}, ${partly.status} ${everywhere.status < 300 ? '' : JSON.stringify(everywhere.data).slice(0, 200)}`);
	await until('the poll trigger\'s posts final', async () => await allFinal(sb, pollPosts), 60000);
	const id = wf[WEBHOOK].id;
	const trigger = wf[WEBHOOK].nodes.find((n) => n.type === 'n8n-nodes-powerpost.postEverywhereWebhookTrigger');
	const hookPath = `/webhook/${trigger.webhookId}/webhook`;
	await srv.activate(id);
	const hooks = await until('the webhook registered in the sandbox', async () => {
		const list = await hooksIn(sb);
		return list.some((w) => String(w.url).endsWith(hookPath)) ? list : null;
	}, 30000);
	h.check(`${tag} ${WEBHOOK}: activation registered one webhook`, hooks.length === 1 && hooks[0].is_active !== false, hooks.map((w) => `${w.id} ${w.url} [${w.events}]`).join('; '));
	const hookId = String(hooks[0].id);

	// 3) signed deliveries from real publishing
	const p1 = await sb.api('POST', '/posts', { content: 'e2e: new roast is live', account_ids: [sb.info.accounts.instagram, sb.info.accounts.linkedin] });
	const p2 = await sb.api('POST', '/posts', { content: 'e2e: barista tip [fail-once]', account_ids: [sb.info.accounts.x] });
	const p2Id = p2.data?.id ?? p2.data?.post_id;
	h.check(`${tag}: two posts published in the sandbox`, p1.status < 300 && p2.status < 300, `${p1.status}, ${p2.status}`);
	const hookDeliveries = async () => ((await sb.control('GET', '/deliveries'))?.deliveries ?? []).filter((d) => d.webhook_id === hookId);
	// post.published ×2 (P1), post.failed (P2 after its automatic attempts), post.published (P2 after the workflow's retry)
	await until('4 deliveries and 4 finished executions', async () => {
		const ds = (await hookDeliveries()).filter((d) => d.state === 'delivered');
		const ex = finished(await executionsOf(srv, id));
		return ds.length >= 4 && ex.length >= 4;
	}, 120000).catch((e) => log(`${tag}: ${e.message}; checking what arrived`));
	await sb.control('POST', '/deliveries/flush');
	await sleep(3000); // a late duplicate would show up here
	const delivered = (await hookDeliveries()).filter((d) => d.state === 'delivered');
	let execs = finished(await executionsOf(srv, id));
	const eventIds = (list) => list.map((e) => itemsOf(e.data, trigger.name)[0]?.event_id);
	const fromExecs = eventIds(execs);
	const byEvent = delivered.reduce((m, d) => ((m[d.event] = (m[d.event] ?? 0) + 1), m), {});
	h.check(`${tag} ${WEBHOOK}: the sandbox delivered post.published ×3, post.failed ×1`, byEvent['post.published'] === 3 && byEvent['post.failed'] === 1 && delivered.length === 4, JSON.stringify(byEvent));
	h.check(
		`${tag} ${WEBHOOK}: exactly one execution per delivered event`,
		execs.length === delivered.length && new Set(fromExecs).size === fromExecs.length && delivered.every((d) => fromExecs.includes(d.event_id)),
		`${execs.length} executions, ${delivered.length} deliveries`,
	);
	h.check(`${tag} ${WEBHOOK}: every execution is a production webhook run and succeeded`, execs.every((e) => e.status === 'success' && e.mode === 'webhook'), execs.map((e) => `#${e.id} ${e.mode}/${e.status}`).join(', '));
	const retried = execs.filter((e) => ranIn(e.data, 'Retry Failed Account'));
	const published = execs.filter((e) => itemsOf(e.data, 'Published').length === 1);
	h.check(`${tag} ${WEBHOOK}: routed by outcome (1 retry, 3 published)`, retried.length === 1 && published.length === 3, `retry in ${retried.map((e) => `#${e.id}`)}, published in ${published.map((e) => `#${e.id}`)}`);
	const final = await sb.api('GET', `/posts/${p2Id}/results`);
	const reqs = await requestsOf(sb);
	h.check(
		`${tag} ${WEBHOOK}: the failed account was retried once and then published`,
		count(reqs, 'POST', new RegExp(`^/posts/${p2Id}/retry$`)) === 1 && JSON.stringify(final.data).includes('"published"'),
		`retry requests ${count(reqs, 'POST', /\/retry$/)}; results ${JSON.stringify(final.data).slice(0, 160)}`,
	);

	// 4) forged deliveries, replays, and a positive control
	const before = execs.length;
	const forged = [];
	for (const forge of FORGERIES) {
		const r = await sb.control('POST', '/webhooks/deliver', { webhook_id: hookId, forge, event: 'post.failed', data: { post_id: p2Id, account_id: sb.info.accounts.x, attempts: 1 } });
		forged.push(`${forge} → ${r?.status}`);
	}
	await sleep(3000);
	execs = finished(await executionsOf(srv, id));
	h.check(`${tag} ${WEBHOOK}: forged deliveries get 401 and start no execution`, forged.every((f) => f.endsWith('→ 401')) && execs.length === before, `${forged.join(', ')}; executions ${before} → ${execs.length}`);
	// replays: the last event (delivered alone), then the first one (delivered while another delivery was running)
	const sorted = [...delivered].sort((a, b) => a.created_at - b.created_at);
	for (const [label, d] of [
		['the last delivered event', sorted[sorted.length - 1]],
		['the first delivered event', sorted[0]],
	]) {
		const n0 = execs.length;
		const r = await sb.control('POST', '/webhooks/deliver', { webhook_id: hookId, replay: d.id });
		await sleep(3000);
		execs = finished(await executionsOf(srv, id));
		const again = eventIds(execs).filter((e) => e === d.event_id).length;
		h.check(`${tag} ${WEBHOOK}: a replay of ${label} is answered 200 and deduplicated`, r?.status === 200 && execs.length === n0 && again === 1, `${d.event} → ${r?.status}; executions ${n0} → ${execs.length}; executions with its event_id: ${again}`);
	}
	const n1 = execs.length;
	const control = await sb.control('POST', '/webhooks/deliver', { webhook_id: hookId, event: 'post.published', data: { post_id: p2Id, platform: 'x', account_id: sb.info.accounts.x } });
	await until('the control delivery executed', async () => eventIds(finished(await executionsOf(srv, id))).includes(control?.event_id), 30000).catch(() => null);
	await sleep(2000);
	const afterControl = finished(await executionsOf(srv, id));
	h.check(`${tag} ${WEBHOOK}: a genuine control delivery is accepted and starts exactly one execution`, control?.status === 200 && afterControl.length === n1 + 1 && eventIds(afterControl).includes(control?.event_id), `status ${control?.status}; executions ${n1} → ${afterControl.length}`);

	// 5) deactivation deletes the webhook in the sandbox
	await srv.api('POST', `/api/v1/workflows/${id}/deactivate`);
	const left = await until('the webhook deleted', async () => ((await hooksIn(sb)).length === 0 ? [] : null), 30000).catch(async () => await hooksIn(sb));
	h.check(`${tag} ${WEBHOOK}: deactivation deleted the webhook`, left.length === 0, left.map((w) => w.id).join(', '));
	fs.writeFileSync(path.join(artifactsDir('e2e'), `posteverywhere-executions-n8n${N8N}.json`), JSON.stringify(afterControl, null, 2));

	// 6) the polling trigger: every result of the four posts published after its activation, once
	const polled = [p1.data?.id ?? p1.data?.post_id, p2Id, ...pollPosts];
	await until('the polled posts final', async () => await allFinal(sb, polled), 60000);
	const finalsThen = await Promise.all(polled.map(async (postId) => (await sb.api('GET', `/posts/${postId}`)).data));
	// when the last of them became final (sandbox clock): a post's status changes, and its updated_at with it, when its last destination settles
	const finalAt = Math.max(...finalsThen.flatMap((p) => [p.updated_at, ...p.destinations.map((d) => d.published_at)]).map((t) => Date.parse(t ?? '') || 0)) + 1000;
	const poll1 = await pollAfter(sb, finalAt, 'the first poll after the posts were final');
	const poll2 = await pollAfter(sb, poll1.lastAt, 'the second poll after the posts were final');
	log(`${tag} poll trigger: polls at +${((poll1.at - finalAt) / 1000).toFixed(0)} s and +${((poll2.at - finalAt) / 1000).toFixed(0)} s after the posts were final`);
	await until('the poll executions saved', async () => {
		const list = await executionsOf(srv, POLL_WF, { includeData: false });
		return finished(list).length === list.length;
	}, 30000);
	const pollExecs = await executionsOf(srv, POLL_WF);
	const finals = await Promise.all(polled.map(async (postId) => (await sb.api('GET', `/posts/${postId}`)).data));
	const events = pollExecs.flatMap((e) => itemsOf(e.data, POLL_TRIGGER));
	const judged = judgePollEvents(events, finals);
	const tally = events.reduce((m, e) => ((m[e.event] = (m[e.event] ?? 0) + 1), m), {});
	h.check(`${tag} poll trigger: every destination's final result arrived`, judged.destinations === 14 && judged.missing.length === 0, `${judged.destinations} destinations; ${judged.missing.length ? `missing ${judged.missing.join(', ')}` : `events ${JSON.stringify(tally)}`}`);
	h.check(`${tag} poll trigger: each result exactly once, with the sandbox's final state`, judged.wrong.length === 0, judged.wrong.join('; ') || `${events.length} events in ${pollExecs.length} executions`);
	const old = events.filter((e) => existing.posts.includes(e.post_id));
	h.check(
		`${tag} poll trigger: nothing from before activation, nothing unexpected`,
		existing.posts.length === 4 && old.length === 0 && judged.unexpected.length === 0,
		`${existing.posts.length} posts before activation; ${[...old.map((e) => `${e.destination_key} ${e.event}`), ...judged.unexpected].join(', ') || 'none of theirs'}`,
	);
	h.check(
		`${tag} poll trigger: every execution is a trigger run and succeeded`,
		pollExecs.length > 0 && pollExecs.every((e) => e.status === 'success' && e.mode === 'trigger' && ranIn(e.data, 'Record')),
		pollExecs.map((e) => `#${e.id} ${e.mode}/${e.status}: ${itemsOf(e.data, POLL_TRIGGER).length}`).join(', '),
	);
	const idle = pollExecs.filter((e) => Date.parse(e.startedAt) >= poll2.at - 1000);
	h.check(`${tag} poll trigger: the second poll after that started nothing`, idle.length === 0, `${poll2.requests.length} request(s); ${idle.map((e) => `#${e.id} ${e.startedAt}`).join(', ')}`);
	log(`${tag} poll trigger: ${((Date.now() - tPoll) / 1000).toFixed(0)} s from its activation`);
	fs.writeFileSync(path.join(artifactsDir('e2e'), `posteverywhere-poll-executions-n8n${N8N}.json`), JSON.stringify({ finals, executions: pollExecs }, null, 2));
	await srv.stop();
	await sb.stop();
}

async function main() {
	await ensureBuilt(args, log);
	const pkg = await packPackage();
	for (const v of VERSIONS) {
		log(`n8n ${v}: provisioning (reused when ready)`);
		await provision(v, { log: (l) => log(l) });
		const t0 = Date.now();
		try {
			await runVersion(v, pkg);
		} catch (e) {
			h.check(`n8n ${v}: ran to the end`, false, e?.stack?.split('\n').slice(0, 4).join(' | ') ?? String(e));
		}
		log(`n8n ${v}: ${((Date.now() - t0) / 1000).toFixed(0)} s`);
	}
}

main()
	.catch((e) => h.check('posteverywhere e2e ran to the end', false, e?.stack?.split('\n').slice(0, 4).join(' | ') ?? String(e)))
	.finally(() => h.finish());
