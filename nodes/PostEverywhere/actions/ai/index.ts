import type { IDataObject, IExecuteFunctions, INodeProperties, NodeApiError } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { attempt } from '../../../shared/actOnce';
import type { HttpCall } from '../../../shared/http';
import { failureOf } from '../../../shared/http';
import type { Unknown } from '../lostAnswer';
import { sendOnce } from '../lostAnswer';

import type { Operation, OperationResult, Resource } from '../../../shared/router';
import { Checker } from '../../../shared/validation';
import { peRequest } from '../../transport';

/**
 * Contract §7 (needs the key's `ai` scope): `POST /ai/generate-image` (synchronous, the image lands
 * in the media library) and `POST /ai/generate-caption` (1–5 captions). Both cost AI credits and
 * are never resent after a lost answer.
 */
const ASPECT_RATIOS = ['1:1', '16:9', '9:16', '4:3', '3:4', '4:5', '5:4'] as const;
const MODELS = ['nano-banana-pro', 'ideogram-v2', 'gemini-3-pro', 'flux-schnell'] as const;
const CAPTION_PLATFORMS = ['instagram', 'facebook', 'x', 'linkedin', 'youtube', 'tiktok', 'threads', 'pinterest', 'bluesky'] as const;
const TONES = ['professional', 'casual', 'witty', 'enthusiastic', 'urgent', 'inspirational'] as const;
const LENGTHS = ['short', 'medium', 'long'] as const;

const option = (value: string, name = value) => ({ name, value });

/** The scopes `GET /me` reports (`scopes`, or `api_key.scopes`), or undefined when it shows none. */
export function scopesOf(me: IDataObject): string[] | undefined {
	const apiKey = me.api_key && typeof me.api_key === 'object' ? (me.api_key as IDataObject) : {};
	const scopes = Array.isArray(me.scopes) ? me.scopes : Array.isArray(apiKey.scopes) ? apiKey.scopes : undefined;
	return scopes?.map(String);
}

/**
 * An AI call. A refusal (401, or 403 per the Python SDK, §15.9) is told apart with `GET /me`: a key
 * that works there but lacks the `ai` scope gets "enable the ai scope"; a key refused there too is
 * a bad key, which the refusal already says.
 */
async function aiRequest(ctx: IExecuteFunctions, call: HttpCall, unknown: Unknown): Promise<IDataObject> {
	const first = await attempt(async () => await sendOnce(ctx, call, unknown));
	if ('value' in first) return first.value;
	const status = failureOf(first.error)?.status;
	if (status !== 401 && status !== 403) throw first.error;
	const me = await attempt(async () => await peRequest(ctx, { method: 'GET', path: '/me', itemIndex: call.itemIndex }));
	const scopes = 'value' in me ? scopesOf(me.value) : undefined;
	if (!scopes || scopes.includes('ai')) throw first.error;
	const error = first.error as NodeApiError;
	error.message = `PostEverywhere: the API key lacks the "ai" scope (${call.method} ${call.path} answered ${status}); its scopes are ${scopes.join(', ') || 'none'}`;
	error.description =
		'Enable the "ai" scope: create an API key with AI access in PostEverywhere → Settings → Developers and use it in the credential. The key works for posts, accounts and media as it is.';
	throw error;
}

const generateImage: Operation = {
	description: updateDisplayOptions({ show: { resource: ['ai'], operation: ['generateImage'] } }, [
		{ displayName: 'Prompt', name: 'prompt', type: 'string', typeOptions: { rows: 3 }, default: '', required: true, description: 'What the image shows (at most 2,000 characters)' },
		{
			displayName: 'Model',
			name: 'model',
			type: 'options',
			default: 'gemini-3-pro',
			options: [
				option('flux-schnell', 'Flux Schnell (1 Credit)'),
				option('gemini-3-pro', 'Gemini 3 Pro (5 Credits)'),
				option('ideogram-v2', 'Ideogram V2 (8 Credits)'),
				option('nano-banana-pro', 'Nano Banana Pro (15 Credits)'),
			],
			description: 'Image model; always sent, since the documented defaults disagree',
		},
		{ displayName: 'Aspect Ratio', name: 'aspectRatio', type: 'options', default: '1:1', options: ASPECT_RATIOS.map((ratio) => option(ratio)) },
	] as INodeProperties[]),
	async execute(this: IExecuteFunctions, itemIndex: number): Promise<OperationResult> {
		const check = new Checker(this.getNode(), itemIndex);
		const body = {
			prompt: check.requiredText('Prompt', this.getNodeParameter('prompt', itemIndex, ''), { max: 2000 }),
			model: check.oneOf('Model', this.getNodeParameter('model', itemIndex, 'gemini-3-pro'), MODELS),
			aspect_ratio: check.oneOf('Aspect Ratio', this.getNodeParameter('aspectRatio', itemIndex, '1:1'), ASPECT_RATIOS),
		};
		return await aiRequest(this, { method: 'POST', path: '/ai/generate-image', body, itemIndex, timeoutMs: 120_000 }, {
			what: 'Generate Image',
			check: 'Check Media → Get Many (newest first) for a new image, and API Key → Get for the AI credits used: if credits went, the image was made.',
		});
	},
};

const generateCaption: Operation = {
	description: updateDisplayOptions({ show: { resource: ['ai'], operation: ['generateCaption'] } }, [
		{ displayName: 'Topic', name: 'topic', type: 'string', typeOptions: { rows: 3 }, default: '', required: true, description: 'What the caption is about (at most 1,000 characters)' },
		{
			displayName: 'Options',
			name: 'options',
			type: 'collection',
			placeholder: 'Add Option',
			default: {},
			options: [
				{ displayName: 'Count', name: 'count', type: 'number', typeOptions: { minValue: 1, maxValue: 5 }, default: 1, description: 'How many captions (1 credit each)' },
				{ displayName: 'Include Emojis', name: 'includeEmojis', type: 'boolean', default: true, description: 'Whether to use emojis' },
				{ displayName: 'Include Hashtags', name: 'includeHashtags', type: 'boolean', default: true, description: 'Whether to add hashtags' },
				{ displayName: 'Length', name: 'length', type: 'options', default: 'medium', options: [option('long', 'Long (~400)'), option('medium', 'Medium (~180)'), option('short', 'Short (~80)')] },
				{ displayName: 'Platform', name: 'platform', type: 'options', default: 'instagram', options: CAPTION_PLATFORMS.map((value) => option(value, value[0].toUpperCase() + value.slice(1))) },
				{ displayName: 'Tone', name: 'tone', type: 'options', default: 'professional', options: TONES.map((value) => option(value, value[0].toUpperCase() + value.slice(1))) },
			],
		},
	] as INodeProperties[]),
	async execute(this: IExecuteFunctions, itemIndex: number): Promise<OperationResult> {
		const check = new Checker(this.getNode(), itemIndex);
		const options = this.getNodeParameter('options', itemIndex, {}) as Record<string, unknown>;
		const body: Record<string, unknown> = { topic: check.requiredText('Topic', this.getNodeParameter('topic', itemIndex, ''), { max: 1000 }) };
		if (options.platform !== undefined) body.platform = check.oneOf('Platform', options.platform, CAPTION_PLATFORMS);
		if (options.tone !== undefined) body.tone = check.oneOf('Tone', options.tone, TONES);
		if (options.length !== undefined) body.length = check.oneOf('Length', options.length, LENGTHS);
		if (options.includeHashtags !== undefined) body.include_hashtags = check.boolean('Include Hashtags', options.includeHashtags);
		if (options.includeEmojis !== undefined) body.include_emojis = check.boolean('Include Emojis', options.includeEmojis);
		if (options.count !== undefined) body.count = check.integer('Count', options.count, { min: 1, max: 5 });
		return await aiRequest(this, { method: 'POST', path: '/ai/generate-caption', body: body as never, itemIndex, timeoutMs: 120_000 }, {
			what: 'Generate Caption',
			check: 'Check API Key → Get: AI credits used since mean the captions were made, but they were in the lost answer and are not stored; running it again costs credits again.',
		});
	},
};

export const ai: Resource = {
	description: [
		{
			displayName: 'Operation',
			name: 'operation',
			type: 'options',
			noDataExpression: true,
			displayOptions: { show: { resource: ['ai'] } },
			options: [
				{ name: 'Generate Caption', value: 'generateCaption', description: 'Write 1–5 captions for a topic and platform (needs the ai scope; 1 credit each). Docs: https://developers.posteverywhere.ai/api.', action: 'Generate captions' },
				{ name: 'Generate Image', value: 'generateImage', description: 'Create an image from a prompt into the media library (needs the ai scope; 1–15 credits). Docs: https://developers.posteverywhere.ai/api.', action: 'Generate an image' },
			],
			default: 'generateCaption',
		},
		...generateCaption.description,
		...generateImage.description,
	],
	operations: { generateCaption, generateImage },
};
