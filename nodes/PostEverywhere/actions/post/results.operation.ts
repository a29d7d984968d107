import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { locatorValue } from '../../../shared/locator';
import type { OperationResult } from '../../../shared/router';
import { postLocator } from '../common';
import { getResults } from './common';
import { summarizeResults } from './outcome';

/**
 * Contract §4.6 `GET /posts/{post_id}/results`: one result per account, each with an `outcome`
 * (published, failed, failed_retry_pending, in_flight) and the post's overall outcome.
 */
export const description: INodeProperties[] = [postLocator({ resource: ['post'], operation: ['getResults'] })];

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<OperationResult> {
	const postId = locatorValue(this, 'postId', 'Post', itemIndex, { max: 100 });
	return summarizeResults(await getResults(this, postId, itemIndex));
}
