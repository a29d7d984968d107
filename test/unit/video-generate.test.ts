// Unit: Video request body and outputs (contract §8).
import type { INode } from 'n8n-workflow';

import { buildVideoBody } from '../../nodes/PowerPost/actions/video/generate.operation';
import { videoOutput } from '../../nodes/PowerPost/actions/video/videos';
import { Checker } from '../../nodes/shared/validation';

const node: INode = { id: '1', name: 'PowerPost', type: 'powerPost', typeVersion: 1, position: [0, 0], parameters: {} };
const check = () => new Checker(node, 0);

function failure(run: () => unknown): string {
	try {
		run();
	} catch (error) {
		return `${(error as Error).message}\n${(error as { description?: string }).description ?? ''}`;
	}
	return 'did not fail';
}

describe('video body', () => {
	const base = { prompt: 'Waves', model: 'kling-3.0-pro', duration: 5, size: 'landscape', hasAudio: false, additionalFields: {} };

	test('each model with each of its durations', () => {
		for (const [model, durations] of [['kling-3.0-pro', [5, 10]], ['veo-3.1', [4, 8]], ['runway-gen-4.5', [5, 10]]] as const) {
			for (const duration of durations) expect(buildVideoBody(check(), { ...base, model, duration }).duration).toBe(duration);
		}
	});

	test('full body', () => {
		expect(buildVideoBody(check(), { ...base, hasAudio: true, additionalFields: { sourceImage: 'img', enhancePrompt: true } })).toEqual({
			prompt: 'Waves',
			model: 'kling-3.0-pro',
			duration: 5,
			size: 'landscape',
			has_audio: true,
			enhance_prompt: true,
			source_image: 'img',
		});
	});

	test.each([
		[{ model: 'veo-3.1', duration: 10 }, /Allowed: 4, 8/],
		[{ duration: 4 }, /Allowed: 5, 10/],
		[{ duration: '5s' }, /^Duration \(Seconds\): "5s" is not a whole number/],
		[{ model: 'runway-gen-4.5', hasAudio: true }, /^With Audio: /],
		[{ model: 'sora' }, /^Model: "sora"/],
		[{ prompt: 'x'.repeat(2501) }, /^Prompt: is too long/],
		[{ model: 'veo-3.1', duration: 4, prompt: 'x'.repeat(3001) }, /at most 3000 characters/],
	])('%o is refused', (change, message) => {
		expect(failure(() => buildVideoBody(check(), { ...base, ...change }))).toMatch(message);
	});

	test('output puts the video media id at the top', () => {
		expect(videoOutput({ status: 'completed', video: { media_id: 'v1' } }).media_id).toBe('v1');
		expect(videoOutput({ status: 'processing' }).media_id).toBeUndefined();
	});
});
