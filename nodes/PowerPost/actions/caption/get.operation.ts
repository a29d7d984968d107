import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { Checker } from '../../../shared/validation';
import { powerPostRequest } from '../../transport';
import { idPath, locatorId } from '../jobs';
import type { OperationResult } from '../types';
import { withCaptions } from './captions';
import { generationLocator } from './generationLocator';

/** Contract §6.3: `GET /content/generations/{id}` (status, and the captions once completed). */
export const description: INodeProperties[] = [
	generationLocator({ name: 'generationId', show: { resource: ['caption'], operation: ['get'] } }),
];

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<OperationResult> {
	const check = new Checker(this.getNode(), itemIndex);
	const id = locatorId(this, check, 'generationId', 'Generation', itemIndex);
	const generation = await powerPostRequest(this, { method: 'GET', path: `/content/generations/${idPath(id)}`, itemIndex });
	return withCaptions(generation);
}
