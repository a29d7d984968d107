// Contract §8: Video → Generate / Get against the sandbox, including cancelling a long wait.
import { startSandbox, type Sandbox } from '../../sandbox/server';
import { runNode } from '../harness';
import { countRequests, credsFor, errorText, expectNoSecrets, expectRefusedBeforeSending, FAST_WAIT, uploadMedia } from './generation-helpers';
import { api } from './post-helpers';

let sb: Sandbox;
beforeAll(async () => {
	sb = await startSandbox({ tickMs: 0, rateLimit: false, timing: { caption: 100, image: 100, video: 250 } });
});
afterAll(async () => await sb.close());
beforeEach(() => sb.reset());

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const polls = () => countRequests(sb, 'GET', /^\/videos\/generations\//);

function video(operation: string, parameters: Record<string, unknown>, extra: Partial<Parameters<typeof runNode>[0]> = {}) {
	return runNode({
		nodeType: 'powerPost',
		parameters: { resource: 'video', operation, ...parameters },
		credentials: credsFor(sb),
		...extra,
	});
}
const generate = (parameters: Record<string, unknown>, extra: Partial<Parameters<typeof runNode>[0]> = {}) =>
	video('generate', { waitOptions: FAST_WAIT, ...parameters }, extra);

describe('Video → Generate', () => {
	test('waiting: the completed generation with the video\'s media id at the top', async () => {
		const r = await generate({ prompt: 'Aerial coast at sunrise', model: 'veo-3.1', duration: 8, size: 'portrait', hasAudio: true });
		expect(r.status).toBe('success');
		const out = r.outputs[0][0].json;
		expect(out).toMatchObject({
			status: 'completed',
			model: 'veo-3.1',
			duration: 8,
			size: 'portrait',
			has_audio: true,
			video: { media_id: expect.any(String), url: expect.stringMatching(/^http/), width: 1080, height: 1920 },
			remaining_credits: 1000 - 8 * (8 + 4),
		});
		expect(out.media_id).toBe((out.video as { media_id: string }).media_id);
		expectNoSecrets(sb, r);
	});

	test('without waiting: the submit response', async () => {
		const r = await generate({ prompt: 'Quick', waitForCompletion: false });
		expect(r.outputs[0][0].json).toEqual({
			video_generation_id: expect.any(String),
			status: 'processing',
			credits_used: 20,
			remaining_credits: 980,
			status_url: expect.stringContaining('/api/v1/videos/generations/'),
		});
		expect(polls()).toBe(0);
	});

	test('image-to-video sends the source image; enhance prompt passed on', async () => {
		const source = await uploadMedia(sb, 'image');
		const r = await generate({ prompt: 'Make it move', model: 'runway-gen-4.5', duration: 10, additionalFields: { sourceImage: source, enhancePrompt: true } });
		expect(r.status).toBe('success');
		expect(sb.state.videoGenerations.get(r.outputs[0][0].json.video_generation_id as string)).toMatchObject({
			source_image: source,
			enhance_prompt: true,
			has_audio: false,
			duration: 10,
		});
	});

	test('a failed job is an error with VIDEO_GENERATION_FAILED', async () => {
		const r = await generate({ prompt: 'Boom [fail]' });
		const text = errorText(r);
		expect(text).toContain('VIDEO_GENERATION_FAILED');
		expect(text).toContain('video generation');
	});

	test('cancelling the execution stops the wait: no poll after the cancel', async () => {
		sb.timing.video = 60_000;
		try {
			const started = Date.now();
			const r = await generate({ prompt: 'Very long render', waitOptions: { pollInterval: 0.1, timeout: 1200 } }, { abortAfterMs: 400 });
			expect(r.status).toBe('canceled');
			expect(Date.now() - started).toBeLessThan(3000);
			expect(countRequests(sb, 'POST', '/videos/generate')).toBe(1);
			const after = polls();
			expect(after).toBeGreaterThan(0);
			await sleep(500);
			expect(polls()).toBe(after);
		} finally {
			sb.timing.video = 250;
		}
	});

	test('the wait times out with a clear error', async () => {
		sb.timing.video = 60_000;
		try {
			const r = await generate({ prompt: 'Too long', waitOptions: { pollInterval: 0.1, timeout: 0.4 } });
			expect(errorText(r)).toMatch(/Timed out after \d+ s waiting for video generation .* \(status processing\)/);
		} finally {
			sb.timing.video = 250;
		}
	});

	test('402 INSUFFICIENT_CREDITS with the no-credits key', async () => {
		const r = await generate({ prompt: 'Broke' }, { credentials: credsFor(sb, sb.keys.noCredits) });
		expect(errorText(r)).toContain('INSUFFICIENT_CREDITS');
		expectNoSecrets(sb, r);
	});

	test('403 INSUFFICIENT_SCOPE with a read-only key names videos:generate', async () => {
		const r = await generate({ prompt: 'Read only' }, { credentials: credsFor(sb, sb.keys.readOnly) });
		const text = errorText(r);
		expect(text).toContain('INSUFFICIENT_SCOPE');
		expect(text).toContain('videos:generate');
	});

	test.each([
		['Veo with 5 seconds', { prompt: 'x', model: 'veo-3.1', duration: 5 }, /^Duration \(Seconds\): 5 is not allowed here/, /Allowed: 4, 8/],
		['Kling with 8 seconds', { prompt: 'x', model: 'kling-3.0-pro', duration: 8 }, /^Duration \(Seconds\): 8 is not allowed/, /Allowed: 5, 10/],
		['Runway with audio', { prompt: 'x', model: 'runway-gen-4.5', duration: 5, hasAudio: true }, /^With Audio: Runway Gen-4.5 \(runway-gen-4.5\) makes videos without sound/, /Kling 3.0 Pro or Google Veo 3.1/],
		['Runway with a 1,001-character prompt', { prompt: 'x'.repeat(1001), model: 'runway-gen-4.5' }, /^Prompt: is too long \(1001/, /at most 1000 characters/],
		['Kling with a 2,501-character prompt', { prompt: 'x'.repeat(2501) }, /^Prompt: is too long \(2501/, /at most 2500 characters/],
		['an empty prompt', { prompt: '={{ "" }}' }, /^Prompt: is required/, /./],
		['a size that does not exist', { prompt: 'x', size: '={{ "square" }}' }, /^Size: "square" is not a supported value/, /landscape, portrait/],
	])('%s fails before any request', async (_name, parameters, message, allowed) => {
		expectRefusedBeforeSending(sb, await generate(parameters), message, allowed);
	});

	test('Veo accepts 3,000 characters', async () => {
		const r = await generate({ prompt: 'y'.repeat(3000), model: 'veo-3.1', duration: 4, waitForCompletion: false });
		expect(r.status).toBe('success');
	});
});

describe('Video → Get', () => {
	async function started(workspace = sb.workspaces.primary): Promise<string> {
		const r = await api(sb, 'POST', '/videos/generate', { prompt: 'Clip', duration: 5 }, { workspace });
		return r.body.video_generation_id;
	}

	test('processing, then completed with the media id', async () => {
		const id = await started();
		const first = await video('get', { videoGenerationId: id });
		expect(first.outputs[0][0].json).toMatchObject({ video_generation_id: id, status: 'processing' });
		expect(first.outputs[0][0].json.media_id).toBeUndefined();
		await sleep(300);
		const second = await video('get', { videoGenerationId: id });
		expect(second.outputs[0][0].json).toMatchObject({ status: 'completed', media_id: expect.any(String) });
	});

	test('404 for an ID of another workspace', async () => {
		const id = await started(sb.workspaces.secondary);
		expect(errorText(await video('get', { videoGenerationId: id }))).toContain('NOT_FOUND');
	});

	test('an ID with a slash stays one path segment', async () => {
		const r = await video('get', { videoGenerationId: 'a/../../account/credits' });
		expect(errorText(r)).toContain('NOT_FOUND');
		expect(sb.requests.at(-1)?.path).toMatch(/^\/videos\/generations\//);
	});
});
