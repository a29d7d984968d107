// Facts of the PostEverywhere contract (docs/api/posteverywhere.md) the sandbox uses, plus its
// fixed fixtures (keys, accounts) and the switches of its profiles. §-numbers refer to the contract.
import type { SwitchSpec } from '../core/profiles';

/** §1 platform values (seed 7 + pinterest; bluesky etc. are accepted on accounts only, §15.18). */
export const PLATFORMS = ['x', 'instagram', 'facebook', 'linkedin', 'youtube', 'tiktok', 'threads', 'pinterest'] as const;
export type Platform = (typeof PLATFORMS)[number];
/** §4.1 platform_content keys */
export const CONTENT_PLATFORMS = ['instagram', 'tiktok', 'youtube', 'linkedin', 'x', 'facebook', 'threads'] as const;

/** §4.1 documented character limits (only X and Instagram are documented). */
export const CHAR_LIMITS: Partial<Record<Platform, number>> = { x: 280, instagram: 2200 };

/** §2: scopes. `read`/`write` are the default access; `ai` is optional. */
export type Scope = 'read' | 'write' | 'ai';

/** §2 key format pe_live_ + 32 lowercase hex. */
export const KEYS = {
	/** read + write + ai */
	full: 'pe_live_5a4db0c0000000000000000000000001',
	/** read + write, no ai scope */
	noAi: 'pe_live_5a4db0c0000000000000000000000002',
	/** read only (older site's Read scope) */
	readOnly: 'pe_live_5a4db0c0000000000000000000000003',
	/** revoked: always 401 */
	revoked: 'pe_live_5a4db0c00000000000000000000000de',
} as const;
export type KeyLabel = keyof typeof KEYS;

export const KEY_SCOPES: Record<Exclude<KeyLabel, 'revoked'>, Scope[]> = {
	full: ['read', 'write', 'ai'],
	noAi: ['read', 'write'],
	readOnly: ['read'],
};

export interface AccountFixture {
	account_id: number;
	platform: string;
	account_name: string;
	/** health verdict of the health endpoint (§5.2) */
	health: 'healthy' | 'warning' | 'broken';
	reasons: string[];
}

/** Connected accounts of the sandbox organization. */
export const ACCOUNTS: AccountFixture[] = [
	{ account_id: 2280, platform: 'instagram', account_name: 'Sandbox Instagram', health: 'healthy', reasons: [] },
	{ account_id: 2281, platform: 'x', account_name: 'Sandbox X', health: 'healthy', reasons: [] },
	{ account_id: 2282, platform: 'facebook', account_name: 'Sandbox Facebook Page', health: 'healthy', reasons: [] },
	{ account_id: 2283, platform: 'linkedin', account_name: 'Sandbox LinkedIn', health: 'healthy', reasons: [] },
	{ account_id: 2284, platform: 'youtube', account_name: 'Sandbox YouTube', health: 'healthy', reasons: [] },
	{ account_id: 2285, platform: 'tiktok', account_name: 'Sandbox TikTok', health: 'healthy', reasons: [] },
	{ account_id: 2286, platform: 'threads', account_name: 'Sandbox Threads', health: 'healthy', reasons: [] },
	{ account_id: 2287, platform: 'pinterest', account_name: 'Sandbox Pinterest', health: 'healthy', reasons: [] },
	{ account_id: 2290, platform: 'x', account_name: 'Expired X', health: 'broken', reasons: ['token_expired', 'needs_reconnection'] },
	{ account_id: 2291, platform: 'instagram', account_name: 'Expiring Instagram', health: 'warning', reasons: ['token_expiring_soon'] },
];

/** §11 rate limits per key (rolling windows). */
export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;
export const RATE_BUCKETS = {
	all: [
		{ limit: 60, windowMs: MINUTE },
		{ limit: 1000, windowMs: HOUR },
		{ limit: 10_000, windowMs: DAY },
	],
	'posts-minute': [{ limit: 20, windowMs: MINUTE }],
	posts: [
		{ limit: 100, windowMs: HOUR },
		{ limit: 500, windowMs: DAY },
	],
	'ai-image': [
		{ limit: 50, windowMs: 5 * MINUTE },
		{ limit: 200, windowMs: HOUR },
	],
};

/** §6.1 upload types and limits. */
export const UPLOAD_TYPES: Record<string, 'image' | 'video' | 'document'> = {
	'image/jpeg': 'image',
	'image/png': 'image',
	'image/gif': 'image',
	'image/webp': 'image',
	'image/heic': 'image',
	'image/heif': 'image',
	'video/mp4': 'video',
	'application/pdf': 'document',
};

/** §13 webhook events */
export const WEBHOOK_EVENTS = [
	'post.scheduled',
	'post.publishing',
	'post.published',
	'post.failed',
	'post.partially_failed',
	'post.updated',
	'post.deleted',
	'post.approval_requested',
	'post.approved',
	'post.changes_requested',
	'account.connected',
	'account.disconnected',
	'account.reconnect_needed',
	'media.uploaded',
	'media.deleted',
] as const;
export const MAX_WEBHOOKS = 25;

/** §7.1 image models and their credit prices. */
export const IMAGE_MODELS: Record<string, number> = { 'nano-banana-pro': 15, 'ideogram-v2': 8, 'gemini-3-pro': 5, 'flux-schnell': 1 };
export const ASPECT_RATIOS = ['1:1', '16:9', '9:16', '4:3', '3:4', '4:5', '5:4'] as const;

export const POST_STATUSES = ['draft', 'scheduled', 'publishing', 'published', 'partially_failed', 'failed'] as const;
export type PostStatus = (typeof POST_STATUSES)[number];
export type DestinationStatus = 'queued' | 'publishing' | 'published' | 'failed';

/** Sandbox-clock durations (ms) of the asynchronous phases. */
export interface Timing {
	/** queued -> publishing after the publish call / scheduled time */
	publishQueue: number;
	/** one publishing attempt */
	publishAttempt: number;
	/** wait before an automatic retry (next_retry_at = failure time + this) */
	retryDelay: number;
	/** automatic attempts per destination before it is finally failed */
	maxAttempts: number;
	/** video `processing` after complete, and URL imports `uploading` */
	mediaProcessing: number;
	/** first webhook redelivery delay; doubles each time */
	webhookRetry: number;
}
export const DEFAULT_TIMING: Timing = {
	publishQueue: 500,
	publishAttempt: 1000,
	retryDelay: 60_000,
	maxAttempts: 3,
	mediaProcessing: 2000,
	webhookRetry: 30_000,
};

/** Behaviours the contract does not document: each is a switch; `strict` turns all of them off. */
export const SWITCHES = {
	requestIdHeader: {
		description: 'Every answer also carries the request id in an X-Request-Id header (the contract puts it only in meta.request_id).',
		generous: true,
	},
	destinationIds: {
		description: 'Destinations and result items carry their UUID `id` (the newest results page drops it, §15.6).',
		generous: true,
	},
	listTotals: {
		description: 'Post and media lists add `total` and `has_more` to `pagination` (§4.2 / §6.3 document only limit and offset; §15.13).',
		generous: true,
	},
	retryInfoInPost: {
		description: 'Post destinations (GET /posts, GET /posts/{id}) also carry `next_retry_at`; without it only /results shows it.',
		generous: true,
	},
	destinationChangesBumpUpdatedAt: {
		description:
			'Every destination change moves the post `updated_at`; off: only changes of post-level fields (status, content, targets, schedule) do.',
		generous: true,
	},
	naiveTimesInTimezone: {
		description: 'A `scheduled_for` without zone is read in the post `timezone` (seed); off: 400 validation_error (§15.2).',
		generous: true,
	},
	videoFromUrl: {
		description: 'upload-from-url accepts MP4 and answers `uploading` until ready (newer clients); off: 415 unsupported_media_type (docs, §15.8).',
		generous: true,
	},
	binaryMegabytes: {
		description: 'Size limits count 1 MB = 1,048,576 bytes; off: 1,000,000 bytes (the smaller reading of "20 MB" / "500 MB").',
		generous: true,
	},
	idempotentComplete: {
		description: 'Completing an already completed upload answers 200 with the same media; off: 409 conflict.',
		generous: true,
	},
	localWebhookUrls: {
		description:
			'Webhook URLs may be http:// and point at localhost/private hosts (needed to deliver to a local n8n); off: public HTTPS only, as documented (§13).',
		generous: true,
	},
	// Variants: documented alternative readings (older docs site, other clients). Off in both profiles;
	// turn them on one by one to check that a client tolerates them (§15.1, §15.4, §15.16).
	legacyPostsList: {
		description: 'GET /posts answers `data` as a bare array of posts (older site) instead of {posts, pagination} (§4.2, §15.1).',
		generous: false,
	},
	legacyResults: {
		description: 'GET /posts/{id}/results answers `data` as a bare array of results (older site) (§4.6, §15.1).',
		generous: false,
	},
	camelCaseMeta: {
		description: 'meta carries `requestId` instead of `request_id` (authentication/pagination pages, §15.16).',
		generous: false,
	},
	doneStatusName: {
		description: 'A published destination is reported as `done` (older SDK: queued|done|failed) in results, posts and webhook data (§15.3).',
		generous: false,
	},
	legacyAccountIds: {
		description: 'Accounts carry `id` as a string (older site, Python SDK) instead of `account_id` (§5.1).',
		generous: false,
	},
	legacyCreateAnswer: {
		description: 'POST /posts answers the older shape {post_id, status, scheduled_for, accounts_count, message} (§4.1).',
		generous: false,
	},
	partialStatusName: {
		description: 'The mixed post outcome is named `partial` (seed FAQ) instead of `partially_failed`; the list filter accepts `partial` (§15.4).',
		generous: false,
	},
} satisfies Record<string, SwitchSpec>;
export type SwitchName = keyof typeof SWITCHES;
