// Sandbox §6–§8, §12: captions, images, videos, credits and refunds.
import { startSandbox, type Sandbox } from '../../sandbox/server';
import { client, expectError, upload, PNG, type Caller } from './helpers';

let sb: Sandbox;
let api: Caller;
beforeAll(async () => {
	sb = await startSandbox({ tickMs: 0 });
	api = client(sb);
});
afterAll(() => sb.close());
beforeEach(() => sb.reset());

const balance = () => sb.getCredits('full');

async function uploadImage(workspace = sb.workspaces.primary): Promise<string> {
	const r = await upload(sb, { data: PNG, filename: 'a.png', contentType: 'image/png' }, 'image', sb.keys.full, workspace);
	expect(r.status).toBe(200);
	return r.body.media_id;
}
async function uploadVideo(): Promise<string> {
	const r = await upload(sb, { data: Buffer.alloc(1000, 1), filename: 'v.mp4', contentType: 'video/mp4' }, 'video');
	expect(r.status).toBe(200);
	return r.body.media_id;
}

describe('captions: POST /content/generate + GET /content/generations[/id]', () => {
	test('happy path: processing -> completed with outputs keyed by platform (youtube = {title, description})', async () => {
		const r = await api('POST', '/content/generate', {
			prompt: 'Launch of our spring collection',
			post_types: ['instagram-feed', 'instagram-reel', 'youtube-short', 'x-post'],
			research_mode: 'regular',
			cta_text: 'Shop now',
		});
		expect(r.status).toBe(200);
		expect(r.body).toEqual({
			generation_id: expect.any(String),
			status: 'processing',
			credits_used: 6,
			remaining_credits: 994,
			status_url: `/api/v1/content/generations/${r.body.generation_id}`,
		});
		const id = r.body.generation_id;
		const p = await api('GET', `/content/generations/${id}`);
		expect(p.body.status).toBe('processing');
		expect(p.body.outputs).toBeUndefined();
		sb.clock.advance(1500);
		const done = await api('GET', `/content/generations/${id}`);
		expect(done.body).toMatchObject({
			generation_id: id,
			status: 'completed',
			prompt: 'Launch of our spring collection',
			platforms: ['instagram', 'youtube', 'x'],
			research_mode: 'regular',
			credits_used: 6,
		});
		expect(Object.keys(done.body.outputs).sort()).toEqual(['instagram', 'x', 'youtube']);
		expect(done.body.outputs.instagram).toEqual(expect.stringContaining('Shop now'));
		expect(done.body.outputs.instagram).toMatch(/#\w+/);
		expect(done.body.outputs.youtube).toEqual({ title: expect.any(String), description: expect.any(String) });
		expect(done.body.outputs.x.length).toBeLessThanOrEqual(280);
		expect(balance()).toBe(994);
	});

	test('cost: deep 8, +1 per image, +1 per kept source url; private urls are dropped', async () => {
		const img1 = await uploadImage();
		const img2 = await uploadImage();
		const r = await api('POST', '/content/generate', {
			media_ids: [img1, img2],
			post_types: ['linkedin-post'],
			research_mode: 'deep',
			source_urls: ['https://example.com/a', 'https://example.org/b', 'https://localhost/x', 'https://192.168.1.2/y'],
		});
		expect(r.status).toBe(200);
		expect(r.body.credits_used).toBe(8 + 2 + 2);
		expect(balance()).toBe(1000 - 12);
	});

	test('video media: +6 per video minute', async () => {
		const v = await uploadVideo();
		const r = await api('POST', '/content/generate', { media_ids: [v], post_types: ['tiktok-video'], research_mode: 'regular' });
		expect(r.body.credits_used).toBe(12);
	});

	test('x caption stays within 280 characters for a 2,000 character prompt', async () => {
		const r = await api('POST', '/content/generate', { prompt: 'word '.repeat(400), post_types: ['x-post', 'facebook-post'], research_mode: 'regular', cta_text: 'c'.repeat(100) });
		sb.clock.advance(1500);
		const g = await api('GET', `/content/generations/${r.body.generation_id}`);
		expect(g.body.outputs.x.length).toBeLessThanOrEqual(280);
		expect(g.body.outputs.facebook.length).toBeGreaterThan(2000);
	});

	test('failed generation ([fail]) is refunded and carries error {code,message}', async () => {
		const r = await api('POST', '/content/generate', { prompt: 'please [fail] now', post_types: ['x-post'], research_mode: 'deep' });
		expect(balance()).toBe(992);
		sb.clock.advance(2000);
		const g = await api('GET', `/content/generations/${r.body.generation_id}`);
		expect(g.body.status).toBe('failed');
		expect(g.body.error).toEqual({ code: 'GENERATION_FAILED', message: expect.any(String) });
		expect(g.body.outputs).toBeUndefined();
		expect(balance()).toBe(1000);
	});

	test('validation samples', async () => {
		const base = { prompt: 'valid prompt', post_types: ['x-post'], research_mode: 'regular' };
		const cases: [unknown, RegExp][] = [
			[{ ...base, post_types: undefined }, /post_types/],
			[{ ...base, post_types: [] }, /post_types/],
			[{ ...base, post_types: ['myspace-post'] }, /post_types\[0\]/],
			[{ ...base, research_mode: undefined }, /research_mode/],
			[{ ...base, research_mode: 'medium' }, /research_mode/],
			[{ ...base, prompt: 'ab' }, /prompt/],
			[{ ...base, prompt: 'x'.repeat(2001) }, /prompt/],
			[{ ...base, prompt: 42 }, /prompt/],
			[{ post_types: ['x-post'], research_mode: 'regular' }, /prompt or media_ids/],
			[{ ...base, cta_text: 'x'.repeat(101) }, /cta_text/],
			[{ ...base, source_urls: ['http://example.com'] }, /source_urls\[0\].*HTTPS/],
			[{ ...base, source_urls: Array.from({ length: 11 }, (_, i) => `https://e.com/${i}`) }, /source_urls/],
			[{ ...base, source_urls: ['not a url'] }, /source_urls\[0\]/],
			[{ ...base, media_ids: ['does-not-exist'] }, /media_ids\[0\]/],
			[[1, 2], /JSON object/],
		];
		for (const [body, msg] of cases) {
			const r = await api('POST', '/content/generate', body);
			expectError(r, 400, 'VALIDATION_ERROR', msg);
		}
		expect((await api('POST', '/content/generate', { ...base, prompt: 'x'.repeat(2000) })).status).toBe(200);
	});

	test('media_ids: up to 10 images or exactly one video; from another workspace -> 400', async () => {
		const v = await uploadVideo();
		const i = await uploadImage();
		const mixed = await api('POST', '/content/generate', { media_ids: [v, i], post_types: ['x-post'], research_mode: 'regular' });
		expectError(mixed, 400, 'VALIDATION_ERROR', /media_ids/);
		const other = await uploadImage(sb.workspaces.secondary);
		expectError(
			await api('POST', '/content/generate', { media_ids: [other], post_types: ['x-post'], research_mode: 'regular' }),
			400,
			'VALIDATION_ERROR',
			/media_ids\[0\]/,
		);
	});

	test('402 INSUFFICIENT_CREDITS when the balance is too low; nothing is created', async () => {
		const r = await client(sb, sb.keys.noCredits)('POST', '/content/generate', { prompt: 'hello there', post_types: ['x-post'], research_mode: 'regular' });
		expectError(r, 402, 'INSUFFICIENT_CREDITS');
		sb.setCredits(5);
		expectError(await api('POST', '/content/generate', { prompt: 'hello there', post_types: ['x-post'], research_mode: 'regular' }), 402, 'INSUFFICIENT_CREDITS');
		expect(sb.state.generations.size).toBe(0);
		expect(balance()).toBe(5);
	});

	test('list: newest first, status filter, limit/cursor pagination, no outputs; get 404 across workspaces', async () => {
		const ids: string[] = [];
		for (let i = 0; i < 5; i++) {
			const r = await api('POST', '/content/generate', { prompt: `prompt number ${i}${i === 4 ? ' [fail]' : ''}`, post_types: ['x-post'], research_mode: 'regular' });
			ids.push(r.body.generation_id);
			sb.clock.advance(10);
		}
		sb.clock.advance(5000);
		const p1 = await api('GET', '/content/generations?limit=2');
		expect(p1.body.data.map((g: { generation_id: string }) => g.generation_id)).toEqual([ids[4], ids[3]]);
		expect(p1.body.has_more).toBe(true);
		expect(p1.body.data[0].outputs).toBeUndefined();
		expect(Object.keys(p1.body.data[1]).sort()).toEqual(['created_at', 'credits_used', 'generation_id', 'platforms', 'prompt', 'research_mode', 'status']);
		const p2 = await api('GET', `/content/generations?limit=2&cursor=${p1.body.next_cursor}`);
		const p3 = await api('GET', `/content/generations?limit=2&cursor=${p2.body.next_cursor}`);
		expect(p2.body.data.map((g: { generation_id: string }) => g.generation_id)).toEqual([ids[2], ids[1]]);
		expect(p3.body.data.map((g: { generation_id: string }) => g.generation_id)).toEqual([ids[0]]);
		expect(p3.body.has_more).toBe(false);
		expect(p3.body.next_cursor).toBeNull();
		const failed = await api('GET', '/content/generations?status=failed');
		expect(failed.body.data.map((g: { generation_id: string }) => g.generation_id)).toEqual([ids[4]]);
		const def = await api('GET', '/content/generations');
		expect(def.body.data).toHaveLength(5);
		expectError(await api('GET', '/content/generations?limit=0'), 400, 'VALIDATION_ERROR', /limit/);
		expectError(await api('GET', '/content/generations?limit=101'), 400, 'VALIDATION_ERROR', /limit/);
		expectError(await api('GET', '/content/generations?status=done'), 400, 'VALIDATION_ERROR', /status/);
		expectError(await api('GET', '/content/generations?cursor=garbage'), 400, 'VALIDATION_ERROR', /cursor/);
		expectError(await client(sb, sb.keys.full, sb.workspaces.secondary)('GET', `/content/generations/${ids[0]}`), 404, 'NOT_FOUND');
		expectError(await api('GET', '/content/generations/nope'), 404, 'NOT_FOUND');
	});
});

describe('images: POST /images/generate + GET /images/generations/{id}', () => {
	test('happy path: cost per model x quantity, images registered as workspace media', async () => {
		const r = await api('POST', '/images/generate', { prompt: 'a red bicycle', quantity: 3, model: 'ideogram-3', size: 'feed' });
		expect(r.status).toBe(200);
		expect(r.body).toEqual({
			image_generation_id: expect.any(String),
			status: 'processing',
			credits_used: 18,
			remaining_credits: 982,
			status_url: `/api/v1/images/generations/${r.body.image_generation_id}`,
		});
		const id = r.body.image_generation_id;
		expect((await api('GET', `/images/generations/${id}`)).body).toMatchObject({ status: 'processing', images: [] });
		sb.clock.advance(2000);
		const g = await api('GET', `/images/generations/${id}`);
		expect(g.body).toMatchObject({ image_generation_id: id, status: 'completed', prompt: 'a red bicycle', size: 'feed', quantity: 3 });
		expect(g.body.images).toHaveLength(3);
		for (const img of g.body.images) {
			expect(img).toEqual({ media_id: expect.any(String), url: expect.stringMatching(/^http/), thumbnail_url: expect.any(String), width: 1024, height: 1280 });
			expect(sb.state.media.get(img.media_id)?.workspace).toBe(sb.workspaces.primary);
		}
		const file = await fetch(g.body.images[0].url);
		expect(file.status).toBe(200);
		expect(file.headers.get('content-type')).toBe('image/png');
		// generated media can be attached to a post
		const post = await api('POST', '/posts', { items: [{ post_type: 'instagram-feed', content: 'look', media_ids: [g.body.images[0].media_id] }] });
		expect(post.status).toBe(200);
	});

	test('default model flux2-flex costs 5; gpt-image-2 costs 14 and has no feed size', async () => {
		expect((await api('POST', '/images/generate', { prompt: 'x' })).body.credits_used).toBe(5);
		expect((await api('POST', '/images/generate', { prompt: 'x', model: 'gpt-image-2', size: 'portrait', quantity: 2 })).body.credits_used).toBe(28);
		expectError(await api('POST', '/images/generate', { prompt: 'x', model: 'gpt-image-2', size: 'feed' }), 400, 'VALIDATION_ERROR', /size/);
		expectError(await api('POST', '/images/generate', { prompt: 'x', model: 'gpt-image-1.5', size: 'feed' }), 400, 'VALIDATION_ERROR', /size/);
		expect((await api('POST', '/images/generate', { prompt: 'x', model: 'gpt-image-1.5' })).status).toBe(200);
	});

	test('partial failure: status failed, remaining images kept, one image refunded', async () => {
		const r = await api('POST', '/images/generate', { prompt: 'cats [partial]', quantity: 4 });
		expect(balance()).toBe(980);
		sb.clock.advance(2000);
		const g = await api('GET', `/images/generations/${r.body.image_generation_id}`);
		expect(g.body.status).toBe('failed');
		expect(g.body.images).toHaveLength(3);
		expect(g.body.error.code).toEqual(expect.any(String));
		expect(balance()).toBe(985);
	});

	test('full failure refunds everything', async () => {
		const r = await api('POST', '/images/generate', { prompt: '[fail]', quantity: 2, model: 'nano-banana-2' });
		expect(balance()).toBe(988);
		sb.clock.advance(2500);
		const g = await api('GET', `/images/generations/${r.body.image_generation_id}`);
		expect(g.body).toMatchObject({ status: 'failed', images: [] });
		expect(balance()).toBe(1000);
	});

	test('post mode with a completed generation, source_post_type', async () => {
		const cap = await api('POST', '/content/generate', { prompt: 'summer sale', post_types: ['instagram-feed'], research_mode: 'regular' });
		const early = await api('POST', '/images/generate', { generation_id: cap.body.generation_id });
		expectError(early, 400, 'VALIDATION_ERROR', /generation_id/);
		sb.clock.advance(1500);
		const ok = await api('POST', '/images/generate', { generation_id: cap.body.generation_id, source_post_type: 'instagram-feed' });
		expect(ok.status).toBe(200);
		expectError(
			await api('POST', '/images/generate', { generation_id: cap.body.generation_id, source_post_type: 'x-post' }),
			400,
			'VALIDATION_ERROR',
			/source_post_type/,
		);
		expectError(await api('POST', '/images/generate', { prompt: 'p', source_post_type: 'x-post' }), 400, 'VALIDATION_ERROR', /source_post_type/);
	});

	test('validation samples', async () => {
		const img = await uploadImage();
		const vid = await uploadVideo();
		const cases: [unknown, RegExp][] = [
			[{}, /prompt/],
			[{ prompt: 'x'.repeat(2001) }, /prompt/],
			[{ prompt: 'p', quantity: 0 }, /quantity/],
			[{ prompt: 'p', quantity: 5 }, /quantity/],
			[{ prompt: 'p', quantity: 1.5 }, /quantity/],
			[{ prompt: 'p', size: 'huge' }, /size/],
			[{ prompt: 'p', model: 'dall-e' }, /model/],
			[{ prompt: 'p', enhance_prompt: 'yes' }, /enhance_prompt/],
			[{ prompt: 'p', style_images: [img, img, img, img, img] }, /style_images/],
			[{ prompt: 'p', style_images: [vid] }, /style_images\[0\]/],
			[{ prompt: 'p', style_images: ['nope'] }, /style_images\[0\]/],
			[{ generation_id: 'nope' }, /generation_id/],
		];
		for (const [body, msg] of cases) expectError(await api('POST', '/images/generate', body), 400, 'VALIDATION_ERROR', msg);
		expect((await api('POST', '/images/generate', { prompt: 'p', style_images: [img, img, img, img], enhance_prompt: true })).status).toBe(200);
	});

	test('404 for unknown or other-workspace image generation', async () => {
		const r = await api('POST', '/images/generate', { prompt: 'p' });
		expectError(await client(sb, sb.keys.full, sb.workspaces.secondary)('GET', `/images/generations/${r.body.image_generation_id}`), 404, 'NOT_FOUND');
		expectError(await api('GET', '/images/generations/unknown'), 404, 'NOT_FOUND');
	});
});

describe('videos: POST /videos/generate + GET /videos/generations/{id}', () => {
	test('happy path with source_image; cost by model/duration/audio; completes after timing.video', async () => {
		const img = await uploadImage();
		const r = await api('POST', '/videos/generate', { prompt: 'waves at dusk', duration: 8, model: 'veo-3.1', has_audio: true, size: 'portrait', source_image: img });
		expect(r.status).toBe(200);
		expect(r.body).toEqual({
			video_generation_id: expect.any(String),
			status: 'processing',
			credits_used: 8 * (8 + 4),
			remaining_credits: 1000 - 96,
			status_url: `/api/v1/videos/generations/${r.body.video_generation_id}`,
		});
		const id = r.body.video_generation_id;
		sb.clock.advance(7000);
		expect((await api('GET', `/videos/generations/${id}`)).body.status).toBe('processing');
		sb.clock.advance(1000);
		const g = await api('GET', `/videos/generations/${id}`);
		expect(g.body).toMatchObject({ status: 'completed', prompt: 'waves at dusk', size: 'portrait', duration: 8, has_audio: true, model: 'veo-3.1' });
		expect(g.body.video).toEqual({ media_id: expect.any(String), url: expect.any(String), thumbnail_url: expect.any(String), width: 1080, height: 1920, duration: 8 });
		expect(sb.state.media.get(g.body.video.media_id)?.type).toBe('video');
		const cheaper = await api('POST', '/videos/generate', { prompt: 'p', duration: 5 });
		expect(cheaper.body.credits_used).toBe(20); // kling default 4/s, no audio
		const runway = await api('POST', '/videos/generate', { prompt: 'p', duration: 10, model: 'runway-gen-4.5' });
		expect(runway.body.credits_used).toBe(30);
	});

	test('failure refunds and reports VIDEO_GENERATION_FAILED', async () => {
		const r = await api('POST', '/videos/generate', { prompt: 'boom [fail]', duration: 10 });
		expect(balance()).toBe(960);
		sb.clock.advance(8000);
		const g = await api('GET', `/videos/generations/${r.body.video_generation_id}`);
		expect(g.body.status).toBe('failed');
		expect(g.body.error).toEqual({ code: 'VIDEO_GENERATION_FAILED', message: expect.any(String) });
		expect(g.body.video).toBeUndefined();
		expect(balance()).toBe(1000);
	});

	test('validation: durations per model, has_audio on runway, prompt max per model, source_image', async () => {
		const vid = await uploadVideo();
		const cases: [unknown, RegExp][] = [
			[{ duration: 5 }, /prompt/],
			[{ prompt: 'p' }, /duration/],
			[{ prompt: 'p', duration: 5, model: 'veo-3.1' }, /duration/],
			[{ prompt: 'p', duration: 8 }, /duration/],
			[{ prompt: 'p', duration: '5' }, /duration/],
			[{ prompt: 'p', duration: 5, model: 'runway-gen-4.5', has_audio: true }, /has_audio/],
			[{ prompt: 'x'.repeat(1001), duration: 5, model: 'runway-gen-4.5' }, /prompt/],
			[{ prompt: 'x'.repeat(2501), duration: 5 }, /prompt/],
			[{ prompt: 'x'.repeat(3001), duration: 4, model: 'veo-3.1' }, /prompt/],
			[{ prompt: 'p', duration: 5, size: 'square' }, /size/],
			[{ prompt: 'p', duration: 5, model: 'sora' }, /model/],
			[{ prompt: 'p', duration: 5, source_image: vid }, /source_image/],
			[{ prompt: 'p', duration: 5, source_image: 'nope' }, /source_image/],
		];
		for (const [body, msg] of cases) expectError(await api('POST', '/videos/generate', body), 400, 'VALIDATION_ERROR', msg);
		expect((await api('POST', '/videos/generate', { prompt: 'x'.repeat(3000), duration: 4, model: 'veo-3.1' })).status).toBe(200);
		expect(sb.state.videoGenerations.size).toBe(1);
	});

	test('402 when credits are short', async () => {
		sb.setCredits(19);
		expectError(await api('POST', '/videos/generate', { prompt: 'p', duration: 5 }), 402, 'INSUFFICIENT_CREDITS');
	});
});
