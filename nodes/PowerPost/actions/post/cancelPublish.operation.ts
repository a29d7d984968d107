import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { powerPostRequest } from '../../transport';
import type { OperationResult } from '../../../shared/router';
import { postLocator, postOnce } from './common';
import { locatorValue } from '../../../shared/locator';

/**
 * Contract §9.5 / §17.1: `POST /posts/{id}/cancel-publish` turns a scheduled (or queued, not yet
 * posting) post back into a draft and returns the post.
 */
export const description: INodeProperties[] = [
	postLocator(['cancelPublish'], 'post', 'The scheduled or publishing post to turn back into a draft'),
];

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<OperationResult> {
	const postId = locatorValue(this, 'postId', 'Post', itemIndex);
	const outcome = await postOnce(this, {
		postId,
		itemIndex,
		send: async () =>
			await powerPostRequest(this, { method: 'POST', path: `/posts/${encodeURIComponent(postId)}/cancel-publish`, itemIndex }),
		done: (post) => post.status === 'draft',
		mayResend: (post) => post.status === 'scheduled' || post.status === 'publishing',
	});
	const post = (outcome.response ?? outcome.post) as IDataObject;
	return outcome.recoveredAfter ? { ...post, recoveredAfter: outcome.recoveredAfter } : post;
}
