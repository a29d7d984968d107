import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { returnAllProperties, statusFilterProperty } from '../../../shared/list';
import { listWithStatusFilter } from '../list';
import type { OperationResult } from '../../../shared/router';
import { POST_STATUSES } from './common';

/** Contract §17.2: `GET /posts?status&limit&cursor` → `{data, next_cursor, has_more}`, newest first, without item content. */
const properties: INodeProperties[] = [...returnAllProperties, statusFilterProperty(POST_STATUSES, 'draft', 'posts')];

export const description = updateDisplayOptions({ show: { resource: ['post'], operation: ['getMany'] } }, properties);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<OperationResult> {
	return await listWithStatusFilter(this, itemIndex, '/posts', POST_STATUSES);
}
