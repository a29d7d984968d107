#!/usr/bin/env node
// npm run demo [-- --once] [-- --port 5678] [-- --n8n 1] [-- --no-build] [-- --example <file>]
//
// Builds the package, provisions the pinned n8n (2.x by default), starts the PowerPost sandbox,
// installs our packed package into a fresh n8n user folder, imports the "PowerPost Sandbox"
// credential and every examples/*.json, runs the flagship example headlessly and prints a
// per-node summary, then starts the n8n editor with the owner already set up.
// --once: stop after the run; exit status 1 when the example failed.

import { spawn } from 'node:child_process';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import {
	createUserFolder,
	formatSummary,
	freePort,
	packPackage,
	REPO_DIR,
	SANDBOX_CREDENTIAL_NAME,
	sandboxCredential,
	startSandboxProcess,
} from './n8n-driver.mjs';
import { cacheRoot, provision } from './n8n-runtime.mjs';
import { listExamples, prepareExampleWorkflow } from './examples.mjs';

const FLAGSHIP = '01-idea-to-everywhere.json';

function parseArgs(argv) {
	const a = { once: false, port: 5678, n8n: '2', build: true, example: null, sandboxPort: null };
	for (let i = 0; i < argv.length; i++) {
		const k = argv[i];
		if (k === '--once') a.once = true;
		else if (k === '--no-build') a.build = false;
		else if (k === '--port') a.port = Number(argv[++i]);
		else if (k === '--sandbox-port') a.sandboxPort = Number(argv[++i]);
		else if (k === '--n8n') a.n8n = String(argv[++i]);
		else if (k === '--example') a.example = argv[++i];
		else if (k === '--help' || k === '-h') {
			console.log('usage: npm run demo -- [--once] [--port 5678] [--sandbox-port 4010] [--n8n 2|1] [--no-build] [--example file.json]');
			process.exit(0);
		}
	}
	return a;
}

const t0 = Date.now();
const secs = () => `${((Date.now() - t0) / 1000).toFixed(0)} s`;
const say = (s) => console.log(s);
const step = (s) => console.log(`\n▶ ${s}  (${secs()})`);

function runInherit(cmd, args, opts = {}) {
	return new Promise((resolve, reject) => {
		const c = spawn(cmd, args, { stdio: 'inherit', ...opts });
		c.on('error', reject);
		c.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`${cmd} ${args.join(' ')} exited ${code}`))));
	});
}

async function portFree(port) {
	const net = await import('node:net');
	return new Promise((res) => {
		const s = net.createServer();
		s.once('error', () => res(false));
		s.listen(port, '127.0.0.1', () => s.close(() => res(true)));
	});
}

async function main() {
	const args = parseArgs(process.argv.slice(2));
	const cleanups = [];
	let stopping = false;
	const shutdown = async (code) => {
		if (stopping) return;
		stopping = true;
		for (const fn of cleanups.reverse()) {
			try {
				await fn();
			} catch {}
		}
		say(`\nStopped. Total time ${secs()}.`);
		process.exit(code);
	};
	process.on('SIGINT', () => shutdown(130));
	process.on('SIGTERM', () => shutdown(143));

	if (args.build) {
		step('Building the package (npm run build)');
		await runInherit('npm', ['run', 'build'], { cwd: REPO_DIR });
	}
	const nodesBuilt = fs.existsSync(path.join(REPO_DIR, 'dist', 'nodes'));
	if (!nodesBuilt) throw new Error('dist/nodes is missing after the build');

	step(`Provisioning n8n ${args.n8n === '1' ? '1.x' : '2.x'} (first time: several minutes, then reused)`);
	await provision(args.n8n, { log: say });

	step('Starting the PowerPost sandbox');
	let sbPort = args.sandboxPort ?? Number(process.env.POWERPOST_SANDBOX_PORT || 4010);
	if (!(await portFree(sbPort))) sbPort = await freePort();
	const sb = await startSandboxProcess({ port: sbPort });
	cleanups.push(() => sb.stop());
	say(`  sandbox API: ${sb.url}   (control: ${sb.origin}/__sandbox/info, log: ${sb.logFile})`);

	step('Preparing an n8n user folder with our packed package');
	const pkg = await packPackage();
	say(`  npm pack → ${path.basename(pkg.tarball)} (${pkg.files.length} files)`);
	const userDir = path.join(cacheRoot(), `demo-n8n${args.n8n}`);
	await fsp.rm(userDir, { recursive: true, force: true });
	await fsp.mkdir(userDir, { recursive: true });
	const uf = await createUserFolder(args.n8n, { dir: userDir, port: args.port });
	const installed = await uf.installPackage(pkg);
	say(`  installed at ${installed}`);

	step(`Importing the "${SANDBOX_CREDENTIAL_NAME}" credential and the examples`);
	const cred = sandboxCredential(sb);
	await uf.importCredentials([cred]);
	const examples = await listExamples();
	const prepared = examples.map((f) => prepareExampleWorkflow(f, cred));
	if (prepared.length) {
		const ids = await uf.importWorkflows(prepared.map((p) => p.workflow));
		for (const w of ids) say(`  workflow ${w.id}  ${w.name}`);
	} else say('  (no examples/*.json yet)');

	let toRun = prepared;
	if (args.example) toRun = prepared.filter((p) => p.file.endsWith(args.example));
	else if (prepared.some((p) => p.file.endsWith(FLAGSHIP))) toRun = prepared.filter((p) => p.file.endsWith(FLAGSHIP));
	let failed = 0;
	for (const p of toRun) {
		step(`Running "${p.workflow.name}" (${path.basename(p.file)}) headlessly`);
		const r = await uf.executeWorkflow(p.workflow.id);
		say(formatSummary(r.summary));
		if (r.ok) say(`  ✔ success in ${(r.ms / 1000).toFixed(1)} s`);
		else {
			failed++;
			say(`  ✘ FAILED (exit ${r.code}): ${r.error}`);
			if (!r.result) say(r.stdout.split('\n').slice(-25).join('\n') + '\n' + r.stderr.split('\n').slice(-25).join('\n'));
		}
	}
	if (!toRun.length) say('\n(no example to run yet)');

	if (args.once) {
		await shutdown(failed ? 1 : 0);
		return;
	}

	step(`Starting the n8n editor on http://127.0.0.1:${args.port}`);
	if (!(await portFree(args.port))) throw new Error(`port ${args.port} is in use: pass --port <other>`);
	const srv = await uf.startServer({ port: args.port, log: (l) => say(`  ${l}`) });
	cleanups.push(() => srv.stop());
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
	if (!stopping) {
		say(`n8n exited unexpectedly (${JSON.stringify(ex)}); see ${srv.logFile}`);
		await shutdown(1);
	}
}

main().catch((err) => {
	console.error(`\n✘ demo failed: ${err?.message ?? err}`);
	console.error(`Total time ${secs()}.`);
	process.exit(1);
});
