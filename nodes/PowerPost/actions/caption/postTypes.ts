import type { INodePropertyOptions } from 'n8n-workflow';

/** Contract §4: the 12 post types, and the platform each publishes to. */
export const POST_TYPE_PLATFORM = {
	'instagram-feed': 'instagram',
	'instagram-reel': 'instagram',
	'instagram-story': 'instagram',
	'tiktok-video': 'tiktok',
	'tiktok-photos': 'tiktok',
	'youtube-video': 'youtube',
	'youtube-short': 'youtube',
	'x-post': 'x',
	'facebook-post': 'facebook',
	'facebook-reel': 'facebook',
	'facebook-story': 'facebook',
	'linkedin-post': 'linkedin',
} as const;

export type PostType = keyof typeof POST_TYPE_PLATFORM;

export const POST_TYPES = Object.keys(POST_TYPE_PLATFORM) as PostType[];

const NAMES: Record<PostType, string> = {
	'instagram-feed': 'Instagram Feed',
	'instagram-reel': 'Instagram Reel',
	'instagram-story': 'Instagram Story',
	'tiktok-video': 'TikTok Video',
	'tiktok-photos': 'TikTok Photos',
	'youtube-video': 'YouTube Video',
	'youtube-short': 'YouTube Short',
	'x-post': 'X Post',
	'facebook-post': 'Facebook Post',
	'facebook-reel': 'Facebook Reel',
	'facebook-story': 'Facebook Story',
	'linkedin-post': 'LinkedIn Post',
};

/**
 * Orders options by name. A plain comparison, not localeCompare: the names are ASCII, and the first
 * localeCompare call builds an ICU collator, which doubled the time it takes to load the node.
 */
export function byName(a: { name: string }, b: { name: string }): number {
	return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}

/** The post types as n8n options, sorted by name. */
export const POST_TYPE_OPTIONS: INodePropertyOptions[] = POST_TYPES.map((value) => ({ name: NAMES[value], value })).sort(byName);
