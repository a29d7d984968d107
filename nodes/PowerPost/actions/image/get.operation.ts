import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { generationIdProperty, readGeneration } from '../jobs';
import type { OperationResult } from '../../../shared/router';
import { imageOutput } from './images';

/** Contract §7.2: `GET /images/generations/{id}` (no list endpoint exists, so the ID is typed or mapped). */
export const description: INodeProperties[] = [
	generationIdProperty({
		resource: 'image',
		name: 'imageGenerationId',
		displayName: 'Image Generation ID',
		idField: 'image_generation_id',
		from: 'Image → Generate',
	}),
];

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<OperationResult> {
	return await readGeneration(this, itemIndex, {
		parameter: 'imageGenerationId',
		field: 'Image Generation ID',
		statusPath: '/images/generations',
		output: imageOutput,
	});
}
