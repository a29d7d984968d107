/**
 * Issue 2 "done when": the credential test, 429 handling, no blind resend of POSTs, non-JSON
 * answers, and the API key kept out of every error, output item and log line. Real HTTP against
 * the sandbox, through n8n-core's real request helpers.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

import type { FaultRule, Sandbox } from '../../sandbox/server';
import { startSandbox } from '../../sandbox/server';
import type { RunNodeResult } from '../harness';
import { runCredentialTest, runNode } from '../harness';

let sb: Sandbox;
const seen: string[] = [];
// The first test also loads n8n-core and the node registry, which takes seconds on a busy machine.
jest.setTimeout(30_000);

beforeAll(async () => {
	sb = await startSandbox({ timing: { caption: 200 } });
});
afterAll(async () => {
	// Everything a user could see in this file: outputs, errors, descriptions, logs.
	const all = seen.join('\n');
	expect(all.length).toBeGreaterThan(1000);
	for (const key of [sb.keys.full, sb.keys.readOnly, 'pp_live_sk_not_a_real_key_123']) expect(all).not.toContain(key);
	await sb.close();
});
beforeEach(() => {
	sb.faults.clear();
	sb.requests.length = 0;
});

const creds = (apiKey = sb.keys.full, workspaceId = sb.workspaces.primary) => ({ powerPostApi: { apiKey, workspaceId, baseUrl: sb.url } });

function remember(result: RunNodeResult): RunNodeResult {
	seen.push(JSON.stringify(result.outputs), result.error?.message ?? '', String(result.error?.description ?? ''), JSON.stringify(result.error ?? {}), ...result.logs);
	return result;
}

async function getCredits(credentials = creds()) {
	return remember(await runNode({ nodeType: 'powerPost', parameters: { resource: 'account', operation: 'getCredits' }, credentials }));
}

async function generateCaption(extra: Record<string, unknown> = {}) {
	return remember(
		await runNode({
			nodeType: 'powerPost',
			parameters: {
				resource: 'caption',
				operation: 'generate',
				inputMode: 'text',
				prompt: 'Launch of our autumn collection',
				postTypes: ['instagram-feed', 'x-post'],
				researchMode: 'regular',
				waitForCompletion: false,
				...extra,
			},
			credentials: creds(),
		}),
	);
}

const hits = (method: string, path: string) => sb.requests.filter((r) => r.method === method && r.path === path);

/** Creates a calendar entry (setup, straight to the sandbox), then runs Calendar Entry → Delete on it. */
async function deleteNewEntry(title: string, fault: Omit<FaultRule, 'path' | 'method'>) {
	const entry = (await (
		await fetch(`${sb.url}/calendar/entries`, {
			method: 'POST',
			headers: { 'x-api-key': sb.keys.full, 'X-Workspace-Id': sb.workspaces.primary, 'Content-Type': 'application/json' },
			body: JSON.stringify({ title, scheduled_date: '2026-12-01' }),
		})
	).json()) as { entry_id: string };
	sb.requests.length = 0;
	sb.faults.add({ ...fault, method: 'DELETE', path: `/calendar/entries/${entry.entry_id}` });
	const result = remember(
		await runNode({
			nodeType: 'powerPost',
			parameters: { resource: 'calendar', operation: 'delete', entryId: { __rl: true, mode: 'id', value: entry.entry_id } },
			credentials: creds(),
		}),
	);
	return { entry, result };
}

describe('credential test', () => {
	const test = async (apiKey: string, workspaceId: string) => {
		const result = await runCredentialTest('powerPostApi', { apiKey, workspaceId, baseUrl: sb.url });
		seen.push(result.message, ...result.logs);
		return result;
	};

	it('passes for a good key and workspace, with a read that needs the workspace header', async () => {
		expect(await test(sb.keys.full, sb.workspaces.primary)).toMatchObject({ status: 'OK' });
		expect(sb.requests.at(-1)).toMatchObject({ method: 'GET', path: '/content/generations', workspace: sb.workspaces.primary, status: 200 });
	});

	it('passes for a read-only key too', async () => {
		expect(await test(sb.keys.readOnly, sb.workspaces.primary)).toMatchObject({ status: 'OK' });
	});

	it('says the key is bad (401)', async () => {
		const result = await test('pp_live_sk_not_a_real_key_123', sb.workspaces.primary);
		expect(result.status).toBe('Error');
		expect(result.message).toMatch(/API key is not valid \(401\)/);
	});

	it('says the workspace is not the account\'s (403)', async () => {
		const result = await test(sb.keys.full, sb.workspaces.foreign);
		expect(result.status).toBe('Error');
		expect(result.message).toMatch(/no access to this Workspace ID \(403\)/);
	});

	it('says the workspace id is missing (400)', async () => {
		const result = await test(sb.keys.full, '');
		expect(result.status).toBe('Error');
		expect(result.message).toMatch(/Workspace ID is missing \(400\)/);
	});
});

describe('rate limits', () => {
	it('waits out a 429 for the retryAfter the server gave, then succeeds', async () => {
		sb.faults.add({ method: 'GET', path: '/account/credits', kind: 'rate-limit', retryAfter: 2 });
		const result = await getCredits();
		expect(result.status).toBe('success');
		expect(result.outputs[0][0].json).toEqual({ balance: expect.any(Number) });
		const calls = hits('GET', '/account/credits');
		expect(calls.map((c) => c.status)).toEqual([429, 200]);
		// Measured on the sandbox clock, not wall time.
		expect(calls[1].at - calls[0].at).toBeGreaterThanOrEqual(2000);
		expect(calls[1].at - calls[0].at).toBeLessThan(6000);
	});

	it('stays within the real limit of a busy key (fixed window) without failing', async () => {
		const limited = await startSandbox({ rateLimit: { limit: 2, windowMs: 2000 } });
		try {
			const result = remember(
				await runNode({
					nodeType: 'powerPost',
					parameters: { resource: 'account', operation: 'getCredits' },
					credentials: { powerPostApi: { apiKey: limited.keys.full, workspaceId: limited.workspaces.primary, baseUrl: limited.url } },
					input: [{ json: {} }, { json: {} }, { json: {} }, { json: {} }],
				}),
			);
			expect(result.status).toBe('success');
			expect(result.outputs[0]).toHaveLength(4);
			const statuses = limited.requests.map((r) => r.status);
			expect(statuses.filter((s) => s === 200)).toHaveLength(4);
			const throttled = limited.requests.findIndex((r) => r.status === 429);
			expect(throttled).toBeGreaterThan(0);
			// The retry came after the window the 429 named had ended.
			expect(limited.requests[throttled + 1].at).toBeGreaterThan(limited.requests[throttled].at);
			expect(Math.floor(limited.requests[throttled + 1].at / 2000)).toBeGreaterThan(Math.floor(limited.requests[throttled].at / 2000));
		} finally {
			await limited.close();
		}
	});
});

describe('transient failures', () => {
	it('repeats a GET after 502 and 503 answers', async () => {
		sb.faults.add({ method: 'GET', path: '/account/credits', kind: 'status', status: 502 });
		sb.faults.add({ method: 'GET', path: '/account/credits', kind: 'status', status: 503 });
		const result = await getCredits();
		expect(result.status).toBe('success');
		expect(hits('GET', '/account/credits').map((c) => c.status)).toEqual([502, 503, 200]);
	});

	it('repeats a GET after a dropped connection', async () => {
		sb.faults.add({ method: 'GET', path: '/account/credits', kind: 'drop-before' });
		const result = await getCredits();
		expect(result.status).toBe('success');
		expect(hits('GET', '/account/credits')).toHaveLength(2);
	});

	it('does not resend a POST that got a 500, and says so', async () => {
		sb.faults.add({ method: 'POST', path: '/content/generate', kind: 'status', status: 500 });
		const result = await generateCaption();
		expect(result.status).toBe('error');
		expect(hits('POST', '/content/generate')).toHaveLength(1);
		expect(result.error?.message).toMatch(/PowerPost/);
		expect(String(result.error?.description)).toMatch(/not sent again/);
	});

	it('does not resend a POST whose connection dropped after the server acted', async () => {
		const before = sb.state.generations.size;
		sb.faults.add({ method: 'POST', path: '/content/generate', kind: 'drop-after' });
		const result = await generateCaption();
		expect(result.status).toBe('error');
		expect(hits('POST', '/content/generate')).toHaveLength(1);
		expect(sb.state.generations.size).toBe(before + 1);
		expect(String(result.error?.description)).toMatch(/may already have carried it out/);
	});

	it('reports a DELETE as done when its answer was lost and the repeat finds nothing', async () => {
		const { entry, result } = await deleteNewEntry('Launch day', { kind: 'drop-after' });
		expect(result.status).toBe('success');
		expect(result.outputs[0][0].json).toEqual({ deleted: true, entry_id: entry.entry_id });
		expect(sb.requests.map((r) => r.status)).toEqual([200, 404]);
	});

	it('still reports a plain 404 on DELETE as not found', async () => {
		const result = remember(
			await runNode({
				nodeType: 'powerPost',
				parameters: { resource: 'calendar', operation: 'delete', entryId: { __rl: true, mode: 'id', value: 'no-such-entry' } },
				credentials: creds(),
			}),
		);
		expect(result.status).toBe('error');
		expect(result.error?.message).toMatch(/NOT_FOUND/);
	});

	it('does resend a POST that was rate limited (the server did nothing)', async () => {
		const before = sb.state.generations.size;
		sb.faults.add({ method: 'POST', path: '/content/generate', kind: 'rate-limit', retryAfter: 1 });
		const result = await generateCaption();
		expect(result.status).toBe('success');
		expect(hits('POST', '/content/generate').map((c) => c.status)).toEqual([429, 200]);
		expect(sb.state.generations.size).toBe(before + 1);
		expect(result.outputs[0][0].json).toMatchObject({ generation_id: expect.any(String), status: 'processing' });
	});
});

describe('answers that are not the expected JSON', () => {
	it('treats an HTML 200 (a login page) as an error, never a success', async () => {
		sb.faults.add({ method: 'GET', path: '/account/credits', kind: 'html' });
		const result = await getCredits();
		expect(result.status).toBe('error');
		expect(result.error?.message).toMatch(/HTML page instead of JSON/);
		expect(String(result.error?.description)).toMatch(/Base URL/);
	});

	it('treats malformed JSON as an error', async () => {
		sb.faults.add({ method: 'GET', path: '/account/credits', kind: 'malformed-json' });
		const result = await getCredits();
		expect(result.status).toBe('error');
		expect(result.error?.message).toMatch(/not valid JSON/);
	});

	it('routes the failure to the error output with continueErrorOutput, paired with its item', async () => {
		sb.faults.add({ method: 'GET', path: '/account/credits', kind: 'html' });
		const result = remember(
			await runNode({
				nodeType: 'powerPost',
				parameters: { resource: 'account', operation: 'getCredits' },
				credentials: creds(),
				input: [{ json: { n: 1 } }, { json: { n: 2 } }],
				onError: 'continueErrorOutput',
			}),
		);
		expect(result.status).toBe('success');
		expect(result.outputs[0]).toHaveLength(1);
		expect(result.outputs[1]).toHaveLength(1);
		expect(result.outputs[1][0].json.error).toMatch(/HTML page/);
		expect(result.outputs[1][0].json.details).toMatchObject({ description: expect.stringMatching(/Base URL/), requestId: expect.any(String) });
		expect(result.outputs[1][0].pairedItem).toEqual({ item: 0 });
		expect(result.outputs[0][0].pairedItem).toEqual({ item: 1 });
	});
});

describe('documented API errors become actionable messages', () => {
	it('401 names the credential', async () => {
		const result = await getCredits(creds('pp_live_sk_not_a_real_key_123'));
		expect(result.status).toBe('error');
		expect(result.error?.message).toMatch(/INVALID_API_KEY/);
		expect(String(result.error?.description)).toMatch(/Settings → API/);
	});

	it('403 INSUFFICIENT_SCOPE names the scope and the preset that has it', async () => {
		const result = remember(
			await runNode({
				nodeType: 'powerPost',
				parameters: { resource: 'caption', operation: 'generate', inputMode: 'text', prompt: 'Hello world', postTypes: ['x-post'], researchMode: 'regular', waitForCompletion: false },
				credentials: creds(sb.keys.readOnly),
			}),
		);
		expect(result.status).toBe('error');
		expect(result.error?.message).toMatch(/INSUFFICIENT_SCOPE/);
		expect(String(result.error?.description)).toMatch(/"content:generate".*Full access or Draft only/);
	});

	it('carries the X-Request-Id', async () => {
		const result = await getCredits(creds('pp_live_sk_not_a_real_key_123'));
		const requestId = sb.requests.at(-1)?.requestId;
		expect(requestId).toBeTruthy();
		expect(String(result.error?.description)).toContain(String(requestId));
	});
});

/** A plain web server on 127.0.0.1 (a web page, or a server that echoes what it was sent). */
async function localServer(handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<{ url: string; close: () => Promise<void> }> {
	const server = createServer(handler);
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as AddressInfo;
	return { url: `http://127.0.0.1:${port}`, close: async () => await new Promise<void>((resolve) => server.close(() => resolve())) };
}

describe('issue 10: errors that mislead', () => {
	it('the credential test fails at once on a web page that answers 200 HTML, with the operations\' message', async () => {
		const paths: string[] = [];
		const page = await localServer((req, res) => {
			paths.push(req.url ?? '');
			res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
			res.end('<!DOCTYPE html>\n<html><head><title>n8n.io - Workflow Automation</title></head><body></body></html>');
		});
		try {
			const result = await runCredentialTest('powerPostApi', { apiKey: sb.keys.full, workspaceId: sb.workspaces.primary, baseUrl: `${page.url}/` });
			seen.push(result.message, ...result.logs);
			expect(result.status).toBe('Error');
			expect(result.message).toMatch(/^PowerPost answered GET \/content\/generations with an HTML page instead of JSON\. .*must end with \/api\/v1/);
			// One request, no retries: it fails as fast as the page answers.
			expect(paths).toEqual(['/content/generations?limit=1']);
		} finally {
			await page.close();
		}
		// The operations say the same.
		sb.faults.add({ method: 'GET', path: '/account/credits', kind: 'html' });
		const operation = await getCredits();
		expect(operation.error?.message).toMatch(/^PowerPost answered GET \/account\/credits with an HTML page instead of JSON$/);
	});

	it('an HTML page with a byte-order mark or leading white space fails too', async () => {
		for (const start of ['\ufeff<!doctype html>', '\n\n  <html>']) {
			const page = await localServer((_req, res) => {
				res.writeHead(200, { 'Content-Type': 'text/html' });
				res.end(`${start}<body>Sign in</body></html>`);
			});
			try {
				const result = await runCredentialTest('powerPostApi', { apiKey: sb.keys.full, workspaceId: sb.workspaces.primary, baseUrl: page.url });
				expect(result).toMatchObject({ status: 'Error', message: expect.stringMatching(/HTML page instead of JSON/) });
			} finally {
				await page.close();
			}
		}
	});

	it('a key pasted with white space is sent trimmed, and an echo of it is redacted everywhere', async () => {
		const key = 'pp_live_sk_echo_Ab+c/9=';
		const received: Array<string | undefined> = [];
		const echo = await localServer((req, res) => {
			const presented = req.headers['x-api-key'] as string | undefined;
			received.push(presented);
			res.writeHead(401, { 'Content-Type': 'application/json', 'X-Request-Id': 'req_echo' });
			res.end(JSON.stringify({ error: { code: 'INVALID_API_KEY', message: `Invalid API key: ${presented} (${encodeURIComponent(presented ?? '')})`, key: presented } }));
		});
		try {
			const result = await runNode({
				nodeType: 'powerPost',
				parameters: { resource: 'account', operation: 'getCredits' },
				credentials: { powerPostApi: { apiKey: ` ${key} \n`, workspaceId: ' ws_1 ', baseUrl: `${echo.url}/api/v1` } },
			});
			expect(received).toEqual([key]);
			expect(result.status).toBe('error');
			expect(result.error?.message).toBe('PowerPost: Invalid API key: *** (***) [INVALID_API_KEY]');
			const everything = [result.error?.message, String(result.error?.description), JSON.stringify(result.error), JSON.stringify(result.runData), ...result.logs].join('\n');
			for (const form of [key, encodeURIComponent(key)]) expect(everything).not.toContain(form);

			const test = await runCredentialTest('powerPostApi', { apiKey: ` ${key} \n`, workspaceId: 'ws_1', baseUrl: `${echo.url}/api/v1` });
			expect(received.at(-1)).toBe(key);
			expect(test).toMatchObject({ status: 'Error', message: expect.stringMatching(/API key is not valid \(401\)/) });
		} finally {
			await echo.close();
		}
		// Against the sandbox, the same key with white space works.
		const ok = await getCredits(creds(`  ${sb.keys.full}\t\n`));
		expect(ok.status).toBe('success');
	});

	it('a 429 asking for more than 5 minutes: not waited, one request, and the message says when to retry', async () => {
		sb.faults.add({ method: 'GET', path: '/account/credits', kind: 'rate-limit', retryAfter: 1800 });
		const result = await getCredits();
		expect(result.status).toBe('error');
		expect(hits('GET', '/account/credits')).toHaveLength(1);
		const message = String(result.error?.message);
		expect(message).toMatch(/PowerPost asks to wait 30 min, longer than the 5 min this node waits, so it did not wait\. Retry after \S+Z\.$/);
		expect(message).not.toMatch(/after waiting/);
		const retryAt = Date.parse(/Retry after (\S+Z)\.$/.exec(message)![1]);
		expect(retryAt).toBeGreaterThan(Date.now() + 25 * 60_000);
	});

	it('a DELETE answered 204 without a body is a success, and the entry is gone', async () => {
		const { entry, result } = await deleteNewEntry('Empty answer', { kind: 'empty-body' });
		expect(result.status).toBe('success');
		expect(result.outputs[0][0].json).toEqual({ deleted: true, entry_id: entry.entry_id });
		expect(hits('DELETE', `/calendar/entries/${entry.entry_id}`).map((r) => r.status)).toEqual([204]);
		expect(sb.state.calendar.has(entry.entry_id)).toBe(false);
	});
});
