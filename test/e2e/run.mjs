#!/usr/bin/env node
// End-to-end: our packed package inside the real n8n (2.x, then 1.x), every examples/*.json run
// headlessly against the PowerPost sandbox, checked against examples/expectations.json.
//
//   npm run test:e2e [-- --n8n 2|1|all] [-- --filter <text>] [-- --no-build] [-- --deadline-min 50]  (env E2E_DEADLINE_MIN) [-- --keep]
//
// Prints a table and a final line "N passed, N failed"; exit 1 when anything failed or did not run.
// Failure logs (n8n stdout/stderr) go to test-artifacts/e2e/.

import { spawn } from 'node:child_process';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import {
	createUserFolder,
	fetchJson,
	packPackage,
	sleep,
	summarizeRun,
	REPO_DIR,
	SANDBOX_CREDENTIAL_ID,
	SANDBOX_CREDENTIAL_NAME,
	stableId,
	startSandboxProcess,
} from '../../scripts/n8n-driver.mjs';
import { listExamples, prepareExampleWorkflow, readExpectations } from '../../scripts/examples.mjs';
import { provision, runtimeInfo } from '../../scripts/n8n-runtime.mjs';
import { checkExpectation, reqMatches } from './expect.mjs';
import { executeRepeatingSilentExit } from './lib-harness.mjs';

const ARTIFACTS = path.join(REPO_DIR, 'test-artifacts', 'e2e');
const FIXTURES_DIR = path.join(REPO_DIR, 'test', 'e2e', 'fixtures');
const DEFAULT_TIMEOUT_MS = 180000;

function parseArgs(argv) {
	const a = {
		versions: ['2', '1'],
		filter: null,
		build: true,
		keep: false,
		deadlineMin: Number(process.env.E2E_DEADLINE_MIN || 50),
	};
	for (let i = 0; i < argv.length; i++) {
		const k = argv[i];
		if (k === '--n8n') {
			const v = argv[++i];
			a.versions = v === 'all' ? ['2', '1'] : [v];
		} else if (k === '--filter') a.filter = argv[++i];
		else if (k === '--no-build') a.build = false;
		else if (k === '--keep') a.keep = true;
		else if (k === '--deadline-min') a.deadlineMin = Number(argv[++i]);
	}
	return a;
}

const T0 = Date.now();
const elapsed = () => `${((Date.now() - T0) / 1000).toFixed(0)}s`;
const log = (s) => console.log(`[e2e ${elapsed()}] ${s}`);

/** Smoke check run in every version before the examples: the package loads and a credential works. */
function smokeWorkflow() {
	return {
		id: 'ppE2eSmokeCredit',
		name: '(smoke) account getCredits',
		nodes: [
			{ id: 's1', name: 'Start', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} },
			{
				id: 's2',
				name: 'Get Credits',
				type: 'n8n-nodes-powerpost.powerPost',
				typeVersion: 1,
				position: [220, 0],
				parameters: { resource: 'account', operation: 'getCredits' },
				credentials: { powerPostApi: { id: SANDBOX_CREDENTIAL_ID, name: SANDBOX_CREDENTIAL_NAME } },
			},
		],
		connections: { Start: { main: [[{ node: 'Get Credits', type: 'main', index: 0 }]] } },
		settings: { executionOrder: 'v1' },
	};
}
const SMOKE_EXPECT = {
	nodes: { 'Get Credits': { items: 1, json: { balance: { $type: 'number' } } } },
	requests: { include: ['GET /account/credits'] },
};

/** Credential for an expectation's `credential` ("full" | "draftOnly" | ... | {key, workspace}). */
function credentialFor(spec, sb) {
	const s = typeof spec === 'string' ? { key: spec } : (spec ?? {});
	const key = s.key ?? 'full';
	const workspace = s.workspace ?? 'primary';
	const isDefault = key === 'full' && workspace === 'primary' && !s.baseUrl;
	return {
		id: isDefault ? SANDBOX_CREDENTIAL_ID : stableId(`cred-${key}-${workspace}-${s.baseUrl ?? ''}`),
		name: isDefault ? SANDBOX_CREDENTIAL_NAME : `PowerPost Sandbox (${key}, ${workspace})`,
		type: 'powerPostApi',
		data: {
			apiKey: sb.keys[key] ?? key,
			workspaceId: sb.workspaces[workspace] ?? workspace,
			baseUrl: s.baseUrl ?? sb.url,
		},
	};
}

function runInherit(cmd, args, opts = {}) {
	return new Promise((resolve, reject) => {
		const c = spawn(cmd, args, { stdio: 'inherit', ...opts });
		c.on('error', reject);
		c.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`${cmd} ${args.join(' ')} exited ${code}`))));
	});
}

async function saveLog(name, run) {
	await fsp.mkdir(ARTIFACTS, { recursive: true });
	const f = path.join(ARTIFACTS, `${name.replace(/[^\w.-]+/g, '_')}.log`);
	await fsp.writeFile(f, `exit ${run?.code}\n--- stdout ---\n${run?.stdout ?? ''}\n--- stderr ---\n${run?.stderr ?? ''}\n`);
	return path.relative(REPO_DIR, f);
}

/** sandboxSetup / sandboxAfterStart entries: control-API calls, or PowerPost API calls with `apiPath`. */
async function sandboxCalls(sb, calls, cred) {
	for (const c of calls ?? []) {
		if (c.waitForRequest) {
			// e.g. {"waitForRequest": "GET /posts"}: wait until the sandbox saw it (a trigger's first poll)
			const t0 = Date.now();
			while (true) {
				const reqs = (await sb.requests())?.requests ?? [];
				if (reqs.some((r) => reqMatches(c.waitForRequest, `${r.method} ${r.path}`))) break;
				if (Date.now() - t0 > (c.timeoutMs ?? 60000)) throw new Error(`sandbox never got "${c.waitForRequest}"`);
				await sleep(250);
			}
		} else if (c.apiPath) {
			const headers = { 'x-api-key': cred.data.apiKey, 'X-Workspace-Id': cred.data.workspaceId };
			const { res, text } = await fetchJson(`${sb.url}${c.apiPath}`, { method: c.method ?? 'POST', headers, body: c.body });
			if (!res.ok && !c.allowError) throw new Error(`sandbox setup ${c.method ?? 'POST'} ${c.apiPath} → ${res.status}: ${text.slice(0, 200)}`);
		} else await sb.control(c.method ?? 'POST', c.path, c.body);
		if (c.waitMs) await sleep(c.waitMs);
	}
}

/** `n8n execute --id` (Manual Trigger workflows). Retries once when n8n produced no result at all. */
async function runHeadless(uf, sb, p, timeoutMs) {
	const prepare = async () => {
		await sb.reset();
		await sandboxCalls(sb, p.exp.sandboxSetup, p.cred);
	};
	await prepare();
	// Repeated only where success is expected, on a sandbox set up afresh.
	return executeRepeatingSilentExit(uf, p.workflow.id, {
		timeoutMs,
		mayRepeat: async () => {
			if ((p.exp.status ?? 'success') !== 'success') return false;
			await prepare();
			return true;
		},
	});
}

/**
 * mode "activate" (trigger workflows): publish the workflow, `n8n start`, wait until it has
 * `minExecutions` (default 1) finished executions, check the last one; then deactivate and stop.
 */
async function runActivated(uf, sb, p, timeoutMs) {
	const t0 = Date.now();
	await sb.reset();
	await sandboxCalls(sb, p.exp.sandboxSetup, p.cred);
	await uf.activateWorkflowOffline(p.workflow.id);
	const srv = await uf.startServer({ port: 'auto' });
	try {
		await sandboxCalls(sb, p.exp.sandboxAfterStart, p.cred);
		const want = p.exp.minExecutions ?? 1;
		let list = [];
		while (Date.now() - t0 < timeoutMs) {
			const r = await srv.api('GET', `/api/v1/executions?workflowId=${p.workflow.id}&includeData=true&limit=50`);
			list = (r?.data ?? []).filter((e) => e.finished || (e.status && !['running', 'new', 'waiting'].includes(e.status)));
			if (list.length >= want) break;
			await sleep(1000);
		}
		const last = [...list].sort((a, b) => Number(b.id) - Number(a.id))[0];
		const status = last?.status ?? (last ? (last.finished ? 'success' : 'error') : undefined);
		const runError = last?.data?.resultData?.error;
		const result = last ? { data: last.data, status } : null;
		const ok = list.length >= want && !!last && status === 'success' && !runError;
		return {
			ok,
			code: ok ? 0 : 1,
			status,
			result,
			summary: result ? summarizeRun(result) : [],
			executions: list.length,
			error: ok
				? undefined
				: list.length < want
					? `only ${list.length} of ${want} execution(s) within ${timeoutMs} ms`
					: (runError?.message ?? `execution status ${status}`),
			ms: Date.now() - t0,
			stdout: fs.existsSync(srv.logFile) ? fs.readFileSync(srv.logFile, 'utf8') : '',
			stderr: '',
		};
	} finally {
		await srv.api('POST', `/api/v1/workflows/${p.workflow.id}/deactivate`).catch(() => {});
		await srv.stop();
	}
}

async function runVersion(version, ctx) {
	const { args, results, deadline } = ctx;
	// The shipped examples, then the error-path fixtures (test-only; the demo never imports them).
	const examples = [...(await listExamples()), ...(await listExamples(FIXTURES_DIR))].filter(
		(f) => !args.filter || path.basename(f).includes(args.filter),
	);
	const expectations = { ...readExpectations(), ...readExpectations(FIXTURES_DIR) };
	const names = ['(smoke) account getCredits', ...examples.map((f) => path.basename(f))];
	const add = (r) => {
		results.push({ version, order: names.indexOf(r.name), ...r });
		const mark = r.status === 'pass' ? 'PASS' : r.status === 'skip' ? 'SKIP' : 'FAIL';
		log(`n8n ${version}  ${mark}  ${r.name}${r.ms != null ? ` (${(r.ms / 1000).toFixed(1)} s)` : ''}${r.detail && mark !== 'PASS' ? `: ${r.detail}` : ''}`);
	};
	const failAll = (why) => names.forEach((name) => add({ name, status: 'fail', detail: why }));

	log(`n8n ${version}: provisioning`);
	try {
		await provision(version, { log: (l) => log(l) });
	} catch (e) {
		return failAll(`provisioning failed: ${e.message}`);
	}
	let sb;
	let uf;
	try {
		await fsp.mkdir(ARTIFACTS, { recursive: true });
		sb = await startSandboxProcess({ logFile: path.join(ARTIFACTS, `sandbox-n8n${version}.log`) });
		ctx.cleanups.add(sb.stop);
		uf = await createUserFolder(version);
		await uf.installPackage(await packPackage());

		// plan: which examples run here, with which credential
		const plan = [{ name: names[0], workflow: smokeWorkflow(), exp: SMOKE_EXPECT, cred: credentialFor('full', sb) }];
		for (const file of examples) {
			const name = path.basename(file);
			const exp = expectations[name] ?? {};
			if (exp.skip) {
				add({ name, status: 'skip', detail: typeof exp.skip === 'string' ? exp.skip : 'skipped' });
				continue;
			}
			if (exp.versions && !exp.versions.map(String).includes(version)) {
				add({ name, status: 'skip', detail: `not for n8n ${version}` });
				continue;
			}
			const cred = credentialFor(exp.credential, sb);
			try {
				plan.push({ name, file, exp, cred, workflow: prepareExampleWorkflow(file, cred).workflow });
			} catch (e) {
				add({ name, status: 'fail', detail: `cannot read: ${e.message}` });
			}
		}
		const creds = [...new Map(plan.map((p) => [p.cred.id, p.cred])).values()];
		log(`n8n ${version}: importing ${creds.length} credential(s) and ${plan.length} workflow(s) into ${uf.dir}`);
		await uf.importCredentials(creds);
		await uf.importWorkflows(plan.map((p) => p.workflow));

		for (const p of plan) {
			const timeoutMs = p.exp.timeoutMs ?? DEFAULT_TIMEOUT_MS;
			if (Date.now() + Math.min(timeoutMs, 60000) > deadline) {
				add({ name: p.name, status: 'fail', detail: 'not run: e2e deadline reached' });
				continue;
			}
			try {
				const run =
					p.exp.mode === 'activate'
						? await runActivated(uf, sb, p, Math.min(timeoutMs, deadline - Date.now()))
						: await runHeadless(uf, sb, p, Math.min(timeoutMs, deadline - Date.now()));
				const reqs = (await sb.requests().catch(() => ({ requests: [] })))?.requests ?? [];
				const fails = checkExpectation(p.exp, run, reqs);
				if (fails.length) {
					const logFile = await saveLog(`n8n${version}-${p.name}`, run);
					add({ name: p.name, status: 'fail', ms: run.ms, detail: `${fails.slice(0, 3).join('; ')}${fails.length > 3 ? ` (+${fails.length - 3} more)` : ''} [log: ${logFile}]` });
				} else add({ name: p.name, status: 'pass', ms: run.ms, detail: run.retried ? 'passed on retry' : '' });
			} catch (e) {
				add({ name: p.name, status: 'fail', detail: `error: ${e.message.split('\n')[0]}` });
			}
		}
	} catch (e) {
		const done = new Set(results.filter((r) => r.version === version).map((r) => r.name));
		names.filter((n) => !done.has(n)).forEach((name) => add({ name, status: 'fail', detail: `setup failed: ${e.message.split('\n')[0]}` }));
	} finally {
		if (sb) {
			await sb.stop();
			ctx.cleanups.delete(sb.stop);
		}
		if (uf) await uf.cleanup({ keep: args.keep });
		if (uf && args.keep) log(`n8n ${version}: user folder kept at ${uf.dir}`);
	}
}

function printTable(results, versions) {
	const sorted = [...results].sort((a, b) => versions.indexOf(a.version) - versions.indexOf(b.version) || a.order - b.order);
	const rows = sorted.map((r) => [
		`n8n ${r.version}`,
		r.name,
		r.status.toUpperCase(),
		r.ms != null ? `${(r.ms / 1000).toFixed(1)}s` : '',
		(r.detail ?? '').replace(/\s+/g, ' ').slice(0, 200),
	]);
	const head = ['n8n', 'example', 'result', 'time', 'detail'];
	const w = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
	w[4] = Math.min(w[4], 200);
	const line = (r) => r.map((c, i) => c.padEnd(w[i])).join('  ').trimEnd();
	console.log(`\n${line(head)}\n${w.map((n) => '-'.repeat(n)).join('  ')}`);
	for (const r of rows) console.log(line(r));
}

async function main() {
	const args = parseArgs(process.argv.slice(2));
	const deadline = T0 + args.deadlineMin * 60000;
	const ctx = { args, results: [], deadline, cleanups: new Set() };
	const onSignal = async () => {
		for (const fn of ctx.cleanups) await fn().catch(() => {});
		process.exit(130);
	};
	process.on('SIGINT', onSignal);
	process.on('SIGTERM', onSignal);

	if (args.build || !fs.existsSync(path.join(REPO_DIR, 'dist', 'nodes'))) {
		log('building (npm run build)');
		await runInherit('npm', ['run', 'build'], { cwd: REPO_DIR });
	}
	const pkg = await packPackage();
	log(`packed ${path.basename(pkg.tarball)} (${pkg.files.length} files)`);
	// cold CI: install the later runtimes while the first version's examples run (about 4 min saved;
	// provision() shares one in-flight install per version, so runVersion() just waits for it)
	const early = new Map();
	for (const v of args.versions.slice(1)) {
		if (!runtimeInfo(v).ready) {
			log(`n8n ${v}: not provisioned yet, installing it in the background`);
			early.set(v, provision(v, { log: (l) => log(`[n8n ${v} install] ${l.trim()}`) }).catch(() => {}));
		}
	}
	for (const v of args.versions) await runVersion(v, ctx);
	await Promise.all(early.values());

	printTable(ctx.results, args.versions);
	const passed = ctx.results.filter((r) => r.status === 'pass').length;
	const failed = ctx.results.filter((r) => r.status === 'fail').length;
	const skipped = ctx.results.filter((r) => r.status === 'skip').length;
	await fsp.mkdir(ARTIFACTS, { recursive: true });
	await fsp.writeFile(path.join(ARTIFACTS, 'report.json'), JSON.stringify({ passed, failed, skipped, results: ctx.results }, null, 2));
	console.log(`\n(skipped ${skipped}; total time ${elapsed()})`);
	console.log(`${passed} passed, ${failed} failed`);
	process.exit(failed ? 1 : 0);
}

main().catch((e) => {
	console.error(e?.stack ?? String(e));
	console.log('0 passed, 1 failed');
	process.exit(1);
});
