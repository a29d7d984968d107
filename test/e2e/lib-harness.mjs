// Shared by the e2e scripts (trigger, editor, posteverywhere, …): logging, checks, a hard deadline, and
// cleanup of everything the script started (n8n, sandbox, browser) on exit, error or signal.
//
//   const h = createHarness('trigger', { deadlineMin: 6 });
//   h.onCleanup(() => sb.stop());
//   h.check('name', ok, 'detail');           // records PASS/FAIL
//   await h.finish();                        // runs cleanups, prints "N passed, N failed", exits

import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { REPO_DIR } from '../../scripts/n8n-driver.mjs';

export function parseCommonArgs(argv, defaults = {}) {
	const a = { build: true, keep: false, deadlineMin: defaults.deadlineMin ?? 10, ...defaults };
	for (let i = 0; i < argv.length; i++) {
		const k = argv[i];
		if (k === '--no-build') a.build = false;
		else if (k === '--keep') a.keep = true;
		else if (k === '--deadline-min') a.deadlineMin = Number(argv[++i]);
		else if (k.startsWith('--deadline-min=')) a.deadlineMin = Number(k.split('=')[1]);
		else (a.rest ??= []).push(k);
	}
	return a;
}

export function createHarness(name, { deadlineMin = 10 } = {}) {
	const T0 = Date.now();
	const results = [];
	const cleanups = [];
	let finishing = false;
	const elapsedS = () => (Date.now() - T0) / 1000;
	const log = (s) => console.log(`[${name} ${elapsedS().toFixed(0)}s] ${s}`);
	const deadline = T0 + deadlineMin * 60000;

	const runCleanups = async () => {
		while (cleanups.length) {
			const fn = cleanups.pop();
			try {
				await Promise.race([fn(), sleep(25000)]);
			} catch (e) {
				console.error(`[${name}] cleanup error: ${e?.message ?? e}`);
			}
		}
	};

	const h = {
		T0,
		deadline,
		results,
		log,
		elapsedS,
		remainingMs: () => deadline - Date.now(),
		onCleanup(fn) {
			cleanups.push(fn);
			return fn;
		},
		check(checkName, ok, detail = '') {
			results.push({ name: checkName, status: ok ? 'pass' : 'fail', detail });
			log(`${ok ? 'PASS' : 'FAIL'}  ${checkName}${detail ? `: ${detail}` : ''}`);
			return ok;
		},
		skipFail(checkName, detail) {
			// a check that could not run counts as failed (CI must notice), with the reason
			results.push({ name: checkName, status: 'fail', detail: `NOT RUN: ${detail}` });
			log(`FAIL  ${checkName}: NOT RUN: ${detail}`);
		},
		async finish(extra = '') {
			if (finishing) return;
			finishing = true;
			clearTimeout(hardTimer);
			await runCleanups();
			const passed = results.filter((r) => r.status === 'pass').length;
			const failed = results.filter((r) => r.status === 'fail').length;
			console.log(`\n${name}: checks`);
			const w = Math.max(5, ...results.map((r) => r.name.length));
			for (const r of results) console.log(`  ${r.status === 'pass' ? 'PASS' : 'FAIL'}  ${r.name.padEnd(w)}  ${(r.detail ?? '').replace(/\s+/g, ' ').slice(0, 220)}`);
			if (extra) console.log(extra);
			console.log(`\n(total time ${elapsedS().toFixed(0)} s)`);
			console.log(`${passed} passed, ${failed || (passed ? 0 : 1)} failed`);
			process.exit(failed || !passed ? 1 : 0);
		},
	};

	// hard deadline: whatever is running, clean up and fail
	const hardTimer = setTimeout(() => {
		h.check('finished within the deadline', false, `${deadlineMin} min passed; stopping`);
		void h.finish();
	}, deadlineMin * 60000 + 30000);
	hardTimer.unref();

	const onSignal = (sig) => {
		log(`${sig}: cleaning up`);
		void runCleanups().then(() => process.exit(130));
	};
	process.on('SIGINT', onSignal);
	process.on('SIGTERM', onSignal);
	return h;
}

export function sleep(ms) {
	return new Promise((r) => setTimeout(r, Math.max(0, ms)));
}

export function runInherit(cmd, args, opts = {}) {
	return new Promise((resolve, reject) => {
		const c = spawn(cmd, args, { stdio: 'inherit', ...opts });
		c.on('error', reject);
		c.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`${cmd} ${args.join(' ')} exited ${code}`))));
	});
}

/** `npm run build` unless --no-build (and dist exists). */
export async function ensureBuilt(args, log) {
	if (args.build || !fs.existsSync(path.join(REPO_DIR, 'dist', 'nodes'))) {
		log('building (npm run build)');
		await runInherit('npm', ['run', 'build'], { cwd: REPO_DIR });
	}
}

export function artifactsDir(sub) {
	const d = path.join(REPO_DIR, 'test-artifacts', sub);
	fs.mkdirSync(d, { recursive: true });
	return d;
}

export { REPO_DIR };

/**
 * uf.startServer on a free port, retried once with another port when n8n reports the port in use
 * (freePort() releases the port before n8n binds it; a parallel process can take it meanwhile).
 */
export async function startServerRetry(uf, freePort, log) {
	for (let attempt = 1; ; attempt++) {
		try {
			return await uf.startServer({ port: await freePort(), log });
		} catch (e) {
			if (attempt >= 3 || !/already in use|EADDRINUSE/i.test(e.message)) throw e;
			log(`n8n start: port taken meanwhile, retrying on another port (${e.message.split('\n').find((l) => /in use/i.test(l))?.trim()})`);
		}
	}
}

/**
 * `n8n execute`, run once more when n8n exited with an error and no result at all (seen in CI under
 * load: exit 1 before the workflow did anything) and `mayRepeat(run)` agrees: the caller checks that
 * a second run cannot act twice (and may prepare for it). The repeated run is flagged `retried`.
 */
export async function executeRepeatingSilentExit(uf, id, { timeoutMs, mayRepeat }) {
	const run = await uf.executeWorkflow(id, { timeoutMs });
	if (run.result || run.timedOut || run.code === 0 || !(await mayRepeat(run))) return run;
	return { ...(await uf.executeWorkflow(id, { timeoutMs })), retried: true };
}

/**
 * Every execution of a workflow through n8n's public API (all pages), oldest first; with its data
 * unless `includeData` is false (cheaper, for polling until executions are final).
 */
export async function executionsOf(srv, workflowId, { includeData = true } = {}) {
	const out = [];
	let cursor;
	do {
		const q = new URLSearchParams({ workflowId, includeData: String(includeData), limit: '100' });
		if (cursor) q.set('cursor', cursor);
		const page = await srv.api('GET', `/api/v1/executions?${q}`);
		out.push(...(page.data ?? []));
		cursor = page.nextCursor;
	} while (cursor);
	return out.sort((a, b) => Number(a.id) - Number(b.id));
}

/**
 * Polls in a sandbox request log: the requests made with one key (its label in the log), oldest
 * first, grouped into clusters (requests less than `gapMs` apart belong to one poll). Each poll is
 * `{ at, lastAt, requests }` in the log's clock (the sandbox's).
 */
export function pollsIn(requests, keyLabel, gapMs = 10000) {
	const polls = [];
	for (const r of requests.filter((q) => q.key === keyLabel).sort((a, b) => a.at - b.at)) {
		const last = polls[polls.length - 1];
		if (last && r.at - last.lastAt < gapMs) {
			last.requests.push(r);
			last.lastAt = r.at;
		} else polls.push({ at: r.at, lastAt: r.at, requests: [r] });
	}
	return polls;
}
