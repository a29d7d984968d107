// n8n queue mode on one machine, for the queue e2e: Redis and Postgres from Debian (installed with
// apt-get when missing), each started unprivileged on 127.0.0.1 with a free port and a temp data
// folder, and `n8n worker` processes. Plain Node ESM, no third-party imports.
//
//   import { ensureQueueServices, startRedis, startPostgres, queueEnv, startWorker } from './queue.mjs';
//   await ensureQueueServices(log);            // apt-get install -y redis-server postgresql (when missing)
//   const redis = await startRedis();          // { host, port, stop() }
//   const pg = await startPostgres();          // { host, port, user, database, env, stop() }
//   const env = queueEnv({ redis, pg });       // EXECUTIONS_MODE=queue, QUEUE_BULL_REDIS_*, DB_* ...
//   const uf = await createUserFolder('2', { extraEnv: env });   // main and each worker: own folder
//   const w = await startWorker(uf, { concurrency: 5 });         // { pid, logFile, ready, kill(sig), stop() }

import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { freePort, sleep } from './n8n-driver.mjs';

const isRoot = () => typeof process.getuid === 'function' && process.getuid() === 0;

function which(bin) {
	const r = spawnSync('sh', ['-c', `command -v ${bin}`], { encoding: 'utf8' });
	return r.status === 0 ? r.stdout.trim() : null;
}

/** Debian's PostgreSQL server binaries (highest installed major), or null. */
export function postgresBinDir() {
	const root = '/usr/lib/postgresql';
	if (!fs.existsSync(root)) return null;
	const majors = fs
		.readdirSync(root)
		.filter((d) => fs.existsSync(path.join(root, d, 'bin', 'initdb')))
		.sort((a, b) => Number(b) - Number(a));
	return majors.length ? path.join(root, majors[0], 'bin') : null;
}

function aptGet(args, log) {
	const cmd = isRoot() ? ['apt-get', ...args] : ['sudo', '-n', 'apt-get', ...args];
	log(`$ ${cmd.join(' ')}`);
	const r = spawnSync(cmd[0], cmd.slice(1), {
		encoding: 'utf8',
		env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
		maxBuffer: 64 * 1024 * 1024,
	});
	return r;
}

/** Installs redis-server and postgresql with apt-get when their binaries are missing. */
export async function ensureQueueServices(log = console.log) {
	const missing = [];
	if (!which('redis-server')) missing.push('redis-server');
	if (!postgresBinDir()) missing.push('postgresql');
	if (!missing.length) return { installed: [], ms: 0 };
	const t0 = Date.now();
	log(`installing ${missing.join(' and ')} from Debian (apt-get, once per machine)`);
	let r = aptGet(['install', '-y', '--no-install-recommends', ...missing], log);
	if (r.status !== 0) {
		// a fresh machine may have no package lists yet
		const u = aptGet(['update'], log);
		if (u.status !== 0) throw new Error(`apt-get update failed:\n${(u.stderr || u.stdout).slice(-1500)}`);
		r = aptGet(['install', '-y', '--no-install-recommends', ...missing], log);
	}
	if (r.status !== 0) throw new Error(`apt-get install ${missing.join(' ')} failed${isRoot() ? '' : ' (not root: needs passwordless sudo)'}:\n${(r.stderr || r.stdout).slice(-1500)}`);
	if (!which('redis-server') || !postgresBinDir()) throw new Error('redis-server / PostgreSQL still missing after apt-get install');
	return { installed: missing, ms: Date.now() - t0 };
}

/** A process we started; stop() sends SIGTERM, then SIGKILL after graceMs. */
function track(child, graceMs = 10000) {
	let exited = null;
	const exitP = new Promise((res) => child.on('exit', (code, signal) => res((exited = { code, signal }))));
	return {
		child,
		pid: child.pid,
		exited: exitP,
		get exitInfo() {
			return exited;
		},
		kill: (sig) => child.kill(sig),
		async stop() {
			if (exited) return exited;
			child.kill('SIGTERM');
			const t = setTimeout(() => child.kill('SIGKILL'), graceMs);
			const r = await exitP;
			clearTimeout(t);
			return r;
		},
	};
}

async function waitFor(what, fn, { timeoutMs = 30000, logFile, proc } = {}) {
	const t0 = Date.now();
	while (true) {
		if (proc?.exitInfo) throw new Error(`${what}: process exited (${JSON.stringify(proc.exitInfo)})\n${tailFile(logFile)}`);
		try {
			if (await fn()) return Date.now() - t0;
		} catch {}
		if (Date.now() - t0 > timeoutMs) throw new Error(`${what}: not ready after ${timeoutMs} ms\n${tailFile(logFile)}`);
		await sleep(200);
	}
}

function tailFile(f, n = 30) {
	try {
		return fs.readFileSync(f, 'utf8').split('\n').slice(-n).join('\n');
	} catch {
		return '';
	}
}

/** redis-server on 127.0.0.1:<free port>, no persistence, data in a temp folder. */
export async function startRedis({ log = () => {} } = {}) {
	const dir = await fsp.mkdtemp(path.join(os.tmpdir(), 'pp-redis-'));
	const port = await freePort();
	const logFile = path.join(dir, 'redis.log');
	const fd = fs.openSync(logFile, 'a');
	const child = spawn(
		which('redis-server'),
		['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir, '--protected-mode', 'yes'],
		{ stdio: ['ignore', fd, fd] },
	);
	fs.closeSync(fd);
	const proc = track(child);
	const ms = await waitFor('redis', () => /Ready to accept connections/.test(tailFile(logFile, 200)), { logFile, proc });
	log(`redis on 127.0.0.1:${port} (pid ${child.pid}, ready in ${ms} ms)`);
	return {
		host: '127.0.0.1',
		port,
		pid: child.pid,
		logFile,
		async stop() {
			await proc.stop();
			await fsp.rm(dir, { recursive: true, force: true });
		},
	};
}

/**
 * PostgreSQL on 127.0.0.1:<free port> with a fresh cluster in a temp folder (initdb, trust auth for
 * the local test user `n8n`, fsync off). PostgreSQL refuses to run as root: as root, the cluster
 * belongs to Debian's `postgres` system user and its commands run through `runuser`.
 */
export async function startPostgres({ log = () => {}, database = 'n8n' } = {}) {
	const bin = postgresBinDir();
	if (!bin) throw new Error('PostgreSQL is not installed (ensureQueueServices installs it)');
	const base = await fsp.mkdtemp(path.join(os.tmpdir(), 'pp-postgres-'));
	const data = path.join(base, 'data');
	const logFile = path.join(base, 'postgres.log');
	let asUser = [];
	if (isRoot()) {
		const id = spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' });
		const gid = spawnSync('id', ['-g', 'postgres'], { encoding: 'utf8' });
		if (id.status !== 0) throw new Error('running as root and there is no `postgres` user to run PostgreSQL as');
		await fsp.chown(base, Number(id.stdout), Number(gid.stdout));
		asUser = ['runuser', '-u', 'postgres', '--'];
	}
	const run = (cmd, args, opts = {}) => {
		const full = [...asUser, path.join(bin, cmd), ...args];
		const r = spawnSync(full[0], full.slice(1), { encoding: 'utf8', cwd: base, ...opts });
		if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (exit ${r.status}):\n${r.stderr || r.stdout}\n${tailFile(logFile)}`);
		return r;
	};
	const t0 = Date.now();
	run('initdb', ['-D', data, '-U', 'n8n', '--auth=trust', '-E', 'UTF8', '--locale=C.UTF-8']);
	const port = await freePort();
	run('pg_ctl', [
		'-D', data, '-l', logFile, '-w', '-t', '60',
		'-o', `-p ${port} -c listen_addresses=127.0.0.1 -c unix_socket_directories=${base} -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200`,
		'start',
	]);
	run('createdb', ['-h', '127.0.0.1', '-p', String(port), '-U', 'n8n', database]);
	log(`postgres on 127.0.0.1:${port} (database ${database}, ready in ${Date.now() - t0} ms)`);
	return {
		host: '127.0.0.1',
		port,
		user: 'n8n',
		database,
		logFile,
		/** psql -c <sql> as the n8n user: stdout (tuples only, | separated) */
		sql(query) {
			const psql = [...asUser, path.join(bin, 'psql'), '-h', '127.0.0.1', '-p', String(port), '-U', 'n8n', '-d', database, '-At', '-F', '|', '-c', query];
			const r = spawnSync(psql[0], psql.slice(1), { encoding: 'utf8', cwd: base });
			if (r.status !== 0) throw new Error(`psql failed: ${r.stderr}`);
			return r.stdout.trim();
		},
		async stop() {
			try {
				run('pg_ctl', ['-D', data, '-m', 'fast', '-w', 'stop']);
			} catch (e) {
				log(`postgres stop: ${e.message.split('\n')[0]}`);
			}
			await fsp.rm(base, { recursive: true, force: true });
		},
	};
}

/** Environment of every n8n process of the cluster (main, workers, CLI imports). */
export function queueEnv({ redis, pg }) {
	return {
		EXECUTIONS_MODE: 'queue',
		QUEUE_BULL_REDIS_HOST: redis.host,
		QUEUE_BULL_REDIS_PORT: String(redis.port),
		DB_TYPE: 'postgresdb',
		DB_POSTGRESDB_HOST: pg.host,
		DB_POSTGRESDB_PORT: String(pg.port),
		DB_POSTGRESDB_DATABASE: pg.database,
		DB_POSTGRESDB_USER: pg.user,
		DB_POSTGRESDB_PASSWORD: 'unused-trust-auth',
		OFFLOAD_MANUAL_EXECUTIONS_TO_WORKERS: 'true',
	};
}

/**
 * `n8n worker` for a user folder (created with queueEnv in its extraEnv and the package installed):
 * its own task-broker port and health-check port. Resolves once /healthz answers.
 */
export async function startWorker(uf, { concurrency = 10, name = 'worker', env = {}, readyTimeoutMs = 180000 } = {}) {
	const healthPort = await freePort();
	const logFile = path.join(uf.dir, `n8n-${name}.log`);
	const fd = fs.openSync(logFile, 'a');
	const child = spawn(uf.runtime.nodeBin, [uf.runtime.n8nJs, 'worker', `--concurrency=${concurrency}`], {
		cwd: uf.dir,
		env: await uf.processEnv({
			QUEUE_HEALTH_CHECK_ACTIVE: 'true',
			QUEUE_HEALTH_CHECK_PORT: String(healthPort),
			N8N_WORKER_SERVER_ADDRESS: '127.0.0.1',
			...env,
		}),
		stdio: ['ignore', fd, fd],
	});
	fs.closeSync(fd);
	const proc = track(child, 20000);
	const ms = await waitFor(
		`${name} /healthz`,
		async () => (await fetch(`http://127.0.0.1:${healthPort}/healthz`, { signal: AbortSignal.timeout(2000) })).ok,
		{ timeoutMs: readyTimeoutMs, logFile, proc },
	);
	return { ...proc, name, healthPort, logFile, readyMs: ms, log: () => tailFile(logFile, 100000) };
}
