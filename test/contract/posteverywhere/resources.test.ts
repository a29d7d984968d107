// Contract §2, §5–§8, §13: credential test, accounts, media (three-step streamed upload, from URL,
// library), AI, API key, analytics, platform rules, campaigns and webhooks against the sandbox.
import { createHash } from 'node:crypto';

import { runCredentialTest } from '../../harness';
import { byId, calls, errorText, expectNoSecrets, FAST_WAIT, jsonOf, op, startSandbox, type PostEverywhereSandbox } from './helpers';

let sb: PostEverywhereSandbox;
beforeAll(async () => {
	sb = await startSandbox('strict');
});
afterAll(async () => {
	await sb.stop();
});
beforeEach(() => sb.reset());

describe('credential test (GET /me)', () => {
	test('a valid key passes; a revoked key, a non-API base URL and an unreachable host are told apart', async () => {
		expect((await runCredentialTest('postEverywhereRestApi', { apiKey: sb.keys.full, baseUrl: sb.url })).status).toBe('OK');
		expect((await runCredentialTest('postEverywhereRestApi', { apiKey: ` ${sb.keys.noAi}\n`, baseUrl: sb.url })).status).toBe('OK');
		const revoked = await runCredentialTest('postEverywhereRestApi', { apiKey: sb.keys.revoked, baseUrl: sb.url });
		expect(revoked).toMatchObject({ status: 'Error' });
		expect(revoked.message).toMatch(/not valid.*401/);
		const wrongPath = await runCredentialTest('postEverywhereRestApi', { apiKey: sb.keys.full, baseUrl: `${sb.origin}/api/v9` });
		expect(wrongPath.message).toMatch(/No PostEverywhere API.*404/);
		const down = await runCredentialTest('postEverywhereRestApi', { apiKey: sb.keys.full, baseUrl: 'http://127.0.0.1:9/api/v1' });
		expect(down.status).toBe('Error');
		expect(down.message).not.toMatch(/not valid/);
		expect(JSON.stringify([revoked, wrongPath, down])).not.toContain(sb.keys.revoked);
	});

	test('a Base URL that answers a web page (200 HTML) fails with the "HTML page instead of JSON" message', async () => {
		sb.faults.add({ path: '/me', kind: 'html' });
		const html = await runCredentialTest('postEverywhereRestApi', { apiKey: sb.keys.full, baseUrl: sb.url });
		expect(html.status).toBe('Error');
		expect(html.message).toMatch(/^PostEverywhere answered GET \/me with an HTML page instead of JSON\./);
	});
});

describe('accounts', () => {
	test('Get Many lists every account with health; Get and Get Health read one', async () => {
		const many = await op(sb, 'account', 'getMany', {});
		expect(jsonOf(many).map((a) => a.account_id)).toContain(sb.accounts.expired);
		const one = await op(sb, 'account', 'get', { accountId: byId(sb.accounts.x) });
		expect(jsonOf(one)[0].platform).toBe('x');
		const health = await op(sb, 'account', 'getHealth', { accountId: byId(sb.accounts.expired) });
		expect(jsonOf(health)[0]).toMatchObject({ can_post: false, status: 'broken' });
		const bad = await op(sb, 'account', 'get', { accountId: byId('abc') });
		expect(errorText(bad)).toMatch(/Account.*whole number/s);
	});
});

describe('media', () => {
	const png = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082', 'hex');

	test.each(['default', 'filesystem'] as const)('Upload (%s binary mode): image by multipart POST, video by PUT, never with the API key', async (binaryMode) => {
		const video = Buffer.alloc(3 * 1024 * 1024, 7);
		const r = await op(sb, 'media', 'upload', { binaryPropertyName: 'data' }, {
			binaryMode,
			input: [
				{ json: {}, binary: { data: { data: png, mimeType: 'image/png', fileName: 'dot.png' } } },
				{ json: {}, binary: { data: { data: video, mimeType: 'video/mp4', fileName: 'clip.mp4' } } },
			],
		} as any);
		expect(r.status).toBe('success');
		const [image, clip] = jsonOf(r);
		expect(image.status).toBe('ready');
		expect(image.type).toBe('image');
		expect(['ready', 'processing']).toContain(clip.status);
		const uploads = sb.uploads();
		expect(uploads.map((u) => u.method).sort()).toEqual(['POST', 'PUT']);
		expect(uploads.every((u) => u.authorization === false && u.status < 300)).toBe(true);
		expect(uploads.find((u) => u.method === 'PUT')?.bytes).toBe(video.length);
		expect(uploads.find((u) => u.method === 'PUT')?.sha256).toBe(createHash('sha256').update(video).digest('hex'));
		expect(calls(sb, 'POST', /\/complete$/)).toHaveLength(2);
		expectNoSecrets(sb, r);
	});

	test('type and size are checked before anything is sent', async () => {
		const gif = await op(sb, 'media', 'upload', {}, { input: [{ json: {}, binary: { data: { data: Buffer.from('x'), mimeType: 'text/plain', fileName: 'a.txt' } } }] } as any);
		expect(errorText(gif)).toMatch(/text\/plain.*not accepted.*image\/jpeg/s);
		const missing = await op(sb, 'media', 'upload', { binaryPropertyName: 'file' }, { input: [{ json: {}, binary: { data: { data: png, mimeType: 'image/png' } } }] } as any);
		expect(errorText(missing)).toMatch(/no binary property "file".*"data"/s);
		const big = await op(sb, 'media', 'upload', {}, { input: [{ json: {}, binary: { data: { data: Buffer.alloc(20_000_001), mimeType: 'image/jpeg', fileName: 'big.jpg' } } }] } as any);
		expect(errorText(big)).toMatch(/over the 20 MB limit/);
		expect(sb.requests()).toHaveLength(0);
		expect(sb.uploads()).toHaveLength(0);
	});

	test('Upload From URL waits for a video to be ready; library Get Many, Get, Delete', async () => {
		const imported = await op(sb, 'media', 'uploadFromUrl', { url: 'https://cdn.example.com/clip.mp4', waitOptions: FAST_WAIT });
		if (sb.switches.videoFromUrl) {
			expect(jsonOf(imported)[0].media_status).toBe('ready');
		} else {
			expect(errorText(imported)).toMatch(/415|unsupported/i);
		}
		const image = await op(sb, 'media', 'uploadFromUrl', { url: 'https://cdn.example.com/photo.jpg' });
		const id = jsonOf(image)[0].media_id as string;
		const list = await op(sb, 'media', 'getMany', { returnAll: true });
		expect(jsonOf(list).map((m) => m.id)).toContain(id);
		const got = await op(sb, 'media', 'get', { mediaId: byId(id) });
		expect(jsonOf(got)[0].id).toBe(id);
		const deleted = await op(sb, 'media', 'delete', { mediaId: byId(id) });
		expect(jsonOf(deleted)[0].deleted).toBe(true);
		const local = await op(sb, 'media', 'uploadFromUrl', { url: 'http://127.0.0.1/a.png' });
		expect(errorText(local)).toMatch(/URL.*HTTPS/s);
	});
});

describe('AI, API key, analytics, platform rules', () => {
	test('a key without the ai scope gets a message that names the scope', async () => {
		const r = await op(sb, 'ai', 'generateCaption', { topic: 'Autumn sale' }, { key: sb.keys.noAi });
		expect((r.error as Error).message).toMatch(/lacks the "ai" scope.*answered 401\); its scopes are read/);
		expect(errorText(r)).toMatch(/Enable the "ai" scope/);
		expectNoSecrets(sb, r);
		// a revoked key is a bad key, not a missing scope
		const revoked = await op(sb, 'ai', 'generateImage', { prompt: 'A latte', model: 'flux-schnell' }, { key: sb.keys.revoked });
		expect((revoked.error as Error).message).not.toMatch(/lacks the "ai" scope/);
		expect(calls(sb, 'POST', '/ai/generate-image').filter((c) => c.status < 300)).toHaveLength(0);
		const ok = await op(sb, 'ai', 'generateCaption', { topic: 'Autumn sale', options: { count: 2, tone: 'witty' } });
		expect(jsonOf(ok)[0].captions).toHaveLength(2);
		const image = await op(sb, 'ai', 'generateImage', { prompt: 'A latte', model: 'flux-schnell', aspectRatio: '4:5' });
		expect(jsonOf(image)[0].media_id).toBeTruthy();
		expect(calls(sb, 'POST', '/ai/generate-image').filter((c) => c.status === 201)[0].body).toEqual({ prompt: 'A latte', model: 'flux-schnell', aspect_ratio: '4:5' });
	});

	test('API Key → Get shows the scopes; analytics summary; platform rules', async () => {
		const me = await op(sb, 'apiKey', 'get', {}, { key: sb.keys.noAi });
		expect(JSON.stringify(jsonOf(me)[0])).toContain('write');
		const summary = await op(sb, 'analytics', 'getSummary', { period: 'custom', from: '2026-01-01T00:00:00Z', to: '2026-02-01T00:00:00Z' });
		expect(summary.status).toBe('success');
		expect(calls(sb, 'GET', '/analytics/summary')[0].query).toEqual({ period: 'custom', from: '2026-01-01T00:00:00Z', to: '2026-02-01T00:00:00Z' });
		const rules = await op(sb, 'platformRule', 'getAll', {});
		expect(rules.status).toBe('success');
	});
});

describe('AI refused with 403 (Python SDK reading of a missing scope, §15.9)', () => {
	test('the AI operations say "enable the ai scope" on 403 as on 401', async () => {
		const sb403 = await startSandbox('strict', { aiScopeStatus: 403 });
		try {
			const r = await op(sb403, 'ai', 'generateImage', { prompt: 'A latte', model: 'flux-schnell' }, { key: sb403.keys.noAi });
			expect((r.error as Error).message).toMatch(/lacks the "ai" scope.*answered 403/);
			expect(errorText(r)).toMatch(/Enable the "ai" scope/);
			expectNoSecrets(sb403, r);
		} finally {
			await sb403.stop();
		}
	});
});

describe('campaigns and webhooks', () => {
	test('campaign create, get many, get, update, delete', async () => {
		const created = await op(sb, 'campaign', 'create', { name: 'Autumn', additionalFields: { color: '#ff8800' } });
		const id = jsonOf(created)[0].id as number;
		expect(typeof id).toBe('number');
		expect(jsonOf(await op(sb, 'campaign', 'getMany', { returnAll: true })).map((c) => c.id)).toContain(id);
		expect(jsonOf(await op(sb, 'campaign', 'get', { campaignId: byId(id) }))[0].name).toBe('Autumn');
		expect(jsonOf(await op(sb, 'campaign', 'update', { campaignId: byId(id), updateFields: { status: 'archived' } }))[0].status).toBe('archived');
		expect((await op(sb, 'campaign', 'delete', { campaignId: byId(id) })).status).toBe('success');
		const badColor = await op(sb, 'campaign', 'create', { name: 'X', additionalFields: { color: 'orange' } });
		expect(errorText(badColor)).toMatch(/Color.*#RRGGBB/s);
	});

	test('webhook create (secret once), get many, get, update, send test, delete', async () => {
		const created = await op(sb, 'webhook', 'create', { url: 'https://hooks.example.com/pe', events: ['post.published', 'post.failed'] });
		const hook = jsonOf(created)[0];
		expect(hook.secret).toMatch(/^whsec_/);
		expect(jsonOf(await op(sb, 'webhook', 'getMany', {})).map((w) => w.id)).toContain(hook.id);
		expect(jsonOf(await op(sb, 'webhook', 'get', { webhookId: byId(hook.id) }))[0].url).toBe('https://hooks.example.com/pe');
		expect(jsonOf(await op(sb, 'webhook', 'update', { webhookId: byId(hook.id), updateFields: { isActive: false } }))[0].is_active).toBe(false);
		const tested = await op(sb, 'webhook', 'test', { webhookId: byId(hook.id) });
		expect(tested.status).toBe('success');
		expect(jsonOf(tested)[0]).toHaveProperty('ok');
		expect((await op(sb, 'webhook', 'delete', { webhookId: byId(hook.id) })).status).toBe('success');
		const http = await op(sb, 'webhook', 'create', { url: 'http://hooks.example.com/pe', events: ['post.published'] });
		expect(errorText(http)).toMatch(/URL.*HTTPS/s);
	});
});
