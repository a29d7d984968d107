import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { Checker } from '../../../shared/validation';
import { powerPostRequest } from '../../transport';
import type { OperationResult } from '../../../shared/router';

/**
 * Contract §10: `GET /post-items/{id}/analytics` → `{post_item_id, post_type, platform, status,
 * metrics: {views, likes, comments, fetched_at} | null}`. Metrics are null until PowerPost has
 * fetched them once after posting (then daily, for 90 days).
 */

const properties: INodeProperties[] = [
	{
		displayName: 'Post Item ID',
		name: 'postItemId',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. 9b2f6c1e-8d4a-4f7e-b3a1-2c5d7e9f0a1b',
		description: 'The `item_id` of one platform item of a post (from Post → Create, Get or Publish)',
	},
];

export const description = updateDisplayOptions({ show: { resource: ['analytics'], operation: ['getForPostItem'] } }, properties);

/** Adds `metricsAvailable`, so a workflow can branch on it: false means PowerPost has not fetched metrics yet (or the item is not posted). */
export function withAvailability(analytics: IDataObject): IDataObject {
	const metrics = analytics.metrics && typeof analytics.metrics === 'object' ? analytics.metrics : null;
	return { ...analytics, metrics, metricsAvailable: metrics !== null };
}

export async function fetchItemAnalytics(ctx: IExecuteFunctions, itemId: string, itemIndex: number): Promise<IDataObject> {
	const analytics = await powerPostRequest(ctx, { method: 'GET', path: `/post-items/${encodeURIComponent(itemId)}/analytics`, itemIndex });
	return withAvailability(analytics);
}

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<OperationResult> {
	const check = new Checker(this.getNode(), itemIndex);
	const itemId = check.requiredText('Post Item ID', this.getNodeParameter('postItemId', itemIndex, ''));
	return await fetchItemAnalytics(this, itemId, itemIndex);
}
