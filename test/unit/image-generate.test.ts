// Unit: Image request body and outputs (contract §7).
import type { INode } from 'n8n-workflow';

import { buildImageBody } from '../../nodes/PowerPost/actions/image/generate.operation';
import { failedWithoutImages, imageOutput } from '../../nodes/PowerPost/actions/image/images';
import { Checker } from '../../nodes/shared/validation';

const node: INode = { id: '1', name: 'PowerPost', type: 'powerPost', typeVersion: 1, position: [0, 0], parameters: {} };
const check = () => new Checker(node, 0);

describe('image body', () => {
	const base = { mode: 'text', prompt: 'Cats', model: 'flux2-flex', size: 'square', quantity: 1, enhancePrompt: false };

	test('text, reference and post modes', () => {
		expect(buildImageBody(check(), base)).toEqual({ prompt: 'Cats', model: 'flux2-flex', size: 'square', quantity: 1, enhance_prompt: false });
		expect(buildImageBody(check(), { ...base, mode: 'reference', styleImages: 'a,b' }).style_images).toEqual(['a', 'b']);
		expect(buildImageBody(check(), { ...base, mode: 'post', prompt: '', generationId: 'g1', sourcePostType: 'x-post' })).toEqual({
			generation_id: 'g1',
			source_post_type: 'x-post',
			model: 'flux2-flex',
			size: 'square',
			quantity: 1,
			enhance_prompt: false,
		});
	});

	test('every model with every size it supports; gpt-image-2 without feed', () => {
		for (const model of ['flux2-flex', 'ideogram-3', 'nano-banana-2']) {
			for (const size of ['square', 'feed', 'portrait', 'landscape']) expect(buildImageBody(check(), { ...base, model, size }).size).toBe(size);
		}
		expect(() => buildImageBody(check(), { ...base, model: 'gpt-image-2', size: 'feed' })).toThrow(/^Size: "feed" is not available/);
		expect(buildImageBody(check(), { ...base, model: 'gpt-image-2', size: 'portrait' }).model).toBe('gpt-image-2');
	});

	test('quantity as text from an expression', () => {
		expect(buildImageBody(check(), { ...base, quantity: '4' }).quantity).toBe(4);
		expect(() => buildImageBody(check(), { ...base, quantity: 2.5 })).toThrow(/^Quantity: 2.5 is not a whole number/);
	});

	test('a prompt is required outside post mode, optional in it', () => {
		expect(() => buildImageBody(check(), { ...base, prompt: ' ' })).toThrow(/^Prompt: is required/);
		expect(() => buildImageBody(check(), { ...base, mode: 'post', prompt: '', generationId: '' })).toThrow(/^Generation: is required/);
		expect(() => buildImageBody(check(), { ...base, mode: 'post', generationId: 'g', sourcePostType: 'myspace' })).toThrow(/^Source Post Type: "myspace"/);
	});

	test('outputs: completed, partial, failed', () => {
		const images = [{ media_id: 'm1' }, { media_id: 'm2' }];
		expect(imageOutput({ status: 'completed', images })).toMatchObject({ media_ids: ['m1', 'm2'], partial: false });
		expect(imageOutput({ status: 'failed', images: [images[0]], error: { code: 'E', message: 'one failed' } })).toMatchObject({
			media_ids: ['m1'],
			partial: true,
			error: { code: 'E', message: 'one failed' },
		});
		expect(imageOutput({ status: 'processing' })).toEqual({ status: 'processing', images: [], media_ids: [] });
		expect(failedWithoutImages({ status: 'failed', images: [] })).toBe(true);
		expect(failedWithoutImages({ status: 'failed', images })).toBe(false);
	});
});
