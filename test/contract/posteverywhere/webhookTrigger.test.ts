// Contract §13: the PostEverywhere Webhook Trigger's lifecycle against the sandbox's webhook API
// (register, check, re-create, remove stale hooks, delete) and its handling of real signed
// deliveries sent by the sandbox to a local receiver (good, forged, stale, tampered, replayed).
// The hook and webhook contexts are small stand-ins for n8n's; requests go over real HTTP.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { IDataObject, IHookFunctions, IHttpRequestOptions, IWebhookFunctions } from 'n8n-workflow';

import { PostEverywhereWebhookTrigger } from '../../../nodes/PostEverywhereWebhookTrigger/PostEverywhereWebhookTrigger.node';
import { startSandbox, type PostEverywhereSandbox } from './helpers';

let sb: PostEverywhereSandbox;
let receiver: http.Server;
let receiverUrl: string;
const node = new PostEverywhereWebhookTrigger();
const staticData: IDataObject = {};
let parameters: IDataObject = { events: ['post.published', 'post.failed'], options: { allowLocalUrl: true } };
const executions: IDataObject[] = [];

const base = {
	getNode: () => ({ id: 'n1', name: 'PostEverywhere Webhook Trigger', type: 'postEverywhereWebhookTrigger', typeVersion: 1, position: [0, 0] as [number, number], parameters: {} }),
	getNodeParameter: (name: string, fallback?: unknown) => parameters[name] ?? fallback,
	getWorkflowStaticData: () => staticData,
	getWorkflow: () => ({ id: 'wf1', name: 'Test', active: true }),
	logger: { warn: () => undefined, info: () => undefined, debug: () => undefined, error: () => undefined },
};

function hookContext(url = receiverUrl): IHookFunctions {
	return {
		...base,
		getNodeWebhookUrl: () => url,
		getCredentials: async () => ({ apiKey: sb.keys.full, baseUrl: sb.url }),
		helpers: {
			async httpRequestWithAuthentication(_type: string, options: IHttpRequestOptions) {
				const query = options.qs ? `?${new URLSearchParams(options.qs as Record<string, string>).toString()}` : '';
				const response = await fetch(`${options.url}${query}`, {
					method: options.method,
					headers: { Authorization: `Bearer ${sb.keys.full}`, ...(options.body ? { 'Content-Type': 'application/json' } : {}) },
					body: options.body ? JSON.stringify(options.body) : undefined,
				});
				return { statusCode: response.status, headers: Object.fromEntries(response.headers), body: await response.text() };
			},
		},
	} as unknown as IHookFunctions;
}

beforeAll(async () => {
	sb = await startSandbox('strict', { switches: { localWebhookUrls: true } });
	receiver = http.createServer((req, res) => {
		const chunks: Buffer[] = [];
		req.on('data', (chunk: Buffer) => chunks.push(chunk));
		req.on('end', async () => {
			const rawBody = Buffer.concat(chunks);
			let body: unknown = {};
			try {
				body = JSON.parse(rawBody.toString('utf8'));
			} catch {
				body = {};
			}
			const response = {
				status(code: number) {
					res.statusCode = code;
					return response;
				},
				json(value: unknown) {
					res.setHeader('Content-Type', 'application/json');
					res.end(JSON.stringify(value));
				},
			};
			const ctx = {
				...base,
				getRequestObject: () => ({ headers: req.headers, body, rawBody }),
				getResponseObject: () => response,
				helpers: { returnJsonArray: (items: IDataObject[]) => items.map((json) => ({ json })) },
			} as unknown as IWebhookFunctions;
			const result = await node.webhook.call(ctx);
			// as n8n does: the workflow data starts an execution even when the node answered itself
			if (result.workflowData) executions.push(result.workflowData[0][0].json);
			if (result.noWebhookResponse) return;
			res.setHeader('Content-Type', 'application/json');
			res.end(JSON.stringify(result.webhookResponse ?? { executed: true }));
		});
	});
	await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
	receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/webhook/abc/webhook`;
});
afterAll(async () => {
	await sb.stop();
	await new Promise((resolve) => receiver.close(resolve));
});

const hooks = () => [...sb.state.webhooks.values()] as Array<Record<string, any>>;
const deliver = async (body: Record<string, unknown>) => (await sb.control('POST', '/webhooks/deliver', body)).body as Record<string, any>;

test('activation registers one hook (removing a stale one at the same URL); checkExists sees it', async () => {
	const stale = await fetch(`${sb.url}/webhooks`, {
		method: 'POST',
		headers: { Authorization: `Bearer ${sb.keys.full}`, 'Content-Type': 'application/json' },
		body: JSON.stringify({ url: receiverUrl, events: ['post.published'] }),
	});
	expect(stale.status).toBe(201);
	const ctx = hookContext();
	expect(await node.webhookMethods.default.checkExists.call(ctx)).toBe(false);
	expect(await node.webhookMethods.default.create.call(ctx)).toBe(true);
	expect(hooks()).toHaveLength(1);
	expect(hooks()[0]).toMatchObject({ url: receiverUrl, events: ['post.failed', 'post.published'] });
	expect(staticData.secret).toMatch(/^whsec_/);
	expect(await node.webhookMethods.default.checkExists.call(ctx)).toBe(true);
});

test('a signed delivery starts one execution; forged, stale, tampered and unsigned ones get 401 and none; a replay none', async () => {
	executions.length = 0;
	const good = await deliver({ event: 'post.published', data: { post_id: 'p1', account_id: 2280 } });
	expect(good.status).toBe(200);
	expect(executions).toHaveLength(1);
	expect(executions[0]).toMatchObject({ event: 'post.published', data: { post_id: 'p1' } });
	for (const forge of ['bad-signature', 'stale-timestamp', 'tampered-body', 'no-signature']) {
		const refused = await deliver({ event: 'post.published', forge });
		expect([forge, refused.status]).toEqual([forge, 401]);
	}
	const replay = await deliver({ replay: good.event_id });
	expect(replay.status).toBe(200);
	const other = await deliver({ event: 'media.uploaded' });
	expect(other.status).toBe(200);
	expect(executions).toHaveLength(1);
});

test('changed events or an inactive hook make checkExists false; create replaces it; delete removes it', async () => {
	parameters = { ...parameters, events: ['post.published'] };
	const ctx = hookContext();
	expect(await node.webhookMethods.default.checkExists.call(ctx)).toBe(false);
	const oldId = staticData.webhookId;
	await node.webhookMethods.default.create.call(ctx);
	expect(hooks().map((h) => h.id)).toEqual([staticData.webhookId]);
	expect(staticData.webhookId).not.toBe(oldId);
	sb.state.webhooks.get(staticData.webhookId as string)!.is_active = false;
	expect(await node.webhookMethods.default.checkExists.call(ctx)).toBe(false);
	delete staticData.secret;
	expect(await node.webhookMethods.default.checkExists.call(ctx)).toBe(false);
	await node.webhookMethods.default.create.call(ctx);
	expect(await node.webhookMethods.default.delete.call(ctx)).toBe(true);
	expect(hooks()).toHaveLength(0);
	expect(staticData.webhookId).toBeUndefined();
});

test('a localhost or http production URL is refused with a clear message unless local testing is allowed', async () => {
	parameters = { events: ['post.published'], options: {} };
	await expect(node.webhookMethods.default.create.call(hookContext('http://localhost:5678/webhook/x'))).rejects.toThrow(/cannot deliver to this n8n.*only to public HTTPS/);
	await expect(node.webhookMethods.default.create.call(hookContext('https://127.0.0.1/webhook/x'))).rejects.toThrow(/local or private address/);
	expect(hooks()).toHaveLength(0);
});
