import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { locatorValue } from '../../../shared/locator';
import type { OperationResult } from '../../../shared/router';
import { peRequest } from '../../transport';
import { idPath, postLocator } from '../common';

/** Contract §4.3 `GET /posts/{post_id}`: the post with its destinations. */
export const description: INodeProperties[] = [postLocator({ resource: ['post'], operation: ['get'] })];

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<OperationResult> {
	const postId = locatorValue(this, 'postId', 'Post', itemIndex, { max: 100 });
	return await peRequest(this, { method: 'GET', path: `/posts/${idPath(postId)}`, itemIndex });
}
