// Sandbox profiles: `strict` answers only what the contract documents, `generous` adds the named
// switches of ASSUMPTIONS.md. Each switch is checked in both positions.
import { PROFILES, startSandbox, type Sandbox } from '../../sandbox/server';
import { client } from './helpers';

const FAST = { publishQueue: 0, publishItem: 10 };

async function publishedPost(sb: Sandbox) {
	const call = client(sb);
	const post = (await call('POST', '/posts', { items: [{ post_type: 'youtube-short', title: 'T', content: 'ok' }, { post_type: 'x-post', content: 'no [fail]' }] })).body;
	await call('POST', `/posts/${post.post_id}/publish`);
	sb.clock.advance(1000);
	return (await call('GET', `/posts/${post.post_id}`)).body;
}

describe.each(['generous', 'strict'] as const)('profile %s', (profile) => {
	let sb: Sandbox;
	beforeAll(async () => {
		sb = await startSandbox({ profile, tickMs: 0, rateLimit: false, timing: FAST });
	});
	afterAll(async () => sb.close());
	const on = profile === 'generous';

	test('info and the sandbox object name the profile and its switches', async () => {
		expect(sb.profile).toBe(profile);
		expect(sb.switches).toEqual(PROFILES[profile]);
		const info = await (await fetch(`${sb.origin}/__sandbox/info`)).json();
		expect(info).toMatchObject({ profile, switches: PROFILES[profile] });
	});

	test('post fields beyond the contract: updated_at, published_at, generation_id, item title and times', async () => {
		const post = await publishedPost(sb);
		expect(post.status).toBe('published');
		expect('updated_at' in post).toBe(on);
		expect('published_at' in post).toBe(on);
		expect('generation_id' in post).toBe(on);
		expect('title' in post.items[0]).toBe(on);
		expect('posted_at' in post.items[0]).toBe(on);
		expect('failed_at' in post.items[1]).toBe(on);
		// documented in both: ids, statuses, created_at, platform_post_id, error {code, message}
		expect(post).toMatchObject({ post_id: expect.any(String), created_at: expect.any(String) });
		expect(post.items[0]).toMatchObject({ status: 'posted', platform_post_id: expect.any(String) });
		expect(post.items[1]).toMatchObject({ status: 'failed', error: { code: 'PLATFORM_ERROR' } });
	});

	test('GET /posts order: generous by updated_at, strict newest created first', async () => {
		sb.reset();
		const call = client(sb);
		const older = (await call('POST', '/posts', { items: [{ post_type: 'x-post', content: 'older' }] })).body;
		sb.clock.advance(1000);
		const newer = (await call('POST', '/posts', { items: [{ post_type: 'x-post', content: 'newer' }] })).body;
		sb.clock.advance(1000);
		await call('POST', `/posts/${older.post_id}/publish`);
		sb.clock.advance(1000);
		const ids = (await call('GET', '/posts')).body.data.map((p: { post_id: string }) => p.post_id);
		expect(ids).toEqual(on ? [older.post_id, newer.post_id] : [newer.post_id, older.post_id]);
	});

	test('403 INSUFFICIENT_SCOPE names the scope in the message; error.scope only in generous', async () => {
		const res = await client(sb, sb.keys.custom(['account:read']))('GET', '/posts');
		expect(res.status).toBe(403);
		expect(res.body.error.message).toMatch(/posts:read/);
		expect('scope' in res.body.error).toBe(on);
	});

	test('image generation: model only in generous', async () => {
		const call = client(sb);
		const job = (await call('POST', '/images/generate', { prompt: 'A red bicycle', model: 'flux2-flex', size: 'square' })).body;
		const got = (await call('GET', `/images/generations/${job.image_generation_id}`)).body;
		expect('model' in got).toBe(on);
	});
});

test('switches can be changed at run time through the control API; unknown ones are refused', async () => {
	const sb = await startSandbox({ profile: 'strict', tickMs: 0 });
	try {
		const set = await fetch(`${sb.origin}/__sandbox/switches`, { method: 'POST', body: JSON.stringify({ postUpdatedAt: true }) });
		expect(((await set.json()) as { switches: Record<string, boolean> }).switches.postUpdatedAt).toBe(true);
		const post = (await client(sb)('POST', '/posts', { items: [{ post_type: 'x-post', content: 'x' }] })).body;
		expect(post.updated_at).toEqual(expect.any(String));
		const bad = await fetch(`${sb.origin}/__sandbox/switches`, { method: 'POST', body: JSON.stringify({ nope: true }) });
		expect(bad.status).toBe(400);
	} finally {
		await sb.close();
	}
});

test('an unknown profile name is refused', async () => {
	await expect(startSandbox({ profile: 'lenient' as never })).rejects.toThrow(/Unknown sandbox profile "lenient"/);
});
