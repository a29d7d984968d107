// One declared schema per endpoint (contract §4–§8, §13), strict about unknown fields.
import { z } from 'zod';
import { boolParam, ianaZone, intParam, isoMaybeNaive, isoWithZone } from '../core/validate';
import { ASPECT_RATIOS, IMAGE_MODELS, POST_STATUSES, WEBHOOK_EVENTS } from './constants';

const uuid = z.string().uuid('must be a UUID');
const accountId = z.number({ invalid_type_error: 'must be an integer account id' }).int('must be an integer account id').positive();
const nonEmpty = (max: number) => z.string().min(1, 'must not be empty').max(max, `must be at most ${max} characters`);

// ------------------------------------------------------------------------------------ posts (§4)
const settings = <T extends z.ZodRawShape>(shape: T) => z.object(shape).strict();
const instagram = z
	.object({
		content: z.string().optional(),
		contentType: z.enum(['Post', 'Story', 'Reels', 'Trial Reel']).optional(),
		settings: settings({ altText: z.string().max(100, 'must be at most 100 characters').optional(), coverPhotoTimestamp: z.number().min(0).optional() }).optional(),
	})
	.strict();
const tiktok = z
	.object({
		content: z.string().optional(),
		settings: settings({
			privacyLevel: z.enum(['PUBLIC_TO_EVERYONE', 'MUTUAL_FOLLOW_FRIENDS', 'FOLLOWER_OF_CREATOR', 'SELF_ONLY']).optional(),
			allowComments: z.boolean().optional(),
			allowDuet: z.boolean().optional(),
			allowStitch: z.boolean().optional(),
		}).optional(),
	})
	.strict();
const youtube = z
	.object({
		content: z.string().optional(),
		contentType: z.enum(['Video', 'Short']).optional(),
		settings: settings({
			title: nonEmpty(100).optional(),
			privacyStatus: z.enum(['public', 'unlisted', 'private']).optional(),
			tags: z.array(z.string()).optional(),
		}).optional(),
	})
	.strict();
const textOnly = z.object({ content: z.string().optional() }).strict();
const facebook = z.object({ content: z.string().optional(), contentType: z.enum(['Post', 'Reels', 'Story']).optional() }).strict();
const x = z.object({ content: z.string().max(280, 'must be at most 280 characters').optional() }).strict();

export const platformContent = z
	.object({ instagram, tiktok, youtube, linkedin: textOnly, facebook, threads: textOnly, x })
	.partial()
	.strict();
export type PlatformContent = z.infer<typeof platformContent>;

export const createPost = z
	.object({
		content: z.string().max(63_206).optional(),
		account_ids: z.array(accountId).optional(),
		scheduled_for: isoMaybeNaive.nullable().optional(),
		scheduled_at: isoMaybeNaive.nullable().optional(),
		timezone: ianaZone.optional(),
		media_ids: z.array(uuid).max(20, 'must have at most 20 items').optional(),
		platform_content: platformContent.optional(),
		draft: z.boolean().optional(),
		use_queue: z.boolean().optional(),
		campaign_id: z.number().int().positive().nullable().optional(),
		cover_photo: z.record(z.unknown()).optional(),
	})
	.strict();
export type CreatePost = z.infer<typeof createPost>;

export const updatePost = z
	.object({
		content: z.string().max(63_206).optional(),
		account_ids: z.array(accountId).min(1, 'must have at least 1 item').optional(),
		scheduled_for: isoMaybeNaive.nullable().optional(),
		scheduled_at: isoMaybeNaive.nullable().optional(),
		timezone: ianaZone.optional(),
		media_ids: z.array(uuid).max(20).optional(),
		platform_content: platformContent.optional(),
		campaign_id: z.number().int().positive().nullable().optional(),
	})
	.strict();
export type UpdatePost = z.infer<typeof updatePost>;

const csv = <T extends string>(values: readonly T[]) =>
	z.string().refine(
		(v) => v.split(',').every((s) => (values as readonly string[]).includes(s.trim())),
		`must be a comma-separated list of: ${values.join(', ')}`,
	);

export const listPostsQuery = z
	.object({
		status: csv([...POST_STATUSES, 'partial']).optional(),
		platform: z.string().min(1).optional(),
		account_id: intParam(1).optional(),
		campaign_id: intParam(1).optional(),
		created_after: isoWithZone.optional(),
		created_before: isoWithZone.optional(),
		scheduled_after: isoWithZone.optional(),
		scheduled_before: isoWithZone.optional(),
		published_after: isoWithZone.optional(),
		published_before: isoWithZone.optional(),
		updated_after: isoWithZone.optional(),
		search: z.string().optional(),
		sort: z.enum(['created_at', 'scheduled_for', 'published_at', 'updated_at']).optional(),
		order: z.enum(['asc', 'desc']).optional(),
		limit: intParam(1, 100).optional(),
		offset: intParam(0).optional(),
	})
	.strict();
export type ListPostsQuery = z.infer<typeof listPostsQuery>;

export const deletePostQuery = z.object({ delete_on_platforms: z.string().min(1).optional() }).strict();

export const retryPost = z.object({ account_ids: z.array(accountId).min(1).optional() }).strict();

export const scheduleDraft = z
	.object({
		scheduled_for: isoMaybeNaive.optional(),
		publish_now: z.boolean().optional(),
		account_ids: z.array(accountId).min(1).optional(),
		timezone: ianaZone.optional(),
	})
	.strict();
export type ScheduleDraft = z.infer<typeof scheduleDraft>;

/** Items are validated one by one by the handler (§4.9: "validated independently"). */
export const bulkCreate = z.object({ posts: z.array(z.unknown()) }).strict();

export const retryFailed = z
	.object({
		post_ids: z.array(uuid).min(1).max(200, 'must have at most 200 items').optional(),
		account_id: z.number().int().positive().optional(),
		platform: z.string().min(1).optional(),
		failed_after: isoWithZone.optional(),
		failed_before: isoWithZone.optional(),
		max_attempts: z.number().int().min(1).max(10).optional(),
	})
	.strict();
export type RetryFailed = z.infer<typeof retryFailed>;

export const bulkScheduleRow = z
	.object({
		date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be YYYY-MM-DD'),
		time: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be HH:MM (24 h)'),
		content: z.string().min(1, 'must not be empty'),
		platforms: z.string().min(1, 'must not be empty'),
		media: z.string().optional(),
	})
	.strict();
export const bulkSchedule = z
	.object({
		posts: z.array(z.unknown()).min(1, 'must have at least 1 item'),
		timezone: ianaZone,
		dryRun: z.boolean().optional(),
		accountMapping: z.record(z.union([z.number().int(), z.array(z.number().int())])).optional(),
	})
	.strict();

// ------------------------------------------------------------------------------------ accounts (§5)
// (no body, no query)

// ------------------------------------------------------------------------------------ media (§6)
export const uploadMedia = z
	.object({
		filename: nonEmpty(255),
		content_type: z.string().min(1),
		size: z.number().int('must be an integer').positive('must be a positive number of bytes'),
		width: z.number().int().positive().optional(),
		height: z.number().int().positive().optional(),
		duration: z.number().positive().optional(),
		/** older site (§6.1): target platforms, informational */
		platforms: z.array(z.string()).optional(),
	})
	.strict();

export const uploadFromUrl = z.object({ url: z.string().url('must be a URL'), filename: nonEmpty(255).optional() }).strict();

export const listMediaQuery = z
	.object({ type: z.enum(['image', 'video', 'document']).optional(), limit: intParam(1, 100).optional(), offset: intParam(0).optional() })
	.strict();

export const deleteMediaQuery = z.object({ force: boolParam.optional() }).strict();

// ------------------------------------------------------------------------------------ ai (§7)
export const generateImage = z
	.object({
		prompt: nonEmpty(2000),
		aspect_ratio: z.enum(ASPECT_RATIOS).optional(),
		model: z.enum(Object.keys(IMAGE_MODELS) as [string, ...string[]]).optional(),
	})
	.strict();

export const generateCaption = z
	.object({
		topic: nonEmpty(1000),
		platform: z.enum(['instagram', 'facebook', 'x', 'twitter', 'linkedin', 'youtube', 'tiktok', 'threads', 'pinterest', 'bluesky']).optional(),
		tone: z.enum(['professional', 'casual', 'witty', 'enthusiastic', 'urgent', 'inspirational']).optional(),
		length: z.enum(['short', 'medium', 'long']).optional(),
		include_hashtags: z.boolean().optional(),
		include_emojis: z.boolean().optional(),
		count: z.number().int().min(1).max(5).optional(),
	})
	.strict();

// ------------------------------------------------------------------------------------ §8
export const analyticsQuery = z
	.object({ period: z.enum(['today', 'week', 'month', 'all', 'custom']).optional(), from: isoWithZone.optional(), to: isoWithZone.optional() })
	.strict();

const color = z.string().regex(/^#[0-9a-fA-F]{6}$/, 'must be a #RRGGBB color');
export const createCampaign = z
	.object({
		name: nonEmpty(100),
		description: z.string().max(500).nullable().optional(),
		color: color.optional(),
		status: z.enum(['active', 'archived']).optional(),
	})
	.strict();
export const updateCampaign = createCampaign.partial().strict();
export const listCampaignsQuery = z
	.object({ status: z.enum(['active', 'archived']).optional(), limit: intParam(1, 100).optional(), offset: intParam(0).optional() })
	.strict();

// ------------------------------------------------------------------------------------ webhooks (§13)
const events = z.array(z.enum(WEBHOOK_EVENTS)).min(1, 'must have at least 1 item');
export const createWebhook = z
	.object({
		url: z.string().url('must be a URL'),
		events,
		name: z.string().max(100).optional(),
		description: z.string().max(500).optional(),
	})
	.strict();
export const updateWebhook = z
	.object({
		url: z.string().url('must be a URL').optional(),
		events: events.optional(),
		name: z.string().max(100).nullable().optional(),
		description: z.string().max(500).nullable().optional(),
		is_active: z.boolean().optional(),
	})
	.strict();
