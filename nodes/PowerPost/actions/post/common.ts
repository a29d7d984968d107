import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import type { Refusal } from './actOnce';
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

/** PowerPost's refusal to publish or schedule a post that is not a draft (contract §9.3, §9.4, §9.7). */
export function notDraft(postId: string, post: IDataObject): Refusal {
	const state = post.status === 'scheduled' && typeof post.scheduled_at === 'string' ? `scheduled for ${post.scheduled_at}` : String(post.status);
	return { status: 409, code: 'ALREADY_PUBLISHED', message: `Post ${postId} is ${state}; only draft posts can be published or scheduled` };
}
