import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { returnAllProperties, statusFilterProperty } from '../../../shared/list';
import { listWithStatusFilter } from '../list';
import type { OperationResult } from '../../../shared/router';

/** Contract §6.2: `GET /content/generations` (cursor pages, newest first, without the captions). */
export const STATUSES = ['pending', 'processing', 'completed', 'failed'] as const;

const properties: INodeProperties[] = [...returnAllProperties, statusFilterProperty(STATUSES, 'completed', 'generations')];

export const description = updateDisplayOptions({ show: { resource: ['caption'], operation: ['getMany'] } }, properties);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<OperationResult> {
	return await listWithStatusFilter(this, itemIndex, '/content/generations', STATUSES);
}
