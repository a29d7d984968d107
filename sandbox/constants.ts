// Constants of the PowerPost contract (docs/api/powerpost.md) used by the sandbox.

export const PLATFORMS = ['instagram', 'tiktok', 'youtube', 'x', 'facebook', 'linkedin'] as const;
export type Platform = (typeof PLATFORMS)[number];

/** §4: 12 post types and the platform each belongs to. */
export const POST_TYPES: Record<string, Platform> = {
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
};

/** §2.3: the 14 scopes. */
export const SCOPES = [
	'account:read',
	'content:read',
	'content:generate',
	'images:read',
	'images:generate',
	'videos:read',
	'videos:generate',
	'media:write',
	'posts:read',
	'posts:write',
	'posts:publish',
	'calendar:read',
	'calendar:write',
	'analytics:read',
] as const;
export type Scope = (typeof SCOPES)[number];

export const PRESET_FULL: Scope[] = [...SCOPES];
export const PRESET_DRAFT_ONLY: Scope[] = SCOPES.filter((s) => s !== 'posts:publish');
export const PRESET_READ_ONLY: Scope[] = SCOPES.filter((s) => s.endsWith(':read'));

export const KEYS = {
	full: 'pp_live_sk_sandbox_full',
	draftOnly: 'pp_live_sk_sandbox_draft',
	readOnly: 'pp_live_sk_sandbox_read',
	noCredits: 'pp_live_sk_sandbox_nocredits',
} as const;

export const WORKSPACES = {
	primary: 'ws_sandbox_primary',
	secondary: 'ws_sandbox_secondary',
	foreign: 'ws_sandbox_foreign',
} as const;

export const ACCOUNTS = {
	main: 'acct_sandbox_main',
	empty: 'acct_sandbox_nocredits',
	other: 'acct_sandbox_other',
} as const;

/** 1 MB = 1024 * 1024 bytes (ASSUMPTION, see ASSUMPTIONS.md). */
export const MB = 1024 * 1024;
export const GB = 1024 * MB;

export const UPLOAD_LIMITS = {
	image: { maxBytes: 10 * MB, mimes: ['image/jpeg', 'image/png', 'image/webp'] },
	video: { maxBytes: 500 * MB, mimes: ['video/mp4', 'video/quicktime', 'video/webm'] },
} as const;

export const EXTENSION_MIME: Record<string, string> = {
	jpg: 'image/jpeg',
	jpeg: 'image/jpeg',
	png: 'image/png',
	webp: 'image/webp',
	mp4: 'video/mp4',
	mov: 'video/quicktime',
	webm: 'video/webm',
};

/** §7.1 image models: allowed sizes and (historical, §12) credits per image. */
export const IMAGE_MODELS: Record<string, { sizes: string[]; credits: number }> = {
	'flux2-flex': { sizes: ['square', 'feed', 'portrait', 'landscape'], credits: 5 },
	'ideogram-3': { sizes: ['square', 'feed', 'portrait', 'landscape'], credits: 6 },
	'nano-banana-2': { sizes: ['square', 'feed', 'portrait', 'landscape'], credits: 6 },
	'gpt-image-2': { sizes: ['square', 'portrait', 'landscape'], credits: 14 },
	'gpt-image-1.5': { sizes: ['square', 'portrait', 'landscape'], credits: 14 }, // legacy name (§17.17)
};
export const IMAGE_SIZES = ['square', 'feed', 'portrait', 'landscape'];
export const IMAGE_DIMENSIONS: Record<string, [number, number]> = {
	square: [1024, 1024],
	feed: [1024, 1280],
	portrait: [1152, 2048],
	landscape: [2048, 1152],
};

/**
 * §8.1 video models. Credits per second are a sandbox invention (the contract only says the
 * cost depends on model, duration and audio): ASSUMPTION, see ASSUMPTIONS.md.
 */
export const VIDEO_MODELS: Record<
	string,
	{ audio: boolean; durations: number[]; promptMax: number; creditsPerSecond: number; audioPerSecond: number }
> = {
	'kling-3.0-pro': { audio: true, durations: [5, 10], promptMax: 2500, creditsPerSecond: 4, audioPerSecond: 2 },
	'veo-3.1': { audio: true, durations: [4, 8], promptMax: 3000, creditsPerSecond: 8, audioPerSecond: 4 },
	'runway-gen-4.5': { audio: false, durations: [5, 10], promptMax: 1000, creditsPerSecond: 3, audioPerSecond: 0 },
};
export const VIDEO_SIZES = ['landscape', 'portrait'];
export const VIDEO_DIMENSIONS: Record<string, [number, number]> = {
	landscape: [1920, 1080],
	portrait: [1080, 1920],
};

/** §12 historical price list. */
export const PRICES = {
	captionRegular: 6,
	captionDeep: 8,
	captionPerImage: 1,
	captionPerVideoMinute: 6,
	captionPerSourceUrl: 1,
	publishBase: 1,
	publishXSurcharge: 3,
};

export const MAX_SCHEDULED_PER_WORKSPACE = 100;
export const MAX_SCHEDULE_AHEAD_MS = 60 * 24 * 3600 * 1000;
export const DAY_MS = 24 * 3600 * 1000;
export const ANALYTICS_FIRST_FETCH_MS = 3600 * 1000;
export const ANALYTICS_DAYS = 90;

export const GENERATION_STATUSES = ['pending', 'processing', 'completed', 'failed'];
export const POST_STATUSES = ['draft', 'scheduled', 'publishing', 'published', 'failed'];
