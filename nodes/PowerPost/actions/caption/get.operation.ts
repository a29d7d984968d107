import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { readGeneration } from '../jobs';
import type { OperationResult } from '../../../shared/router';
import { withCaptions } from './captions';
import { generationLocator } from './generationLocator';

/** Contract §6.3: `GET /content/generations/{id}` (status, and the captions once completed). */
export const description: INodeProperties[] = [
	generationLocator({ name: 'generationId', show: { resource: ['caption'], operation: ['get'] } }),
];

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<OperationResult> {
	return await readGeneration(this, itemIndex, {
		parameter: 'generationId',
		field: 'Generation',
		statusPath: '/content/generations',
		output: withCaptions,
	});
}
