import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { failureOf } from '../../../shared/http';
import { Checker } from '../../../shared/validation';
import { waitForJob } from '../../../shared/wait';
import { powerPostRequest } from '../../transport';
import type { OperationResult } from '../types';
import { getPost, itemsOf, locatorValue, postLocator, postOnce } from './common';

/**
 * Contract §9.3: `POST /posts/{id}/publish` starts publishing a draft (async); the items then go
 * posting → posted | failed, read with `GET /posts/{id}` about every 3 s starting ~3 s later.
 * The publish is never sent twice: a lost answer is checked against the post first (see postOnce).
 */

const properties: INodeProperties[] = [
	postLocator(['publish'], 'post', 'The draft post to publish now'),
	{
		displayName: 'Wait for Completion',
		name: 'waitForCompletion',
		type: 'boolean',
		default: true,
		description:
			'Whether to wait until every item is posted or failed and output the results. Off: output as soon as PowerPost accepted the publish (status "publishing").',
	},
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
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions: { show: { waitForCompletion: [true] } },
		options: [
			{
				displayName: 'Poll Interval (Seconds)',
				name: 'pollInterval',
				type: 'number',
				typeOptions: { minValue: 0.1, numberPrecision: 1 },
				default: 3,
				description: 'Time between two status reads; PowerPost suggests 3 seconds',
			},
			{
				displayName: 'Timeout (Seconds)',
				name: 'timeout',
				type: 'number',
				typeOptions: { minValue: 1 },
				default: 300,
				description: 'Give up waiting after this long (the publish itself goes on at PowerPost)',
			},
		],
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

/** Reads the wait options: seconds in the UI, milliseconds for the waiter. */
export function readWaitOptions(ctx: IExecuteFunctions, itemIndex: number): { intervalMs: number; timeoutMs: number } {
	const options = ctx.getNodeParameter('options', itemIndex, {}) as IDataObject;
	const interval = Number(options.pollInterval ?? 3);
	const timeout = Number(options.timeout ?? 300);
	const check = new Checker(ctx.getNode(), itemIndex);
	if (!Number.isFinite(interval) || interval < 0.1) check.fail('Poll Interval (Seconds)', `${String(options.pollInterval)} is too small`, 'at least 0.1');
	if (!Number.isFinite(timeout) || timeout <= 0) check.fail('Timeout (Seconds)', `${String(options.timeout)} is not a positive number`, 'more than 0');
	return { intervalMs: Math.round(interval * 1000), timeoutMs: Math.round(timeout * 1000) };
}

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<OperationResult> {
	const postId = locatorValue(this, 'postId', 'Post', itemIndex);
	const wait = this.getNodeParameter('waitForCompletion', itemIndex, true) as boolean;
	const output = wait ? (this.getNodeParameter('output', itemIndex, 'post') as string) : 'post';
	const timing = wait ? readWaitOptions(this, itemIndex) : undefined;

	const outcome = await postOnce(this, {
		postId,
		itemIndex,
		send: async () =>
			await powerPostRequest(this, { method: 'POST', path: `/posts/${encodeURIComponent(postId)}/publish`, itemIndex }),
		done: (post) => post.status === 'publishing' || post.status === 'published' || post.status === 'failed',
		// The post was a draft a moment ago: a 409 on the resend means the first publish arrived late.
		lateSuccess: (error) => failureOf(error)?.code === 'ALREADY_PUBLISHED',
	});
	const recovered: IDataObject = outcome.recoveredAfter ? { recoveredAfter: outcome.recoveredAfter } : {};

	if (!timing) {
		const accepted = outcome.response ?? {
			post_id: postId,
			status: outcome.post?.status,
			status_url: `/api/v1/posts/${postId}`,
		};
		return { ...accepted, ...recovered };
	}

	const { state: post } = await waitForJob(this, {
		fetch: async () => await getPost(this, postId, itemIndex),
		isFinal: isPublishFinal,
		intervalMs: timing.intervalMs,
		firstDelayMs: timing.intervalMs,
		timeoutMs: timing.timeoutMs,
		what: `the publishing of post ${postId}`,
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
