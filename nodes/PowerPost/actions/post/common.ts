import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { failureOf } from '../../../shared/http';
import { byName, POST_TYPE_OPTIONS } from '../caption/postTypes';
import { powerPostRequest } from '../../transport';
import { listOrIdLocator } from '../../../shared/locator';

export { POST_TYPE_PLATFORM, POST_TYPES } from '../caption/postTypes';
export type { PostType } from '../caption/postTypes';

/** Contract §4 / §11: the six platforms. */
export const PLATFORMS = ['instagram', 'tiktok', 'youtube', 'x', 'facebook', 'linkedin'] as const;

/** Post types that need a title (contract §4, §9.1). */
export const TITLED_POST_TYPES: readonly string[] = ['youtube-video', 'youtube-short'];

/** Contract §9.6. */
export const POST_STATUSES = ['draft', 'scheduled', 'publishing', 'published', 'failed'] as const;

/** The post types as n8n options, sorted by name as the linter wants. */
export const postTypeOptions = POST_TYPE_OPTIONS;

const PLATFORM_NAMES: Record<(typeof PLATFORMS)[number], string> = {
	instagram: 'Instagram',
	tiktok: 'TikTok',
	youtube: 'YouTube',
	x: 'X',
	facebook: 'Facebook',
	linkedin: 'LinkedIn',
};

export const platformOptions = PLATFORMS.map((value) => ({ name: PLATFORM_NAMES[value], value })).sort(byName);

/** The "Post" resource locator: pick a recent post from a list, or paste its ID. */
export function postLocator(operations: string[], resource = 'post', description?: string): INodeProperties {
	return listOrIdLocator({
		displayName: 'Post',
		name: 'postId',
		description: description ?? 'The post, as returned by Post → Create (`post_id`)',
		searchListMethod: 'searchPosts',
		show: { resource: [resource], operation: operations },
		placeholder: 'e.g. 550e8400-e29b-41d4-a716-446655440000',
	});
}

export async function getPost(ctx: IExecuteFunctions, postId: string, itemIndex: number): Promise<IDataObject> {
	return await powerPostRequest(ctx, { method: 'GET', path: `/posts/${encodeURIComponent(postId)}`, itemIndex });
}

export function itemsOf(post: IDataObject): IDataObject[] {
	return Array.isArray(post.items) ? (post.items as IDataObject[]) : [];
}

/** How the first attempt of a non-repeatable POST ended, when the server may have acted on it. */
export function describeFailure(error: unknown): string {
	const failure = failureOf(error);
	if (!failure) return 'error';
	if (failure.kind === 'http') return `http-${failure.status ?? 'error'}`;
	return failure.kind;
}

/**
 * Sends a state-changing POST (publish, schedule, cancel) at most once in effect. When the answer is lost
 * after the server may have acted (dropped connection, timeout, 5xx), the post is read first:
 * if it already shows the outcome, the action counts as done (`recoveredAfter` says after what);
 * if it is unchanged (still a draft), nothing happened and the POST is sent once more. Any other failure is
 * passed on unchanged.
 */
export async function postOnce(
	ctx: IExecuteFunctions,
	options: {
		postId: string;
		itemIndex: number;
		send: () => Promise<IDataObject>;
		/** True when the post, read after a lost answer, shows the action took effect. */
		done: (post: IDataObject) => boolean;
		/** True when the post, read after a lost answer, shows the action did not happen and may be sent again (default: still a draft). */
		mayResend?: (post: IDataObject) => boolean;
		/** True for the error of the resend that means the first attempt took effect after all. */
		lateSuccess?: (error: unknown) => boolean;
	},
): Promise<{ response?: IDataObject; post?: IDataObject; recoveredAfter?: string }> {
	// The errors passed on are the engine's NodeApiErrors, unchanged.
	const first = await attempt(options.send);
	if ('value' in first) return { response: first.value };
	if (!failureOf(first.error)?.ambiguous) throw first.error;
	const recoveredAfter = describeFailure(first.error);
	const post = await getPost(ctx, options.postId, options.itemIndex);
	if (options.done(post)) return { post, recoveredAfter };
	if (!(options.mayResend ?? ((p: IDataObject) => p.status === 'draft'))(post)) throw first.error;
	const second = await attempt(options.send);
	if ('value' in second) return { response: second.value, recoveredAfter };
	if (options.lateSuccess?.(second.error)) {
		return { post: await getPost(ctx, options.postId, options.itemIndex), recoveredAfter };
	}
	throw second.error;
}

/** Runs a call and hands back its value or its error (so callers decide outside a catch block). */
export async function attempt<T>(call: () => Promise<T>): Promise<{ value: T } | { error: unknown }> {
	try {
		return { value: await call() };
	} catch (error) {
		return { error };
	}
}
