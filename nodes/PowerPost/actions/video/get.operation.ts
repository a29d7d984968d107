import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { generationIdProperty, readGeneration } from '../jobs';
import type { OperationResult } from '../../../shared/router';
import { videoOutput } from './videos';

/** Contract §8.2: `GET /videos/generations/{id}` (no list endpoint exists, so the ID is typed or mapped). */
export const description: INodeProperties[] = [
	generationIdProperty({
		resource: 'video',
		name: 'videoGenerationId',
		displayName: 'Video Generation ID',
		idField: 'video_generation_id',
		from: 'Video → Generate',
	}),
];

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<OperationResult> {
	return await readGeneration(this, itemIndex, {
		parameter: 'videoGenerationId',
		field: 'Video Generation ID',
		statusPath: '/videos/generations',
		output: videoOutput,
	});
}
