import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { Checker } from '../../../shared/validation';
import { powerPostRequest } from '../../transport';
import { idPath } from '../jobs';
import type { OperationResult } from '../types';
import { imageOutput } from './images';

/** Contract §7.2: `GET /images/generations/{id}` (no list endpoint exists, so the ID is typed or mapped). */
export const description: INodeProperties[] = [
	{
		displayName: 'Image Generation ID',
		name: 'imageGenerationId',
		type: 'string',
		default: '',
		required: true,
		displayOptions: { show: { resource: ['image'], operation: ['get'] } },
		placeholder: 'e.g. {{ $json.image_generation_id }}',
		description: 'The ID returned by Image → Generate',
	},
];

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<OperationResult> {
	const check = new Checker(this.getNode(), itemIndex);
	const id = check.requiredText('Image Generation ID', this.getNodeParameter('imageGenerationId', itemIndex, ''), { max: 200 });
	const generation = await powerPostRequest(this, { method: 'GET', path: `/images/generations/${idPath(id)}`, itemIndex });
	return imageOutput(generation);
}
