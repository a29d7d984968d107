import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import type { OperationResult } from '../../../shared/router';
import { getPost, itemsOf, postLocator } from '../post/common';
import { locatorValue } from '../../../shared/locator';
import { fetchItemAnalytics, withAvailability } from './getForPostItem.operation';

/**
 * Contract §10 has no per-post analytics: the post is read (`GET /posts/{id}`), then each posted
 * item's analytics. Items that are not posted have no metrics and are not asked for.
 * One output item per post item.
 */
export const description: INodeProperties[] = [
	postLocator(['getForPost'], 'analytics', 'The post whose items\' metrics to read'),
];

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<OperationResult> {
	const postId = locatorValue(this, 'postId', 'Post', itemIndex);
	const post = await getPost(this, postId, itemIndex);
	const results: IDataObject[] = [];
	for (const item of itemsOf(post)) {
		const analytics =
			item.status === 'posted'
				? await fetchItemAnalytics(this, String(item.item_id), itemIndex)
				: withAvailability({ status: item.status, metrics: null });
		results.push({
			post_id: post.post_id,
			post_item_id: item.item_id,
			platform: analytics.platform ?? item.platform,
			post_type: analytics.post_type ?? item.post_type,
			status: analytics.status ?? item.status,
			platform_post_id: item.platform_post_id ?? null,
			metrics: analytics.metrics,
			metricsAvailable: analytics.metricsAvailable,
		});
	}
	return results;
}
