// Sandbox §1–§3, §14: auth, scopes, workspaces, headers, rate limits, faults, control API.
import { startSandbox, type Sandbox } from '../../sandbox/server';
import { client, expectError } from './helpers';

describe('sandbox: auth, scopes, workspaces, headers', () => {
	let sb: Sandbox;
	beforeAll(async () => {
		sb = await startSandbox();
	});
	afterAll(() => sb.close());
	beforeEach(() => sb.reset());

	test('binds to 127.0.0.1 with /api/v1 base and deterministic keys/workspaces', () => {
		expect(sb.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/api\/v1$/);
		expect(sb.origin).toBe(sb.url.replace(/\/api\/v1$/, ''));
		expect(sb.keys.full).toBe('pp_live_sk_sandbox_full');
		expect(sb.keys.draftOnly).toMatch(/^pp_live_sk_/);
		expect(sb.workspaces).toEqual({ primary: 'ws_sandbox_primary', secondary: 'ws_sandbox_secondary', foreign: 'ws_sandbox_foreign' });
	});

	test('x-api-key and Authorization: Bearer both authenticate; credits need no workspace', async () => {
		const a = await client(sb, sb.keys.full, null)('GET', '/account/credits');
		expect(a.status).toBe(200);
		expect(a.body).toEqual({ balance: 1000 });
		const b = await fetch(`${sb.url}/account/credits`, { headers: { Authorization: `Bearer ${sb.keys.full}` } });
		expect(b.status).toBe(200);
		expect(await b.json()).toEqual({ balance: 1000 });
		expect((await client(sb, sb.keys.noCredits, null)('GET', '/account/credits')).body).toEqual({ balance: 0 });
	});

	test('missing or unknown key gives 401 INVALID_API_KEY with the error shape', async () => {
		const missing = await client(sb, null)('GET', '/account/credits');
		expectError(missing, 401, 'INVALID_API_KEY');
		expect(Object.keys(missing.body)).toEqual(['error']);
		const bad = await client(sb, 'pp_live_sk_nope')('GET', '/posts');
		expectError(bad, 401, 'INVALID_API_KEY');
		expect(bad.text).not.toContain('pp_live_sk_nope');
	});

	test('every response carries X-Request-Id and X-RateLimit-* (Reset in epoch seconds of the sandbox clock)', async () => {
		const r1 = await client(sb)('GET', '/account/credits');
		const r2 = await client(sb, null)('GET', '/account/credits');
		for (const r of [r1, r2]) {
			expect(r.headers.get('x-request-id')).toMatch(/^req_/);
			expect(r.headers.get('x-ratelimit-limit')).toBe('600');
		}
		expect(r1.headers.get('x-request-id')).not.toBe(r2.headers.get('x-request-id'));
		expect(Number(r1.headers.get('x-ratelimit-remaining'))).toBe(599);
		const reset = Number(r1.headers.get('x-ratelimit-reset'));
		expect(reset * 1000).toBeGreaterThan(sb.clock.now());
		expect(reset * 1000).toBeLessThanOrEqual(sb.clock.now() + 60_000 + 1000);
		sb.clock.advance(3600_000);
		const r3 = await client(sb)('GET', '/account/credits');
		expect(Number(r3.headers.get('x-ratelimit-reset'))).toBeGreaterThanOrEqual(reset + 3600);
	});

	test('scope presets: draftOnly cannot publish/schedule/cancel, readOnly cannot write; 403 names the scope', async () => {
		const full = client(sb);
		const post = await full('POST', '/posts', { items: [{ post_type: 'x-post', content: 'hi' }] });
		expect(post.status).toBe(200);
		const id = post.body.post_id;
		const draft = client(sb, sb.keys.draftOnly);
		for (const action of ['publish', 'schedule', 'cancel-publish']) {
			const r = await draft('POST', `/posts/${id}/${action}`, {});
			expectError(r, 403, 'INSUFFICIENT_SCOPE', /posts:publish/);
			expect(r.body.error.scope).toBe('posts:publish');
		}
		expect((await draft('POST', '/posts', { items: [{ post_type: 'x-post', content: 'ok' }] })).status).toBe(200);
		const read = client(sb, sb.keys.readOnly);
		expect((await read('GET', `/posts/${id}`)).status).toBe(200);
		expect((await read('GET', '/account/credits')).status).toBe(200);
		const w = await read('POST', '/posts', { items: [{ post_type: 'x-post', content: 'no' }] });
		expectError(w, 403, 'INSUFFICIENT_SCOPE', /posts:write/);
		expect(w.body.error.scope).toBe('posts:write');
		const c = await read('POST', '/calendar/entries', { title: 't', scheduled_date: '2026-01-01' });
		expect(c.body.error.scope).toBe('calendar:write');
		// the post was not touched by any refused call
		expect(sb.state.posts.get(id)?.status).toBe('draft');
	});

	test('custom keys carry exactly their scopes (endpoint -> scope mapping of §2.3)', async () => {
		const only = client(sb, sb.keys.custom(['analytics:read']));
		const cases: [string, string, string][] = [
			['GET', '/account/credits', 'account:read'],
			['GET', '/content/generations', 'content:read'],
			['POST', '/content/generate', 'content:generate'],
			['GET', '/images/generations/x', 'images:read'],
			['POST', '/images/generate', 'images:generate'],
			['GET', '/videos/generations/x', 'videos:read'],
			['POST', '/videos/generate', 'videos:generate'],
			['POST', '/media/upload', 'media:write'],
			['GET', '/posts', 'posts:read'],
			['GET', '/posts/x', 'posts:read'],
			['POST', '/posts', 'posts:write'],
			['POST', '/posts/x/publish', 'posts:publish'],
			['GET', '/calendar/entries', 'calendar:read'],
			['PATCH', '/calendar/entries/x', 'calendar:write'],
			['DELETE', '/calendar/entries/x', 'calendar:write'],
		];
		for (const [m, p, scope] of cases) {
			const r = await only(m, p, m === 'GET' || m === 'DELETE' ? undefined : {});
			expect([m, p, r.status, r.body.error?.scope]).toEqual([m, p, 403, scope]);
		}
		const a = await only('GET', '/post-items/unknown/analytics');
		expectError(a, 404, 'NOT_FOUND');
	});

	test('workspace header: missing 400, unknown/foreign 403 FORBIDDEN, other workspace ids 404', async () => {
		const noWs = client(sb, sb.keys.full, null);
		expectError(await noWs('GET', '/posts'), 400, 'VALIDATION_ERROR', /X-Workspace-Id/);
		expectError(await noWs('POST', '/calendar/entries', { title: 't', scheduled_date: '2026-01-01' }), 400, 'VALIDATION_ERROR');
		expectError(await client(sb, sb.keys.full, 'ws_unknown')('GET', '/posts'), 403, 'FORBIDDEN');
		expectError(await client(sb, sb.keys.full, sb.workspaces.foreign)('GET', '/posts'), 403, 'FORBIDDEN');
		const created = await client(sb)('POST', '/posts', { items: [{ post_type: 'x-post', content: 'hi' }] });
		const sec = client(sb, sb.keys.full, sb.workspaces.secondary);
		expectError(await sec('GET', `/posts/${created.body.post_id}`), 404, 'NOT_FOUND');
		expectError(await sec('GET', `/post-items/${created.body.items[0].item_id}/analytics`), 404, 'NOT_FOUND');
		expect((await sec('GET', '/posts')).body.data).toEqual([]);
	});

	test('unknown route gives 404 NOT_FOUND json', async () => {
		expectError(await client(sb)('GET', '/nope'), 404, 'NOT_FOUND');
		expectError(await client(sb)('DELETE', '/posts/abc'), 404, 'NOT_FOUND');
	});

	test('invalid JSON body gives 400', async () => {
		const r = await fetch(`${sb.url}/posts`, {
			method: 'POST',
			headers: { 'x-api-key': sb.keys.full, 'X-Workspace-Id': sb.workspaces.primary, 'Content-Type': 'application/json' },
			body: '{"items": [',
		});
		expect(r.status).toBe(400);
		expect(((await r.json()) as { error: { code: string } }).error.code).toBe('VALIDATION_ERROR');
	});

	test('request log records method/path/status/key label, never the secret', async () => {
		const lines: string[] = [];
		const sb2 = await startSandbox({ log: (l) => lines.push(l) });
		try {
			await client(sb2)('GET', '/account/credits');
			await client(sb2, 'pp_live_sk_secret_leak')('GET', '/posts');
			expect(lines).toEqual(['GET /account/credits 200', 'GET /posts 401']);
			expect(sb2.requests.map((r) => [r.method, r.path, r.status, r.key])).toEqual([
				['GET', '/account/credits', 200, 'full'],
				['GET', '/posts', 401, undefined],
			]);
			expect(JSON.stringify(sb2.requests)).not.toContain('pp_live_sk_');
		} finally {
			await sb2.close();
		}
	});
});

describe('sandbox: rate limiting', () => {
	test('per-key limit, 429 with error.retryAfter, window resets on the sandbox clock', async () => {
		const sb = await startSandbox({ rateLimit: { limit: 3, windowMs: 60_000 } });
		try {
			const sb0 = sb.clock.now();
			sb.clock.set(Math.ceil(sb0 / 60_000) * 60_000 + 1000); // 1 s into a fresh window
			const call = client(sb);
			const remaining: string[] = [];
			for (let i = 0; i < 3; i++) {
				const r = await call('GET', '/account/credits');
				expect(r.status).toBe(200);
				remaining.push(r.headers.get('x-ratelimit-remaining') ?? '');
			}
			expect(remaining).toEqual(['2', '1', '0']);
			const limited = await call('GET', '/account/credits');
			expectError(limited, 429, 'RATE_LIMIT_EXCEEDED');
			expect(limited.body.error.retryAfter).toBeGreaterThanOrEqual(58);
			expect(limited.body.error.retryAfter).toBeLessThanOrEqual(60);
			expect(limited.headers.get('x-ratelimit-remaining')).toBe('0');
			// another key has its own budget
			expect((await client(sb, sb.keys.readOnly)('GET', '/account/credits')).status).toBe(200);
			sb.clock.advance(limited.body.error.retryAfter * 1000);
			expect((await call('GET', '/account/credits')).status).toBe(200);
		} finally {
			await sb.close();
		}
	});

	test('rateLimit: false disables limiting', async () => {
		const sb = await startSandbox({ rateLimit: false });
		try {
			const call = client(sb);
			for (let i = 0; i < 5; i++) expect((await call('GET', '/account/credits')).status).toBe(200);
		} finally {
			await sb.close();
		}
	});
});

describe('sandbox: faults', () => {
	let sb: Sandbox;
	beforeAll(async () => {
		sb = await startSandbox();
	});
	afterAll(() => sb.close());
	beforeEach(() => sb.reset());

	const draft = async () =>
		(await client(sb)('POST', '/posts', { items: [{ post_type: 'linkedin-post', content: 'hello' }] })).body.post_id as string;

	test("'status' answers the documented error JSON without acting, for `times` requests", async () => {
		sb.faults.add({ path: '/account/credits', kind: 'status', status: 503, times: 2 });
		const call = client(sb);
		const a = await call('GET', '/account/credits');
		expectError(a, 503, 'INTERNAL_ERROR');
		expect(a.headers.get('x-request-id')).toMatch(/^req_/);
		expect((await call('GET', '/account/credits')).status).toBe(503);
		expect((await call('GET', '/account/credits')).status).toBe(200);
		expect(sb.requests.map((r) => r.faulted ?? null)).toEqual(['status', 'status', null]);
	});

	test("'status' on publish does not publish", async () => {
		const id = await draft();
		sb.faults.add({ method: 'POST', path: /^\/posts\/[^/]+\/publish$/, kind: 'status', status: 500 });
		expect((await client(sb)('POST', `/posts/${id}/publish`)).status).toBe(500);
		expect(sb.state.posts.get(id)?.status).toBe('draft');
	});

	test("'rate-limit' gives 429 with retryAfter and X-RateLimit-Reset", async () => {
		sb.faults.add({ path: '/posts', method: 'GET', kind: 'rate-limit', retryAfter: 7 });
		const r = await client(sb)('GET', '/posts');
		expectError(r, 429, 'RATE_LIMIT_EXCEEDED');
		expect(r.body.error.retryAfter).toBe(7);
		expect(Number(r.headers.get('x-ratelimit-reset'))).toBeGreaterThanOrEqual(Math.floor(sb.clock.now() / 1000) + 6);
		expect((await client(sb)('GET', '/posts')).status).toBe(200);
	});

	test("'drop-before' destroys the socket without acting", async () => {
		const id = await draft();
		sb.faults.add({ path: `/posts/${id}/publish`, kind: 'drop-before' });
		await expect(client(sb)('POST', `/posts/${id}/publish`)).rejects.toThrow();
		expect(sb.state.posts.get(id)?.status).toBe('draft');
		expect(sb.requests.at(-1)).toMatchObject({ path: `/posts/${id}/publish`, faulted: 'drop-before', status: 0 });
	});

	test("'drop-after' performs the effect then drops the connection (retry sees 409)", async () => {
		const id = await draft();
		sb.faults.add({ path: `/posts/${id}/publish`, kind: 'drop-after' });
		await expect(client(sb)('POST', `/posts/${id}/publish`)).rejects.toThrow();
		expect(sb.state.posts.get(id)?.status).toBe('publishing');
		expect(sb.requests.at(-1)).toMatchObject({ faulted: 'drop-after', status: 200 });
		expectError(await client(sb)('POST', `/posts/${id}/publish`), 409, 'ALREADY_PUBLISHED');
	});

	test("'drop-after' on create really creates", async () => {
		sb.faults.add({ method: 'POST', path: '/posts', kind: 'drop-after' });
		await expect(client(sb)('POST', '/posts', { items: [{ post_type: 'x-post', content: 'once' }] })).rejects.toThrow();
		expect(sb.state.posts.size).toBe(1);
	});

	test("'delay' answers normally after delayMs", async () => {
		sb.faults.add({ path: '/account/credits', kind: 'delay', delayMs: 300 });
		const t = Date.now();
		const r = await client(sb)('GET', '/account/credits');
		expect(Date.now() - t).toBeGreaterThanOrEqual(280);
		expect(r.body).toEqual({ balance: 1000 });
	});

	test("'html' answers 200 text/html login page; 'malformed-json' answers truncated JSON", async () => {
		sb.faults.add({ path: '/posts', kind: 'html' });
		const h = await client(sb)('GET', '/posts');
		expect(h.status).toBe(200);
		expect(h.headers.get('content-type')).toMatch(/^text\/html/);
		expect(h.text).toMatch(/<html/i);
		expect(h.body).toBeUndefined();
		sb.faults.add({ path: '/posts', kind: 'malformed-json' });
		const m = await client(sb)('GET', '/posts');
		expect(m.status).toBe(200);
		expect(m.headers.get('content-type')).toMatch(/^application\/json/);
		expect(() => JSON.parse(m.text)).toThrow();
	});

	test('faults.clear removes pending rules', async () => {
		sb.faults.add({ path: /.*/, kind: 'status', status: 500, times: 100 });
		sb.faults.clear();
		expect((await client(sb)('GET', '/account/credits')).status).toBe(200);
	});
});

describe('sandbox: control API (/__sandbox)', () => {
	let sb: Sandbox;
	beforeAll(async () => {
		sb = await startSandbox();
	});
	afterAll(() => sb.close());
	beforeEach(() => sb.reset());

	const ctl = async (method: string, path: string, body?: unknown) => {
		const r = await fetch(`${sb.origin}/__sandbox${path}`, {
			method,
			headers: body ? { 'Content-Type': 'application/json' } : {},
			body: body ? JSON.stringify(body) : undefined,
		});
		// eslint-disable-next-line @typescript-eslint/no-explicit-any
		return { status: r.status, body: (await r.json()) as any };
	};

	test('info, clock advance, faults with regex, requests, credits, connections, seed, tick, reset', async () => {
		const info = await ctl('GET', '/info');
		expect(info.status).toBe(200);
		expect(info.body).toMatchObject({ url: sb.url, keys: { full: sb.keys.full }, workspaces: sb.workspaces });
		const before = sb.clock.now();
		const adv = await ctl('POST', '/clock/advance', { ms: 86_400_000 });
		expect(adv.body.now).toBeGreaterThanOrEqual(before + 86_400_000);

		expect((await ctl('POST', '/faults', { path: { regex: '^/posts$' }, kind: 'status', status: 502 })).status).toBe(200);
		expect((await client(sb)('GET', '/posts')).status).toBe(502);
		await ctl('POST', '/faults', { path: '/posts', kind: 'status', status: 500, times: 5 });
		await ctl('DELETE', '/faults');
		expect((await client(sb)('GET', '/posts')).status).toBe(200);

		const reqs = await ctl('GET', '/requests');
		expect(reqs.body.requests.map((r: { status: number }) => r.status)).toEqual([502, 200]);

		await ctl('POST', '/credits', { balance: 5 });
		expect((await client(sb)('GET', '/account/credits')).body.balance).toBe(5);
		await ctl('POST', '/credits', { key: 'noCredits', balance: 9 });
		expect(sb.getCredits('noCredits')).toBe(9);

		await ctl('POST', '/connections', { workspace: sb.workspaces.primary, platforms: ['x'] });
		expect([...(sb.state.connections.get(sb.workspaces.primary) ?? [])]).toEqual(['x']);

		expect((await ctl('POST', '/connections', { workspace: sb.workspaces.primary, platforms: ['myspace'] })).status).toBe(400);
		expect((await ctl('POST', '/credits', { key: 'nobody', balance: 1 })).status).toBe(400);
		expect((await ctl('GET', '/nope')).status).toBe(404);
		const seeded = await ctl('POST', '/seed-posts', { n: 25 });
		expect(seeded.body.posts).toBe(25);
		expect((await ctl('POST', '/tick')).status).toBe(200);

		await ctl('POST', '/reset');
		expect(sb.state.posts.size).toBe(0);
		expect(sb.getCredits()).toBe(1000);
		expect(sb.requests).toHaveLength(0);
		expect(Math.abs(sb.clock.now() - Date.now())).toBeLessThan(1000);
	});
});
