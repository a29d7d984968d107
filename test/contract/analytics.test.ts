// Contract §10: Analytics → Get for Post Item / Get for Post against the sandbox, through n8n-core (harness).
import { startSandbox, type Sandbox } from '../../sandbox/server';
import { countRequests, errorText, expectNoSecrets } from './generation-helpers';
import { api, byId, draft, FAST_TIMING, jsonOf, op, until } from './post-helpers';

let sb: Sandbox;
beforeAll(async () => {
	sb = await startSandbox({ tickMs: 0, rateLimit: false, timing: FAST_TIMING });
});
afterAll(async () => {
	await sb.close();
});
beforeEach(() => sb.reset());

const HOUR = 3600_000;

/** A post published through the API (setup): items with `[fail]` in the content fail. */
async function published(items: Array<Record<string, unknown>>): Promise<Record<string, any>> {
	const post = await draft(sb, items);
	await api(sb, 'POST', `/posts/${post.post_id}/publish`);
	return await until(
		async () => (await api(sb, 'GET', `/posts/${post.post_id}`)).body,
		(p) => p.status === 'published' || p.status === 'failed',
	);
}

describe('Analytics → Get for Post Item', () => {
	test('metrics are null (metricsAvailable false) until PowerPost fetched them once', async () => {
		const post = await published([{ post_type: 'instagram-feed', content: 'Hello' }]);
		const itemId = post.items[0].item_id;
		const r = await op(sb, 'analytics', 'getForPostItem', { postItemId: itemId });
		expect(jsonOf(r)[0]).toEqual({
			post_item_id: itemId,
			post_type: 'instagram-feed',
			platform: 'instagram',
			status: 'posted',
			metrics: null,
			metricsAvailable: false,
		});
		expectNoSecrets(sb, r);
	});

	test('after the first fetch the views, likes and comments are output', async () => {
		const post = await published([{ post_type: 'linkedin-post', content: 'Hello' }]);
		sb.clock.advance(2 * HOUR);
		const r = await op(sb, 'analytics', 'getForPostItem', { postItemId: post.items[0].item_id });
		const [out] = jsonOf(r);
		expect(out.metricsAvailable).toBe(true);
		expect(out.metrics.views).toBeGreaterThan(0);
		expect(typeof out.metrics.likes).toBe('number');
		expect(typeof out.metrics.comments).toBe('number');
		expect(Date.parse(out.metrics.fetched_at)).toBeLessThanOrEqual(sb.clock.now());
	});

	test('404 for an item of another workspace', async () => {
		const other = await draft(sb, undefined, sb.workspaces.secondary);
		const r = await op(sb, 'analytics', 'getForPostItem', { postItemId: other.items[0].item_id });
		expect(errorText(r)).toMatch(/NOT_FOUND/);
	});

	test('an empty Post Item ID fails before any request', async () => {
		const r = await op(sb, 'analytics', 'getForPostItem', { postItemId: '={{ "" }}' });
		expect(errorText(r)).toMatch(/Post Item ID: is required but empty/);
		expect(sb.requests).toHaveLength(0);
	});

	test('401 for an unknown key, without the key in the error', async () => {
		const r = await op(sb, 'analytics', 'getForPostItem', { postItemId: 'abc' }, { key: 'pp_live_sk_wrong_key_123' });
		const text = errorText(r);
		expect(text).toMatch(/INVALID_API_KEY/);
		expect(text).not.toContain('pp_live_sk_wrong_key_123');
	});
});

describe('Analytics → Get for Post', () => {
	test('one output item per post item; only posted items are asked for metrics', async () => {
		const post = await published([
			{ post_type: 'instagram-feed', content: 'Hello' },
			{ post_type: 'x-post', content: 'Broken [fail]' },
			{ post_type: 'facebook-post', content: 'Hello too' },
		]);
		sb.clock.advance(2 * HOUR);
		const r = await op(sb, 'analytics', 'getForPost', { postId: byId(post.post_id) });
		const out = jsonOf(r);
		expect(out.map((o) => [o.post_id, o.platform, o.post_type, o.status, o.metricsAvailable])).toEqual([
			[post.post_id, 'instagram', 'instagram-feed', 'posted', true],
			[post.post_id, 'x', 'x-post', 'failed', false],
			[post.post_id, 'facebook', 'facebook-post', 'posted', true],
		]);
		expect(out[1].metrics).toBeNull();
		expect(out[0].post_item_id).toBe(post.items[0].item_id);
		expect(out[0].platform_post_id).toBe(post.items[0].platform_post_id);
		expect(countRequests(sb, 'GET', /^\/post-items\/.+\/analytics$/)).toBe(2);
		expect(r.outputs[0].every((i) => JSON.stringify(i.pairedItem) === '{"item":0}')).toBe(true);
	});

	test('404 for a post of another workspace', async () => {
		const other = await draft(sb, undefined, sb.workspaces.secondary);
		const r = await op(sb, 'analytics', 'getForPost', { postId: byId(other.post_id) });
		expect(errorText(r)).toMatch(/NOT_FOUND/);
	});

	test('403 with a key without analytics:read names the scope', async () => {
		const post = await published([{ post_type: 'instagram-feed', content: 'Hello' }]);
		const key = sb.keys.custom(['posts:read']);
		const r = await op(sb, 'analytics', 'getForPost', { postId: byId(post.post_id) }, { key });
		expect(errorText(r)).toMatch(/analytics:read/);
		expect(JSON.stringify(r.outputs) + errorText(r) + r.logs.join('\n')).not.toContain(key);
	});
});
