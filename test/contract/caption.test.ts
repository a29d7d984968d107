// Contract §6: Caption → Generate / Get / Get Many and the generations list search, against the sandbox.
import { startSandbox, type Sandbox } from '../../sandbox/server';
import { runNode } from '../harness';
import { countRequests, credsFor, errorText, expectNoSecrets, expectRefusedBeforeSending, FAST_WAIT, runListSearch, uploadMedia } from './generation-helpers';
import { api } from './post-helpers';

let sb: Sandbox;
beforeAll(async () => {
	sb = await startSandbox({ tickMs: 0, rateLimit: false, timing: { caption: 150, image: 150, video: 300 } });
});
afterAll(async () => await sb.close());
beforeEach(() => sb.reset());

const generates = () => countRequests(sb, 'POST', '/content/generate');
const byId = (value: string) => ({ __rl: true, mode: 'id', value });
const fromList = (value: string) => ({ __rl: true, mode: 'list', value });

function caption(operation: string, parameters: Record<string, unknown>, extra: Partial<Parameters<typeof runNode>[0]> = {}) {
	return runNode({
		nodeType: 'powerPost',
		parameters: { resource: 'caption', operation, ...parameters },
		credentials: credsFor(sb),
		...extra,
	});
}

const generate = (parameters: Record<string, unknown>, extra: Partial<Parameters<typeof runNode>[0]> = {}) =>
	caption('generate', { postTypes: ['instagram-feed'], waitOptions: FAST_WAIT, ...parameters }, extra);

async function submitted(prompt: string, workspace = sb.workspaces.primary): Promise<string> {
	const r = await api(sb, 'POST', '/content/generate', { prompt, post_types: ['x-post'], research_mode: 'regular' }, { workspace });
	expect(r.status).toBe(200);
	// The next one is created at least 1 ms later: two generations of the same millisecond have no
	// documented order (the sandbox breaks the tie by a random id), so "newest first" needs distinct times.
	sb.clock.advance(1);
	return r.body.generation_id;
}

describe('Caption → Generate', () => {
	test('text mode, waiting: outputs the completed generation with one caption per platform, flattened', async () => {
		const r = await generate({
			prompt: 'Spring sale on all sneakers',
			postTypes: ['instagram-feed', 'instagram-reel', 'youtube-short', 'x-post'],
			additionalFields: { ctaText: 'Shop now' },
		});
		expect(r.status).toBe('success');
		const out = r.outputs[0][0].json;
		expect(out).toMatchObject({ status: 'completed', prompt: 'Spring sale on all sneakers', research_mode: 'regular', credits_used: 6, remaining_credits: 994 });
		expect(Object.keys(out.outputs as object).sort()).toEqual(['instagram', 'x', 'youtube']);
		const captions = out.captions as Array<Record<string, string>>;
		expect(captions.map((c) => c.platform).sort()).toEqual(['instagram', 'x', 'youtube']);
		const youtube = captions.find((c) => c.platform === 'youtube')!;
		expect(youtube).toEqual({ platform: 'youtube', caption: expect.stringContaining('Shop now'), title: 'Spring sale on all sneakers' });
		expect(captions.find((c) => c.platform === 'instagram')!.caption).toContain('Shop now');
		expect(generates()).toBe(1);
		expectNoSecrets(sb, r);
	});

	test('without waiting: outputs the submit response at once', async () => {
		const r = await generate({ prompt: 'Quick one', waitForCompletion: false });
		expect(r.status).toBe('success');
		expect(r.outputs[0][0].json).toEqual({
			generation_id: expect.any(String),
			status: 'processing',
			credits_used: 6,
			remaining_credits: 994,
			status_url: expect.stringMatching(/^\/api\/v1\/content\/generations\//),
		});
		expect(countRequests(sb, 'GET', /^\/content\/generations\//)).toBe(0);
	});

	test('images mode sends the image media ids (list or comma text); deep research and source URLs cost more', async () => {
		const [a, b] = [await uploadMedia(sb, 'image'), await uploadMedia(sb, 'image')];
		const r = await generate({
			inputMode: 'images',
			imageMediaIds: `${a}, ${b}`,
			prompt: '',
			researchMode: 'deep',
			additionalFields: { sourceUrls: 'https://example.com/a\nhttps://example.com/b' },
		});
		expect(r.status).toBe('success');
		expect(r.outputs[0][0].json).toMatchObject({ status: 'completed', research_mode: 'deep', credits_used: 8 + 2 + 2 });
		const generation = sb.state.generations.get(r.outputs[0][0].json.generation_id as string)!;
		expect(generation.media_ids).toEqual([a, b]);
		expect(generation.prompt).toBeNull();
		expect(generation.source_urls).toEqual(['https://example.com/a', 'https://example.com/b']);
	});

	test('remaining credits account for the refund of a failed URL scrape', async () => {
		const r = await generate({ prompt: 'Read this page', additionalFields: { sourceUrls: 'https://example.com/fail-scrape' } });
		expect(r.outputs[0][0].json).toMatchObject({ status: 'completed', credits_used: 6, remaining_credits: 994 });
		expect(sb.getCredits('full')).toBe(994);
	});

	test('video mode sends the one video id, with the prompt as context', async () => {
		const video = await uploadMedia(sb, 'video');
		const r = await generate({ inputMode: 'video', videoMediaId: video, prompt: 'Behind the scenes' });
		expect(r.status).toBe('success');
		expect(sb.state.generations.get(r.outputs[0][0].json.generation_id as string)!.media_ids).toEqual([video]);
	});

	test('a failed job is an error with its code and message', async () => {
		const r = await generate({ prompt: 'This will [fail] for sure' });
		const text = errorText(r);
		expect(text).toContain('GENERATION_FAILED');
		expect(text).toContain('Caption generation failed');
		expect(text).toMatch(/refunded/);
	});

	test('a failed job with Continue On Fail becomes an error item with the code; other items go on', async () => {
		const r = await generate(
			{ prompt: '={{ $json.prompt }}' },
			{ onError: 'continueRegularOutput', input: [{ json: { prompt: 'Will [fail]' } }, { json: { prompt: 'Will work' } }] },
		);
		expect(r.status).toBe('success');
		const [failed, ok] = r.outputs[0];
		expect(failed.json.error).toContain('[GENERATION_FAILED]');
		expect(failed.json.details).toMatchObject({ code: 'GENERATION_FAILED' });
		expect(failed.pairedItem).toEqual({ item: 0 });
		expect(ok.json).toMatchObject({ status: 'completed', prompt: 'Will work' });
	});

	test('the wait times out with a clear error when the job takes longer than the timeout', async () => {
		sb.timing.caption = 5000;
		try {
			const r = await generate({ prompt: 'Slow one', waitOptions: { pollInterval: 0.1, timeout: 0.5 } });
			const text = errorText(r);
			expect(text).toMatch(/Timed out after \d+ s waiting for caption generation/);
			expect(text).toContain('status processing');
		} finally {
			sb.timing.caption = 150;
		}
	});

	test('402 INSUFFICIENT_CREDITS with the no-credits key', async () => {
		const r = await generate({ prompt: 'No money' }, { credentials: credsFor(sb, sb.keys.noCredits) });
		const text = errorText(r);
		expect(text).toContain('INSUFFICIENT_CREDITS');
		expect(text).toMatch(/Buy credits/);
		expectNoSecrets(sb, r);
	});

	test('403 INSUFFICIENT_SCOPE with a read-only key names content:generate', async () => {
		const r = await generate({ prompt: 'Read only' }, { credentials: credsFor(sb, sb.keys.readOnly) });
		const text = errorText(r);
		expect(text).toContain('INSUFFICIENT_SCOPE');
		expect(text).toContain('content:generate');
	});

	test.each([
		['a prompt under 3 characters', { prompt: 'hi' }, /^Prompt: is too short/],
		['an empty prompt in text mode (expression)', { prompt: '={{ "" }}' }, /^Prompt: is required/],
		['a prompt over 2,000 characters', { prompt: 'x'.repeat(2001) }, /^Prompt: is too long/],
		['no post type (expression)', { prompt: 'Hello there', postTypes: '={{ [] }}' }, /^Post Types: has 0 entries/],
		['an unknown post type (expression)', { prompt: 'Hello there', postTypes: '={{ ["myspace-post"] }}' }, /^Post Types: "myspace-post" is not a supported value/],
		['a plain-HTTP source URL', { prompt: 'Hello there', additionalFields: { sourceUrls: 'http://example.com' } }, /^Source URLs: "http:\/\/example.com" is not an HTTPS URL/],
		['11 source URLs', { prompt: 'Hello there', additionalFields: { sourceUrls: Array.from({ length: 11 }, (_, i) => `https://e.com/${i}`).join(',') } }, /^Source URLs: has 11 entries/],
		['a CTA over 100 characters', { prompt: 'Hello there', additionalFields: { ctaText: 'x'.repeat(101) } }, /^CTA Text: is too long/],
		['11 image ids', { inputMode: 'images', imageMediaIds: Array.from({ length: 11 }, (_, i) => `m${i}`).join(',') }, /^Image Media IDs: has 11 entries/],
		['two video ids', { inputMode: 'video', videoMediaId: 'a,b' }, /^Video Media ID: has 2 entries/],
		['a zero poll interval', { prompt: 'Hello there', waitOptions: { pollInterval: 0 } }, /^Poll Interval \(Seconds\): /],
	])('%s fails before any request, naming the field', async (_name, parameters, message) => {
		expectRefusedBeforeSending(sb, await generate(parameters), message);
	});
});

describe('Caption → Get', () => {
	test('by ID: a completed generation with its captions', async () => {
		const id = await submitted('Morning coffee');
		await new Promise((resolve) => setTimeout(resolve, 200));
		const r = await caption('get', { generationId: byId(id) });
		expect(r.status).toBe('success');
		expect(r.outputs[0][0].json).toMatchObject({ generation_id: id, status: 'completed', captions: [{ platform: 'x', caption: expect.stringContaining('Morning coffee') }] });
	});

	test('from the list: a processing generation has no captions yet', async () => {
		const id = await submitted('Still cooking');
		const r = await caption('get', { generationId: fromList(id) });
		expect(r.outputs[0][0].json).toMatchObject({ generation_id: id, status: 'processing' });
		expect(r.outputs[0][0].json.captions).toBeUndefined();
	});

	test('a failed generation shows its error', async () => {
		const id = await submitted('Going to [fail]');
		await new Promise((resolve) => setTimeout(resolve, 200));
		const r = await caption('get', { generationId: byId(id) });
		expect(r.outputs[0][0].json).toMatchObject({ status: 'failed', error: { code: 'GENERATION_FAILED' } });
	});

	test('404 for an ID of another workspace', async () => {
		const id = await submitted('Secondary workspace', sb.workspaces.secondary);
		const r = await caption('get', { generationId: byId(id) });
		const text = errorText(r);
		expect(text).toContain('NOT_FOUND');
		expect(text).toMatch(/another workspace/);
	});

	test('an empty ID fails before any request', async () => {
		const r = await caption('get', { generationId: byId('  ') });
		expect(errorText(r)).toMatch(/^Generation: is required/);
		expect(sb.requests).toHaveLength(0);
	});

	test('read-only keys may read (content:read)', async () => {
		const id = await submitted('Readable');
		const r = await caption('get', { generationId: byId(id) }, { credentials: credsFor(sb, sb.keys.readOnly) });
		expect(r.status).toBe('success');
	});
});

describe('Caption → Get Many', () => {
	test('limit: returns that many, newest first, in one request of that page size', async () => {
		const ids = [];
		for (let i = 0; i < 5; i++) ids.push(await submitted(`Post ${i}`));
		const r = await caption('getMany', { returnAll: false, limit: 3 });
		expect(r.outputs[0].map((item) => item.json.prompt)).toEqual(['Post 4', 'Post 3', 'Post 2']);
		expect(sb.requests.filter((q) => q.path === '/content/generations').map((q) => q.query.limit)).toEqual(['3']);
	});

	test('return all walks every cursor page (105 generations, pages of 100)', async () => {
		sb.setCredits(2000);
		for (let i = 0; i < 105; i++) await submitted(`Bulk ${i}`);
		const r = await caption('getMany', { returnAll: true });
		expect(r.outputs[0]).toHaveLength(105);
		expect(new Set(r.outputs[0].map((item) => item.json.generation_id)).size).toBe(105);
		const pages = sb.requests.filter((q) => q.path === '/content/generations');
		expect(pages).toHaveLength(2);
		expect(pages[1].query.cursor).toBeTruthy();
	});

	test('status filter', async () => {
		await submitted('Will [fail]');
		await submitted('Fine');
		await new Promise((resolve) => setTimeout(resolve, 200));
		const r = await caption('getMany', { returnAll: true, filters: { status: 'failed' } });
		expect(r.outputs[0].map((item) => [item.json.prompt, item.json.status])).toEqual([['Will [fail]', 'failed']]);
	});

	test('403 for a key without content:read', async () => {
		const key = sb.keys.custom(['content:generate']);
		const r = await caption('getMany', { returnAll: true }, { credentials: credsFor(sb, key) });
		expect(errorText(r)).toContain('content:read');
	});
});

describe('generations list search', () => {
	test('lists the workspace\'s generations with readable names; filters by text; completed-only variant', async () => {
		// "done" completes by moving the sandbox clock past its job time; "running" gets a job time
		// no loaded machine reaches, so neither depends on wall-clock speed
		const done = await submitted('Lemonade stand opening');
		sb.clock.advance(60_000);
		const captionMs = sb.timing.caption;
		sb.timing.caption = 3_600_000;
		const running = await submitted('Brand new bakery').finally(() => (sb.timing.caption = captionMs));
		await submitted('Other workspace', sb.workspaces.secondary);

		const all = await runListSearch(sb, 'searchGenerations');
		expect(all.results.map((r) => r.value)).toEqual([running, done]);
		expect(all.results[0].name).toMatch(/^Brand new bakery · x · processing · \d{4}-\d\d-\d\d \d\d:\d\d$/);
		expect(all.paginationToken).toBeUndefined();

		const filtered = await runListSearch(sb, 'searchGenerations', { filter: 'lemon' });
		expect(filtered.results.map((r) => r.value)).toEqual([done]);

		const completed = await runListSearch(sb, 'searchCompletedGenerations');
		expect(completed.results.map((r) => r.value)).toEqual([done]);
		expect(sb.requests.at(-1)?.query).toMatchObject({ status: 'completed' });
	});

	test('pages through the cursor', async () => {
		sb.setCredits(2000);
		for (let i = 0; i < 101; i++) await submitted(`Bulk ${i}`);
		const first = await runListSearch(sb, 'searchGenerations');
		expect(first.results).toHaveLength(100);
		expect(first.paginationToken).toBeTruthy();
		const second = await runListSearch(sb, 'searchGenerations', { paginationToken: first.paginationToken as string });
		expect(second.results.map((r) => r.name)).toEqual([expect.stringContaining('Bulk 0')]);
	});
});
