// Unit: Caption request body and outputs (contract §6), and the job helpers shared by the generations.
import type { INode } from 'n8n-workflow';

import { flattenOutputs, withCaptions } from '../../nodes/PowerPost/actions/caption/captions';
import { buildCaptionBody } from '../../nodes/PowerPost/actions/caption/generate.operation';
import { POST_TYPES, POST_TYPE_OPTIONS } from '../../nodes/PowerPost/actions/caption/postTypes';
import { isFinalStatus, jobError, withRemainingCredits } from '../../nodes/PowerPost/actions/jobs';
import { Checker } from '../../nodes/shared/validation';

const node: INode = { id: '1', name: 'PowerPost', type: 'powerPost', typeVersion: 1, position: [0, 0], parameters: {} };
const check = () => new Checker(node, 0);

describe('post types', () => {
	test('the 12 post types of §4, as options', () => {
		expect(POST_TYPES).toHaveLength(12);
		expect(POST_TYPE_OPTIONS.map((o) => o.value).sort()).toEqual([...POST_TYPES].sort());
	});
});

describe('caption body', () => {
	const base = { inputMode: 'text', prompt: ' Spring sale ', imageMediaIds: undefined, videoMediaId: undefined, postTypes: ['x-post'], researchMode: 'regular', additionalFields: {} };

	test('text mode: trimmed prompt, no media ids, optional fields left out', () => {
		expect(buildCaptionBody(check(), base)).toEqual({ prompt: 'Spring sale', post_types: ['x-post'], research_mode: 'regular' });
	});

	test('images and video modes; prompt optional there', () => {
		expect(buildCaptionBody(check(), { ...base, inputMode: 'images', prompt: '', imageMediaIds: ['a', 'b', 'a'] })).toEqual({
			media_ids: ['a', 'b'],
			post_types: ['x-post'],
			research_mode: 'regular',
		});
		expect(buildCaptionBody(check(), { ...base, inputMode: 'video', videoMediaId: 'v1' }).media_ids).toEqual(['v1']);
	});

	test('additional fields', () => {
		const body = buildCaptionBody(check(), {
			...base,
			additionalFields: { ctaText: 'Buy', writingStyleId: 'ws1', sourceUrls: 'https://a.com/x, https://b.org' },
		});
		expect(body).toMatchObject({ cta_text: 'Buy', writing_style_id: 'ws1', source_urls: ['https://a.com/x', 'https://b.org'] });
	});

	test.each([
		[{ prompt: 'ab' }, /^Prompt: is too short/],
		[{ inputMode: 'images', prompt: 'ab', imageMediaIds: 'a' }, /^Prompt: is too short/],
		[{ inputMode: 'images', imageMediaIds: '' }, /^Image Media IDs: has 0 entries/],
		[{ inputMode: 'audio' }, /^Input Mode: "audio"/],
		[{ postTypes: ['x-post', 'tiktok'] }, /^Post Types: "tiktok" is not a supported value/],
		[{ researchMode: 'shallow' }, /^Research Mode: "shallow"/],
		[{ additionalFields: { sourceUrls: 'ftp://a.com' } }, /^Source URLs: "ftp:\/\/a.com" is not an HTTPS URL/],
		[{ additionalFields: { sourceUrls: 'https://' } }, /^Source URLs: "https:\/\/" is not an HTTPS URL/],
	])('%o is refused', (change, message) => {
		expect(() => buildCaptionBody(check(), { ...base, ...change })).toThrow(message);
	});

	test('outputs flattened, YouTube with its title', () => {
		expect(flattenOutputs({ x: 'Hi #x', youtube: { title: 'T', description: 'D' }, odd: 3 })).toEqual([
			{ platform: 'x', caption: 'Hi #x' },
			{ platform: 'youtube', caption: 'D', title: 'T' },
		]);
		expect(flattenOutputs(undefined)).toEqual([]);
		expect(withCaptions({ status: 'processing' })).toEqual({ status: 'processing' });
		expect(withCaptions({ outputs: { linkedin: 'L' } }).captions).toEqual([{ platform: 'linkedin', caption: 'L' }]);
	});
});

describe('jobs', () => {
	test('final states', () => {
		expect(['pending', 'processing', 'completed', 'failed'].map((status) => isFinalStatus({ status }))).toEqual([false, false, true, true]);
	});

	test('job error', () => {
		expect(jobError({ error: { code: 'X', message: 'm' } })).toEqual({ code: 'X', message: 'm' });
		expect(jobError({ error: 'weird' })).toEqual({});
	});

	test('remaining credits after refunds', () => {
		expect(withRemainingCredits({}, { remaining_credits: 90, credits_used: 10 }, { status: 'completed', credits_used: 10 })).toEqual({ remaining_credits: 90 });
		expect(withRemainingCredits({}, { remaining_credits: 90, credits_used: 10 }, { status: 'completed', credits_used: 7 })).toEqual({ remaining_credits: 93 });
		expect(withRemainingCredits({}, { remaining_credits: 90, credits_used: 10 }, { status: 'completed' })).toEqual({ remaining_credits: 90 });
		expect(withRemainingCredits({}, { remaining_credits: 90, credits_used: 10 }, { status: 'failed' })).toEqual({});
	});
});
