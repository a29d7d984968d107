import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { Checker } from '../../../shared/validation';
import type { WaitDefaults } from '../jobs';
import { readWaitSettings, runGeneration, waitProperties } from '../jobs';
import type { OperationResult } from '../../../shared/router';
import { VIDEO_MODELS, VIDEO_MODEL_IDS, VIDEO_SIZES } from './models';
import type { VideoModel } from './models';
import { videoOutput } from './videos';

/** Contract §8.1: `POST /videos/generate`, then optionally poll `GET /videos/generations/{id}` (§8.2, every 10 s). */
const show = { resource: ['video'], operation: ['generate'] };

const WAIT: WaitDefaults = {
	resource: 'video',
	operation: 'generate',
	intervalSeconds: 10,
	timeoutSeconds: 1200,
	noun: 'the video',
};

export const description: INodeProperties[] = [
	{
		displayName: 'Prompt',
		name: 'prompt',
		type: 'string',
		typeOptions: { rows: 4 },
		default: '',
		required: true,
		displayOptions: { show },
		placeholder: 'e.g. Slow aerial shot over a coastal town at sunrise',
		description: 'What the video shows. At most 2,500 characters for Kling, 3,000 for Veo, 1,000 for Runway.',
	},
	{
		displayName: 'Model',
		name: 'model',
		type: 'options',
		default: 'kling-3.0-pro',
		displayOptions: { show },
		options: [
			{ name: 'Google Veo 3.1', value: 'veo-3.1', description: '4 or 8 seconds, audio available' },
			{ name: 'Kling 3.0 Pro', value: 'kling-3.0-pro', description: '5 or 10 seconds, audio available' },
			{ name: 'Runway Gen-4.5', value: 'runway-gen-4.5', description: '5 or 10 seconds, no audio' },
		],
	},
	{
		displayName: 'Duration (Seconds)',
		name: 'duration',
		type: 'number',
		default: 5,
		required: true,
		displayOptions: { show },
		description: 'Length of the video. Kling and Runway: 5 or 10; Veo: 4 or 8.',
	},
	{
		displayName: 'Size',
		name: 'size',
		type: 'options',
		default: 'landscape',
		displayOptions: { show },
		options: [
			{ name: 'Landscape (16:9)', value: 'landscape' },
			{ name: 'Portrait (9:16)', value: 'portrait' },
		],
	},
	{
		displayName: 'With Audio',
		name: 'hasAudio',
		type: 'boolean',
		default: false,
		displayOptions: { show },
		description: 'Whether the video has sound (Kling and Veo only; costs more)',
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
				displayName: 'Enhance Prompt',
				name: 'enhancePrompt',
				type: 'boolean',
				default: false,
				description: 'Whether PowerPost\'s AI rewrites the prompt first',
			},
			{
				displayName: 'Source Image Media ID',
				name: 'sourceImage',
				type: 'string',
				default: '',
				placeholder: 'e.g. {{ $json.media_id }}',
				description: 'Animate this uploaded image (Media → Upload or Image → Generate) instead of starting from text alone',
			},
		],
	},
];

/** The request body for one item, checked against the model's rules before anything is sent. */
export function buildVideoBody(
	check: Checker,
	params: { prompt: unknown; model: unknown; duration: unknown; size: unknown; hasAudio: unknown; additionalFields: IDataObject },
): IDataObject {
	const model: VideoModel = check.oneOf('Model', params.model, VIDEO_MODEL_IDS);
	const spec = VIDEO_MODELS[model];
	const body: IDataObject = {
		prompt: check.requiredText('Prompt', params.prompt, { max: spec.promptMax }),
		model,
		duration: check.integer('Duration (Seconds)', params.duration, { allowed: spec.durations }),
		size: check.oneOf('Size', params.size, VIDEO_SIZES),
	};
	const audio = check.boolean('With Audio', params.hasAudio);
	if (audio && !spec.audio) {
		check.fail('With Audio', `${spec.name} (${model}) makes videos without sound`, 'off, or choose Kling 3.0 Pro or Google Veo 3.1');
	}
	body.has_audio = audio;
	const extra = params.additionalFields;
	if (extra.enhancePrompt !== undefined) body.enhance_prompt = check.boolean('Enhance Prompt', extra.enhancePrompt);
	const source = check.text('Source Image Media ID', extra.sourceImage, { max: 200 });
	if (source !== undefined) body.source_image = source;
	return body;
}

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<OperationResult> {
	const check = new Checker(this.getNode(), itemIndex);
	const body = buildVideoBody(check, {
		prompt: this.getNodeParameter('prompt', itemIndex, ''),
		model: this.getNodeParameter('model', itemIndex, 'kling-3.0-pro'),
		duration: this.getNodeParameter('duration', itemIndex, 5),
		size: this.getNodeParameter('size', itemIndex, 'landscape'),
		hasAudio: this.getNodeParameter('hasAudio', itemIndex, false),
		additionalFields: this.getNodeParameter('additionalFields', itemIndex, {}) as IDataObject,
	});
	const settings = readWaitSettings(this, itemIndex, check, WAIT);

	return await runGeneration(this, itemIndex, {
		submitPath: '/videos/generate',
		body,
		idField: 'video_generation_id',
		statusPath: '/videos/generations',
		what: 'video generation',
		settings,
		output: videoOutput,
	});
}
