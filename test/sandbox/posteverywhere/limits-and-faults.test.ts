// PostEverywhere sandbox §11 rate limits and the core's faults, clock and control API.
import { startPostEverywhereSandbox, type PostEverywhereSandbox } from '../../../sandbox/posteverywhere/server';
import { api, expectError, withSandbox } from './helpers';

describe('PostEverywhere sandbox rate limits (§11)', () => {
	let sb: PostEverywhereSandbox;
	withSandbox({ tickMs: 0 }, (s) => (sb = s));

	test('60 requests per minute per key; the 61st gets 429 with Retry-After; another key is not affected; the window rolls', async () => {
		const call = api(sb);
		let last;
		for (let i = 0; i < 60; i++) last = await call('GET', '/accounts');
		expect(last?.status).toBe(200);
		expect(last?.headers.get('x-ratelimit-limit')).toBe('60');
		expect(last?.headers.get('x-ratelimit-remaining')).toBe('0');
		const refused = await call('GET', '/accounts');
		expectError(refused, 429, 'rate_limit_exceeded');
		expect(refused.body.error.retryable).toBe(true);
		const retryAfter = Number(refused.headers.get('retry-after'));
		expect(retryAfter).toBeGreaterThanOrEqual(1);
		expect(retryAfter).toBeLessThanOrEqual(60);
		expect(Number(refused.headers.get('x-ratelimit-reset')) * 1000).toBeGreaterThan(sb.now());
		expect((await api(sb, sb.keys.noAi)('GET', '/accounts')).status).toBe(200);
		sb.advanceClock(retryAfter * 1000);
		expect((await call('GET', '/accounts')).status).toBe(200);
	});

	test('POST /posts: 20 immediate publishes per minute; scheduled posts bypass the minute window; refused posts are not created', async () => {
		const call = api(sb);
		for (let i = 0; i < 20; i++) expect((await call('POST', '/posts', { content: `n${i}`, account_ids: [sb.accounts.x] })).status).toBe(201);
		const refused = await call('POST', '/posts', { content: 'n21', account_ids: [sb.accounts.x] });
		expectError(refused, 429, 'rate_limit_exceeded');
		expect(refused.headers.get('retry-after')).not.toBeNull();
		expect(sb.state.posts.size).toBe(20);
		const later = await call('POST', '/posts', { content: 'later', account_ids: [sb.accounts.x], scheduled_for: new Date(sb.now() + 3_600_000).toISOString() });
		expect(later.status).toBe(201);
	});

	test('bulk create counts once for all endpoints; items beyond the posting limit fail inside a 207', async () => {
		const call = api(sb);
		const posts = Array.from({ length: 22 }, (_, i) => ({ content: `b${i}`, account_ids: [sb.accounts.x] }));
		const r = await call('POST', '/posts/bulk', { posts });
		expect(r.status).toBe(207);
		expect(r.body.data.summary).toEqual({ total: 22, succeeded: 20, failed: 2 });
		expect(r.body.data.results[21]).toMatchObject({ index: 21, ok: false, error: { code: 'rate_limit_exceeded', status: 429 } });
		expect(Number(r.headers.get('x-ratelimit-remaining'))).toBeGreaterThan(0);
	});

	test('rateLimit: false drops the limits and the headers', async () => {
		const free = await startPostEverywhereSandbox({ rateLimit: false, tickMs: 0 });
		try {
			const r = await api(free)('GET', '/me');
			expect(r.headers.get('x-ratelimit-limit')).toBeNull();
		} finally {
			await free.stop();
		}
	});
});

describe('PostEverywhere sandbox faults, clock and control API', () => {
	let sb: PostEverywhereSandbox;
	withSandbox({ tickMs: 0, rateLimit: false }, (s) => (sb = s));

	test('status fault without applied: nothing happens; with applied: the post exists although the client saw 502', async () => {
		const call = api(sb);
		sb.faults.add({ method: 'POST', path: '/posts', kind: 'status', status: 503 });
		expectError(await call('POST', '/posts', { content: 'a', account_ids: [sb.accounts.x] }), 503, 'internal_error');
		expect(sb.state.posts.size).toBe(0);
		sb.faults.add({ method: 'POST', path: '/posts', kind: 'status', status: 502, applied: true });
		const lost = await call('POST', '/posts', { content: 'b', account_ids: [sb.accounts.x] });
		expectError(lost, 502, 'internal_error');
		expect(sb.state.posts.size).toBe(1);
		expect(sb.requests().at(-1)).toMatchObject({ status: 502, appliedStatus: 201, faulted: 'status', code: 'internal_error' });
	});

	test('drop-before resets without effect; drop-after resets after the effect', async () => {
		const call = api(sb);
		sb.faults.add({ method: 'POST', path: '/posts', kind: 'drop-before' });
		await expect(call('POST', '/posts', { content: 'a', account_ids: [sb.accounts.x] })).rejects.toThrow();
		expect(sb.state.posts.size).toBe(0);
		sb.faults.add({ method: 'POST', path: '/posts', kind: 'drop-after' });
		await expect(call('POST', '/posts', { content: 'b', account_ids: [sb.accounts.x] })).rejects.toThrow();
		expect(sb.state.posts.size).toBe(1);
	});

	test('html, malformed-json, rate-limit and delay faults; regex paths; times', async () => {
		const call = api(sb);
		sb.faults.add({ path: '/me', kind: 'html' });
		const html = await call('GET', '/me');
		expect(html.status).toBe(200);
		expect(html.headers.get('content-type')).toMatch(/text\/html/);
		expect(html.text).toMatch(/Sign in to PostEverywhere/);
		sb.faults.add({ path: '/me', kind: 'malformed-json' });
		const bad = await call('GET', '/me');
		expect(bad.body).toBeUndefined();
		// the programmatic API takes a RegExp, the control API {regex}
		await sb.control('POST', '/faults', { path: { regex: '^/posts/[^/]+/results$' }, kind: 'rate-limit', retryAfter: 7, times: 2 });
		for (let i = 0; i < 2; i++) {
			const r = await call('GET', '/posts/abc/results');
			expectError(r, 429, 'rate_limit_exceeded');
			expect(r.headers.get('retry-after')).toBe('7');
		}
		expectError(await call('GET', '/posts/abc/results'), 404, 'not_found');
		sb.faults.add({ path: '/me', kind: 'delay', delayMs: 50 });
		expect((await call('GET', '/me')).status).toBe(200);
	});

	test('empty-body: the post is created, the 2xx answer has no body; stale-read: a GET gets the earlier answer once', async () => {
		const call = api(sb);
		sb.faults.add({ method: 'POST', path: '/posts', kind: 'empty-body' });
		const r = await call('POST', '/posts', { content: 'a', account_ids: [sb.accounts.x] });
		expect(r.status).toBe(204);
		expect(r.text).toBe('');
		expect(sb.state.posts.size).toBe(1);
		const id = [...sb.state.posts.keys()][0];
		sb.faults.add({ path: `/posts/${id}`, kind: 'stale-read' });
		const first = await call('GET', `/posts/${id}`); // no earlier answer yet: served normally, remembered
		expect(first.body.data.status).toBe('publishing');
		sb.advanceClock(sb.timing.publishQueue + sb.timing.publishAttempt);
		const stale = await call('GET', `/posts/${id}`);
		expect(stale.body.data.status).toBe('publishing');
		expect(stale.body.meta.request_id).toBe(first.body.meta.request_id);
		expect((await call('GET', `/posts/${id}`)).body.data.status).toBe('published');
	});

	test('upload-host faults: a status fault with applied stores the object and loses the answer', async () => {
		const s1 = (await api(sb)('POST', '/media/upload', { filename: 'a.mp4', content_type: 'video/mp4', size: 5 })).body.data;
		sb.faults.add({ host: 'upload', path: /^\/o\//, kind: 'status', status: 500, applied: true });
		const r = await fetch(s1.upload_url, { method: 'PUT', headers: { 'Content-Type': 'video/mp4' }, body: 'hello' });
		expect(r.status).toBe(500);
		expect(sb.state.media.get(s1.media_id)?.stored?.size).toBe(5);
	});

	test('clock: advance, set (also backwards), skew; control API over HTTP without a key', async () => {
		const t0 = sb.now();
		sb.advanceClock(60_000);
		expect(sb.now() - t0).toBeGreaterThanOrEqual(60_000);
		const set = await fetch(`${sb.origin}/__sandbox/clock/set`, { method: 'POST', body: JSON.stringify({ ms: Date.UTC(2030, 0, 1) }) });
		expect(((await set.json()) as { iso: string }).iso.startsWith('2030-01-01T00:00')).toBe(true);
		const me = await api(sb)('GET', '/me');
		expect(me.body.meta.timestamp.startsWith('2030-01-01')).toBe(true);
		sb.setClock(Date.UTC(2029, 0, 1));
		expect(new Date(sb.now()).getUTCFullYear()).toBe(2029);
		sb.skewClock(-3_600_000);
		expect(Math.round((sb.now() - Date.now()) / 60_000)).toBe(-60);
		const info = (await (await fetch(`${sb.origin}/__sandbox/info`)).json()) as { profile: string; keys: { full: string }; uploadOrigin: string };
		expect(info).toMatchObject({ profile: 'generous', keys: { full: sb.keys.full }, uploadOrigin: sb.uploadOrigin });
		const reqs = (await (await fetch(`${sb.origin}/__sandbox/requests`)).json()) as { requests: { path: string; key: string; auth: string }[] };
		expect(reqs.requests.at(-1)).toMatchObject({ path: '/me', key: 'full', auth: 'bearer' });
		expect(JSON.stringify(reqs)).not.toContain(sb.keys.full);
	});

	test('switches can be read and changed at run time; unknown switches are refused', async () => {
		const r = await sb.control('POST', '/switches', { requestIdHeader: false });
		expect(r.status).toBe(200);
		expect((await api(sb)('GET', '/me')).headers.get('x-request-id')).toBeNull();
		expect((await sb.control('POST', '/switches', { nope: true })).status).toBe(400);
		await sb.control('POST', '/switches', { requestIdHeader: true });
		expect((await api(sb)('GET', '/me')).headers.get('x-request-id')).toMatch(/^req_/);
	});
});
