// Sandbox §9, §10, §17.1–17.4: posts, publishing, scheduling, cancel, list, analytics.
import { startSandbox, type Sandbox } from '../../sandbox/server';
import { client, expectError, type Caller } from './helpers';

let sb: Sandbox;
let api: Caller;
beforeAll(async () => {
	sb = await startSandbox({ tickMs: 0 });
	api = client(sb);
});
afterAll(() => sb.close());
beforeEach(() => sb.reset());

const balance = () => sb.getCredits('full');
const P = 1500; // timing.publishItem
const Q = 500; // timing.publishQueue

async function createPost(items: unknown[], extra: Record<string, unknown> = {}, call: Caller = api): Promise<string> {
	const r = await call('POST', '/posts', { items, ...extra });
	expect(r.status).toBe(200);
	return r.body.post_id;
}

describe('POST /posts', () => {
	test('creates a draft with items (platform derived from post_type)', async () => {
		const r = await api('POST', '/posts', {
			items: [
				{ post_type: 'instagram-reel', content: 'Reel caption' },
				{ post_type: 'youtube-short', content: 'Desc', title: 'My short' },
			],
		});
		expect(r.status).toBe(200);
		expect(r.body).toMatchObject({ post_id: expect.any(String), status: 'draft', scheduled_at: null, published_at: null });
		expect(r.body.created_at).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/);
		expect(r.body.updated_at).toBe(r.body.created_at);
		expect(r.body.items).toEqual([
			{ item_id: expect.any(String), post_type: 'instagram-reel', platform: 'instagram', content: 'Reel caption', media_ids: [], status: 'draft' },
			{ item_id: expect.any(String), post_type: 'youtube-short', platform: 'youtube', content: 'Desc', title: 'My short', media_ids: [], status: 'draft' },
		]);
		const g = await api('GET', `/posts/${r.body.post_id}`);
		expect(g.body).toEqual(r.body);
		expect(balance()).toBe(1000); // drafts are free
	});

	test('generation_id fills content per platform (youtube title + description); content overrides', async () => {
		const gen = await api('POST', '/content/generate', { prompt: 'new product line', post_types: ['x-post', 'youtube-video', 'linkedin-post'], research_mode: 'regular' });
		const early = await api('POST', '/posts', { generation_id: gen.body.generation_id, items: [{ post_type: 'x-post' }] });
		expectError(early, 400, 'VALIDATION_ERROR', /generation_id/);
		sb.clock.advance(1500);
		const outputs = (await api('GET', `/content/generations/${gen.body.generation_id}`)).body.outputs;
		const r = await api('POST', '/posts', {
			generation_id: gen.body.generation_id,
			items: [{ post_type: 'x-post' }, { post_type: 'youtube-video' }, { post_type: 'linkedin-post', content: 'mine' }],
		});
		expect(r.status).toBe(200);
		expect(r.body.generation_id).toBe(gen.body.generation_id);
		expect(r.body.items[0].content).toBe(outputs.x);
		expect(r.body.items[1]).toMatchObject({ content: outputs.youtube.description, title: outputs.youtube.title });
		expect(r.body.items[2].content).toBe('mine');
		expectError(
			await api('POST', '/posts', { generation_id: gen.body.generation_id, items: [{ post_type: 'tiktok-video' }] }),
			400,
			'VALIDATION_ERROR',
			/items\[0\]\.content/,
		);
	});

	test('validation samples', async () => {
		const cases: [unknown, RegExp][] = [
			[{}, /items/],
			[{ items: [] }, /items/],
			[{ items: Array.from({ length: 13 }, () => ({ post_type: 'x-post', content: 'c' })) }, /items/],
			[{ items: [{ content: 'c' }] }, /items\[0\]\.post_type/],
			[{ items: [{ post_type: 'myspace', content: 'c' }] }, /items\[0\]\.post_type/],
			[{ items: [{ post_type: 'x-post' }] }, /items\[0\]\.content/],
			[{ items: [{ post_type: 'x-post', content: 5 }] }, /items\[0\]\.content/],
			[{ items: [{ post_type: 'x-post', content: 'a' }, { post_type: 'youtube-video', content: 'b' }] }, /items\[1\]\.title/],
			[{ items: [{ post_type: 'x-post', content: 'a' }, { post_type: 'x-post', content: 'b' }] }, /items\[1\]\.post_type/],
			[{ items: [{ post_type: 'x-post', content: 'a', media_ids: ['nope'] }] }, /items\[0\]\.media_ids\[0\]/],
			[{ items: [{ post_type: 'x-post', content: 'a', media_ids: 'nope' }] }, /media_ids/],
			[{ generation_id: 'nope', items: [{ post_type: 'x-post' }] }, /generation_id/],
			[{ items: ['x-post'] }, /items\[0\]/],
		];
		for (const [body, msg] of cases) expectError(await api('POST', '/posts', body), 400, 'VALIDATION_ERROR', msg);
		expect(sb.state.posts.size).toBe(0);
		// all 12 post types in one post is fine
		const all = ['instagram-feed', 'instagram-reel', 'instagram-story', 'tiktok-video', 'tiktok-photos', 'youtube-video', 'youtube-short', 'x-post', 'facebook-post', 'facebook-reel', 'facebook-story', 'linkedin-post'];
		expect((await api('POST', '/posts', { items: all.map((t) => ({ post_type: t, content: 'c', title: 't' })) })).status).toBe(200);
	});

	test('GET /posts/{id}: 404 unknown', async () => {
		expectError(await api('GET', '/posts/unknown'), 404, 'NOT_FOUND');
	});
});

describe('publish', () => {
	test('lifecycle: publishing -> items posting one after another -> published; charged per posted item (+3 for X)', async () => {
		const id = await createPost([
			{ post_type: 'x-post', content: 'one' },
			{ post_type: 'linkedin-post', content: 'two' },
		]);
		const created = sb.state.posts.get(id)!;
		const r = await api('POST', `/posts/${id}/publish`);
		expect(r.status).toBe(200);
		expect(r.body).toEqual({ post_id: id, status: 'publishing', status_url: `/api/v1/posts/${id}` });
		const t0 = created.publish_started_at!;
		const s1 = await api('GET', `/posts/${id}`);
		expect(s1.body.status).toBe('publishing');
		expect(s1.body.items.map((i: { status: string }) => i.status)).toEqual(['draft', 'draft']);
		expect(Date.parse(s1.body.updated_at)).toBe(t0);

		sb.clock.set(t0 + Q + 10);
		const s2 = await api('GET', `/posts/${id}`);
		expect(s2.body.items.map((i: { status: string }) => i.status)).toEqual(['posting', 'draft']);
		expect(balance()).toBe(1000);

		sb.clock.set(t0 + Q + P + 10);
		const s3 = await api('GET', `/posts/${id}`);
		expect(s3.body.status).toBe('publishing');
		expect(s3.body.items.map((i: { status: string }) => i.status)).toEqual(['posted', 'posting']);
		expect(s3.body.items[0]).toMatchObject({ platform_post_id: expect.stringMatching(/^x_/), posted_at: new Date(t0 + Q + P).toISOString() });
		expect(balance()).toBe(996);

		sb.clock.set(t0 + Q + 2 * P);
		const s4 = await api('GET', `/posts/${id}`);
		expect(s4.body.status).toBe('published');
		expect(s4.body.items.map((i: { status: string }) => i.status)).toEqual(['posted', 'posted']);
		expect(s4.body.published_at).toBe(new Date(t0 + Q + 2 * P).toISOString());
		expect(s4.body.updated_at).toBe(s4.body.published_at);
		expect(balance()).toBe(995);
		expectError(await api('POST', `/posts/${id}/publish`), 409, 'ALREADY_PUBLISHED');
	});

	test('partial failure: [fail] item fails with PLATFORM_ERROR and is not charged; post is published', async () => {
		const id = await createPost([
			{ post_type: 'facebook-post', content: 'ok' },
			{ post_type: 'instagram-feed', content: 'this will [fail]' },
		]);
		await api('POST', `/posts/${id}/publish`);
		sb.clock.advance(Q + 2 * P + 100);
		const s = await api('GET', `/posts/${id}`);
		expect(s.body.status).toBe('published');
		expect(s.body.items[1]).toMatchObject({ status: 'failed', error: { code: 'PLATFORM_ERROR', message: expect.any(String) }, failed_at: expect.any(String) });
		expect(s.body.items[1].platform_post_id).toBeUndefined();
		expect(balance()).toBe(999);
	});

	test('all items failed -> post failed, published_at null, nothing charged', async () => {
		const id = await createPost([{ post_type: 'x-post', content: '[fail]' }]);
		await api('POST', `/posts/${id}/publish`);
		sb.clock.advance(Q + P);
		const s = await api('GET', `/posts/${id}`);
		expect(s.body).toMatchObject({ status: 'failed', published_at: null });
		expect(balance()).toBe(1000);
		expectError(await api('POST', `/posts/${id}/publish`), 409, 'ALREADY_PUBLISHED');
	});

	test('422 PLATFORM_NOT_CONNECTED for the whole request; nothing changes', async () => {
		const sec = client(sb, sb.keys.full, sb.workspaces.secondary);
		const id = await createPost([{ post_type: 'instagram-story', content: 'ok' }, { post_type: 'tiktok-video', content: 'no' }], {}, sec);
		const r = await sec('POST', `/posts/${id}/publish`);
		expectError(r, 422, 'PLATFORM_NOT_CONNECTED', /tiktok/);
		expect(sb.state.posts.get(id)?.status).toBe('draft');
		sb.setConnected(sb.workspaces.secondary, ['instagram', 'x', 'tiktok']);
		expect((await sec('POST', `/posts/${id}/publish`)).status).toBe(200);
	});

	test('402 when balance is below the cost of the items; draft unchanged', async () => {
		const id = await createPost([{ post_type: 'x-post', content: 'a' }, { post_type: 'linkedin-post', content: 'b' }]);
		sb.setCredits(4);
		expectError(await api('POST', `/posts/${id}/publish`), 402, 'INSUFFICIENT_CREDITS');
		expect(sb.state.posts.get(id)?.status).toBe('draft');
		const nc = client(sb, sb.keys.noCredits);
		const id2 = await createPost([{ post_type: 'linkedin-post', content: 'b' }], {}, nc);
		expectError(await nc('POST', `/posts/${id2}/publish`), 402, 'INSUFFICIENT_CREDITS');
		sb.setCredits(5);
		expect((await api('POST', `/posts/${id}/publish`)).status).toBe(200);
	});

	test('item-level failures at posting time: platform disconnected meanwhile, credits spent meanwhile', async () => {
		const id = await createPost([
			{ post_type: 'linkedin-post', content: 'a' },
			{ post_type: 'tiktok-video', content: 'b' },
			{ post_type: 'x-post', content: 'c' },
		]);
		expect((await api('POST', `/posts/${id}/publish`)).status).toBe(200);
		sb.setConnected(sb.workspaces.primary, ['linkedin', 'x', 'instagram', 'facebook', 'youtube']);
		sb.setCredits(3); // linkedin (1) posts, x (4) no longer affordable
		sb.clock.advance(Q + 3 * P);
		const s = await api('GET', `/posts/${id}`);
		expect(s.body.status).toBe('published');
		expect(s.body.items.map((i: { status: string; error?: { code: string } }) => [i.status, i.error?.code])).toEqual([
			['posted', undefined],
			['failed', 'PLATFORM_NOT_CONNECTED'],
			['failed', 'INSUFFICIENT_CREDITS'],
		]);
		expect(balance()).toBe(2);
	});

	test('a scheduled post that cannot be paid when it fires ends failed', async () => {
		const id = await createPost([{ post_type: 'x-post', content: 'a' }]);
		await api('POST', `/posts/${id}/schedule`, { scheduled_at: new Date(sb.clock.now() + 60_000).toISOString() });
		sb.setCredits(0);
		sb.clock.advance(60_000 + Q + P + 10);
		const s = await api('GET', `/posts/${id}`);
		expect(s.body).toMatchObject({ status: 'failed', published_at: null });
		expect(s.body.items[0].error.code).toBe('INSUFFICIENT_CREDITS');
	});

	test('404 for a post of another workspace', async () => {
		const id = await createPost([{ post_type: 'x-post', content: 'a' }]);
		expectError(await client(sb, sb.keys.full, sb.workspaces.secondary)('POST', `/posts/${id}/publish`), 404, 'NOT_FOUND');
	});
});

describe('schedule and cancel-publish', () => {
	test('schedule returns the post (scheduled, scheduled_at echoed) and fires when the clock reaches it', async () => {
		const id = await createPost([{ post_type: 'linkedin-post', content: 'later' }]);
		const at = new Date(sb.clock.now() + 3600_000).toISOString().replace(/\.\d+Z$/, 'Z');
		const r = await api('POST', `/posts/${id}/schedule`, { scheduled_at: at });
		expect(r.status).toBe(200);
		expect(r.body).toMatchObject({ post_id: id, status: 'scheduled', scheduled_at: new Date(at).toISOString() });
		expect(r.body.items).toHaveLength(1);
		expect((await api('GET', `/posts?status=scheduled`)).body.data.map((p: { post_id: string }) => p.post_id)).toEqual([id]);
		sb.clock.advance(3500_000);
		expect((await api('GET', `/posts/${id}`)).body.status).toBe('scheduled');
		sb.clock.advance(110_000);
		sb.tick();
		expect(sb.state.posts.get(id)?.status).toBe('published'); // fired by the ticker/tick, no GET needed
		const s = await api('GET', `/posts/${id}`);
		expect(s.body.items[0].posted_at).toBe(new Date(Date.parse(at) + Q + P).toISOString());
		expect(s.body.scheduled_at).toBe(new Date(at).toISOString());
		expect(balance()).toBe(999);
	});

	test('the background ticker fires due scheduled posts on its own', async () => {
		const sb2 = await startSandbox({ tickMs: 20, timing: { publishItem: 10, publishQueue: 0 } });
		try {
			const c = client(sb2);
			const id = (await c('POST', '/posts', { items: [{ post_type: 'x-post', content: 'x' }] })).body.post_id;
			await c('POST', `/posts/${id}/schedule`, { scheduled_at: new Date(sb2.clock.now() + 60_000).toISOString() });
			sb2.clock.set(sb2.clock.now() + 61_000);
			await new Promise((r) => setTimeout(r, 150));
			expect(sb2.state.posts.get(id)?.status).toBe('published');
		} finally {
			await sb2.close();
		}
	});

	test('schedule validation: format with offset, future, <= 60 days, draft only', async () => {
		const id = await createPost([{ post_type: 'x-post', content: 'a' }]);
		const now = sb.clock.now();
		const cases: [unknown, RegExp][] = [
			[{}, /scheduled_at/],
			[{ scheduled_at: '2030-01-01T10:00:00' }, /scheduled_at/], // naive: no offset
			[{ scheduled_at: 'tomorrow' }, /scheduled_at/],
			[{ scheduled_at: 12345 }, /scheduled_at/],
			[{ scheduled_at: new Date(now - 60_000).toISOString() }, /future/],
			[{ scheduled_at: new Date(now + 61 * 86_400_000).toISOString() }, /60 days/],
		];
		for (const [body, msg] of cases) expectError(await api('POST', `/posts/${id}/schedule`, body), 400, 'VALIDATION_ERROR', msg);
		const plus = new Date(now + 86_400_000 + 7_200_000);
		const withOffset = `${plus.toISOString().slice(0, 19)}+02:00`;
		const ok = await api('POST', `/posts/${id}/schedule`, { scheduled_at: withOffset });
		expect(ok.status).toBe(200);
		expect(ok.body.scheduled_at).toBe(new Date(Date.parse(withOffset)).toISOString());
		expectError(await api('POST', `/posts/${id}/schedule`, { scheduled_at: withOffset }), 409, 'ALREADY_PUBLISHED');
		expectError(await api('POST', `/posts/${id}/publish`), 409, 'ALREADY_PUBLISHED');
		expect((await api('POST', `/posts/${id}/schedule`, { scheduled_at: new Date(now + 60 * 86_400_000 - 5000).toISOString() })).status).toBe(409);
	});

	test('max 100 scheduled posts per workspace -> 409 SCHEDULE_LIMIT_REACHED', async () => {
		const at = new Date(sb.clock.now() + 86_400_000).toISOString();
		for (let i = 0; i < 100; i++) {
			const id = await createPost([{ post_type: 'x-post', content: `p${i}` }]);
			expect((await api('POST', `/posts/${id}/schedule`, { scheduled_at: at })).status).toBe(200);
		}
		const extra = await createPost([{ post_type: 'x-post', content: 'extra' }]);
		expectError(await api('POST', `/posts/${extra}/schedule`, { scheduled_at: at }), 409, 'SCHEDULE_LIMIT_REACHED');
		// another workspace has its own cap
		const sec = client(sb, sb.keys.full, sb.workspaces.secondary);
		const other = await createPost([{ post_type: 'x-post', content: 'o' }], {}, sec);
		expect((await sec('POST', `/posts/${other}/schedule`, { scheduled_at: at })).status).toBe(200);
	});

	test('cancel-publish: scheduled -> draft; publishing before the first item posts -> draft; later -> 409', async () => {
		const id = await createPost([{ post_type: 'x-post', content: 'a' }]);
		await api('POST', `/posts/${id}/schedule`, { scheduled_at: new Date(sb.clock.now() + 3600_000).toISOString() });
		const c1 = await api('POST', `/posts/${id}/cancel-publish`);
		expect(c1.status).toBe(200);
		expect(c1.body).toMatchObject({ post_id: id, status: 'draft', scheduled_at: null });
		sb.clock.advance(7200_000);
		expect((await api('GET', `/posts/${id}`)).body.status).toBe('draft'); // did not fire
		expectError(await api('POST', `/posts/${id}/cancel-publish`), 409, 'INVALID_STATE');

		expect((await api('POST', `/posts/${id}/publish`)).status).toBe(200);
		const c2 = await api('POST', `/posts/${id}/cancel-publish`);
		expect(c2.body.status).toBe('draft');
		sb.clock.advance(10_000);
		expect((await api('GET', `/posts/${id}`)).body.items[0].status).toBe('draft');
		expect(balance()).toBe(1000);

		await api('POST', `/posts/${id}/publish`);
		sb.clock.advance(Q + 10); // first item is posting now
		expectError(await api('POST', `/posts/${id}/cancel-publish`), 409, 'ALREADY_PUBLISHED');
		sb.clock.advance(P);
		expect((await api('GET', `/posts/${id}`)).body.status).toBe('published');
		expectError(await api('POST', `/posts/${id}/cancel-publish`), 409, 'ALREADY_PUBLISHED');
	});
});

describe('GET /posts (list)', () => {
	test('updated_at desc, status filter, cursor pages, no content in list items', async () => {
		const a = await createPost([{ post_type: 'x-post', content: 'A' }]);
		sb.clock.advance(1000);
		const b = await createPost([{ post_type: 'x-post', content: 'B' }]);
		sb.clock.advance(1000);
		const c = await createPost([{ post_type: 'youtube-short', content: 'C', title: 'T' }]);
		sb.clock.advance(1000);
		await api('POST', `/posts/${a}/publish`); // a becomes the most recently updated
		const l = await api('GET', '/posts?limit=2');
		expect(l.status).toBe(200);
		expect(l.body.data.map((p: { post_id: string }) => p.post_id)).toEqual([a, c]);
		expect(l.body.has_more).toBe(true);
		expect(typeof l.body.next_cursor).toBe('string');
		expect(l.body.data[1].items[0].content).toBeUndefined();
		expect(l.body.data[1].items[0]).toMatchObject({ item_id: expect.any(String), post_type: 'youtube-short', platform: 'youtube', status: 'draft' });
		const l2 = await api('GET', `/posts?limit=2&cursor=${encodeURIComponent(l.body.next_cursor)}`);
		expect(l2.body).toEqual({ data: [expect.objectContaining({ post_id: b })], next_cursor: null, has_more: false });
		expect((await api('GET', '/posts?status=publishing')).body.data.map((p: { post_id: string }) => p.post_id)).toEqual([a]);
		expect((await api('GET', '/posts?status=draft')).body.data).toHaveLength(2);
		expectError(await api('GET', '/posts?status=sent'), 400, 'VALIDATION_ERROR', /status/);
		expectError(await api('GET', '/posts?limit=abc'), 400, 'VALIDATION_ERROR', /limit/);
		expectError(await api('GET', '/posts?cursor=%%%'), 400, 'VALIDATION_ERROR', /cursor/);
	});

	test('seedPosts(10000) then walking all pages yields each post exactly once', async () => {
		sb.seedPosts(10_000);
		expect(sb.state.posts.size).toBe(10_000);
		const seen = new Set<string>();
		let cursor: string | null = null;
		let pages = 0;
		let lastUpdated = Infinity;
		do {
			const q: string = cursor ? `?limit=100&cursor=${encodeURIComponent(cursor)}` : '?limit=100';
			const r = await api('GET', `/posts${q}`);
			for (const p of r.body.data as { post_id: string; updated_at: string }[]) {
				seen.add(p.post_id);
				const u = Date.parse(p.updated_at);
				expect(u).toBeLessThanOrEqual(lastUpdated);
				lastUpdated = u;
			}
			cursor = r.body.next_cursor;
			pages++;
		} while (cursor);
		expect(seen.size).toBe(10_000);
		expect(pages).toBe(100);
		const failed = await api('GET', '/posts?status=failed&limit=100');
		expect(failed.body.data[0].items[0]).toMatchObject({ status: 'failed', error: { code: 'PLATFORM_ERROR' } });
		const published = await api('GET', '/posts?status=published&limit=1');
		expect(published.body.data[0].items[0]).toMatchObject({ status: 'posted', platform_post_id: expect.any(String), posted_at: expect.any(String) });
		expect(published.body.data[0].published_at).toEqual(expect.any(String));
	}, 30_000);

	test('seedPosts with workspace and status', async () => {
		sb.seedPosts(30, { workspace: sb.workspaces.secondary, status: 'draft' });
		const sec = client(sb, sb.keys.full, sb.workspaces.secondary);
		const r = await sec('GET', '/posts?limit=100&status=draft');
		expect(r.body.data).toHaveLength(30);
		expect((await api('GET', '/posts')).body.data).toHaveLength(0);
	});
});

describe('GET /post-items/{id}/analytics', () => {
	test('metrics null until posted and first daily fetch (1 h after posting), then daily snapshots up to 90 days', async () => {
		const id = await createPost([{ post_type: 'instagram-reel', content: 'r' }]);
		const itemId = sb.state.posts.get(id)!.items[0].item_id;
		const a0 = await api('GET', `/post-items/${itemId}/analytics`);
		expect(a0.body).toEqual({ post_item_id: itemId, post_type: 'instagram-reel', platform: 'instagram', status: 'draft', metrics: null });
		await api('POST', `/posts/${id}/publish`);
		sb.clock.advance(Q + P);
		const posted = await api('GET', `/post-items/${itemId}/analytics`);
		expect(posted.body).toMatchObject({ status: 'posted', metrics: null });
		const postedAt = sb.state.posts.get(id)!.items[0].posted_at!;
		sb.clock.set(postedAt + 3600_000);
		const m1 = (await api('GET', `/post-items/${itemId}/analytics`)).body.metrics;
		expect(m1).toEqual({ views: expect.any(Number), likes: expect.any(Number), comments: expect.any(Number), fetched_at: new Date(postedAt + 3600_000).toISOString() });
		expect(m1.views).toBeGreaterThan(0);
		sb.clock.advance(86_400_000 * 2 + 5000);
		const m3 = (await api('GET', `/post-items/${itemId}/analytics`)).body.metrics;
		expect(m3.fetched_at).toBe(new Date(postedAt + 3600_000 + 2 * 86_400_000).toISOString());
		expect(m3.views).toBeGreaterThan(m1.views);
		sb.clock.advance(86_400_000 * 200);
		const mEnd = (await api('GET', `/post-items/${itemId}/analytics`)).body.metrics;
		expect(mEnd.fetched_at).toBe(new Date(postedAt + 3600_000 + 89 * 86_400_000).toISOString());
		const again = (await api('GET', `/post-items/${itemId}/analytics`)).body.metrics;
		expect(again).toEqual(mEnd); // deterministic
	});

	test('failed items have no metrics; unknown / other workspace 404', async () => {
		const id = await createPost([{ post_type: 'x-post', content: '[fail]' }]);
		await api('POST', `/posts/${id}/publish`);
		sb.clock.advance(86_400_000);
		const itemId = sb.state.posts.get(id)!.items[0].item_id;
		expect((await api('GET', `/post-items/${itemId}/analytics`)).body).toMatchObject({ status: 'failed', metrics: null });
		expectError(await api('GET', '/post-items/nope/analytics'), 404, 'NOT_FOUND');
		expectError(await client(sb, sb.keys.full, sb.workspaces.secondary)('GET', `/post-items/${itemId}/analytics`), 404, 'NOT_FOUND');
	});
});
