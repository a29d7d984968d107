import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { Checker } from '../../../shared/validation';
import { waitForJob } from '../../../shared/wait';
import type { WaitDefaults } from '../jobs';
import { readWaitSettings, waitProperties } from '../jobs';
import type { OperationResult } from '../../../shared/router';
import { actOnce } from './actOnce';
import { getPost, itemsOf, notDraft, postLocator } from './common';
import { locatorValue } from '../../../shared/locator';

/**
 * Contract §9.3: `POST /posts/{id}/publish` starts publishing a draft (async); the items then go
 * posting → posted | failed, read with `GET /posts/{id}` about every 3 s starting ~3 s later.
 * The publish takes effect at most once and a lost answer is resolved exactly (see actOnce).
 */

const WAIT: WaitDefaults = {
	resource: 'post',
	operation: 'publish',
	intervalSeconds: 3,
	timeoutSeconds: 300,
	firstDelaySeconds: 3,
	noun: 'the results of every platform',
};

const properties: INodeProperties[] = [
	postLocator(['publish'], 'post', 'The draft post to publish now'),
	...waitProperties(WAIT),
	{
		displayName: 'Output',
		name: 'output',
		type: 'options',
		options: [
			{
				name: 'One Item per Post',
				value: 'post',
				description: 'The post with its items array and a summary {total, posted, failed}',
			},
			{
				name: 'One Item per Post Item',
				value: 'items',
				description: 'One output item per platform result (post_id, item_id, platform, status, platform_post_id or error)',
			},
		],
		default: 'post',
		displayOptions: { show: { waitForCompletion: [true] } },
		description: 'Failed items never stop the workflow: check summary.failed, or each item\'s status and error',
	},
];

export const description = updateDisplayOptions({ show: { resource: ['post'], operation: ['publish'] } }, properties);

const FINAL_ITEM = ['posted', 'failed'];

/** Publishing is over when every item is posted or failed (or the publish was cancelled back to a draft). */
export function isPublishFinal(post: IDataObject): boolean {
	const items = itemsOf(post);
	if (post.status === 'draft' || post.status === 'published' || post.status === 'failed') return true;
	return items.length > 0 && items.every((item) => FINAL_ITEM.includes(String(item.status)));
}

export function summarize(post: IDataObject): IDataObject {
	const items = itemsOf(post);
	const posted = items.filter((item) => item.status === 'posted').length;
	const failed = items.filter((item) => item.status === 'failed').length;
	return { total: items.length, posted, failed, pending: items.length - posted - failed };
}

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<OperationResult> {
	const postId = locatorValue(this, 'postId', 'Post', itemIndex);
	const check = new Checker(this.getNode(), itemIndex);
	const settings = readWaitSettings(this, itemIndex, check, WAIT);
	const output = settings.wait ? check.oneOf('Output', this.getNodeParameter('output', itemIndex, 'post'), ['post', 'items'] as const) : 'post';

	const outcome = await actOnce(this, {
		name: 'Publish',
		postId,
		itemIndex,
		call: { method: 'POST', path: `/posts/${encodeURIComponent(postId)}/publish`, itemIndex },
		refusal: (post) => (post.status === 'draft' ? undefined : notDraft(postId, post)),
		reached: (post) => post.status === 'publishing' || post.status === 'published' || post.status === 'failed',
		expected: 'status publishing, published or failed',
	});
	const recovered: IDataObject = outcome.recoveredAfter ? { recoveredAfter: outcome.recoveredAfter } : {};

	if (!settings.wait) {
		const accepted = outcome.response ?? {
			post_id: postId,
			status: outcome.post?.status,
			status_url: `/api/v1/posts/${postId}`,
		};
		return { ...accepted, ...recovered };
	}

	// A draft ends the wait only when two reads in a row show it: one read may lag behind the publish
	// PowerPost accepted; two mean the publish was cancelled back to a draft.
	let draftReads = 0;
	const { state: post } = await waitForJob(this, {
		fetch: async () => await getPost(this, postId, itemIndex),
		isFinal: (state) => {
			draftReads = state.status === 'draft' ? draftReads + 1 : 0;
			return state.status === 'draft' ? draftReads >= 2 : isPublishFinal(state);
		},
		intervalMs: settings.intervalMs,
		firstDelayMs: settings.firstDelayMs,
		timeoutMs: settings.timeoutMs,
		what: `the publishing of post ${postId}`,
		provider: 'PowerPost',
		describe: (state) => {
			const summary = summarize(state);
			return `status ${String(state.status)}, ${String(summary.posted)} posted and ${String(summary.failed)} failed of ${String(summary.total)} items`;
		},
		itemIndex,
	});

	if (output === 'items') {
		return itemsOf(post).map((item) => ({ post_id: post.post_id, post_status: post.status, ...item, ...recovered }));
	}
	return { ...post, summary: summarize(post), ...recovered };
}
