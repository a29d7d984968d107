import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { Checker } from '../../../shared/validation';
import { powerPostRequest } from '../../transport';
import { idPath } from '../jobs';
import type { OperationResult } from '../types';
import { videoOutput } from './videos';

/** Contract §8.2: `GET /videos/generations/{id}` (no list endpoint exists, so the ID is typed or mapped). */
export const description: INodeProperties[] = [
	{
		displayName: 'Video Generation ID',
		name: 'videoGenerationId',
		type: 'string',
		default: '',
		required: true,
		displayOptions: { show: { resource: ['video'], operation: ['get'] } },
		placeholder: 'e.g. {{ $json.video_generation_id }}',
		description: 'The ID returned by Video → Generate',
	},
];

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<OperationResult> {
	const check = new Checker(this.getNode(), itemIndex);
	const id = check.requiredText('Video Generation ID', this.getNodeParameter('videoGenerationId', itemIndex, ''), { max: 200 });
	const generation = await powerPostRequest(this, { method: 'GET', path: `/videos/generations/${idPath(id)}`, itemIndex });
	return videoOutput(generation);
}
