// PostEverywhere sandbox §13: webhook CRUD, signed deliveries to the registered URL, redelivery,
// auto-disable, test deliveries, and forged/replayed deliveries for receiver tests.
import { createHmac } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { startPostEverywhereSandbox, type PostEverywhereSandbox } from '../../../sandbox/posteverywhere/server';
import { api, expectError } from './helpers';

interface Received {
	headers: http.IncomingHttpHeaders;
	raw: string;
	// eslint-disable-next-line @typescript-eslint/no-explicit-any
	body: any;
}

/** A local receiver that answers `status()` and records every delivery. */
async function receiver(status: () => number = () => 200) {
	const got: Received[] = [];
	const server = http.createServer((req, res) => {
		const chunks: Buffer[] = [];
		req.on('data', (c: Buffer) => chunks.push(c));
		req.on('end', () => {
			const raw = Buffer.concat(chunks).toString('utf8');
			got.push({ headers: req.headers, raw, body: JSON.parse(raw) });
			res.writeHead(status()).end('ok');
		});
	});
	await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
	const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
	return { url, got, close: () => new Promise<void>((r) => server.close(() => r())) };
}

const hmac = (secret: string, raw: string) => `sha256=${createHmac('sha256', secret).update(raw).digest('hex')}`;

describe('PostEverywhere sandbox webhooks', () => {
	let sb: PostEverywhereSandbox;
	let rx: Awaited<ReturnType<typeof receiver>>;
	let answer = 200;
	beforeAll(async () => {
		sb = await startPostEverywhereSandbox({ tickMs: 0, rateLimit: false });
		rx = await receiver(() => answer);
	});
	afterAll(async () => {
		await sb.stop();
		await rx.close();
	});
	beforeEach(() => {
		sb.reset();
		rx.got.length = 0;
		answer = 200;
	});

	test('CRUD: create returns the secret once; read never shows it; PATCH and DELETE; 404 after', async () => {
		const call = api(sb);
		const c = await call('POST', '/webhooks', { url: rx.url, events: ['post.published', 'post.failed', 'post.published'], name: 'n8n' });
		expect(c.status).toBe(201);
		expect(c.body.data).toMatchObject({ url: rx.url, events: ['post.published', 'post.failed'], name: 'n8n', is_active: true, consecutive_failures: 0 });
		expect(c.body.data.secret).toMatch(/^whsec_[0-9a-f]{48}$/);
		expect(typeof c.body.data.secret_warning).toBe('string');
		const id = c.body.data.id;
		const got = await call('GET', `/webhooks/${id}`);
		expect(got.body.data.secret).toBeUndefined();
		expect(got.text).not.toContain(c.body.data.secret);
		expect((await call('GET', '/webhooks')).body.data.webhooks.map((w: { id: string }) => w.id)).toEqual([id]);
		const p = await call('PATCH', `/webhooks/${id}`, { events: ['post.published'], is_active: false });
		expect(p.body.data).toMatchObject({ events: ['post.published'], is_active: false });
		expectError(await call('POST', '/webhooks', { url: rx.url, events: [] }), 400, 'validation_error', /events/);
		expectError(await call('POST', '/webhooks', { url: rx.url, events: ['post.exploded'] }), 400, 'validation_error', /must be one of/);
		expect((await call('DELETE', `/webhooks/${id}`)).body.data).toEqual({ id, deleted: true });
		expectError(await call('GET', `/webhooks/${id}`), 404, 'not_found');
	});

	test('signed deliveries: one post.published per destination, HMAC of the raw body, timestamp, unique event_id', async () => {
		const call = api(sb);
		const secret = (await call('POST', '/webhooks', { url: rx.url, events: ['post.published', 'post.publishing'] })).body.data.secret;
		const post = (await call('POST', '/posts', { content: 'hello', account_ids: [sb.accounts.x, sb.accounts.linkedin] })).body.data;
		sb.advanceClock(sb.timing.publishQueue + sb.timing.publishAttempt);
		await sb.flushDeliveries();
		const published = rx.got.filter((g) => g.body.event === 'post.published');
		expect(published).toHaveLength(2);
		expect(rx.got.filter((g) => g.body.event === 'post.publishing')).toHaveLength(2);
		for (const g of rx.got) {
			expect(g.headers['x-posteverywhere-signature']).toBe(hmac(secret, g.raw));
			expect(Math.abs(Number(g.headers['x-posteverywhere-timestamp']) - sb.now() / 1000)).toBeLessThan(5);
			expect(g.headers.authorization).toBeUndefined();
			expect(g.body).toMatchObject({ organization_id: expect.any(String), created_at: expect.any(String) });
		}
		expect(new Set(rx.got.map((g) => g.body.event_id)).size).toBe(rx.got.length);
		expect(published.map((g) => g.body.data.account_id).sort()).toEqual([sb.accounts.x, sb.accounts.linkedin].sort());
		expect(published[0].body.data).toMatchObject({ post_id: post.id, status: 'published', destination_id: expect.any(String), platform_post_url: expect.stringMatching(/^https:/) });
		expect(sb.deliveries().every((d) => d.state === 'delivered')).toBe(true);
	});

	test('post.failed only after the last automatic attempt; post.partially_failed once per post', async () => {
		const call = api(sb);
		await call('POST', '/webhooks', { url: rx.url, events: ['post.failed', 'post.partially_failed', 'post.published'] });
		await call('POST', '/posts', { content: 'mixed [fail:x]', account_ids: [sb.accounts.x, sb.accounts.facebook] });
		sb.advanceClock(sb.timing.publishQueue + sb.timing.publishAttempt);
		await sb.flushDeliveries();
		expect(rx.got.map((g) => g.body.event)).toEqual(['post.published']);
		for (let i = 1; i < sb.timing.maxAttempts; i++) sb.advanceClock(sb.timing.retryDelay + sb.timing.publishAttempt);
		await sb.flushDeliveries();
		expect(rx.got.map((g) => g.body.event)).toEqual(['post.published', 'post.failed', 'post.partially_failed']);
		expect(rx.got[1].body.data).toMatchObject({ platform: 'x', attempts: sb.timing.maxAttempts, next_retry_at: null });
	});

	test('a failing receiver gets redeliveries on the sandbox clock (same event_id); 10 failures disable the hook; PATCH is_active re-enables', async () => {
		const call = api(sb);
		const id = (await call('POST', '/webhooks', { url: rx.url, events: ['post.published'] })).body.data.id;
		answer = 500;
		await call('POST', '/posts', { content: 'a', account_ids: [sb.accounts.x] });
		sb.advanceClock(sb.timing.publishQueue + sb.timing.publishAttempt);
		await sb.flushDeliveries();
		expect(rx.got).toHaveLength(1);
		sb.advanceClock(sb.timing.webhookRetry);
		await sb.flushDeliveries();
		expect(rx.got).toHaveLength(2);
		expect(rx.got[1].raw).toBe(rx.got[0].raw);
		let w = (await call('GET', `/webhooks/${id}`)).body.data;
		expect(w).toMatchObject({ consecutive_failures: 2, is_active: true });
		expect(w.last_failure_at).not.toBeNull();
		// more failing events until the hook is disabled
		for (let i = 0; i < 8; i++) await call('POST', '/posts', { content: `b${i}`, account_ids: [sb.accounts.x] });
		sb.advanceClock(sb.timing.publishQueue + sb.timing.publishAttempt);
		await sb.flushDeliveries();
		w = (await call('GET', `/webhooks/${id}`)).body.data;
		expect(w.is_active).toBe(false);
		expect(w.consecutive_failures).toBe(10);
		expect(w.auto_disabled_at).not.toBeNull();
		answer = 200;
		const back = (await call('PATCH', `/webhooks/${id}`, { is_active: true })).body.data;
		expect(back).toMatchObject({ is_active: true, consecutive_failures: 0, auto_disabled_at: null });
	});

	test('POST /webhooks/{id}/test reports what the endpoint answered', async () => {
		const call = api(sb);
		const id = (await call('POST', '/webhooks', { url: rx.url, events: ['post.published'] })).body.data.id;
		const okRes = (await call('POST', `/webhooks/${id}/test`)).body.data;
		expect(okRes).toMatchObject({ ok: true, status: 200, error: null });
		expect(typeof okRes.duration_ms).toBe('number');
		expect(rx.got.at(-1)?.body.event).toBe('webhook.test');
		answer = 410;
		expect((await call('POST', `/webhooks/${id}/test`)).body.data).toMatchObject({ ok: false, status: 410 });
	});

	test('control: forged and replayed deliveries', async () => {
		const call = api(sb);
		const { id, secret } = (await call('POST', '/webhooks', { url: rx.url, events: ['post.published'] })).body.data;
		const good = (await sb.control('POST', '/webhooks/deliver', { webhook_id: id, event: 'post.published', data: { post_id: 'p1' } })).body as { status: number; event_id: string };
		expect(good.status).toBe(200);
		expect(rx.got.at(-1)?.headers['x-posteverywhere-signature']).toBe(hmac(secret, rx.got.at(-1)?.raw as string));
		await sb.control('POST', '/webhooks/deliver', { webhook_id: id, forge: 'bad-signature' });
		expect(rx.got.at(-1)?.headers['x-posteverywhere-signature']).not.toBe(hmac(secret, rx.got.at(-1)?.raw as string));
		await sb.control('POST', '/webhooks/deliver', { webhook_id: id, forge: 'no-signature' });
		expect(rx.got.at(-1)?.headers['x-posteverywhere-signature']).toBeUndefined();
		await sb.control('POST', '/webhooks/deliver', { webhook_id: id, forge: 'stale-timestamp' });
		expect(sb.now() / 1000 - Number(rx.got.at(-1)?.headers['x-posteverywhere-timestamp'])).toBeGreaterThan(300);
		await sb.control('POST', '/webhooks/deliver', { webhook_id: id, forge: 'tampered-body' });
		expect(rx.got.at(-1)?.body.tampered).toBe(true);
		await sb.control('POST', '/webhooks/deliver', { replay: good.event_id });
		const replayed = rx.got.at(-1) as Received;
		expect(replayed.body.event_id).toBe(good.event_id);
		expect(replayed.headers['x-posteverywhere-signature']).toBe(hmac(secret, replayed.raw));
	});

	test('URLs: public HTTPS only without localWebhookUrls (strict); a switch override allows local delivery under strict', async () => {
		const strict = await startPostEverywhereSandbox({ profile: 'strict', tickMs: 0 });
		const local = await startPostEverywhereSandbox({ profile: 'strict', switches: { localWebhookUrls: true }, tickMs: 0 });
		try {
			expectError(await api(strict)('POST', '/webhooks', { url: rx.url, events: ['post.published'] }), 400, 'validation_error', /HTTPS/);
			expectError(await api(strict)('POST', '/webhooks', { url: 'https://localhost/hook', events: ['post.published'] }), 400, 'validation_error', /localhost/);
			expect((await api(strict)('POST', '/webhooks', { url: 'https://hooks.example.com/x', events: ['post.published'] })).status).toBe(201);
			expect((await api(local)('POST', '/webhooks', { url: rx.url, events: ['post.published'] })).status).toBe(201);
		} finally {
			await strict.stop();
			await local.stop();
		}
	});
});
