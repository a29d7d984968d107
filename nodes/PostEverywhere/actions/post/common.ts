import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { waitForJob } from '../../../shared/wait';
import type { WaitDefaults, WaitSettings } from '../../../shared/waitParameters';
import { peRequest } from '../../transport';
import { idPath } from '../common';
import { isPublishSettled, summarizeResults } from './outcome';

/** Wait defaults for publishing (§14: poll about every 10 s). */
export function publishWait(operation: string, extraShow?: WaitDefaults['extraShow']): WaitDefaults {
	return {
		provider: 'PostEverywhere',
		resource: 'post',
		operation,
		intervalSeconds: 10,
		timeoutSeconds: 600,
		firstDelaySeconds: 3,
		noun: 'the results of every account',
		extraShow,
	};
}

export async function getResults(ctx: IExecuteFunctions, postId: string, itemIndex: number): Promise<IDataObject> {
	return await peRequest(ctx, { method: 'GET', path: `/posts/${idPath(postId)}/results`, itemIndex });
}

/**
 * Polls `GET /posts/{id}/results` until every destination is published or failed (a failure with
 * `next_retry_at` counts as "failed, retry pending"), and sums it up. Cancellable; a timeout says
 * the post keeps publishing at PostEverywhere.
 */
export async function waitForPublish(ctx: IExecuteFunctions, postId: string, settings: WaitSettings, itemIndex: number): Promise<IDataObject> {
	const { state, waitedMs } = await waitForJob<IDataObject>(ctx, {
		fetch: async () => await getResults(ctx, postId, itemIndex),
		isFinal: isPublishSettled,
		intervalMs: settings.intervalMs,
		timeoutMs: settings.timeoutMs,
		firstDelayMs: settings.firstDelayMs,
		what: `the publish results of post ${postId}`,
		provider: 'PostEverywhere',
		describe: (body) => `${String(summarizeResults(body).published_count)} published, still in flight`,
		itemIndex,
	});
	return { ...summarizeResults(state), waited_seconds: Math.round(waitedMs / 1000) };
}

/** The post's ID from an answer (`post_id`, or `id` for older shapes). */
export function postIdOf(body: IDataObject): string {
	return String(body.post_id ?? body.id ?? '');
}
