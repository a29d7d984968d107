// Drive a real n8n headlessly: user folders, our packed package, imports, executions, server mode.
// Plain Node ESM, no third-party imports. Used by scripts/demo.mjs and test/e2e/run.mjs.
//
//   import { provision } from './n8n-runtime.mjs';
//   import { packPackage, createUserFolder } from './n8n-driver.mjs';
//   await provision('2');
//   const pkg = await packPackage();                   // npm pack of the repo (dist + package.json + README)
//   const uf = await createUserFolder('2');            // fresh N8N_USER_FOLDER in a temp dir
//   await uf.installPackage(pkg);                      // like a real install (see scripts/README.md)
//   await uf.importCredentials([{ id, name, type: 'powerPostApi', data: {...} }]);
//   await uf.importWorkflows([workflowObjectOrPath]);
//   const r = await uf.executeWorkflow(id);            // { ok, code, result, summary, ms, stdout, stderr }
//   const srv = await uf.startServer({ port: 5678 });  // { url, email, password, apiKey, stop() }
//   await uf.cleanup();

import { createHash, randomBytes } from 'node:crypto';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { normalizeVersion, provision, runCapture, runtimeInfo } from './n8n-runtime.mjs';

export const REPO_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const PACKAGE_NAME = 'n8n-nodes-powerpost';
/** Fixed so imported credentials stay readable across runs of the same user folder. */
export const ENCRYPTION_KEY = 'powerpost-dev-only-encryption-key-0001';
export const OWNER = {
	email: 'demo@powerpost.local',
	firstName: 'Demo',
	lastName: 'User',
	password: 'PowerPost-Demo-1',
};
const BROWSER_ID = 'powerpost-driver-browser';
/** n8n's answer while a database ping is late (see fetchN8n). */
const DB_NOT_READY = /Database is not ready/i;

// ---------- helpers ----------

/** A free TCP port on 127.0.0.1 (asks the OS). */
export function freePort() {
	return new Promise((resolve, reject) => {
		const srv = net.createServer();
		srv.unref();
		srv.on('error', reject);
		srv.listen(0, '127.0.0.1', () => {
			const { port } = srv.address();
			srv.close(() => resolve(port));
		});
	});
}

/** Deterministic 16-char workflow id (n8n wants [A-Za-z0-9]{16}) from any string. */
export function stableId(seed) {
	const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
	const h = createHash('sha256').update(String(seed)).digest();
	let s = '';
	for (let i = 0; i < 16; i++) s += alphabet[h[i] % alphabet.length];
	return s;
}

/** Parse n8n's `--rawOutput` stdout: log lines first, JSON from the first line that is exactly `{`. */
export function parseRawOutput(stdout) {
	const lines = stdout.split(/\r?\n/);
	const start = lines.findIndex((l) => l === '{');
	if (start < 0) return null;
	const rest = lines.slice(start);
	// try the longest candidate first, ending at a line that is exactly `}`
	for (let end = rest.length - 1; end >= 0; end--) {
		if (rest[end] !== '}') continue;
		try {
			return JSON.parse(rest.slice(0, end + 1).join('\n'));
		} catch {}
	}
	return null;
}

function pickKeyField(json) {
	if (json == null || typeof json !== 'object') return undefined;
	const prefer = ['id', 'status', 'credits', 'balance', 'remaining', 'postId', 'mediaId', 'url', 'name', 'title', 'caption', 'text'];
	for (const k of prefer) if (json[k] !== undefined && typeof json[k] !== 'object') return [k, json[k]];
	for (const [k, v] of Object.entries(json)) if (v !== null && typeof v !== 'object') return [k, v];
	const first = Object.keys(json)[0];
	return first ? [first, '{…}'] : undefined;
}

/**
 * Per-node summary of a run: [{ node, runs, items, status, error, key, value, firstItem }]
 * (items = items on all outputs of the node's last run; key/value = one readable field).
 */
export function summarizeRun(result) {
	const runData = result?.data?.resultData?.runData ?? {};
	const out = [];
	for (const [node, runs] of Object.entries(runData)) {
		const last = runs[runs.length - 1] ?? {};
		const outputs = last.data?.main ?? [];
		const items = outputs.reduce((n, o) => n + (o?.length ?? 0), 0);
		const firstItem = outputs.find((o) => o?.length)?.[0]?.json;
		const kf = pickKeyField(firstItem);
		out.push({
			node,
			runs: runs.length,
			items,
			status: last.executionStatus ?? (last.error ? 'error' : 'success'),
			error: last.error ? last.error.message || String(last.error) : undefined,
			key: kf?.[0],
			value: kf?.[1],
			firstItem,
			executionTime: last.executionTime,
		});
	}
	return out;
}

export function formatSummary(summary) {
	const w = Math.max(4, ...summary.map((s) => s.node.length));
	return summary
		.map((s) => {
			let v = s.value === undefined ? '' : typeof s.value === 'string' ? s.value : JSON.stringify(s.value);
			if (v.length > 60) v = `${v.slice(0, 57)}…`;
			const field = s.key ? `  ${s.key}=${v}` : '';
			const err = s.error ? `  ERROR: ${s.error.slice(0, 160)}` : '';
			return `  ${s.node.padEnd(w)}  → ${String(s.items).padStart(3)} item${s.items === 1 ? ' ' : 's'}${field}${err}`;
		})
		.join('\n');
}

// ---------- our package ----------

let packMemo = null;

/**
 * `npm pack` the repo (what users download: dist + package.json + README + LICENSE) into a temp
 * folder and extract it. Memoized per process. Does not build: call `npm run build` first.
 * Returns { tarball, extracted, name, version, files }.
 */
export function packPackage({ repoDir = REPO_DIR, force = false } = {}) {
	if (!packMemo || force) packMemo = doPack(repoDir);
	return packMemo;
}

async function doPack(repoDir) {
	if (!fs.existsSync(path.join(repoDir, 'dist'))) throw new Error(`${repoDir}/dist is missing: run npm run build first`);
	const dest = await fsp.mkdtemp(path.join(os.tmpdir(), 'pp-pack-'));
	const r = await runCapture('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', dest], {
		cwd: repoDir,
		env: process.env,
		timeoutMs: 120000,
	});
	if (r.code !== 0) throw new Error(`npm pack failed: ${r.stderr.slice(-1500)}`);
	const jsonStart = r.stdout.indexOf('[');
	const info = JSON.parse(r.stdout.slice(jsonStart))[0];
	const tarball = path.join(dest, info.filename);
	const extracted = path.join(dest, 'extracted');
	await fsp.mkdir(extracted);
	const t = await runCapture('tar', ['-xzf', tarball, '-C', extracted, '--strip-components=1'], { timeoutMs: 60000 });
	if (t.code !== 0) throw new Error(`tar failed: ${t.stderr}`);
	return { tarball, extracted, name: info.name, version: info.version, files: info.files.map((f) => f.path) };
}

// ---------- user folders ----------

/**
 * A fresh n8n user folder (N8N_USER_FOLDER; n8n keeps its data in <dir>/.n8n) for version 2 or 1.
 * Options: { dir, port } — dir defaults to a new temp folder.
 */
export async function createUserFolder(version = '2', { dir, port = 5678, extraEnv = {} } = {}) {
	const v = normalizeVersion(version);
	const rt = runtimeInfo(v);
	if (!rt.ready) throw new Error(`n8n ${rt.n8nVersion} is not provisioned (run: npm run n8n:provision -- ${v})`);
	const userDir = dir ?? (await fsp.mkdtemp(path.join(os.tmpdir(), `pp-n8n${v}-`)));
	await fsp.mkdir(path.join(userDir, '.n8n', 'nodes'), { recursive: true });
	return new UserFolder(v, rt, userDir, port, extraEnv);
}

export class UserFolder {
	constructor(version, rt, dir, port, extraEnv) {
		this.version = version;
		this.runtime = rt;
		this.dir = dir;
		this.n8nDir = path.join(dir, '.n8n');
		this.port = port;
		this.server = null;
		this.env = {
			N8N_USER_FOLDER: dir,
			N8N_ENCRYPTION_KEY: ENCRYPTION_KEY,
			DB_TYPE: 'sqlite',
			N8N_LISTEN_ADDRESS: '127.0.0.1',
			N8N_HOST: '127.0.0.1',
			N8N_PORT: String(port),
			N8N_PROTOCOL: 'http',
			N8N_SECURE_COOKIE: 'false',
			N8N_DIAGNOSTICS_ENABLED: 'false',
			N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
			N8N_TEMPLATES_ENABLED: 'false',
			N8N_PERSONALIZATION_ENABLED: 'false',
			N8N_HIRING_BANNER_ENABLED: 'false',
			N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS: 'false',
			N8N_COMMUNITY_PACKAGES_ENABLED: 'true',
			N8N_LOG_OUTPUT: 'console',
			N8N_LOG_LEVEL: 'info',
			// GENERIC_TIMEZONE left to the machine default (UTC on CI)
			...rt.env,
			...extraEnv,
		};
	}

	/** Environment for one n8n process: own task-broker port. */
	async processEnv(extra = {}) {
		const basePath = process.env.PATH ?? '';
		const env = { ...process.env };
		// do not leak npm's run-script variables into n8n (npm_config_* would change community-package installs)
		for (const k of Object.keys(env)) if (k.startsWith('npm_')) delete env[k];
		return {
			...env,
			...this.env,
			N8N_RUNNERS_BROKER_PORT: String(await freePort()),
			PATH: [...this.runtime.pathPrefix, basePath].join(path.delimiter),
			...extra,
		};
	}

	/** Run an n8n CLI command to completion: { code, stdout, stderr, ms, timedOut }. */
	async run(args, { timeoutMs = 180000, env = {} } = {}) {
		const t0 = Date.now();
		const r = await runCapture(this.runtime.nodeBin, [this.runtime.n8nJs, ...args], {
			cwd: this.dir,
			env: await this.processEnv(env),
			timeoutMs,
		});
		return { ...r, ms: Date.now() - t0 };
	}

	async runOk(args, opts) {
		const r = await this.run(args, opts);
		if (r.code !== 0)
			throw new Error(`n8n ${args.join(' ')} failed (exit ${r.code}${r.timedOut ? ', timed out' : ''}):\n${tail(r.stderr || r.stdout)}`);
		return r;
	}

	/**
	 * Install our packed package into <dir>/.n8n/nodes exactly as n8n's own installer
	 * (CommunityPackagesService.downloadPackage, same in 1.123.81 and 2.41.1) leaves it:
	 *   1. the tarball extracted into nodes/node_modules/<name> (--strip-components=1),
	 *   2. devDependencies, peerDependencies and optionalDependencies removed from its package.json,
	 *   3. `npm install --bin-links=false --install-strategy=shallow --ignore-scripts=true
	 *      --package-lock=false` inside the package folder (only when it has runtime dependencies;
	 *      ours has none, so nothing is installed and no n8n-workflow copy appears),
	 *   4. nodes/package.json {name: 'installed-nodes', private, dependencies: {<name>: <version>}}.
	 * n8n then resolves `n8n-workflow` for the package through the NODE_PATH it sets to its own
	 * module paths (see scripts/README.md). Not done: the installed_packages DB row (only the
	 * Settings → Community nodes page reads it; loading does not).
	 */
	async installPackage(pkg) {
		pkg = pkg ?? (await packPackage());
		const nodesDir = path.join(this.n8nDir, 'nodes');
		const target = path.join(nodesDir, 'node_modules', pkg.name);
		await fsp.rm(target, { recursive: true, force: true });
		await fsp.mkdir(path.dirname(target), { recursive: true });
		await fsp.cp(pkg.extracted, target, { recursive: true });
		const pkgJsonPath = path.join(target, 'package.json');
		const { devDependencies, peerDependencies, optionalDependencies, ...pkgJson } = JSON.parse(
			await fsp.readFile(pkgJsonPath, 'utf8'),
		);
		await fsp.writeFile(pkgJsonPath, JSON.stringify(pkgJson, null, 2));
		if (pkgJson.dependencies && Object.keys(pkgJson.dependencies).length) {
			const r = await runCapture(
				'npm',
				['install', '--audit=false', '--fund=false', '--bin-links=false', '--install-strategy=shallow', '--ignore-scripts=true', '--package-lock=false'],
				{ cwd: target, env: { PATH: process.env.PATH, HOME: process.env.HOME, NODE_ENV: 'production' }, timeoutMs: 300000 },
			);
			if (r.code !== 0) throw new Error(`npm install in ${target} failed: ${tail(r.stderr)}`);
		}
		const pj = path.join(nodesDir, 'package.json');
		let host = { name: 'installed-nodes', private: true, dependencies: {} };
		try {
			host = JSON.parse(await fsp.readFile(pj, 'utf8'));
		} catch {}
		host.dependencies = { ...(host.dependencies ?? {}), [pkg.name]: pkgJson.version };
		await fsp.writeFile(pj, JSON.stringify(host, null, 2));
		return target;
	}

	async writeTemp(name, data) {
		const f = path.join(this.dir, `${name}-${Date.now()}-${randomBytes(3).toString('hex')}.json`);
		await fsp.writeFile(f, JSON.stringify(data, null, 2));
		return f;
	}

	/** Import credentials: [{ id, name, type, data }] (data plain; n8n encrypts it on import). */
	async importCredentials(creds) {
		const list = Array.isArray(creds) ? creds : [creds];
		const f = await this.writeTemp('credentials', list);
		await this.runOk(['import:credentials', `--input=${f}`]);
		await fsp.rm(f, { force: true });
		return list.map((c) => c.id);
	}

	/**
	 * Import workflows (objects or JSON file paths). Missing ids become a stable 16-char id derived
	 * from the file name / workflow name. Returns [{ id, name, file }].
	 */
	async importWorkflows(workflows) {
		const list = [];
		for (const w of Array.isArray(workflows) ? workflows : [workflows]) {
			let wf = w;
			let file;
			if (typeof w === 'string') {
				file = w;
				wf = JSON.parse(await fsp.readFile(w, 'utf8'));
			}
			wf = normalizeWorkflow(wf, file);
			// n8n 1.x (utils.isWorkflowIdValid) saves no static data for a workflow whose id is longer than
			// 16 characters (2.x: 21), silently: a polling trigger would then lose its state on restart.
			if (typeof wf.id === 'string' && wf.id.length > 16) throw new Error(`workflow id "${wf.id}" is longer than 16 characters: n8n 1.x would never save its static data`);
			list.push({ wf, file });
		}
		const f = await this.writeTemp('workflows', list.map((x) => x.wf));
		await this.runOk(['import:workflow', `--input=${f}`]);
		await fsp.rm(f, { force: true });
		return list.map(({ wf, file }) => ({ id: wf.id, name: wf.name, file }));
	}

	/**
	 * `n8n execute --id=<id> --rawOutput`. Never throws for a failed workflow: returns
	 * { ok, code, result, summary, error, ms, stdout, stderr, timedOut }.
	 */
	async executeWorkflow(id, { timeoutMs = 300000 } = {}) {
		const r = await this.run(['execute', `--id=${id}`, '--rawOutput'], { timeoutMs });
		const result = parseRawOutput(r.stdout);
		const summary = result ? summarizeRun(result) : [];
		const runError = result?.data?.resultData?.error;
		const status = result?.status;
		const ok = r.code === 0 && !!result && !runError && (status === undefined || status === 'success');
		let error;
		if (!ok) {
			error =
				runError?.message ||
				summary.find((s) => s.error)?.error ||
				(r.timedOut ? `timed out after ${timeoutMs} ms` : null) ||
				lastErrorLine(r.stdout + '\n' + r.stderr) ||
				`exit ${r.code}`;
		}
		return { ok, code: r.code, status, result, summary, error, ms: r.ms, stdout: r.stdout, stderr: r.stderr, timedOut: r.timedOut };
	}

	/** Activate before `n8n start`: publish:workflow (2.x) / update:workflow --active=true (1.x). */
	async activateWorkflowOffline(id) {
		if (this.version === '2') return this.runOk(['publish:workflow', `--id=${id}`]);
		return this.runOk(['update:workflow', `--id=${id}`, '--active=true']);
	}

	/**
	 * `n8n start` on 127.0.0.1:<port>; waits for /healthz/readiness, sets up the owner and an API
	 * key. Returns { url, port, email, password, apiKey, cookie, logFile, api(method, path, body),
	 * rest(method, path, body), activate(id), stop() }.
	 */
	async startServer(opts = {}) {
		if (this.server) return this.server;
		// port 'auto': a free port, retried with another one when it is taken between the check and
		// n8n's bind (also covers the task-broker port, which is picked the same way)
		if ((opts.port ?? this.port) !== 'auto') return this.startServerOnce(opts);
		for (let attempt = 1; ; attempt++) {
			try {
				return await this.startServerOnce({ ...opts, port: await freePort() });
			} catch (e) {
				if (attempt >= 3 || !/already in use|EADDRINUSE/i.test(e.message)) throw e;
			}
		}
	}

	async startServerOnce({ port = this.port, readyTimeoutMs = 180000, owner = OWNER, log = () => {}, stdio } = {}) {
		const logFile = path.join(this.dir, `n8n-start-${port}.log`);
		const fd = fs.openSync(logFile, 'a');
		const env = await this.processEnv({ N8N_PORT: String(port) });
		const child = spawn(this.runtime.nodeBin, [this.runtime.n8nJs, 'start'], {
			cwd: this.dir,
			env,
			stdio: stdio ?? ['ignore', fd, fd],
			detached: false,
		});
		fs.closeSync(fd);
		let exited = null;
		const exitPromise = new Promise((res) =>
			child.on('exit', (code, signal) => {
				exited = { code, signal };
				res(exited);
			}),
		);
		const url = `http://127.0.0.1:${port}`;
		const t0 = Date.now();
		const stop = async () => {
			if (exited) return exited;
			child.kill('SIGTERM');
			const t = setTimeout(() => child.kill('SIGKILL'), 20000);
			const r = await exitPromise;
			clearTimeout(t);
			this.server = null;
			return r;
		};
		try {
			while (true) {
				if (exited) throw new Error(`n8n start exited (${JSON.stringify(exited)}):\n${tail(readSafe(logFile))}`);
				if (Date.now() - t0 > readyTimeoutMs) throw new Error(`n8n not ready after ${readyTimeoutMs} ms:\n${tail(readSafe(logFile))}`);
				try {
					const res = await fetch(`${url}/healthz/readiness`, { signal: AbortSignal.timeout(3000) });
					if (res.status === 200) break;
				} catch {}
				await sleep(500);
			}
			log(`n8n ready on ${url} after ${((Date.now() - t0) / 1000).toFixed(1)} s`);
			const server = { url, port, child, logFile, email: owner.email, password: owner.password, stop, exited: exitPromise };
			// first start of this folder: owner setup; later starts: log in and reuse the API key
			server.cookie = this.ownerReady ? await login(url, owner) : await setupOwner(url, owner);
			this.ownerReady = true;
			server.rest = (method, p, body) => restCall(url, server.cookie, method, p, body);
			server.apiKey = this.apiKey ?? (await createApiKey(server));
			this.apiKey = server.apiKey;
			server.api = (method, p, body) => publicApi(url, server.apiKey, method, p, body);
			server.activate = (id) => server.api('POST', `/api/v1/workflows/${id}/activate`);
			// 2.x registers webhooks of a workflow activated over the API about 1 s after the API answers
			server.waitForWebhook = (hookPath, opts) => waitForWebhook(url, hookPath, opts);
			this.server = server;
			return server;
		} catch (err) {
			await stop();
			throw err;
		}
	}

	/** Stop the server (if any) and remove the folder (unless keep). */
	async cleanup({ keep = false } = {}) {
		if (this.server) await this.server.stop();
		if (!keep) await fsp.rm(this.dir, { recursive: true, force: true });
	}
}

export function normalizeWorkflow(wf, file) {
	const out = { ...wf };
	if (!out.id) out.id = stableId(file ? path.basename(file) : out.name);
	if (!out.name) out.name = file ? path.basename(file, '.json') : out.id;
	out.active = false;
	out.settings ??= { executionOrder: 'v1' };
	out.connections ??= {};
	delete out.meta?.instanceId;
	return out;
}

// ---------- REST helpers ----------

/** fetch options for a call with a JSON body (when given) and a timeout. */
function jsonRequest({ method = 'GET', headers = {}, body } = {}, timeoutMs = 30000) {
	return {
		method,
		headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
		body: body === undefined ? undefined : JSON.stringify(body),
		signal: AbortSignal.timeout(timeoutMs),
	};
}

/** The answer's text, and the text parsed as JSON (undefined when it is not JSON). */
async function readJson(res) {
	const text = await res.text();
	let json;
	try {
		json = JSON.parse(text);
	} catch {}
	return { text, json };
}

/** One HTTP call with a JSON body (when given) and a 30 s timeout: the response, its text and JSON. */
export async function fetchJson(url, options, timeoutMs = 30000) {
	const res = await fetch(url, jsonRequest(options, timeoutMs));
	return { res, ...(await readJson(res)) };
}

/**
 * One call to n8n (REST, public API or a webhook), with a JSON body when given; returns the Response.
 * n8n pings its database every 2 s and, when one ping takes over 5 s (SQLite on a loaded machine),
 * answers every request with 503 "Database is not ready!" until the next ping succeeds (@n8n/db
 * DbConnection.ping, the middleware in abstract-server). That middleware runs before any route, so
 * the call had no effect: it is sent again for up to 60 s (seen once in CI, right after
 * /healthz/readiness had answered 200).
 */
export async function fetchN8n(url, options, timeoutMs = 30000) {
	for (const t0 = Date.now(); ; ) {
		const res = await fetch(url, jsonRequest(options, timeoutMs));
		if (Date.now() - t0 >= 60000 || !(await dbNotReady(res))) return res;
		await res.arrayBuffer();
		await sleep(1000);
	}
}

/** Whether n8n refused a request with its transient 503 "Database is not ready!" (see fetchN8n). */
async function dbNotReady(res) {
	return res.status === 503 && DB_NOT_READY.test(await res.clone().text());
}

/** One call to n8n's REST or public API; throws on a non-2xx answer. */
export async function n8nCall(url, method, p, headers, body) {
	const res = await fetchN8n(`${url}${p}`, { method, headers, body });
	const { text, json } = await readJson(res);
	if (!res.ok) throw new Error(`${method} ${p} → ${res.status}: ${text.slice(0, 500)}`);
	return { res, json, text };
}

async function restCall(url, cookie, method, p, body) {
	const headers = { 'browser-id': BROWSER_ID, ...(cookie ? { cookie } : {}) };
	return n8nCall(url, method, p, headers, body);
}

/** /healthz/readiness can answer before the REST routes are mounted (1.x): retry 404s briefly. */
async function restCallWhenMounted(url, cookie, method, p, body) {
	for (let i = 0; ; i++) {
		try {
			return await restCall(url, cookie, method, p, body);
		} catch (e) {
			if (!/→ 404/.test(e.message) || i >= 120) throw e;
			await sleep(500);
		}
	}
}

async function setupOwner(url, owner) {
	const { res } = await restCallWhenMounted(url, null, 'POST', '/rest/owner/setup', owner);
	return authCookie(res);
}

async function login(url, owner) {
	const { res } = await restCallWhenMounted(url, null, 'POST', '/rest/login', { emailOrLdapLoginId: owner.email, email: owner.email, password: owner.password });
	return authCookie(res);
}

function authCookie(res) {
	const cookies = res.headers.getSetCookie?.() ?? [res.headers.get('set-cookie')].filter(Boolean);
	const auth = cookies.map((c) => c.split(';')[0]).find((c) => c.startsWith('n8n-auth='));
	if (!auth) throw new Error('no n8n-auth cookie in the response');
	return auth;
}

const API_SCOPES = [
	'workflow:create',
	'workflow:read',
	'workflow:update',
	'workflow:delete',
	'workflow:list',
	'workflow:activate',
	'workflow:deactivate',
	'execution:read',
	'execution:list',
	'credential:create',
	'credential:delete',
	'tag:list',
];

async function createApiKey(server) {
	const tries = [
		{ label: 'powerpost-driver', expiresAt: null, scopes: API_SCOPES },
		{ label: 'powerpost-driver', expiresAt: null },
	];
	let lastErr;
	for (const body of tries) {
		try {
			const { json } = await server.rest('POST', '/rest/api-keys', body);
			const d = json?.data ?? json;
			const key = d?.rawApiKey ?? d?.apiKey;
			if (key) return key;
			lastErr = new Error(`no key in ${JSON.stringify(json).slice(0, 300)}`);
		} catch (e) {
			lastErr = e;
		}
	}
	throw lastErr;
}

async function publicApi(url, apiKey, method, p, body) {
	const { json, text } = await n8nCall(url, method, p, { 'X-N8N-API-KEY': apiKey }, body);
	return json ?? text;
}

/**
 * Poll `${url}/webhook/<path>` until it is registered (status ≠ 404) and n8n's database is ready;
 * returns the Response.
 */
export async function waitForWebhook(url, hookPath, { method = 'GET', body, headers = {}, timeoutMs = 20000 } = {}) {
	const t0 = Date.now();
	while (true) {
		const res = await fetchN8n(`${url}/webhook/${hookPath.replace(/^\//, '')}`, { method, headers, body }, 60000);
		if (res.status !== 404 || Date.now() - t0 > timeoutMs) return res;
		await res.arrayBuffer();
		await sleep(250);
	}
}

// ---------- misc ----------

export function sleep(ms) {
	return new Promise((r) => setTimeout(r, ms));
}

function readSafe(f) {
	try {
		return fs.readFileSync(f, 'utf8');
	} catch {
		return '';
	}
}

function tail(s, n = 40) {
	return String(s).split('\n').slice(-n).join('\n');
}

function lastErrorLine(s) {
	const lines = String(s)
		.split('\n')
		.map((l) => l.trim())
		.filter(Boolean)
		.filter((l) => !/Python task runner|license SDK|Task Broker ready|npm warn/i.test(l));
	const i = lines.findIndex((l) => /^Execution error:/.test(l));
	if (i >= 0) {
		const msg = lines.slice(i + 1).find((l) => !/^=+$/.test(l));
		if (msg) return msg;
	}
	return [...lines].reverse().find((l) => /error|fail|problem|cannot|unrecognized/i.test(l));
}

// ---------- sandbox ----------

/**
 * Start the PowerPost sandbox as a child process (`tsx sandbox/cli.ts --port <p>`), wait until
 * `${origin}/__sandbox/info` answers. Returns { origin, url, info, keys, workspaces, stop(), reset() }.
 * onSpawn(child) is called right after the spawn.
 */
export async function startSandboxProcess({ port, repoDir = REPO_DIR, timeoutMs = 60000, logFile, onSpawn } = {}) {
	port = port ?? (await freePort());
	const tsx = path.join(repoDir, 'node_modules', '.bin', 'tsx');
	logFile = logFile ?? path.join(os.tmpdir(), `pp-sandbox-${port}.log`);
	const fd = fs.openSync(logFile, 'w');
	const child = spawn(tsx, ['sandbox/cli.ts', '--port', String(port)], {
		cwd: repoDir,
		env: { ...process.env, POWERPOST_SANDBOX_PORT: String(port) },
		stdio: ['ignore', fd, fd],
	});
	fs.closeSync(fd);
	onSpawn?.(child); // e.g. the demo stops it on Ctrl-C even before it answers
	let exited = null;
	const exitP = new Promise((res) => child.on('exit', (code, signal) => res((exited = { code, signal }))));
	const origin = `http://127.0.0.1:${port}`;
	const t0 = Date.now();
	const stop = async () => {
		if (exited) return;
		child.kill('SIGTERM');
		const t = setTimeout(() => child.kill('SIGKILL'), 5000);
		await exitP;
		clearTimeout(t);
	};
	let info;
	while (true) {
		if (exited) throw new Error(`sandbox exited (${JSON.stringify(exited)}):\n${tail(readSafe(logFile))}`);
		if (Date.now() - t0 > timeoutMs) {
			await stop();
			throw new Error(`sandbox not up after ${timeoutMs} ms:\n${tail(readSafe(logFile))}`);
		}
		try {
			const res = await fetch(`${origin}/__sandbox/info`, { signal: AbortSignal.timeout(2000) });
			if (res.ok) {
				info = await res.json();
				break;
			}
		} catch {}
		await sleep(300);
	}
	// The control API's answer as JSON (its text when not JSON); 2 min for a large reset or clock move.
	const control = async (method, p, body) => {
		const { text, json } = await fetchJson(`${origin}/__sandbox${p}`, { method, body }, 120000);
		return json === undefined ? text : json;
	};
	return {
		origin,
		port,
		url: info?.url ?? `${origin}/api/v1`,
		info,
		keys: info?.keys ?? {
			full: 'pp_live_sk_sandbox_full',
			draftOnly: 'pp_live_sk_sandbox_draft',
			readOnly: 'pp_live_sk_sandbox_read',
			noCredits: 'pp_live_sk_sandbox_nocredits',
		},
		workspaces: info?.workspaces ?? { primary: 'ws_sandbox_primary', secondary: 'ws_sandbox_secondary', foreign: 'ws_sandbox_foreign' },
		logFile,
		control,
		reset: () => control('POST', '/reset'),
		requests: () => control('GET', '/requests'),
		advanceClock: (ms) => control('POST', '/clock/advance', { ms }),
		stop,
	};
}

/** The ready-made credential the examples use (id fixed so example JSON can reference it). */
export const SANDBOX_CREDENTIAL_ID = 'ppSandboxCred001';
export const SANDBOX_CREDENTIAL_NAME = 'PowerPost Sandbox';

export function sandboxCredential(sb, { key = 'full', workspace = 'primary', id = SANDBOX_CREDENTIAL_ID, name = SANDBOX_CREDENTIAL_NAME } = {}) {
	return {
		id,
		name,
		type: 'powerPostApi',
		data: { apiKey: sb.keys[key], workspaceId: sb.workspaces[workspace], baseUrl: sb.url },
	};
}

export { provision, runtimeInfo };
