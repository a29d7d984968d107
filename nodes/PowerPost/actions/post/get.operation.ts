import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import type { OperationResult } from '../../../shared/router';
import { getPost, postLocator } from './common';
import { locatorValue } from '../../../shared/locator';

/** Contract §9.2: `GET /posts/{id}`: the post with every item and its status. */
export const description: INodeProperties[] = [postLocator(['get'])];

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<OperationResult> {
	return await getPost(this, locatorValue(this, 'postId', 'Post', itemIndex), itemIndex);
}
