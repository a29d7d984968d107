/**
 * Proves the in-process harness (test/harness) runs nodes inside n8n-core's
 * real WorkflowExecute with the real helpers, using test-only fixtures.
 */
import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import type { IDataObject } from 'n8n-workflow';

import { HarnessEcho } from '../harness/fixtures/HarnessEcho.node';
import { HarnessPoll } from '../harness/fixtures/HarnessPoll.node';
import { HarnessTestApi } from '../harness/fixtures/HarnessTestApi.credentials';
import {
	HARNESS_START_TYPE,
	getRegistry,
	readBinary,
	registerNodeClass,
	runCredentialTest,
	runNode,
	runPoll,
	runWorkflow,
} from '../harness';

const API_KEY = 'sk_test_SECRET_1234567890';

interface Received {
	method: string;
	url: string;
	headers: IncomingMessage['headers'];
	bytes: number;
	sha256: string;
}

let server: Server;
let baseUrl: string;
const received: Received[] = [];
const events = [
	{ id: 1, name: 'first' },
	{ id: 2, name: 'second' },
];

function send(res: ServerResponse, status: number, body: unknown) {
	res.writeHead(status, { 'content-type': 'application/json' });
	res.end(JSON.stringify(body));
}

beforeAll(async () => {
	server = createServer((req, res) => {
		const hash = createHash('sha256');
		let bytes = 0;
		const chunks: Buffer[] = [];
		req.on('data', (chunk: Buffer) => {
			bytes += chunk.length;
			hash.update(chunk);
			if (bytes < 64 * 1024) chunks.push(chunk);
		});
		req.on('end', () => {
			const entry: Received = {
				method: req.method ?? '',
				url: req.url ?? '',
				headers: req.headers,
				bytes,
				sha256: hash.digest('hex'),
			};
			received.push(entry);
			const url = new URL(req.url ?? '/', 'http://localhost');
			if (req.headers.authorization !== `Bearer ${API_KEY}`) return send(res, 401, { error: 'bad key' });
			switch (url.pathname) {
				case '/echo':
					return send(res, 200, {
						headers: req.headers,
						query: Object.fromEntries(url.searchParams),
						body: JSON.parse(Buffer.concat(chunks).toString() || '{}') as unknown,
					});
				case '/upload':
					return send(res, 200, { bytes, sha256: entry.sha256, contentType: req.headers['content-type'] });
				case '/slow': {
					const timer = setTimeout(() => send(res, 200, { slow: true }), 5000);
					res.on('close', () => clearTimeout(timer));
					return;
				}
				case '/events': {
					const after = Number(url.searchParams.get('after') ?? 0);
					return send(res, 200, { events: events.filter((e) => e.id > after) });
				}
				case '/me':
					return send(res, 200, { ok: true, probe: url.searchParams.get('probe') });
				default:
					return send(res, 404, { error: 'not found' });
			}
		});
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
	server.closeAllConnections();
	await new Promise<void>((resolve) => server.close(() => resolve()));
});

const credentials = () => ({ harnessTestApi: { apiKey: API_KEY, workspaceId: 'ws_42', baseUrl } });
const echo = { nodeClass: HarnessEcho, credentialClasses: [HarnessTestApi] };

describe('runNode', () => {
	it('applies the credential authenticate block (headers + qs) through httpRequestWithAuthentication', async () => {
		const result = await runNode({
			...echo,
			parameters: { operation: 'echo', message: 'hi' },
			credentials: credentials(),
			input: [{ json: { a: 1 } }],
		});
		expect(result.error).toBeUndefined();
		expect(result.status).toBe('success');
		const json = result.outputs[0][0].json as { headers: IDataObject; query: IDataObject; body: IDataObject };
		expect(json.headers.authorization).toBe(`Bearer ${API_KEY}`);
		expect(json.headers['x-workspace-id']).toBe('ws_42');
		expect(json.query).toEqual({ ws: 'ws_42' });
		expect(json.body).toEqual({ message: 'hi', item: { a: 1 } });
	});

	it('preserves pairedItem for every input item', async () => {
		const result = await runNode({
			...echo,
			parameters: { operation: 'context' },
			credentials: credentials(),
			input: [{ json: { n: 0 } }, { json: { n: 1 } }, { json: { n: 2 } }],
		});
		expect(result.outputs[0].map((i) => i.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
	});

	it('passes timezone, mode and the latest typeVersion', async () => {
		const result = await runNode({
			...echo,
			parameters: { operation: 'context' },
			credentials: credentials(),
			timezone: 'Asia/Tokyo',
		});
		expect(result.outputs[0][0].json).toEqual({ timezone: 'Asia/Tokyo', mode: 'manual', version: 2, aborted: false });
	});

	it('stopWorkflow: a thrown error fails the run', async () => {
		const result = await runNode({
			...echo,
			parameters: { operation: 'context' },
			credentials: credentials(),
			input: [{ json: { fail: true } }],
		});
		expect(result.status).toBe('error');
		expect(result.error?.message).toBe('Item 0 asked to fail');
		expect(result.outputs).toEqual([]);
	});

	it('continueErrorOutput routes failed items to output 1, keeping pairedItem', async () => {
		const result = await runNode({
			...echo,
			parameters: { operation: 'context' },
			credentials: credentials(),
			onError: 'continueErrorOutput',
			input: [{ json: { n: 0 } }, { json: { fail: true } }, { json: { n: 2 } }],
		});
		expect(result.status).toBe('success');
		expect(result.outputs).toHaveLength(2);
		expect(result.outputs[0].map((i) => i.pairedItem)).toEqual([{ item: 0 }, { item: 2 }]);
		expect(result.outputs[1]).toHaveLength(1);
		expect(result.outputs[1][0].json.error).toBe('Item 1 asked to fail');
		expect(result.outputs[1][0].pairedItem).toEqual({ item: 1 });
	});

	it('continueRegularOutput keeps error items in output 0', async () => {
		const result = await runNode({
			...echo,
			parameters: { operation: 'context' },
			credentials: credentials(),
			onError: 'continueRegularOutput',
			input: [{ json: { fail: true } }],
		});
		expect(result.status).toBe('success');
		expect(result.outputs[0][0].json).toEqual({ error: 'Item 0 asked to fail' });
	});

	it('HTTP errors surface as NodeApiError with the status', async () => {
		const result = await runNode({
			...echo,
			parameters: { operation: 'echo' },
			credentials: { harnessTestApi: { apiKey: 'wrong', workspaceId: 'ws', baseUrl } },
		});
		expect(result.status).toBe('error');
		expect(result.error?.name).toBe('NodeApiError');
		expect(result.error?.httpCode).toBe('401');
	});

	it.each(['default', 'filesystem'] as const)('binary data reaches the server intact (%s mode)', async (binaryMode) => {
		const content = Buffer.alloc(3 * 1024 * 1024 + 7, 'abc');
		const result = await runNode({
			...echo,
			parameters: { operation: 'upload', binaryPropertyName: 'file' },
			credentials: credentials(),
			binaryMode,
			input: [{ json: {}, binary: { file: { data: content, mimeType: 'video/mp4', fileName: 'a.mp4' } } }],
		});
		expect(result.error).toBeUndefined();
		expect(result.outputs[0][0].json).toEqual({
			bytes: content.length,
			sha256: createHash('sha256').update(content).digest('hex'),
			contentType: 'video/mp4',
			streamed: binaryMode === 'filesystem',
		});
	});

	it('filesystem mode streams a file given by path and keeps output binaries readable', async () => {
		const dir = mkdtempSync(path.join(tmpdir(), 'harness-bin-'));
		const file = path.join(dir, 'clip.mp4');
		const content = Buffer.alloc(8 * 1024 * 1024, 7);
		writeFileSync(file, content);
		const result = await runNode({
			...echo,
			parameters: { operation: 'upload', binaryPropertyName: 'data' },
			credentials: credentials(),
			binaryMode: 'filesystem',
			input: [{ json: {}, binary: { data: { filePath: file, mimeType: 'video/mp4' } } }],
		});
		expect(result.outputs[0][0].json).toMatchObject({ bytes: content.length, streamed: true });

		const passthrough = await runWorkflow(
			{
				nodes: [{ id: 's', name: 'Start', type: HARNESS_START_TYPE, typeVersion: 1, position: [0, 0], parameters: {} }],
				connections: {},
			},
			{ binaryMode: 'filesystem', input: [{ json: {}, binary: { data: { filePath: file, mimeType: 'video/mp4' } } }] },
		);
		const binary = passthrough.lastNodeOutput[0][0].binary!.data;
		expect(binary.id).toMatch(/^filesystem-v2:/);
		expect(binary.fileName).toBe('clip.mp4');
		expect((await readBinary(binary)).equals(content)).toBe(true);
	});

	it('abortAfterMs cancels the execution and aborts the in-flight request', async () => {
		const before = received.filter((r) => r.url.startsWith('/slow')).length;
		const started = Date.now();
		const result = await runNode({
			...echo,
			parameters: { operation: 'slow' },
			credentials: credentials(),
			abortAfterMs: 300,
		});
		expect(result.status).toBe('canceled');
		expect(Date.now() - started).toBeLessThan(3000);
		// the server saw the request arrive (it never answered)
		expect(received.filter((r) => r.url.startsWith('/slow')).length).toBe(before + 1);
	});

	it('captures n8n logger output, including the node’s own this.logger calls', async () => {
		const result = await runNode({
			...echo,
			parameters: { operation: 'echo', message: 'log-me' },
			credentials: credentials(),
		});
		expect(result.logs.some((l) => l.includes('HarnessEcho sending') && l.includes('log-me'))).toBe(true);
		expect(result.logs.some((l) => l.includes('Start executing node "Harness Echo"'))).toBe(true);
		expect(result.logs.join('\n')).not.toContain(API_KEY);
	});
});

describe('runWorkflow', () => {
	it('runs multi-node flows and reports every node', async () => {
		const type = await registerNodeClass(HarnessEcho);
		const result = await runWorkflow(
			{
				nodes: [
					{ id: '1', name: 'Start', type: HARNESS_START_TYPE, typeVersion: 1, position: [0, 0], parameters: {} },
					{ id: '2', name: 'A', type, typeVersion: 2, position: [1, 0], parameters: { operation: 'context' }, credentials: { harnessTestApi: { id: '1', name: 'x' } } },
					{ id: '3', name: 'B', type, typeVersion: 1, position: [2, 0], parameters: { operation: 'echo', message: '={{ $json.version }}' }, credentials: { harnessTestApi: { id: '1', name: 'x' } } },
				],
				connections: {
					Start: { main: [[{ node: 'A', type: 'main', index: 0 }]] },
					A: { main: [[{ node: 'B', type: 'main', index: 0 }]] },
				},
			},
			{ credentials: credentials(), credentialClasses: [HarnessTestApi], input: [{ json: { x: 1 } }] },
		);
		expect(result.status).toBe('success');
		expect(Object.keys(result.runData)).toEqual(['Start', 'A', 'B']);
		expect(result.lastNodeExecuted).toBe('B');
		expect((result.lastNodeOutput[0][0].json.body as IDataObject).message).toBe(2); // expressions keep their type
	});
});

describe('runPoll', () => {
	it('round-trips node static data between polls', async () => {
		const base = { nodeClass: HarnessPoll, credentialClasses: [HarnessTestApi], parameters: {}, credentials: credentials() };
		const first = await runPoll(base);
		expect(first.error).toBeUndefined();
		expect(first.items?.[0].map((i) => i.json.id)).toEqual([1, 2]);
		expect(first.staticData).toEqual({ lastId: 2, polls: 1 });

		const second = await runPoll({ ...base, staticData: first.staticData });
		expect(second.items).toBeNull();
		expect(second.staticData).toEqual({ lastId: 2, polls: 2 });

		const manual = await runPoll({ ...base, mode: 'manual' });
		expect(manual.items?.[0]).toHaveLength(1);
	});

	it('reports poll errors', async () => {
		const result = await runPoll({
			nodeClass: HarnessPoll,
			credentialClasses: [HarnessTestApi],
			parameters: {},
			credentials: { harnessTestApi: { apiKey: 'nope', workspaceId: 'w', baseUrl } },
			staticData: { lastId: 1 },
		});
		expect(result.items).toBeNull();
		expect(result.error?.name).toBe('NodeApiError');
		expect(result.staticData).toEqual({ lastId: 1 });
	});
});

describe('runCredentialTest', () => {
	it('OK when the test request succeeds, with expressions and authenticate applied', async () => {
		const result = await runCredentialTest('harnessTestApi', credentials().harnessTestApi, {
			credentialClasses: [HarnessTestApi],
		});
		expect(result).toMatchObject({ status: 'OK' });
		const last = received.filter((r) => r.url.startsWith('/me')).at(-1)!;
		expect(last.url).toBe('/me?probe=yes&ws=ws_42');
		expect(last.headers.authorization).toBe(`Bearer ${API_KEY}`);
	});

	it('maps responseCode rules', async () => {
		const result = await runCredentialTest('harnessTestApi', { apiKey: 'bad', workspaceId: 'w', baseUrl });
		expect(result).toMatchObject({ status: 'Error', message: 'The API key is not valid' });
	});

	it('other non-2xx responses fail with the status text', async () => {
		const result = await runCredentialTest('harnessTestApi', { apiKey: API_KEY, workspaceId: 'w', baseUrl: `${baseUrl}/nowhere` });
		expect(result).toMatchObject({ status: 'Error', message: 'Not Found' });
	});

	it('network errors report the error code', async () => {
		const result = await runCredentialTest('harnessTestApi', { apiKey: API_KEY, workspaceId: 'w', baseUrl: 'http://127.0.0.1:9' });
		expect(result).toMatchObject({ status: 'Error', message: 'ECONNREFUSED' });
	});
});

describe('package loading', () => {
	it('loads package nodes and credentials from the TypeScript sources', async () => {
		const registry = await getRegistry();
		expect(registry.packageName).toBe('n8n-nodes-powerpost');
		for (const missing of registry.missing) expect(missing).toMatch(/^dist\//);
		if (registry.get('powerPostApi')) {
			expect(registry.supportedNodes('powerPostApi')).toContain('n8n-nodes-powerpost.powerPost');
		}
	});
});
