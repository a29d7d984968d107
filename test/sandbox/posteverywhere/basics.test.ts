// PostEverywhere sandbox §1–§2, §4 posts CRUD, §5 accounts: auth, envelopes, validation, lifecycle.
import type { PostEverywhereSandbox } from '../../../sandbox/posteverywhere/server';
import { api, createPost, expectError, future, withSandbox } from './helpers';

describe.each(['generous', 'strict'] as const)('PostEverywhere sandbox basics (%s)', (profile) => {
	let sb: PostEverywhereSandbox;
	withSandbox({ profile, tickMs: 0 }, (s) => (sb = s));

	test('Bearer auth: missing, malformed, unknown and revoked keys get 401 unauthorized without echoing the key', async () => {
		expectError(await api(sb, null)('GET', '/me'), 401, 'unauthorized', /Missing API key/);
		const wrongScheme = await fetch(`${sb.url}/me`, { headers: { 'x-api-key': sb.keys.full } });
		expect(wrongScheme.status).toBe(401);
		const bad = await api(sb, 'pe_live_nothex')('GET', '/me');
		expectError(bad, 401, 'unauthorized', /format/);
		expect(bad.text).not.toContain('pe_live_nothex');
		const unknown = 'pe_live_' + 'e'.repeat(32);
		const u = await api(sb, unknown)('GET', '/me');
		expectError(u, 401, 'unauthorized', /Invalid API key/);
		expect(u.text).not.toContain(unknown);
		expectError(await api(sb, sb.keys.revoked)('GET', '/accounts'), 401, 'unauthorized', /revoked/);
	});

	test('success envelope {data, error: null, meta{request_id, timestamp}}; X-Request-Id only in the generous profile', async () => {
		const r = await api(sb)('GET', '/me');
		expect(r.status).toBe(200);
		expect(Object.keys(r.body).sort()).toEqual(['data', 'error', 'meta']);
		expect(r.body.error).toBeNull();
		expect(r.body.meta.request_id).toMatch(/^req_[0-9a-f]{24}$/);
		expect(Date.parse(r.body.meta.timestamp)).not.toBeNaN();
		expect(r.body.data.scopes).toEqual(['read', 'write', 'ai']);
		expect(r.body.data.api_key.key_prefix).toBe(sb.keys.full.slice(0, 12));
		expect(r.text).not.toContain(sb.keys.full);
		expect(r.headers.get('x-request-id')).toBe(profile === 'generous' ? r.body.meta.request_id : null);
	});

	test('scopes: no ai scope -> 401 on AI endpoints (§2 scopes page); read-only key -> 403 on writes', async () => {
		const noAi = api(sb, sb.keys.noAi);
		const r = await noAi('POST', '/ai/generate-caption', { topic: 'coffee' });
		expectError(r, 401, 'unauthorized', /ai scope/);
		expect((await noAi('GET', '/me')).body.data.scopes).toEqual(['read', 'write']);
		const ro = api(sb, sb.keys.readOnly);
		expect((await ro('GET', '/posts')).status).toBe(200);
		expectError(await ro('POST', '/posts', { content: 'x', account_ids: [sb.accounts.x] }), 403, 'forbidden', /write/);
		expect(sb.state.posts.size).toBe(0);
	});

	test('unknown route 404 not_found; bad JSON 400 bad_request; unknown fields and query params 400 naming them', async () => {
		expectError(await api(sb)('GET', '/nope'), 404, 'not_found');
		const bad = await fetch(`${sb.url}/posts`, { method: 'POST', headers: { Authorization: `Bearer ${sb.keys.full}`, 'Content-Type': 'application/json' }, body: '{"content":' });
		expect(bad.status).toBe(400);
		expect(((await bad.json()) as { error: { code: string } }).error.code).toBe('bad_request');
		const extra = await api(sb)('POST', '/posts', { content: 'hi', account_ids: [sb.accounts.x], colour: 'red' });
		expectError(extra, 400, 'validation_error', /colour is not a known field/);
		expect(extra.body.error.details.fields).toEqual([{ field: 'colour', message: 'is not a known field' }]);
		expectError(await api(sb)('GET', '/posts?pagesize=5'), 400, 'validation_error', /pagesize/);
	});

	test('documented wrong media field names -> 400 invalid_field_name (§1)', async () => {
		for (const f of ['media', 'media_id', 'mediaId', 'attachments', 'url']) {
			const r = await api(sb)('POST', '/posts', { content: 'hi', account_ids: [sb.accounts.x], [f]: ['m'] });
			expectError(r, 400, 'invalid_field_name', /media_ids/);
		}
	});

	test('create validation: accounts required unless draft, unknown accounts, X 280 chars, YouTube title, past times', async () => {
		const call = api(sb);
		expectError(await call('POST', '/posts', { content: 'hi' }), 400, 'validation_error', /account_ids/);
		expectError(await call('POST', '/posts', { content: 'hi', account_ids: [999] }), 400, 'validation_error', /999/);
		expectError(await call('POST', '/posts', { content: 'x'.repeat(281), account_ids: [sb.accounts.x] }), 400, 'validation_error', /281 characters; x allows at most 280/);
		expect((await call('POST', '/posts', { content: 'x'.repeat(281), account_ids: [sb.accounts.x], platform_content: { x: { content: 'short' } } })).status).toBe(201);
		expectError(await call('POST', '/posts', { content: 'v', account_ids: [sb.accounts.youtube] }), 400, 'validation_error', /youtube\.settings\.title/);
		expectError(
			await call('POST', '/posts', { content: 'hi', account_ids: [sb.accounts.x], scheduled_for: new Date(sb.now() - 60_000).toISOString() }),
			400,
			'past_schedule_time',
		);
		expectError(await call('POST', '/posts', { content: 'hi', account_ids: [sb.accounts.tiktok], platform_content: { tiktok: { settings: { privacyLevel: 'FRIENDS' } } } }), 400, 'validation_error', /privacyLevel must be one of/);
		expect(sb.state.posts.size).toBe(1);
	});

	test('naive scheduled_for: read in `timezone` (generous) or refused (strict)', async () => {
		const naive = new Date(sb.now() + 86_400_000).toISOString().slice(0, 19); // tomorrow, no zone
		const r = await api(sb)('POST', '/posts', { content: 'hi', account_ids: [sb.accounts.x], scheduled_for: naive, timezone: 'Europe/Berlin' });
		if (profile === 'strict') {
			expectError(r, 400, 'validation_error', /scheduled_for must carry Z or a UTC offset/);
			return;
		}
		expect(r.status).toBe(201);
		const berlinOffset = Date.parse(`${naive}Z`) - Date.parse(r.body.data.scheduled_for);
		expect([3_600_000, 7_200_000]).toContain(berlinOffset);
	});

	test('publish now: 201 publishing with results, then every destination published; updated_after sees it', async () => {
		const call = api(sb);
		const created = await call('POST', '/posts', { content: 'hello', account_ids: [sb.accounts.x, sb.accounts.instagram] });
		expect(created.status).toBe(201);
		const d = created.body.data;
		expect(d).toMatchObject({ status: 'publishing', post_id: d.id, accounts_count: 2, account_ids: [sb.accounts.x, sb.accounts.instagram], scheduled_for: null, timezone: 'UTC' });
		expect(d.results.map((x: { status: string }) => x.status)).toEqual(['queued', 'queued']);
		const t0 = sb.now();
		sb.advanceClock(sb.timing.publishQueue + sb.timing.publishAttempt);
		const res = await call('GET', `/posts/${d.id}/results`);
		expect(res.body.data.post_status).toBe('published');
		for (const r of res.body.data.results) {
			expect(r).toMatchObject({ status: 'published', attempts: 1, error: null, next_retry_at: null });
			expect(r.platform_post_url).toMatch(/^https:\/\//);
			expect(Boolean(r.id)).toBe(profile === 'generous');
		}
		const since = await call('GET', `/posts?updated_after=${encodeURIComponent(new Date(t0 + 1).toISOString())}&sort=updated_at&order=asc`);
		expect(since.body.data.posts.map((p: { id: string }) => p.id)).toEqual([d.id]);
		expect(since.body.data.posts[0].status).toBe('published');
	});

	test('scheduled post fires at its time; PATCH and DELETE allowed only while scheduled/draft (409 after)', async () => {
		const call = api(sb);
		const p = await createPost(call, { content: 'later', account_ids: [sb.accounts.linkedin], scheduled_for: future(sb, 3_600_000) });
		expect(p.status).toBe('scheduled');
		const patched = await call('PATCH', `/posts/${p.id}`, { content: 'later, edited' });
		expect(patched.status).toBe(200);
		expect(patched.body.data).toMatchObject({ content: 'later, edited', status: 'scheduled' });
		sb.advanceClock(3_600_000 + sb.timing.publishQueue + sb.timing.publishAttempt);
		expect((await call('GET', `/posts/${p.id}`)).body.data.status).toBe('published');
		expectError(await call('PATCH', `/posts/${p.id}`, { content: 'too late' }), 409, 'post_already_published');
		expectError(await call('DELETE', `/posts/${p.id}`), 409, 'post_already_published', /delete_on_platforms/);
		const del = await call('DELETE', `/posts/${p.id}?delete_on_platforms=x`);
		expect(del.body.data).toEqual({ post_id: p.id, deleted: true });
		expectError(await call('GET', `/posts/${p.id}`), 404, 'not_found');
	});

	test('draft -> schedule endpoint (publish_now); scheduling a non-draft is 409', async () => {
		const call = api(sb);
		const draft = await createPost(call, { content: 'draft', draft: true });
		expect(draft.status).toBe('draft');
		expectError(await call('POST', `/posts/${draft.id}/schedule`, { publish_now: true }), 400, 'validation_error', /account_ids/);
		expectError(await call('POST', `/posts/${draft.id}/schedule`, {}), 400, 'validation_error', /exactly one/);
		const s = await call('POST', `/posts/${draft.id}/schedule`, { publish_now: true, account_ids: [sb.accounts.facebook] });
		expect(s.status).toBe(200);
		expect(s.body.data).toMatchObject({ post_id: draft.id, status: 'publishing', publish_now: true, scheduled_for: null });
		expectError(await call('POST', `/posts/${draft.id}/schedule`, { publish_now: true }), 409, 'conflict');
	});

	test('failures: [fail-once] retries automatically with next_retry_at, then fails for good; retry re-queues', async () => {
		const call = api(sb);
		const p = await createPost(call, { content: 'boom [fail-once]', account_ids: [sb.accounts.x] });
		sb.advanceClock(sb.timing.publishQueue + sb.timing.publishAttempt);
		let r = (await call('GET', `/posts/${p.id}/results`)).body.data;
		expect(r.post_status).toBe('failed');
		expect(r.results[0]).toMatchObject({ status: 'failed', attempts: 1 });
		expect(Date.parse(r.results[0].next_retry_at)).toBe(Date.parse(p.created_at) + sb.timing.publishQueue + sb.timing.publishAttempt + sb.timing.retryDelay);
		const post = (await call('GET', `/posts/${p.id}`)).body.data;
		expect('next_retry_at' in post.destinations[0]).toBe(profile === 'generous');
		for (let i = 1; i < sb.timing.maxAttempts; i++) sb.advanceClock(sb.timing.retryDelay + sb.timing.publishAttempt);
		r = (await call('GET', `/posts/${p.id}/results`)).body.data;
		expect(r.results[0]).toMatchObject({ status: 'failed', attempts: sb.timing.maxAttempts, next_retry_at: null, error: 'Rate limit exceeded on platform' });
		const retried = await call('POST', `/posts/${p.id}/retry`);
		expect(retried.body.data).toMatchObject({ post_id: p.id, retried_count: 1 });
		expect(retried.body.data.destinations[0].status).toBe('queued');
		sb.advanceClock(sb.timing.publishQueue + sb.timing.publishAttempt);
		r = (await call('GET', `/posts/${p.id}/results`)).body.data;
		expect(r.post_status).toBe('published');
		expect((await call('POST', `/posts/${p.id}/retry`)).body.data.retried_count).toBe(0);
	});

	test('an account that cannot post fails at once with a token error, no automatic retry; siblings publish -> partially_failed', async () => {
		const call = api(sb);
		const p = await createPost(call, { content: 'mixed', account_ids: [sb.accounts.expired, sb.accounts.facebook] });
		sb.advanceClock(sb.timing.publishQueue + sb.timing.publishAttempt);
		const r = (await call('GET', `/posts/${p.id}/results`)).body.data;
		expect(r.post_status).toBe('partially_failed');
		const failed = r.results.find((x: { account_id: number }) => x.account_id === sb.accounts.expired);
		expect(failed).toMatchObject({ status: 'failed', next_retry_at: null, attempts: 1 });
		expect(failed.error).toMatch(/Token expired/);
	});

	test('accounts list/get/health (§5)', async () => {
		const call = api(sb);
		const list = (await call('GET', '/accounts')).body.data;
		expect(list.account_ids).toEqual(list.accounts.map((a: { account_id: number }) => a.account_id));
		expect(list.accounts.find((a: { account_id: number }) => a.account_id === sb.accounts.expired).health).toEqual({ status: 'expired', can_post: false });
		const one = (await call('GET', `/accounts/${sb.accounts.instagram}`)).body.data;
		expect(one).toMatchObject({ account_id: sb.accounts.instagram, platform: 'instagram', is_active: true, health: { status: 'healthy', can_post: true } });
		const h = (await call('GET', `/accounts/${sb.accounts.expired}/health`)).body.data;
		expect(h).toMatchObject({ status: 'broken', can_post: false, needs_reconnection: true });
		expect(h.reasons).toContain('token_expired');
		expect(h.token.expired).toBe(true);
		const warn = (await call('GET', `/accounts/${sb.accounts.expiring}/health`)).body.data;
		expect(warn).toMatchObject({ status: 'warning', can_post: true, token: { expiring_soon: true } });
		expectError(await call('GET', '/accounts/1'), 404, 'not_found');
	});
});
