#!/usr/bin/env node
// npm run demo [-- --once] [-- --quick] [-- --port 5678] [-- --n8n 1] [-- --no-build] [-- --example <file>]
//
// 1. Checks that no other demo runs (a lock per demo folder) and that the editor port is free,
//    before it touches anything.
// 2. Starts installing the pinned n8n in the background (first time only) and starts the sandbox.
// 3. First result: while n8n installs, runs the flagship example in this repository's n8n-core
//    (the real WorkflowExecute, scripts/preview/run.ts) against the sandbox and prints it.
// 4. When n8n is installed: builds and packs the package, installs it into a fresh n8n user
//    folder, imports the "PowerPost Sandbox" credential and every examples/*.json, runs the
//    flagship in the real n8n, then starts the editor with the owner already set up.
// --once: stop after the run in the real n8n (exit status 1 when the example failed).
// --quick: only step 3 (no n8n install, no editor); exit status 1 when the example failed.
// Every exit path (Ctrl-C, SIGTERM, closed terminal, error, normal end) stops the sandbox, n8n
// and npm children it started and removes its lock.

import { spawn } from 'node:child_process';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
	createUserFolder,
	formatSummary,
	freePort,
	packPackage,
	REPO_DIR,
	SANDBOX_CREDENTIAL_NAME,
	sandboxCredential,
	startSandboxProcess,
	summarizeRun,
} from './n8n-driver.mjs';
import { cacheRoot, normalizeVersion, pidAlive, provision, runtimeInfo } from './n8n-runtime.mjs';
import { EXAMPLES_DIR, listExamples, prepareExampleWorkflow } from './examples.mjs';

const FLAGSHIP = '01-idea-to-everywhere.json';
const DEFAULT_PORT = 5678;

export function parseArgs(argv) {
	const a = { once: false, quick: false, port: DEFAULT_PORT, n8n: '2', build: true, example: null, sandboxPort: null };
	for (let i = 0; i < argv.length; i++) {
		const k = argv[i];
		if (k === '--once') a.once = true;
		else if (k === '--quick') a.quick = true;
		else if (k === '--no-build') a.build = false;
		else if (k === '--port') a.port = Number(argv[++i]);
		else if (k === '--sandbox-port') a.sandboxPort = Number(argv[++i]);
		else if (k === '--n8n') a.n8n = normalizeVersion(argv[++i]);
		else if (k === '--example') a.example = argv[++i];
		else if (k === '--help' || k === '-h') a.help = true;
		else throw new Error(`unknown option ${k} (see npm run demo -- --help)`);
	}
	if (!Number.isInteger(a.port) || a.port < 1 || a.port > 65535) throw new Error(`--port must be a port number, got ${a.port}`);
	return a;
}

const USAGE = `usage: npm run demo -- [--once] [--quick] [--port 5678] [--sandbox-port 4010] [--n8n 2|1] [--no-build] [--example file.json]
  --quick   only the in-process run of the example (seconds; no n8n install, no editor)
  --once    stop after the run in the real n8n (no editor)`;

const t0 = Date.now();
const secs = () => `${((Date.now() - t0) / 1000).toFixed(0)} s`;
const say = (s) => console.log(s);
const step = (s) => console.log(`\n▶ ${s}  (${secs()})`);

// ---------- one demo per folder: lock + port, checked before anything is touched ----------

/** The demo's n8n user folder and its lock (one per n8n major and editor port). */
export function demoPaths({ n8n, port }) {
	const name = port === DEFAULT_PORT ? `demo-n8n${n8n}` : `demo-n8n${n8n}-port${port}`;
	return { userDir: path.join(cacheRoot(), name), lockFile: path.join(cacheRoot(), `.${name}.lock`) };
}

export function portFree(port) {
	return new Promise((res) => {
		const s = net.createServer();
		s.once('error', () => res(false));
		s.listen(port, '127.0.0.1', () => s.close(() => res(true)));
	});
}

function readLock(lockFile) {
	try {
		return JSON.parse(fs.readFileSync(lockFile, 'utf8'));
	} catch {
		return null;
	}
}

function runningDemoMessage(lock, lockFile) {
	const since = lock.startedAt ? new Date(lock.startedAt).toLocaleTimeString() : '?';
	return [
		`Another demo is already running (pid ${lock.pid}, started ${since}${lock.once ? ', without editor' : ''}):`,
		lock.once ? `  it runs the example and stops by itself.` : `  n8n editor: http://127.0.0.1:${lock.port}   (log in: see its terminal)`,
		`  its n8n folder: ${lock.userDir}`,
		'Use that one, or stop it first (Ctrl-C in its terminal, or: kill ' + lock.pid + ').',
		`A second, separate demo needs another port: npm run demo -- --port ${lock.port === DEFAULT_PORT ? DEFAULT_PORT + 2 : lock.port + 1}`,
		`(lock: ${lockFile})`,
	].join('\n');
}

/**
 * Take the demo lock, or explain what is running. Returns { lockFile } or { refused: message }.
 * Nothing of the demo folder is touched before this succeeds.
 */
export async function claimDemo(args) {
	const { userDir, lockFile } = demoPaths(args);
	await fsp.mkdir(path.dirname(lockFile), { recursive: true });
	for (let attempt = 0; attempt < 3; attempt++) {
		const lock = readLock(lockFile);
		if (lock && lock.pid !== process.pid && pidAlive(lock.pid)) return { refused: runningDemoMessage(lock, lockFile) };
		if (fs.existsSync(lockFile)) fs.rmSync(lockFile, { force: true }); // a dead process's lock
		if (!args.once && !(await portFree(args.port)))
			return {
				refused: [
					`Port ${args.port} on 127.0.0.1 is in use by another program (not by a demo of this repository).`,
					`Stop that program, or give the editor another port: npm run demo -- --port ${args.port + 2}`,
				].join('\n'),
			};
		const record = { pid: process.pid, port: args.port, once: args.once, userDir, startedAt: new Date().toISOString() };
		try {
			fs.writeFileSync(lockFile, JSON.stringify(record), { flag: 'wx' });
			return { lockFile, userDir };
		} catch (e) {
			if (e.code !== 'EEXIST') throw e; // another demo took it just now: look again
		}
	}
	return { refused: `Could not take the demo lock ${lockFile}; another demo is starting.` };
}

// ---------- cleanup on every exit path ----------

const cleanups = [];
const exitSync = new Set(); // last resort when the process exits without running the async cleanups
let stopping = false;
let started = false; // false while nothing was started (e.g. refused): nothing to report

async function shutdown(code) {
	if (stopping) return;
	stopping = true;
	for (const fn of cleanups.reverse()) {
		try {
			await fn();
		} catch {}
	}
	if (started) say(`\n${code ? `Stopped (exit ${code})` : 'Done'}. Total time ${secs()}.`);
	process.exit(code);
}

process.on('exit', () => {
	for (const fn of exitSync) {
		try {
			fn();
		} catch {}
	}
});

// ---------- helpers ----------

/** SIGTERM, then SIGKILL after 5 s; resolves when the process is gone. */
function stopChild(child) {
	if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
	return new Promise((resolve) => {
		const t = setTimeout(() => child.kill('SIGKILL'), 5000);
		child.once('exit', () => {
			clearTimeout(t);
			resolve();
		});
		child.kill('SIGTERM');
	});
}

function runInherit(cmd, args, opts = {}) {
	return new Promise((resolve, reject) => {
		const c = spawn(cmd, args, { stdio: 'inherit', ...opts });
		const kill = () => c.kill('SIGTERM');
		exitSync.add(kill);
		c.on('error', reject);
		c.on('close', (code) => {
			exitSync.delete(kill);
			code === 0 ? resolve() : reject(new Error(`${cmd} ${args.join(' ')} exited ${code}`));
		});
	});
}

/** Run an example in this process (scripts/preview/run.ts under tsx) against the sandbox. */
async function runPreview(file, cred) {
	const out = path.join(os.tmpdir(), `pp-demo-preview-${process.pid}.json`);
	const tsx = path.join(REPO_DIR, 'node_modules', '.bin', 'tsx');
	const args = ['scripts/preview/run.ts', file, '--base-url', cred.data.baseUrl, '--key', cred.data.apiKey, '--workspace', cred.data.workspaceId, '--out', out];
	let stderr = '';
	const code = await new Promise((resolve, reject) => {
		const c = spawn(tsx, args, { cwd: REPO_DIR, stdio: ['ignore', 'ignore', 'pipe'] });
		const kill = () => c.kill('SIGTERM');
		exitSync.add(kill);
		c.stderr.on('data', (d) => (stderr += d));
		c.on('error', reject);
		c.on('close', (n) => {
			exitSync.delete(kill);
			resolve(n);
		});
	});
	const result = fs.existsSync(out) ? JSON.parse(fs.readFileSync(out, 'utf8')) : null;
	fs.rmSync(out, { force: true });
	if (!result) throw new Error(`the in-process run failed (exit ${code}): ${stderr.trim().split('\n').slice(-8).join('\n')}`);
	return result;
}

/** The last node's items, one line each (what the example produced). */
function formatOutput(result) {
	const summary = summarizeRun(result);
	const last = [...summary].reverse().find((s) => s.items > 0);
	if (!last) return '';
	const runs = result.data.resultData.runData[last.node];
	const items = runs[runs.length - 1].data.main.flat().filter(Boolean);
	const lines = items.slice(0, 8).map(({ json }) => {
		const text = Object.entries(json)
			.filter(([, v]) => v !== null && typeof v !== 'object')
			.map(([k, v]) => `${k}=${v}`)
			.join('  ');
		return `    ${text.length > 120 ? `${text.slice(0, 119)}…` : text}`;
	});
	const more = items.length > 8 ? `\n    … ${items.length - 8} more` : '';
	return `\n  Output of "${last.node}" (${items.length} item${items.length === 1 ? '' : 's'}):\n${lines.join('\n')}${more}`;
}

function pickExamples(prepared, args) {
	if (args.example) return prepared.filter((p) => p.file.endsWith(args.example));
	const flagship = prepared.filter((p) => p.file.endsWith(FLAGSHIP));
	return flagship.length ? flagship : prepared.slice(0, 1);
}

// ---------- main ----------

async function main() {
	const args = parseArgs(process.argv.slice(2));
	if (args.help) {
		say(USAGE);
		return 0;
	}
	for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(sig, () => shutdown(sig === 'SIGINT' ? 130 : 143));

	// 1) nothing is touched before the lock is ours and the port is free
	let demo = null;
	if (!args.quick) {
		demo = await claimDemo(args);
		if (demo.refused) {
			console.error(`✘ ${demo.refused}`);
			return 1;
		}
		started = true;
		exitSync.add(() => fs.rmSync(demo.lockFile, { force: true }));
		cleanups.push(() => fsp.rm(demo.lockFile, { force: true }));
	}

	// 2) n8n in the background (first time: minutes), the sandbox in the foreground
	const rt = runtimeInfo(args.n8n);
	let provisioning = null;
	if (!args.quick) {
		if (!rt.ready) {
			step(`Installing n8n ${rt.n8nVersion} in the background (first time only; ${rt.pin.approx}) into ${rt.dir}`);
			say('  Meanwhile the example runs in this repository\'s n8n-core. Progress lines start with [n8n install].');
		}
		provisioning = provision(args.n8n, { log: (l) => say(rt.ready ? l : `  [n8n install] ${l}`) });
		provisioning.catch(() => {}); // awaited below; do not crash on an early rejection
	}

	started = true;
	step('Starting the PowerPost sandbox');
	let sbPort = args.sandboxPort ?? Number(process.env.POWERPOST_SANDBOX_PORT || 4010);
	if (!(await portFree(sbPort))) sbPort = await freePort();
	const sb = await startSandboxProcess({
		port: sbPort,
		onSpawn: (child) => {
			cleanups.push(() => stopChild(child));
			exitSync.add(() => child.kill('SIGTERM'));
		},
	});
	say(`  sandbox API: ${sb.url}   (control: ${sb.origin}/__sandbox/info, log: ${sb.logFile})`);
	const cred = sandboxCredential(sb);
	const examples = await listExamples();
	const candidates = pickExamples(examples.map((f) => ({ file: f })), args);
	if (!candidates.length) throw new Error(`no example ${args.example ?? FLAGSHIP} in ${EXAMPLES_DIR}`);

	// 3) first result, in process, while n8n installs
	let failed = 0;
	if (args.quick || !rt.ready) {
		for (const { file } of candidates) {
			step(`First result: "${path.basename(file)}" in n8n-core (the real WorkflowExecute, in this process) against the sandbox`);
			const r = await runPreview(file, cred);
			if (r.status === 'skipped') {
				say(`  skipped: it ${r.error}`);
				continue;
			}
			say(formatSummary(summarizeRun(r)));
			if (r.ok) say(`${formatOutput(r)}\n  ✔ success in ${(r.ms / 1000).toFixed(1)} s; first result after ${secs()}`);
			else {
				failed++;
				say(`  ✘ FAILED: ${r.error}`);
			}
		}
	}
	if (args.quick) return failed ? 1 : 0;

	// 4) the real n8n
	if (args.build) {
		step('Building the package (npm run build)');
		await runInherit('npm', ['run', 'build'], { cwd: REPO_DIR });
	}
	if (!fs.existsSync(path.join(REPO_DIR, 'dist', 'nodes'))) throw new Error('dist/nodes is missing: run npm run build (or drop --no-build)');
	if (!rt.ready) step(`Waiting for the n8n ${rt.n8nVersion} install to finish`);
	await provisioning;
	await sb.reset();

	step('Preparing an n8n user folder with our packed package');
	const pkg = await packPackage();
	say(`  npm pack → ${path.basename(pkg.tarball)} (${pkg.files.length} files)`);
	await fsp.rm(demo.userDir, { recursive: true, force: true });
	await fsp.mkdir(demo.userDir, { recursive: true });
	const uf = await createUserFolder(args.n8n, { dir: demo.userDir, port: args.port });
	const installed = await uf.installPackage(pkg);
	say(`  installed at ${installed}`);

	step(`Importing the "${SANDBOX_CREDENTIAL_NAME}" credential and the examples`);
	await uf.importCredentials([cred]);
	const prepared = examples.map((f) => prepareExampleWorkflow(f, cred));
	const ids = await uf.importWorkflows(prepared.map((p) => p.workflow));
	for (const w of ids) say(`  workflow ${w.id}  ${w.name}`);

	for (const p of pickExamples(prepared, args)) {
		step(`Running "${p.workflow.name}" (${path.basename(p.file)}) in n8n ${rt.n8nVersion}`);
		const r = await uf.executeWorkflow(p.workflow.id);
		say(formatSummary(r.summary));
		if (r.ok) say(`${formatOutput(r.result)}\n  ✔ success in ${(r.ms / 1000).toFixed(1)} s`);
		else {
			failed++;
			say(`  ✘ FAILED (exit ${r.code}): ${r.error}`);
			if (!r.result) say(r.stdout.split('\n').slice(-25).join('\n') + '\n' + r.stderr.split('\n').slice(-25).join('\n'));
		}
	}
	if (args.once) return failed ? 1 : 0;

	step(`Starting the n8n editor on http://127.0.0.1:${args.port}`);
	const srv = await uf.startServer({ port: args.port, log: (l) => say(`  ${l}`) });
	cleanups.push(() => srv.stop());
	exitSync.add(() => srv.child.kill('SIGTERM'));
	say(`
  ┌──────────────────────────────────────────────────────────────
  │ n8n is running:   ${srv.url}
  │ log in with:      ${srv.email}  /  ${srv.password}
  │ credential:       "${SANDBOX_CREDENTIAL_NAME}" → ${sb.url}
  │ workflows:        ${prepared.length} example(s) imported (Overview page)
  │ server log:       ${srv.logFile}
  │ stop:             press Ctrl-C (stops n8n and the sandbox)
  └──────────────────────────────────────────────────────────────
  Ready after ${secs()}.`);
	const ex = await srv.exited;
	if (!stopping) say(`n8n exited unexpectedly (${JSON.stringify(ex)}); see ${srv.logFile}`);
	return 1;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
	main().then(
		(code) => shutdown(code),
		async (err) => {
			console.error(`\n✘ demo failed: ${err?.message ?? err}`);
			await shutdown(1);
		},
	);
}
