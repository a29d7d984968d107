import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import type { OperationResult } from '../../../shared/router';
import type { Refusal } from './actOnce';
import { actOnce } from './actOnce';
import { itemsOf, postLocator } from './common';
import { locatorValue } from '../../../shared/locator';

/**
 * Contract §9.5 / §17.1: `POST /posts/{id}/cancel-publish` turns a scheduled (or queued, not yet
 * posting) post back into a draft and returns the post.
 */
export const description: INodeProperties[] = [
	postLocator(['cancelPublish'], 'post', 'The scheduled or publishing post to turn back into a draft'),
];

/**
 * What PowerPost answers a cancel for a post in this state: a draft has nothing to cancel; a post
 * whose items have started posting (or that has finished) can no longer be cancelled.
 */
export function cancelRefusal(postId: string, post: IDataObject): Refusal | undefined {
	if (post.status === 'draft') {
		return { status: 409, code: 'INVALID_STATE', message: `Post ${postId} is a draft; there is no scheduled or running publish to cancel` };
	}
	if (post.status === 'scheduled') return undefined;
	if (post.status === 'publishing' && itemsOf(post).every((item) => item.status === 'draft')) return undefined;
	return {
		status: 409,
		code: 'ALREADY_PUBLISHED',
		message: `Post ${postId} is ${String(post.status)} and items have already started posting; it can no longer be cancelled`,
	};
}

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<OperationResult> {
	const postId = locatorValue(this, 'postId', 'Post', itemIndex);
	const outcome = await actOnce(this, {
		name: 'Cancel Publish',
		postId,
		itemIndex,
		call: { method: 'POST', path: `/posts/${encodeURIComponent(postId)}/cancel-publish`, itemIndex },
		refusal: (post) => cancelRefusal(postId, post),
		reached: (post) => post.status === 'draft',
		expected: 'status draft',
	});
	const post = (outcome.response ?? outcome.post) as IDataObject;
	return outcome.recoveredAfter ? { ...post, recoveredAfter: outcome.recoveredAfter } : post;
}
