import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { Checker } from '../../../shared/validation';
import { generationLocator } from '../caption/generationLocator';
import { POST_TYPE_OPTIONS, POST_TYPES } from '../caption/postTypes';
import type { WaitDefaults } from '../jobs';
import { readWaitSettings, runGeneration, waitProperties } from '../jobs';
import type { OperationResult } from '../../../shared/router';
import { failedWithoutImages, imageOutput } from './images';
import { IMAGE_MODELS, IMAGE_MODEL_IDS, IMAGE_MODES, IMAGE_SIZES } from './models';
import type { ImageModel } from './models';

/** Contract §7.1: `POST /images/generate`, then optionally poll `GET /images/generations/{id}` (§7.2). */
const show = { resource: ['image'], operation: ['generate'] };

const WAIT: WaitDefaults = {
	resource: 'image',
	operation: 'generate',
	intervalSeconds: 3,
	timeoutSeconds: 180,
	noun: 'the images',
};

export const description: INodeProperties[] = [
	{
		displayName: 'Mode',
		name: 'mode',
		type: 'options',
		default: 'text',
		displayOptions: { show },
		options: [
			{ name: 'From Prompt', value: 'text', description: 'Create images from a text prompt' },
			{ name: 'With Style Images', value: 'reference', description: 'Create images from a prompt in the style of up to 4 uploaded images' },
			{ name: 'For a Caption Generation', value: 'post', description: 'Illustrate the captions of a completed caption generation' },
		],
	},
	{
		displayName: 'Prompt',
		name: 'prompt',
		type: 'string',
		typeOptions: { rows: 4 },
		default: '',
		required: true,
		displayOptions: { show: { ...show, mode: ['text', 'reference'] } },
		placeholder: 'e.g. A pair of white sneakers on a sunny beach, product photo',
		description: 'What the images show (at most 2,000 characters)',
	},
	{
		displayName: 'Style Image Media IDs',
		name: 'styleImages',
		type: 'string',
		default: '',
		required: true,
		displayOptions: { show: { ...show, mode: ['reference'] } },
		placeholder: 'e.g. {{ $json.media_id }}',
		description: 'Up to 4 media IDs of uploaded images to take the style from, as a list or separated by commas',
	},
	generationLocator({
		name: 'generationId',
		show: { ...show, mode: ['post'] },
		completedOnly: true,
		description: 'A completed caption generation whose captions the images illustrate',
	}),
	{
		displayName: 'Prompt',
		name: 'prompt',
		type: 'string',
		typeOptions: { rows: 3 },
		default: '',
		displayOptions: { show: { ...show, mode: ['post'] } },
		description: 'Optional: what the images show (at most 2,000 characters). When empty, PowerPost derives it from the captions.',
	},
	{
		displayName: 'Source Post Type',
		name: 'sourcePostType',
		type: 'options',
		default: '',
		displayOptions: { show: { ...show, mode: ['post'] } },
		options: [{ name: 'Any (Let PowerPost Choose)', value: '' }, ...POST_TYPE_OPTIONS],
		description: 'Which platform\'s caption to illustrate. It must be part of the generation.',
	},
	{
		displayName: 'Model',
		name: 'model',
		type: 'options',
		default: 'flux2-flex',
		displayOptions: { show },
		options: [
			{ name: 'FLUX.2 Flex', value: 'flux2-flex', description: 'Multi-reference, fine control; all sizes' },
			{ name: 'GPT Image 2', value: 'gpt-image-2', description: 'Photorealism; no Feed size' },
			{ name: 'Ideogram 3.0', value: 'ideogram-3', description: 'Text rendering and logos; all sizes' },
			{ name: 'Nano Banana 2', value: 'nano-banana-2', description: 'Fast, good text; all sizes' },
		],
	},
	{
		displayName: 'Size',
		name: 'size',
		type: 'options',
		default: 'square',
		displayOptions: { show },
		options: [
			{ name: 'Square (1:1)', value: 'square' },
			{ name: 'Feed (4:5)', value: 'feed', description: 'Not available with GPT Image 2' },
			{ name: 'Portrait (9:16)', value: 'portrait' },
			{ name: 'Landscape (16:9)', value: 'landscape' },
		],
	},
	{
		displayName: 'Quantity',
		name: 'quantity',
		type: 'number',
		typeOptions: { minValue: 1, maxValue: 4 },
		default: 1,
		displayOptions: { show },
		description: 'How many images to create (1 to 4); each costs credits',
	},
	{
		displayName: 'Enhance Prompt',
		name: 'enhancePrompt',
		type: 'boolean',
		default: false,
		displayOptions: { show },
		description: 'Whether PowerPost\'s AI rewrites the prompt before creating the images',
	},
	...waitProperties(WAIT),
];

/** The request body for one item, checked before anything is sent. */
export function buildImageBody(
	check: Checker,
	params: {
		mode: unknown;
		prompt: unknown;
		styleImages?: unknown;
		generationId?: unknown;
		sourcePostType?: unknown;
		model: unknown;
		size: unknown;
		quantity: unknown;
		enhancePrompt: unknown;
	},
): IDataObject {
	const mode = check.oneOf('Mode', params.mode, IMAGE_MODES);
	const body: IDataObject = {};
	const prompt =
		mode === 'post' ? check.text('Prompt', params.prompt, { max: 2000 }) : check.requiredText('Prompt', params.prompt, { max: 2000 });
	if (prompt !== undefined) body.prompt = prompt;
	if (mode === 'reference') body.style_images = check.list('Style Image Media IDs', params.styleImages, { min: 1, max: 4 });
	if (mode === 'post') {
		body.generation_id = check.requiredText('Generation', params.generationId, { max: 200 });
		if (params.sourcePostType !== undefined && params.sourcePostType !== '') {
			body.source_post_type = check.oneOf('Source Post Type', params.sourcePostType, POST_TYPES);
		}
	}
	const model: ImageModel = check.oneOf('Model', params.model, IMAGE_MODEL_IDS);
	const sizes: readonly string[] = IMAGE_MODELS[model].sizes;
	const size = check.oneOf('Size', params.size, IMAGE_SIZES);
	if (!sizes.includes(size)) {
		check.fail('Size', `"${size}" is not available with the model ${IMAGE_MODELS[model].name} (${model})`, sizes.join(', '));
	}
	body.model = model;
	body.size = size;
	body.quantity = check.integer('Quantity', params.quantity, { min: 1, max: 4 });
	body.enhance_prompt = check.boolean('Enhance Prompt', params.enhancePrompt);
	return body;
}

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<OperationResult> {
	const check = new Checker(this.getNode(), itemIndex);
	const mode = this.getNodeParameter('mode', itemIndex, 'text');
	const body = buildImageBody(check, {
		mode,
		prompt: this.getNodeParameter('prompt', itemIndex, ''),
		styleImages: mode === 'reference' ? this.getNodeParameter('styleImages', itemIndex, '') : undefined,
		generationId: mode === 'post' ? this.getNodeParameter('generationId', itemIndex, '', { extractValue: true }) : undefined,
		sourcePostType: mode === 'post' ? this.getNodeParameter('sourcePostType', itemIndex, '') : undefined,
		model: this.getNodeParameter('model', itemIndex, 'flux2-flex'),
		size: this.getNodeParameter('size', itemIndex, 'square'),
		quantity: this.getNodeParameter('quantity', itemIndex, 1),
		enhancePrompt: this.getNodeParameter('enhancePrompt', itemIndex, false),
	});
	const settings = readWaitSettings(this, itemIndex, check, WAIT);

	return await runGeneration(this, itemIndex, {
		submitPath: '/images/generate',
		body,
		idField: 'image_generation_id',
		statusPath: '/images/generations',
		what: 'image generation',
		settings,
		isFailure: failedWithoutImages,
		output: imageOutput,
	});
}
