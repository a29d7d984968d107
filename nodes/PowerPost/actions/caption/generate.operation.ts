import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { Checker } from '../../../shared/validation';
import type { WaitDefaults } from '../jobs';
import { readWaitSettings, runGeneration, waitProperties } from '../jobs';
import type { OperationResult } from '../../../shared/router';
import { withCaptions } from './captions';
import { POST_TYPE_OPTIONS, POST_TYPES } from './postTypes';

/** Contract §6.1 / §6.4: `POST /content/generate`, then optionally poll `GET /content/generations/{id}`. */
const show = { resource: ['caption'], operation: ['generate'] };

const WAIT: WaitDefaults = {
	resource: 'caption',
	operation: 'generate',
	intervalSeconds: 3,
	firstDelaySeconds: 2,
	timeoutSeconds: 120,
	noun: 'the captions',
};

export const INPUT_MODES = ['text', 'images', 'video'] as const;

export const description: INodeProperties[] = [
	{
		displayName: 'Input Mode',
		name: 'inputMode',
		type: 'options',
		default: 'text',
		displayOptions: { show },
		options: [
			{ name: 'Text', value: 'text', description: 'Write captions from the prompt alone' },
			{ name: 'Images', value: 'images', description: 'Write captions for up to 10 uploaded images (prompt optional)' },
			{ name: 'Video', value: 'video', description: 'Write captions for one uploaded video (prompt optional)' },
		],
	},
	{
		displayName: 'Prompt',
		name: 'prompt',
		type: 'string',
		typeOptions: { rows: 4 },
		default: '',
		required: true,
		displayOptions: { show: { ...show, inputMode: ['text'] } },
		placeholder: 'e.g. Announce our summer sale: 20% off all sneakers until Sunday',
		description: 'What the posts are about (3 to 2,000 characters)',
	},
	{
		displayName: 'Prompt',
		name: 'prompt',
		type: 'string',
		typeOptions: { rows: 4 },
		default: '',
		displayOptions: { show: { ...show, inputMode: ['images', 'video'] } },
		description: 'Optional context for the captions (3 to 2,000 characters)',
	},
	{
		displayName: 'Image Media IDs',
		name: 'imageMediaIds',
		type: 'string',
		default: '',
		required: true,
		displayOptions: { show: { ...show, inputMode: ['images'] } },
		placeholder: 'e.g. {{ $json.media_id }}',
		description: 'Up to 10 media IDs of uploaded images (Media → Upload), as a list or separated by commas',
	},
	{
		displayName: 'Video Media ID',
		name: 'videoMediaId',
		type: 'string',
		default: '',
		required: true,
		displayOptions: { show: { ...show, inputMode: ['video'] } },
		placeholder: 'e.g. {{ $json.media_id }}',
		description: 'The media ID of one uploaded video (Media → Upload). MP4 or MOV.',
	},
	{
		displayName: 'Post Types',
		name: 'postTypes',
		type: 'multiOptions',
		options: POST_TYPE_OPTIONS,
		default: [],
		required: true,
		displayOptions: { show },
		description: 'Where the posts will go. One caption is written per platform; post types of one platform share it.',
	},
	{
		displayName: 'Research Mode',
		name: 'researchMode',
		type: 'options',
		default: 'regular',
		displayOptions: { show },
		options: [
			{ name: 'Regular', value: 'regular' },
			{ name: 'Deep', value: 'deep', description: 'More research, costs more credits' },
		],
	},
	...waitProperties(WAIT),
	{
		displayName: 'Additional Fields',
		name: 'additionalFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		displayOptions: { show },
		options: [
			{
				displayName: 'CTA Text',
				name: 'ctaText',
				type: 'string',
				default: '',
				description: 'A call to action to include (at most 100 characters)',
			},
			{
				displayName: 'Source URLs',
				name: 'sourceUrls',
				type: 'string',
				typeOptions: { rows: 3 },
				default: '',
				description: 'Up to 10 HTTPS pages to read for the captions, one per line or separated by commas. Each adds cost; private addresses are ignored by PowerPost.',
			},
			{
				displayName: 'Writing Style ID',
				name: 'writingStyleId',
				type: 'string',
				default: '',
				description: 'A writing style of the workspace (create it in the PowerPost dashboard and copy its ID)',
			},
		],
	},
];

/** The request body for one item, checked before anything is sent. */
export function buildCaptionBody(check: Checker, params: {
	inputMode: unknown;
	prompt: unknown;
	imageMediaIds: unknown;
	videoMediaId: unknown;
	postTypes: unknown;
	researchMode: unknown;
	additionalFields: IDataObject;
}): IDataObject {
	const mode = check.oneOf('Input Mode', params.inputMode, INPUT_MODES);
	const body: IDataObject = {};
	const prompt =
		mode === 'text'
			? check.requiredText('Prompt', params.prompt, { min: 3, max: 2000 })
			: check.text('Prompt', params.prompt, { min: 3, max: 2000 });
	if (prompt !== undefined) body.prompt = prompt;
	if (mode === 'images') body.media_ids = check.list('Image Media IDs', params.imageMediaIds, { min: 1, max: 10 });
	if (mode === 'video') body.media_ids = check.list('Video Media ID', params.videoMediaId, { min: 1, max: 1 });
	body.post_types = check.listOf('Post Types', params.postTypes, POST_TYPES, { min: 1, max: POST_TYPES.length });
	body.research_mode = check.oneOf('Research Mode', params.researchMode, ['regular', 'deep'] as const);

	const extra = params.additionalFields;
	const style = check.text('Writing Style ID', extra.writingStyleId, { max: 200 });
	if (style !== undefined) body.writing_style_id = style;
	const cta = check.text('CTA Text', extra.ctaText, { max: 100 });
	if (cta !== undefined) body.cta_text = cta;
	const urls = check.list('Source URLs', extra.sourceUrls, { max: 10 });
	for (const url of urls) {
		if (!/^https:\/\/[^\s/]+\.[^\s]+/i.test(url)) check.fail('Source URLs', `"${url}" is not an HTTPS URL`, 'https:// addresses only');
	}
	if (urls.length) body.source_urls = urls;
	return body;
}

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<OperationResult> {
	const check = new Checker(this.getNode(), itemIndex);
	const inputMode = this.getNodeParameter('inputMode', itemIndex, 'text');
	const body = buildCaptionBody(check, {
		inputMode,
		prompt: this.getNodeParameter('prompt', itemIndex, ''),
		imageMediaIds: inputMode === 'images' ? this.getNodeParameter('imageMediaIds', itemIndex, '') : undefined,
		videoMediaId: inputMode === 'video' ? this.getNodeParameter('videoMediaId', itemIndex, '') : undefined,
		postTypes: this.getNodeParameter('postTypes', itemIndex, []),
		researchMode: this.getNodeParameter('researchMode', itemIndex, 'regular'),
		additionalFields: this.getNodeParameter('additionalFields', itemIndex, {}) as IDataObject,
	});
	const settings = readWaitSettings(this, itemIndex, check, WAIT);

	return await runGeneration(this, itemIndex, {
		submitPath: '/content/generate',
		body,
		idField: 'generation_id',
		statusPath: '/content/generations',
		what: 'caption generation',
		settings,
		output: withCaptions,
	});
}
