// `npm run demo` and `npm run sandbox` as a newcomer starts them: a second demo must not touch a
// running one, a busy port is explained, and Ctrl-C leaves nothing behind. The commands run as
// child processes with their own runtime cache (N8N_RUNTIME_CACHE), never the real one.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

const REPO = path.resolve(__dirname, '..', '..');
jest.setTimeout(180_000);

interface Run {
	child: ChildProcess;
	stdout: () => string;
	stderr: () => string;
	exited: Promise<number | null>;
	waitFor: (text: string) => Promise<void>;
}

function start(cmd: string, args: string[], env: Record<string, string> = {}): Run {
	const child = spawn(cmd, args, { cwd: REPO, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
	let out = '';
	let err = '';
	const waiters: Array<() => void> = [];
	child.stdout!.on('data', (d) => {
		out += d;
		waiters.forEach((w) => w());
	});
	child.stderr!.on('data', (d) => (err += d));
	const exited = new Promise<number | null>((resolve) => child.on('close', (code, signal) => resolve(code ?? (signal ? 128 : null))));
	const waitFor = (text: string) =>
		new Promise<void>((resolve, reject) => {
			const check = () => out.includes(text) && resolve();
			waiters.push(check);
			check();
			void exited.then(() => (out.includes(text) ? resolve() : reject(new Error(`exited before "${text}":\n${out}\n${err}`))));
		});
	return { child, stdout: () => out, stderr: () => err, exited, waitFor };
}

async function holdPort(): Promise<{ port: number; close: () => Promise<void> }> {
	const server = net.createServer();
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as net.AddressInfo;
	return { port, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

async function freePort(): Promise<number> {
	const held = await holdPort();
	await held.close();
	return held.port;
}

function connects(port: number): Promise<boolean> {
	return new Promise((resolve) => {
		const socket = net.connect(port, '127.0.0.1');
		socket.once('connect', () => {
			socket.destroy();
			resolve(true);
		});
		socket.once('error', () => resolve(false));
	});
}

function alive(pid: number): boolean {
	try {
		process.kill(pid, 0);
		return true;
	} catch {
		return false;
	}
}

/** pids of every descendant of `pid` (children, grandchildren, …), from ps. */
function descendants(pid: number): number[] {
	const rows = execFileSync('ps', ['-eo', 'pid=,ppid='], { encoding: 'utf8' })
		.trim()
		.split('\n')
		.map((l) => l.trim().split(/\s+/).map(Number));
	const found: number[] = [];
	const walk = (parent: number) => {
		for (const [p, pp] of rows) if (pp === parent) found.push(p), walk(p);
	};
	walk(pid);
	return found;
}

let cache: string;
beforeEach(() => {
	cache = mkdtempSync(path.join(os.tmpdir(), 'pp-demo-test-cache-'));
});
afterEach(() => rmSync(cache, { recursive: true, force: true }));

const demo = (args: string[]) => start(process.execPath, ['scripts/demo.mjs', ...args], { N8N_RUNTIME_CACHE: cache });

describe('npm run demo while another demo runs', () => {
	test('a live demo lock: the second demo says what runs, exits 1 and touches nothing', async () => {
		const port = await freePort();
		const userDir = path.join(cache, `demo-n8n2-port${port}`);
		mkdirSync(userDir);
		writeFileSync(path.join(userDir, 'database.sqlite'), 'the running demo');
		const lockFile = path.join(cache, `.demo-n8n2-port${port}.lock`);
		const lock = JSON.stringify({ pid: process.pid, port, once: false, userDir, startedAt: new Date().toISOString() });
		writeFileSync(lockFile, lock);

		const second = demo(['--port', String(port), '--no-build']);
		expect(await second.exited).toBe(1);
		expect(second.stderr()).toContain(`Another demo is already running (pid ${process.pid}`);
		expect(second.stderr()).toContain(`http://127.0.0.1:${port}`);
		expect(second.stderr()).toContain('npm run demo -- --port');
		expect(second.stdout()).not.toContain('sandbox');
		expect(readFileSync(path.join(userDir, 'database.sqlite'), 'utf8')).toBe('the running demo');
		expect(readFileSync(lockFile, 'utf8')).toBe(lock);
		expect(existsSync(path.join(cache, 'n8n-2.41.1-node-24.21.0'))).toBe(false);
	});

	test('the editor port taken by another program: the demo names the port and how to pick another, and leaves no lock', async () => {
		const held = await holdPort();
		try {
			const run = demo(['--port', String(held.port), '--no-build']);
			expect(await run.exited).toBe(1);
			expect(run.stderr()).toContain(`Port ${held.port} on 127.0.0.1 is in use by another program`);
			expect(run.stderr()).toMatch(/npm run demo -- --port \d+/);
			expect(run.stdout()).not.toContain('sandbox');
			expect(existsSync(path.join(cache, `.demo-n8n2-port${held.port}.lock`))).toBe(false);
		} finally {
			await held.close();
		}
	});

	test('Ctrl-C during the first run stops the sandbox, the n8n install and the in-process run, and removes the lock', async () => {
		const port = await freePort();
		const sandboxPort = await freePort();
		// a lock left by a dead process does not block the demo
		const lockFile = path.join(cache, `.demo-n8n2-port${port}.lock`);
		writeFileSync(lockFile, JSON.stringify({ pid: 2 ** 22 + 1, port }));
		const run = demo(['--port', String(port), '--sandbox-port', String(sandboxPort), '--no-build']);
		await run.waitFor('First result:');
		expect(await connects(sandboxPort)).toBe(true);
		expect(JSON.parse(readFileSync(lockFile, 'utf8'))).toMatchObject({ pid: run.child.pid, port });
		const started = descendants(run.child.pid!);
		expect(started.length).toBeGreaterThanOrEqual(2); // the sandbox, npm installing n8n, the in-process run

		run.child.kill('SIGINT');
		expect(await run.exited).toBe(130);
		expect(run.stdout()).toContain('Stopped (exit 130)');
		expect(await connects(sandboxPort)).toBe(false);
		expect(existsSync(lockFile)).toBe(false);
		expect(existsSync(path.join(cache, '.n8n-2.41.1-node-24.21.0.lock'))).toBe(false);
		// every process it started is gone (npm's own children get a moment to follow their parent)
		for (let i = 0; i < 50 && started.some(alive); i++) await new Promise((r) => setTimeout(r, 200));
		expect(started.filter(alive)).toEqual([]);
	});
});

describe('npm run demo stopping on an error', () => {
	test('an error after the start (no such example) stops the sandbox and the n8n install and removes the lock', async () => {
		const port = await freePort();
		const sandboxPort = await freePort();
		const lockFile = path.join(cache, `.demo-n8n2-port${port}.lock`);
		const run = demo(['--port', String(port), '--sandbox-port', String(sandboxPort), '--no-build', '--example', 'no-such-example.json']);
		expect(await run.exited).toBe(1);
		expect(run.stderr()).toContain('✘ demo failed: no example no-such-example.json');
		expect(run.stdout()).toContain(`sandbox API: http://127.0.0.1:${sandboxPort}/api/v1`);
		expect(run.stdout()).toContain('Stopped (exit 1)');
		expect(await connects(sandboxPort)).toBe(false);
		expect(existsSync(lockFile)).toBe(false);
		expect(existsSync(path.join(cache, '.n8n-2.41.1-node-24.21.0.lock'))).toBe(false);
	});
});

describe('npm run demo -- --quick', () => {
	test('prints the flagship example\'s result from n8n-core in process, without installing n8n', async () => {
		const run = demo(['--quick', '--sandbox-port', String(await freePort())]);
		expect(await run.exited).toBe(0);
		const out = run.stdout();
		expect(out).toContain('First result: "01-idea-to-everywhere.json"');
		expect(out).toContain('Output of "Results" (4 items)');
		for (const platform of ['instagram', 'x', 'linkedin', 'facebook']) expect(out).toMatch(new RegExp(`platform=${platform}  post_type=\\S+  status=posted`));
		expect(out).toMatch(/✔ success in [\d.]+ s; first result after \d+ s/);
		expect(existsSync(path.join(cache, 'n8n-2.41.1-node-24.21.0'))).toBe(false);
	});
});

describe('npm run sandbox on a busy port', () => {
	test('names the port and how to choose another, without a stack trace', async () => {
		const held = await holdPort();
		try {
			const run = start('npm', ['run', '--silent', 'sandbox', '--', '--port', String(held.port)]);
			expect(await run.exited).toBe(2);
			expect(run.stderr()).toContain(`Port ${held.port} on 127.0.0.1 is already in use`);
			expect(run.stderr()).toContain('npm run sandbox -- --port 0');
			expect(run.stderr()).not.toMatch(/EADDRINUSE|\n\s+at /);
		} finally {
			await held.close();
		}
	});
});

describe('n8n install progress (the demo\'s [n8n install] lines)', () => {
	test('counts what npm did from its http log lines: manifests while it resolves, then packages', () => {
		const log = [
			'npm http fetch GET 200 https://registry.npmjs.org/n8n 120ms (cache revalidated)',
			'npm http fetch GET 200 https://registry.npmjs.org/@n8n%2fdb 80ms (cache hit)',
			'npm warn ERESOLVE overriding peer dependency',
			'npm http fetch GET 200 https://registry.npmjs.org/n8n/-/n8n-2.41.1.tgz 900ms (cache miss)',
			'npm http cache lodash@https://registry.npmjs.org/lodash/-/lodash-4.17.21.tgz 0ms (cache hit)',
		].join('\n');
		const code = `import('./scripts/n8n-runtime.mjs').then((m) => console.log(JSON.stringify([m.npmProgress(process.argv[1]), m.npmProgress(process.argv[2])])))`;
		const out = execFileSync(process.execPath, ['-e', code, log, log.split('\n').slice(0, 3).join('\n')], { cwd: REPO, encoding: 'utf8' });
		expect(JSON.parse(out)).toEqual([
			{ manifests: 2, tarballs: 2 },
			{ manifests: 2, tarballs: 0 },
		]);
	});
});
