// The e2e driver's calls into n8n (scripts/n8n-driver.mjs fetchN8n, under n8nCall and
// waitForWebhook): n8n answers 503 "Database is not ready!" from a middleware, before any route,
// while one of its database pings is late; the driver waits that out, and fails at once on any other
// error. Run as a child process (the driver is an ES module), against a local server that plays n8n.
import { execFile } from 'node:child_process';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';

const DRIVER = path.resolve(__dirname, '..', '..', 'scripts', 'n8n-driver.mjs');

async function withServer(answers: Array<[number, string]>, run: (url: string) => Promise<void>): Promise<string[]> {
	const seen: string[] = [];
	const server = http.createServer((req, res) => {
		seen.push(`${req.method} ${req.url}`);
		const [status, body] = answers[Math.min(seen.length - 1, answers.length - 1)];
		res.writeHead(status, { 'content-type': 'application/json' }).end(body);
	});
	await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
	try {
		await run(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
	} finally {
		server.close();
	}
	return seen;
}

/** Runs `body` (an ES module snippet that prints its result) with the driver's exports imported. */
function run(body: string): Promise<{ code: number; out: string; err: string }> {
	const script = `import { n8nCall, waitForWebhook } from ${JSON.stringify(DRIVER)};
try { ${body} }
catch (e) { console.error(e.message); process.exit(3); }`;
	return new Promise((resolve) => {
		execFile(process.execPath, ['--input-type=module', '-e', script], (error, out, err) =>
			resolve({ code: error ? Number(error.code) : 0, out, err }),
		);
	});
}

const call = (url: string) =>
	run(`const r = await n8nCall(${JSON.stringify(url)}, 'POST', '/rest/owner/setup', {}, { email: 'a@b.c' }); console.log(JSON.stringify(r.json));`);

const NOT_READY: [number, string] = [503, '{"code":503,"message":"Database is not ready!"}'];

test('a 503 "Database is not ready!" is waited out and the call then succeeds', async () => {
	let result = { code: -1, out: '', err: '' };
	const seen = await withServer([NOT_READY, NOT_READY, [200, '{"data":{"id":"owner"}}']], async (url) => {
		result = await call(url);
	});
	expect(result).toMatchObject({ code: 0, out: '{"data":{"id":"owner"}}\n' });
	expect(seen).toEqual(['POST /rest/owner/setup', 'POST /rest/owner/setup', 'POST /rest/owner/setup']);
});

test('any other 503 fails at once, naming the call and the answer', async () => {
	let result = { code: -1, out: '', err: '' };
	const seen = await withServer([[503, '{"status":"error"}']], async (url) => {
		result = await call(url);
	});
	expect(result.code).toBe(3);
	expect(result.err).toContain('POST /rest/owner/setup → 503: {"status":"error"}');
	expect(seen).toHaveLength(1);
});

test('a webhook call waits out both "not registered yet" (404) and "Database is not ready!", and its answer stays readable', async () => {
	let result = { code: -1, out: '', err: '' };
	const seen = await withServer([[404, '{"message":"not registered"}'], NOT_READY, [200, '{"received":true}']], async (url) => {
		result = await run(
			`const res = await waitForWebhook(${JSON.stringify(url)}, 'hook', { method: 'POST', body: {} }); console.log(res.status, await res.text());`,
		);
	});
	expect(result).toMatchObject({ code: 0, out: '200 {"received":true}\n' });
	expect(seen).toEqual(['POST /webhook/hook', 'POST /webhook/hook', 'POST /webhook/hook']);
});
