import type { IDataObject, IHttpRequestOptions, IPollFunctions } from 'n8n-workflow';

import { PowerPostTrigger } from '../../nodes/PowerPostTrigger/PowerPostTrigger.node';
import { FakePosts, HOUR, MIN, T0 } from './triggerFake';


/** A minimal IPollFunctions over the fake API: what the node reads and writes, nothing more. */
function context(
	api: FakePosts,
	options: {
		mode: 'trigger' | 'manual';
		staticData: IDataObject;
		globalData?: IDataObject;
		parameters?: IDataObject;
		status?: number;
		workflowId?: string;
		gate?: Promise<void>;
		budgetMs?: number;
	},
) {
	const writes: string[] = [];
	const staticData = new Proxy(options.staticData, {
		set(target, key, value) {
			writes.push(String(key));
			return Reflect.set(target, key, value);
		},
	});
	const parameters: IDataObject = { events: ['itemPosted', 'itemFailed', 'postFinished'], filters: {}, options: {}, ...options.parameters };
	const ctx = {
		getNode: () => ({ id: '1', name: 'PowerPost Trigger', type: 'powerPostTrigger', typeVersion: 1, position: [0, 0], parameters: {} }),
		getWorkflow: () => ({ id: options.workflowId ?? 'wf-unit', active: true }),
		...(options.budgetMs !== undefined ? { getPollBudgetMs: () => options.budgetMs } : {}),
		getMode: () => options.mode,
		getNodeParameter: (name: string, fallback?: unknown) => parameters[name] ?? fallback,
		getWorkflowStaticData: (type: string) => (type === 'global' ? (options.globalData ?? {}) : staticData),
		getCredentials: async () => ({ apiKey: 'pp_live_sk_unit', workspaceId: 'ws', baseUrl: 'https://powerpost.test/api/v1' }),
		logger: { warn: () => {}, debug: () => {}, info: () => {}, error: () => {} },
		helpers: {
			returnJsonArray: (items: IDataObject[]) => items.map((json) => ({ json })),
			async httpRequestWithAuthentication(_type: string, request: IHttpRequestOptions) {
				if (options.gate) await options.gate;
				if (options.status === 429)
					return { statusCode: 429, headers: {}, body: JSON.stringify({ error: { code: 'RATE_LIMIT_EXCEEDED', message: 'Slow down', retryAfter: 600 } }) };
				if (options.status) return { statusCode: options.status, headers: {}, body: JSON.stringify({ error: { code: 'INVALID_API_KEY', message: 'Invalid API key' } }) };
				const path = request.url.replace('https://powerpost.test/api/v1', '');
				const qs = (request.qs ?? {}) as { limit: number; cursor?: string; status?: string };
				const body = path === '/posts' ? await api.list(qs) : await api.get(decodeURIComponent(path.slice('/posts/'.length)));
				if (body === undefined) return { statusCode: 404, headers: {}, body: JSON.stringify({ error: { code: 'NOT_FOUND', message: 'Post not found' } }) };
				return { statusCode: 200, headers: {}, body: JSON.stringify(body) };
			},
		},
	};
	return { ctx: ctx as unknown as IPollFunctions, writes };
}

describe('PowerPost Trigger node', () => {
	const node = new PowerPostTrigger();

	it('manual mode returns one real recent result and does not write static data', async () => {
		const api = new FakePosts();
		const post = api.finished(Date.now() - HOUR, ['x'], ['x']);
		const stored = { powerPostTrigger: { version: 2, state: { top: T0, floor: T0 - HOUR, seen: {}, track: {}, gaps: [] } } };
		const { ctx, writes } = context(api, { mode: 'manual', staticData: JSON.parse(JSON.stringify(stored)) });
		const result = await node.poll.call(ctx);
		expect(result).toHaveLength(1);
		expect(result![0]).toHaveLength(1);
		expect(result![0][0].json).toMatchObject({ event: 'post.finished', post_id: post.post_id, outcome: 'all_failed' });
		expect(writes).toEqual([]);
	});

	it('manual mode with nothing to show throws a clear error', async () => {
		const api = new FakePosts();
		api.add({ status: 'draft', items: [{}] }, Date.now());
		const { ctx } = context(api, { mode: 'manual', staticData: {} });
		await expect(node.poll.call(ctx)).rejects.toThrow('No publish result matching the trigger settings was found');
	});

	it('trigger mode commits state once, after the poll succeeded; null when there is nothing new', async () => {
		const api = new FakePosts();
		api.finished(Date.now() - 2 * MIN);
		const staticData: IDataObject = {};
		const first = context(api, { mode: 'trigger', staticData });
		expect(await node.poll.call(first.ctx)).toBeNull();
		expect(first.writes).toEqual(['powerPostTrigger']);
		expect(staticData.powerPostTrigger).toMatchObject({ version: 2, state: { track: {}, gaps: [] } });

		const post = api.finished(Date.now());
		const second = context(api, { mode: 'trigger', staticData: JSON.parse(JSON.stringify(staticData)) });
		const result = await node.poll.call(second.ctx);
		expect(result![0].map((item) => item.json.event)).toEqual(['item.posted', 'post.finished']);
		expect(result![0][0].json.post_id).toBe(post.post_id);
	});

	it('a rejected key fails the poll and leaves static data untouched', async () => {
		const api = new FakePosts();
		const staticData = { powerPostTrigger: { version: 2, state: { top: T0, floor: T0 - HOUR, seen: {}, track: {}, gaps: [] } } };
		const { ctx, writes } = context(api, { mode: 'trigger', staticData, status: 401 });
		await expect(node.poll.call(ctx)).rejects.toThrow(/INVALID_API_KEY/);
		expect(writes).toEqual([]);
	});

	it('no event chosen: a clear error before any request', async () => {
		const api = new FakePosts();
		const { ctx } = context(api, { mode: 'trigger', staticData: {}, parameters: { events: [] } });
		await expect(node.poll.call(ctx)).rejects.toThrow('Choose at least one event in "Events"');
		expect(api.requests).toEqual([]);
	});

	it('a tick that starts while the previous poll of the same workflow and node still runs returns without emitting', async () => {
		const api = new FakePosts('strict');
		const staticData: IDataObject = {};
		await node.poll.call(context(api, { mode: 'trigger', staticData, workflowId: 'wf-overlap' }).ctx);
		api.finished(Date.now(), ['x']);
		let open!: () => void;
		const gate = new Promise<void>((resolve) => (open = resolve));
		const slow = node.poll.call(context(api, { mode: 'trigger', staticData, workflowId: 'wf-overlap', gate }).ctx);
		const overlapping = await node.poll.call(context(api, { mode: 'trigger', staticData, workflowId: 'wf-overlap' }).ctx);
		expect(overlapping).toBeNull();
		// another workflow is not blocked
		expect(await node.poll.call(context(api, { mode: 'trigger', staticData: {}, workflowId: 'wf-other' }).ctx)).toBeNull();
		open();
		expect((await slow)![0].map((item) => item.json.event)).toEqual(['item.posted', 'post.finished']);
		// the lease is free again
		expect(await node.poll.call(context(api, { mode: 'trigger', staticData, workflowId: 'wf-overlap' }).ctx)).toBeNull();
		expect(api.requests.length).toBeGreaterThan(0);
	});

	it('a long 429 ends the poll at once without committing (the next poll carries on); at activation it fails loudly', async () => {
		const api = new FakePosts('strict');
		const stored = { powerPostTrigger: { version: 2, state: { top: T0, floor: T0 - HOUR, seen: {}, track: {}, gaps: [] } } };
		const limited = context(api, { mode: 'trigger', staticData: JSON.parse(JSON.stringify(stored)), status: 429 });
		expect(await node.poll.call(limited.ctx)).toBeNull();
		expect(limited.writes).toEqual([]);
		const activation = context(api, { mode: 'trigger', staticData: {}, status: 429 });
		await expect(node.poll.call(activation.ctx)).rejects.toThrow(/RATE_LIMIT_EXCEEDED/);
	});

	it("durable cursors: the activation poll's node state is dropped by n8n, the next poll continues from the copy in global static data", async () => {
		const api = new FakePosts('strict');
		api.finished(Date.now() - HOUR, ['x']);
		const globalData: IDataObject = {};
		// activation poll: n8n commits its node state only when it emits, but saves global static data
		await node.poll.call(context(api, { mode: 'trigger', staticData: {}, globalData, workflowId: 'wf-durable' }).ctx);
		expect(Object.keys(globalData)).toEqual(['powerPostTriggerActivation:1']);
		const post = api.finished(Date.now(), ['linkedin']);
		const nodeData: IDataObject = {};
		const second = await node.poll.call(context(api, { mode: 'trigger', staticData: nodeData, globalData, workflowId: 'wf-durable' }).ctx);
		expect(second![0].map((item) => `${item.json.event as string} ${item.json.post_id as string}`)).toEqual([`item.posted ${post.post_id}`, `post.finished ${post.post_id}`]);
		// once the node has its own state, the copy goes
		await node.poll.call(context(api, { mode: 'trigger', staticData: nodeData, globalData, workflowId: 'wf-durable' }).ctx);
		expect(globalData).toEqual({});
	});
});
