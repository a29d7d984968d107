// Contract §7: Image → Generate / Get against the sandbox.
import { startSandbox, type Sandbox } from '../../sandbox/server';
import { runNode } from '../harness';
import { countRequests, credsFor, errorText, expectNoSecrets, expectRefusedBeforeSending, FAST_WAIT, uploadMedia } from './generation-helpers';
import { api } from './post-helpers';

let sb: Sandbox;
beforeAll(async () => {
	sb = await startSandbox({ tickMs: 0, rateLimit: false, timing: { caption: 100, image: 150, video: 300 } });
});
afterAll(async () => await sb.close());
beforeEach(() => sb.reset());

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function image(operation: string, parameters: Record<string, unknown>, extra: Partial<Parameters<typeof runNode>[0]> = {}) {
	return runNode({
		nodeType: 'powerPost',
		parameters: { resource: 'image', operation, ...parameters },
		credentials: credsFor(sb),
		...extra,
	});
}
const generate = (parameters: Record<string, unknown>, extra: Partial<Parameters<typeof runNode>[0]> = {}) =>
	image('generate', { waitOptions: FAST_WAIT, ...parameters }, extra);

async function completedCaption(postTypes: string[], workspace = sb.workspaces.primary): Promise<string> {
	const r = await api(sb, 'POST', '/content/generate', { prompt: 'Oat latte launch', post_types: postTypes, research_mode: 'regular' }, { workspace });
	await sleep(150);
	return r.body.generation_id;
}

describe('Image → Generate', () => {
	test('text mode, waiting: one item with the images and their media ids', async () => {
		const r = await generate({ prompt: 'Sneakers on a beach', quantity: 2, size: 'landscape', model: 'ideogram-3' });
		expect(r.status).toBe('success');
		expect(r.outputs[0]).toHaveLength(1);
		const out = r.outputs[0][0].json;
		expect(out).toMatchObject({ status: 'completed', size: 'landscape', quantity: 2, partial: false, remaining_credits: 1000 - 12 });
		const images = out.images as Array<Record<string, unknown>>;
		expect(images).toHaveLength(2);
		expect(images[0]).toMatchObject({ media_id: expect.any(String), url: expect.stringMatching(/^http/), width: 2048, height: 1152 });
		expect(out.media_ids).toEqual(images.map((i) => i.media_id));
		expect(sb.state.imageGenerations.get(out.image_generation_id as string)).toMatchObject({ model: 'ideogram-3', enhance_prompt: false });
		expectNoSecrets(sb, r);
	});

	test('without waiting: the submit response', async () => {
		const r = await generate({ prompt: 'Coffee', waitForCompletion: false });
		expect(r.outputs[0][0].json).toEqual({
			image_generation_id: expect.any(String),
			status: 'processing',
			credits_used: 5,
			remaining_credits: 995,
			status_url: expect.stringContaining('/api/v1/images/generations/'),
		});
		expect(countRequests(sb, 'GET', /^\/images\/generations\//)).toBe(0);
	});

	test('reference mode sends the style images; enhance prompt is passed on', async () => {
		const [a, b] = [await uploadMedia(sb, 'image'), await uploadMedia(sb, 'image')];
		const r = await generate({ mode: 'reference', prompt: 'Same style, autumn', styleImages: `${a},${b}`, enhancePrompt: true });
		expect(r.status).toBe('success');
		expect(sb.state.imageGenerations.get(r.outputs[0][0].json.image_generation_id as string)).toMatchObject({
			style_images: [a, b],
			enhance_prompt: true,
		});
	});

	test('post mode illustrates a completed caption generation picked from the list, for one post type', async () => {
		const generation = await completedCaption(['instagram-feed', 'x-post']);
		const r = await generate({ mode: 'post', generationId: { __rl: true, mode: 'list', value: generation }, sourcePostType: 'x-post' });
		expect(r.status).toBe('success');
		expect(sb.state.imageGenerations.get(r.outputs[0][0].json.image_generation_id as string)).toMatchObject({
			generation_id: generation,
			source_post_type: 'x-post',
			prompt: null,
		});
	});

	test('post mode with a generation of another workspace: PowerPost\'s validation error is shown', async () => {
		const generation = await completedCaption(['x-post'], sb.workspaces.secondary);
		const r = await generate({ mode: 'post', generationId: { __rl: true, mode: 'id', value: generation } });
		const text = errorText(r);
		expect(text).toContain('VALIDATION_ERROR');
		expect(text).toContain('was not found in this workspace');
	});

	test('a partial failure outputs the images that succeeded, flagged, not an error', async () => {
		const r = await generate({ prompt: 'Three cats [partial]', quantity: 3 });
		expect(r.status).toBe('success');
		const out = r.outputs[0][0].json;
		expect(out).toMatchObject({
			status: 'failed',
			partial: true,
			error: { code: 'IMAGE_GENERATION_FAILED', message: expect.stringContaining('1 of 3') },
		});
		expect(out.images).toHaveLength(2);
		expect(out.media_ids).toHaveLength(2);
		// the GET carries no credits_used, so a balance that a refund changed is not guessed
		expect(out.remaining_credits).toBeUndefined();
		expect(sb.getCredits('full')).toBe(1000 - 10);
	});

	test('a total failure is an error with the job\'s code', async () => {
		const r = await generate({ prompt: 'Nothing [fail]', quantity: 2 });
		const text = errorText(r);
		expect(text).toContain('IMAGE_GENERATION_FAILED');
		expect(text).toContain('image generation');
	});

	test('402 INSUFFICIENT_CREDITS with the no-credits key', async () => {
		const r = await generate({ prompt: 'Broke' }, { credentials: credsFor(sb, sb.keys.noCredits) });
		expect(errorText(r)).toContain('INSUFFICIENT_CREDITS');
		expectNoSecrets(sb, r);
	});

	test('403 INSUFFICIENT_SCOPE with a read-only key names images:generate', async () => {
		const r = await generate({ prompt: 'Read only' }, { credentials: credsFor(sb, sb.keys.readOnly) });
		const text = errorText(r);
		expect(text).toContain('INSUFFICIENT_SCOPE');
		expect(text).toContain('images:generate');
	});

	test.each([
		['GPT Image 2 with the Feed size', { prompt: 'x', model: 'gpt-image-2', size: 'feed' }, /^Size: "feed" is not available with the model GPT Image 2 \(gpt-image-2\)/, /square, portrait, landscape/],
		['quantity 5', { prompt: 'x', quantity: 5 }, /^Quantity: 5 is too large/, /1 to 4/],
		['quantity 0', { prompt: 'x', quantity: 0 }, /^Quantity: 0 is too small/, /1 to 4/],
		['an unknown model (expression)', { prompt: 'x', model: '={{ "dall-e" }}' }, /^Model: "dall-e" is not a supported value/, /flux2-flex/],
		['a prompt over 2,000 characters', { prompt: 'x'.repeat(2001) }, /^Prompt: is too long/, /2000/],
		['an empty prompt in text mode', { prompt: '={{ "" }}' }, /^Prompt: is required/, /./],
		['5 style images', { mode: 'reference', prompt: 'x', styleImages: 'a,b,c,d,e' }, /^Style Image Media IDs: has 5 entries/, /1 to 4/],
		['post mode without a generation', { mode: 'post', generationId: { __rl: true, mode: 'id', value: '={{ "" }}' } }, /^Generation: is required/, /./],
	])('%s fails before any request', async (_name, parameters, message, allowed) => {
		expectRefusedBeforeSending(sb, await generate(parameters), message, allowed);
	});
});

describe('Image → Get', () => {
	async function started(prompt: string, quantity = 1, workspace = sb.workspaces.primary): Promise<string> {
		const r = await api(sb, 'POST', '/images/generate', { prompt, quantity }, { workspace });
		return r.body.image_generation_id;
	}

	test('a processing then completed generation', async () => {
		const id = await started('Sunset', 2);
		const first = await image('get', { imageGenerationId: id });
		expect(first.outputs[0][0].json).toMatchObject({ image_generation_id: id, status: 'processing', images: [], media_ids: [] });
		await sleep(200);
		const second = await image('get', { imageGenerationId: id });
		expect(second.outputs[0][0].json).toMatchObject({ status: 'completed', partial: false });
		expect(second.outputs[0][0].json.media_ids).toHaveLength(2);
	});

	test('a partial generation is flagged', async () => {
		const id = await started('Two [partial]', 2);
		await sleep(200);
		const r = await image('get', { imageGenerationId: id });
		expect(r.outputs[0][0].json).toMatchObject({ status: 'failed', partial: true, media_ids: [expect.any(String)] });
	});

	test('404 for an ID of another workspace', async () => {
		const id = await started('Elsewhere', 1, sb.workspaces.secondary);
		const r = await image('get', { imageGenerationId: id });
		expect(errorText(r)).toContain('NOT_FOUND');
	});

	test('403 for a key without images:read', async () => {
		const id = await started('Scoped');
		const r = await image('get', { imageGenerationId: id }, { credentials: credsFor(sb, sb.keys.custom(['images:generate'])) });
		expect(errorText(r)).toContain('images:read');
	});
});
