/**
 * The operations table of the fault suite: for every operation of the PowerPost node, minimal valid
 * parameters, the setup it needs in the sandbox, the requests it makes (where faults are injected),
 * what a correct output looks like, and its parameters for the bad-input generator.
 */
import type { Sandbox } from '../../sandbox/server';
import type { HarnessInputItem } from '../harness';
import { api, byId, completedCaption, draft, until } from '../contract/post-helpers';
import { PNG } from '../contract/generation-helpers';

export type Json = Record<string, any>;
export type Ctx = Record<string, any>;

/** A request of the operation that faults are injected on. */
export interface Target {
	label: string;
	method: string;
	path: RegExp;
	/** Repeating the request cannot change the outcome (GET/PATCH/DELETE): a transient fault must end in success. */
	repeatable: boolean;
}

/** One parameter for the bad-input generator. */
export interface ParamSpec {
	/** Display name the error must contain (any of them). */
	field: string | string[];
	/** Where the value goes in the parameters (`additionalFields.ctaText`). */
	path: string;
	kind: 'requiredText' | 'text' | 'enum' | 'int' | 'date' | 'time' | 'list' | 'enumList' | 'bool' | 'locator' | 'seconds' | 'json';
	max?: number;
	min?: number;
	/** For `list`/`enumList`: most entries allowed. */
	maxEntries?: number;
	/** Extra invalid values for this parameter. */
	extra?: unknown[];
	/** Values that are wrong for this parameter only (a time zone is added as workflow setting). */
	zoneCases?: boolean;
}

export interface BadCase {
	/** Parameters patch. */
	params?: Json;
	/** Replaces the input items. */
	input?: HarnessInputItem[];
	timezone?: string;
	field: string | string[];
	what: string;
}

export interface OpSpec {
	name: string;
	resource: string;
	operation: string;
	setup?: (sb: Sandbox) => Promise<Ctx>;
	params: (ctx: Ctx) => Json;
	input?: (ctx: Ctx) => HarnessInputItem[];
	targets: Target[];
	/** True when the output items are what a successful run gives. */
	ok: (items: Json[], ctx: Ctx) => boolean;
	/** The request that creates or changes something and is never sent twice in effect. */
	acts?: { method: string; path: RegExp; what: string };
	/** Sandbox state maps that must grow by at most one per run. */
	creates?: Array<'posts' | 'generations' | 'imageGenerations' | 'videoGenerations' | 'calendar' | 'media'>;
	/** Parameters patch that sets the request timeout (seconds) where the operation has one. */
	timeout?: { patch: (seconds: number) => Json; minSeconds: number };
	/** Bad-input generator: the parameters and their kinds. */
	bad?: ParamSpec[];
	/** Hand-written invalid cases on top of the generated ones. */
	badCases?: BadCase[];
}

const FAKE_ID = '00000000-0000-4000-8000-000000000001';
const POLL = { pollInterval: 0.1, timeout: 20 };
const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
const ids = (n: number) => Array.from({ length: n }, (_, i) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`).join(',');

async function published(sb: Sandbox): Promise<Json> {
	const post = await draft(sb, [
		{ post_type: 'x-post', content: 'Fault suite post' },
		{ post_type: 'linkedin-post', content: 'Fault suite post' },
	]);
	await api(sb, 'POST', `/posts/${post.post_id}/publish`);
	return await until(
		async () => (await api(sb, 'GET', `/posts/${post.post_id}`)).body,
		(p) => p.status === 'published' || p.status === 'failed',
	);
}

async function calendarEntry(sb: Sandbox): Promise<Json> {
	const r = await api(sb, 'POST', '/calendar/entries', { title: 'Fault suite entry', scheduled_date: '2026-12-01' });
	if (r.status !== 200) throw new Error(`setup: calendar entry ${r.status}`);
	return r.body;
}

async function job(sb: Sandbox, path: string, body: Json, idKey: string, getPath: string): Promise<Json> {
	const r = await api(sb, 'POST', path, body);
	if (r.status !== 200) throw new Error(`setup: ${path} ${r.status} ${JSON.stringify(r.body)}`);
	const id = r.body[idKey] as string;
	return await until(
		async () => (await api(sb, 'GET', `${getPath}/${id}`)).body,
		(g) => g.status === 'completed' || g.status === 'failed',
	);
}

const get = (label: string, path: RegExp): Target => ({ label, method: 'GET', path, repeatable: true });
const post = (label: string, path: RegExp): Target => ({ label, method: 'POST', path, repeatable: false });

const waitBad = (): ParamSpec[] => [
	{ field: 'Wait for Completion', path: 'waitForCompletion', kind: 'bool' },
	{ field: 'Poll Interval (Seconds)', path: 'waitOptions.pollInterval', kind: 'seconds', max: 300 },
	{ field: 'Timeout (Seconds)', path: 'waitOptions.timeout', kind: 'seconds', max: 3600 },
];
const listBad = (): ParamSpec[] => [
	{ field: 'Return All', path: 'returnAll', kind: 'bool' },
	{ field: 'Limit', path: 'limit', kind: 'int', min: 1 },
];
const postLocatorBad = (): ParamSpec[] => [{ field: 'Post', path: 'postId', kind: 'locator' }];
const entryLocatorBad = (): ParamSpec[] => [{ field: 'Calendar Entry', path: 'entryId', kind: 'locator' }];

export const OPERATIONS: OpSpec[] = [
	{
		name: 'account.getCredits',
		resource: 'account',
		operation: 'getCredits',
		params: () => ({}),
		targets: [get('GET /account/credits', /^\/account\/credits$/)],
		ok: (items) => typeof items[0]?.balance === 'number',
	},
	{
		name: 'media.upload',
		resource: 'media',
		operation: 'upload',
		params: () => ({ binaryPropertyName: 'data', mediaType: 'auto', options: {} }),
		input: () => [{ json: {}, binary: { data: { data: PNG, mimeType: 'image/png', fileName: 'pixel.png' } } }],
		targets: [post('POST /media/upload', /^\/media\/upload$/)],
		acts: { method: 'POST', path: /^\/media\/upload$/, what: 'upload' },
		creates: ['media'],
		ok: (items) => typeof items[0]?.media_id === 'string',
		timeout: { patch: (seconds) => ({ options: { timeout: seconds } }), minSeconds: 10 },
		bad: [
			{ field: 'Input Binary Field', path: 'binaryPropertyName', kind: 'requiredText', extra: ['nope'] },
			{ field: 'Media Type', path: 'mediaType', kind: 'enum' },
			{ field: 'File Name', path: 'options.fileName', kind: 'text', max: 255 },
			{ field: ['MIME Type', 'Input Binary Field', 'Media Type'], path: 'options.mimeType', kind: 'text', max: 200, extra: ['text/plain', 'image/gif'] },
			{ field: 'Timeout (Seconds)', path: 'options.timeout', kind: 'int', min: 10, max: 7200 },
		],
		badCases: [
			{ input: [{ json: { a: 1 } }], field: 'Input Binary Field', what: 'missing binary (JSON only)' },
			{ input: [{ json: {}, binary: { other: { data: PNG, mimeType: 'image/png', fileName: 'p.png' } } }], field: 'Input Binary Field', what: 'binary under another name' },
			{ input: [{ json: {}, binary: { data: { data: Buffer.alloc(0), mimeType: 'image/png', fileName: 'empty.png' } } }], field: 'Input Binary Field', what: 'empty file' },
			{ input: [{ json: {}, binary: { data: { data: Buffer.from('hello'), mimeType: 'text/plain', fileName: 'a.txt' } } }], field: ['Media Type', 'Input Binary Field'], what: 'text file' },
			{ input: [{ json: {}, binary: { data: { data: Buffer.alloc(10 * 1024 * 1024 + 1), mimeType: 'image/png', fileName: 'big.png' } } }], field: 'Input Binary Field', what: 'image over 10 MB' },
			{ params: { mediaType: 'video' }, field: 'Media Type', what: 'PNG uploaded as video' },
		],
	},
	{
		name: 'caption.generate',
		resource: 'caption',
		operation: 'generate',
		params: () => ({
			inputMode: 'text',
			prompt: 'Autumn launch of our oat latte',
			postTypes: ['x-post', 'linkedin-post'],
			researchMode: 'regular',
			waitForCompletion: true,
			waitOptions: POLL,
			additionalFields: {},
		}),
		targets: [post('POST /content/generate', /^\/content\/generate$/), get('GET /content/generations/{id}', /^\/content\/generations\/[^/]+$/)],
		acts: { method: 'POST', path: /^\/content\/generate$/, what: 'caption generation' },
		creates: ['generations'],
		ok: (items) => items[0]?.status === 'completed' && Array.isArray(items[0]?.captions),
		bad: [
			{ field: 'Input Mode', path: 'inputMode', kind: 'enum' },
			{ field: 'Prompt', path: 'prompt', kind: 'requiredText', min: 3, max: 2000 },
			{ field: 'Post Types', path: 'postTypes', kind: 'enumList', min: 1 },
			{ field: 'Research Mode', path: 'researchMode', kind: 'enum' },
			{ field: 'CTA Text', path: 'additionalFields.ctaText', kind: 'text', max: 100 },
			{ field: 'Writing Style ID', path: 'additionalFields.writingStyleId', kind: 'text', max: 200 },
			{ field: 'Source URLs', path: 'additionalFields.sourceUrls', kind: 'list', maxEntries: 10, extra: ['http://example.com/a', 'not a url', 'ftp://example.com/x'] },
			...waitBad(),
		],
		badCases: [
			{ params: { inputMode: 'images', imageMediaIds: '' }, field: 'Image Media IDs', what: 'images mode without media ids' },
			{ params: { inputMode: 'images', imageMediaIds: ids(11) }, field: 'Image Media IDs', what: '11 image ids' },
			{ params: { inputMode: 'images', imageMediaIds: { a: 1 } }, field: 'Image Media IDs', what: 'image ids as an object' },
			{ params: { inputMode: 'video', videoMediaId: '' }, field: 'Video Media ID', what: 'video mode without media id' },
			{ params: { inputMode: 'video', videoMediaId: ids(2) }, field: 'Video Media ID', what: 'two video ids' },
		],
	},
	{
		name: 'caption.get',
		resource: 'caption',
		operation: 'get',
		setup: async (sb) => ({ generation: await completedCaption(sb, ['x-post']) }),
		params: (ctx) => ({ generationId: byId(ctx.generation?.generation_id ?? FAKE_ID) }),
		targets: [get('GET /content/generations/{id}', /^\/content\/generations\/[^/]+$/)],
		ok: (items, ctx) => items[0]?.generation_id === ctx.generation.generation_id && items[0]?.status === 'completed',
		bad: [{ field: 'Generation', path: 'generationId', kind: 'locator', max: 200 }],
	},
	{
		name: 'caption.getMany',
		resource: 'caption',
		operation: 'getMany',
		setup: async (sb) => ({ generation: await completedCaption(sb, ['x-post']) }),
		params: () => ({ returnAll: false, limit: 10, filters: {} }),
		targets: [get('GET /content/generations', /^\/content\/generations$/)],
		ok: (items, ctx) => items.some((g) => g.generation_id === ctx.generation.generation_id),
		bad: [...listBad(), { field: 'Status', path: 'filters.status', kind: 'enum' }],
	},
	{
		name: 'image.generate',
		resource: 'image',
		operation: 'generate',
		params: () => ({
			mode: 'text',
			prompt: 'A cup of coffee on a desk',
			model: 'flux2-flex',
			size: 'square',
			quantity: 1,
			enhancePrompt: false,
			waitForCompletion: true,
			waitOptions: POLL,
		}),
		targets: [post('POST /images/generate', /^\/images\/generate$/), get('GET /images/generations/{id}', /^\/images\/generations\/[^/]+$/)],
		acts: { method: 'POST', path: /^\/images\/generate$/, what: 'image generation' },
		creates: ['imageGenerations'],
		ok: (items) => items[0]?.status === 'completed' && items[0]?.media_ids?.length === 1,
		bad: [
			{ field: 'Mode', path: 'mode', kind: 'enum' },
			{ field: 'Prompt', path: 'prompt', kind: 'requiredText', max: 2000 },
			{ field: 'Model', path: 'model', kind: 'enum' },
			{ field: 'Size', path: 'size', kind: 'enum' },
			{ field: 'Quantity', path: 'quantity', kind: 'int', min: 1, max: 4 },
			{ field: 'Enhance Prompt', path: 'enhancePrompt', kind: 'bool' },
			...waitBad(),
		],
		badCases: [
			{ params: { model: 'gpt-image-2', size: 'feed' }, field: 'Size', what: 'feed size with gpt-image-2' },
			{ params: { mode: 'reference', styleImages: '' }, field: 'Style Image Media IDs', what: 'reference mode without style images' },
			{ params: { mode: 'reference', styleImages: ids(5) }, field: 'Style Image Media IDs', what: '5 style images' },
			{ params: { mode: 'post', generationId: byId('') }, field: 'Generation', what: 'post mode without generation' },
			{ params: { mode: 'post', generationId: byId(FAKE_ID), sourcePostType: 'myspace-post' }, field: 'Source Post Type', what: 'unknown source post type' },
		],
	},
	{
		name: 'image.get',
		resource: 'image',
		operation: 'get',
		setup: async (sb) => ({ job: await job(sb, '/images/generate', { prompt: 'A lighthouse', model: 'flux2-flex', size: 'square', quantity: 1 }, 'image_generation_id', '/images/generations') }),
		params: (ctx) => ({ imageGenerationId: ctx.job?.image_generation_id ?? FAKE_ID }),
		targets: [get('GET /images/generations/{id}', /^\/images\/generations\/[^/]+$/)],
		ok: (items, ctx) => items[0]?.image_generation_id === ctx.job.image_generation_id && items[0]?.media_ids?.length === 1,
		bad: [{ field: 'Image Generation ID', path: 'imageGenerationId', kind: 'requiredText', max: 200 }],
	},
	{
		name: 'video.generate',
		resource: 'video',
		operation: 'generate',
		params: () => ({
			prompt: 'Slow aerial shot over a coastal town',
			model: 'kling-3.0-pro',
			duration: 5,
			size: 'landscape',
			hasAudio: false,
			waitForCompletion: true,
			waitOptions: POLL,
			additionalFields: {},
		}),
		targets: [post('POST /videos/generate', /^\/videos\/generate$/), get('GET /videos/generations/{id}', /^\/videos\/generations\/[^/]+$/)],
		acts: { method: 'POST', path: /^\/videos\/generate$/, what: 'video generation' },
		creates: ['videoGenerations'],
		ok: (items) => items[0]?.status === 'completed' && typeof items[0]?.media_id === 'string',
		bad: [
			{ field: 'Prompt', path: 'prompt', kind: 'requiredText', max: 2500 },
			{ field: 'Model', path: 'model', kind: 'enum' },
			{ field: 'Duration (Seconds)', path: 'duration', kind: 'int', extra: [7, 4, 8, 0] },
			{ field: 'Size', path: 'size', kind: 'enum', extra: ['square'] },
			{ field: 'With Audio', path: 'hasAudio', kind: 'bool' },
			{ field: 'Enhance Prompt', path: 'additionalFields.enhancePrompt', kind: 'bool' },
			{ field: 'Source Image Media ID', path: 'additionalFields.sourceImage', kind: 'text', max: 200 },
			...waitBad(),
		],
		badCases: [
			{ params: { model: 'runway-gen-4.5', hasAudio: true }, field: 'With Audio', what: 'audio with Runway' },
			{ params: { model: 'runway-gen-4.5', prompt: 'x'.repeat(1001) }, field: 'Prompt', what: 'Runway prompt over 1,000 characters' },
			{ params: { model: 'veo-3.1', duration: 5 }, field: 'Duration (Seconds)', what: 'Veo with 5 s' },
		],
	},
	{
		name: 'video.get',
		resource: 'video',
		operation: 'get',
		setup: async (sb) => ({ job: await job(sb, '/videos/generate', { prompt: 'A river', model: 'kling-3.0-pro', duration: 5, size: 'landscape' }, 'video_generation_id', '/videos/generations') }),
		params: (ctx) => ({ videoGenerationId: ctx.job?.video_generation_id ?? FAKE_ID }),
		targets: [get('GET /videos/generations/{id}', /^\/videos\/generations\/[^/]+$/)],
		ok: (items, ctx) => items[0]?.video_generation_id === ctx.job.video_generation_id && typeof items[0]?.media_id === 'string',
		bad: [{ field: 'Video Generation ID', path: 'videoGenerationId', kind: 'requiredText', max: 200 }],
	},
	{
		name: 'post.create',
		resource: 'post',
		operation: 'create',
		params: () => ({ itemsSource: 'shared', postTypes: ['x-post', 'linkedin-post'], content: 'Hello from the fault suite', title: '', mediaIds: '' }),
		targets: [post('POST /posts', /^\/posts$/)],
		acts: { method: 'POST', path: /^\/posts$/, what: 'post' },
		creates: ['posts'],
		ok: (items) => typeof items[0]?.post_id === 'string' && items[0]?.status === 'draft' && items[0]?.items?.length === 2,
		bad: [
			{ field: 'Define Items', path: 'itemsSource', kind: 'enum' },
			{ field: 'Post Types', path: 'postTypes', kind: 'enumList', min: 1 },
			{ field: 'Content', path: 'content', kind: 'text', extra: ['', '   '] },
			{ field: 'Media IDs', path: 'mediaIds', kind: 'list', extra: [[{ a: 1 }], [null]] },
		],
		badCases: [
			{ params: { postTypes: ['youtube-video'], title: '' }, field: 'Title', what: 'YouTube without title' },
			{ params: { generationId: byId({ a: 1 } as unknown as string) }, field: 'Caption Generation', what: 'generation ID an object' },
			{ params: { generationId: byId(['a', 'b'] as unknown as string) }, field: 'Caption Generation', what: 'generation ID a list' },
			{ params: { itemsSource: 'json', itemsJson: 'not json' }, field: 'Items (JSON)', what: 'JSON that does not parse' },
			{ params: { itemsSource: 'json', itemsJson: '{"post_type":"x-post"}' }, field: 'Items (JSON)', what: 'JSON object, not array' },
			{ params: { itemsSource: 'json', itemsJson: '[]' }, field: 'Items (JSON)', what: 'empty JSON array' },
			{ params: { itemsSource: 'json', itemsJson: '[1]' }, field: 'Items (JSON)', what: 'JSON entry not an object' },
			{ params: { itemsSource: 'json', itemsJson: '[{"post_type":"myspace","content":"x"}]' }, field: 'Post Type', what: 'JSON unknown post type' },
			{ params: { itemsSource: 'json', itemsJson: '[{"post_type":"x-post","content":"a"},{"post_type":"x-post","content":"b"}]' }, field: 'Post Type', what: 'JSON duplicate post type' },
			{ params: { itemsSource: 'json', itemsJson: '[{"post_type":"x-post","content":{"a":1}}]' }, field: 'Content', what: 'JSON content object' },
			{ params: { itemsSource: 'items', items: {} }, field: 'Items', what: 'no entries' },
			{ params: { itemsSource: 'items', items: { item: [{ postType: 'nope', content: 'x' }] } }, field: 'Post Type', what: 'entry unknown post type' },
			{ params: { itemsSource: 'items', items: { item: [{ postType: 'x-post', content: 'a' }, { postType: 'x-post', content: 'b' }] } }, field: 'Post Type', what: 'entries with a duplicate post type' },
			{ params: { itemsSource: 'items', items: { item: [{ postType: 'x-post', content: '' }] } }, field: 'Content', what: 'entry without content' },
		],
	},
	{
		name: 'post.get',
		resource: 'post',
		operation: 'get',
		setup: async (sb) => ({ post: await draft(sb) }),
		params: (ctx) => ({ postId: byId(ctx.post?.post_id ?? FAKE_ID) }),
		targets: [get('GET /posts/{id}', /^\/posts\/[^/]+$/)],
		ok: (items, ctx) => items[0]?.post_id === ctx.post.post_id,
		bad: postLocatorBad(),
	},
	{
		name: 'post.getMany',
		resource: 'post',
		operation: 'getMany',
		setup: async (sb) => ({ post: await draft(sb) }),
		params: () => ({ returnAll: false, limit: 10, filters: {} }),
		targets: [get('GET /posts', /^\/posts$/)],
		ok: (items, ctx) => items.some((p) => p.post_id === ctx.post.post_id),
		bad: [...listBad(), { field: 'Status', path: 'filters.status', kind: 'enum' }],
	},
	{
		name: 'post.publish',
		resource: 'post',
		operation: 'publish',
		setup: async (sb) => ({ post: await draft(sb, [{ post_type: 'x-post', content: 'Publish me' }, { post_type: 'linkedin-post', content: 'Publish me' }]) }),
		params: (ctx) => ({ postId: byId(ctx.post?.post_id ?? FAKE_ID), waitForCompletion: true, output: 'post', waitOptions: POLL }),
		targets: [post('POST /posts/{id}/publish', /^\/posts\/[^/]+\/publish$/), get('GET /posts/{id}', /^\/posts\/[^/]+$/)],
		acts: { method: 'POST', path: /^\/posts\/[^/]+\/publish$/, what: 'publish' },
		ok: (items, ctx) => items[0]?.post_id === ctx.post.post_id && items[0]?.status === 'published' && items[0]?.summary?.posted === 2,
		bad: [
			...postLocatorBad(),
			{ field: 'Output', path: 'output', kind: 'enum' },
			...waitBad(),
		],
	},
	{
		name: 'post.schedule',
		resource: 'post',
		operation: 'schedule',
		setup: async (sb) => ({ post: await draft(sb), at: iso(Date.now() + 86_400_000) }),
		params: (ctx) => ({ postId: byId(ctx.post?.post_id ?? FAKE_ID), scheduledAt: ctx.at ?? iso(Date.now() + 86_400_000) }),
		targets: [post('POST /posts/{id}/schedule', /^\/posts\/[^/]+\/schedule$/)],
		acts: { method: 'POST', path: /^\/posts\/[^/]+\/schedule$/, what: 'schedule' },
		ok: (items, ctx) => items[0]?.post_id === ctx.post.post_id && items[0]?.status === 'scheduled',
		bad: [
			...postLocatorBad(),
			{
				field: 'Scheduled At',
				path: 'scheduledAt',
				kind: 'date',
				zoneCases: true,
				extra: [iso(Date.now() - 3_600_000), iso(Date.now() + 61 * 86_400_000)],
			},
		],
	},
	{
		name: 'post.cancelPublish',
		resource: 'post',
		operation: 'cancelPublish',
		setup: async (sb) => {
			const p = await draft(sb);
			const r = await api(sb, 'POST', `/posts/${p.post_id}/schedule`, { scheduled_at: iso(Date.now() + 86_400_000) });
			if (r.status !== 200) throw new Error(`setup: schedule ${r.status}`);
			return { post: p };
		},
		params: (ctx) => ({ postId: byId(ctx.post?.post_id ?? FAKE_ID) }),
		targets: [post('POST /posts/{id}/cancel-publish', /^\/posts\/[^/]+\/cancel-publish$/)],
		acts: { method: 'POST', path: /^\/posts\/[^/]+\/cancel-publish$/, what: 'cancel-publish' },
		ok: (items, ctx) => items[0]?.post_id === ctx.post.post_id && items[0]?.status === 'draft',
		bad: postLocatorBad(),
	},
	{
		name: 'analytics.getForPost',
		resource: 'analytics',
		operation: 'getForPost',
		setup: async (sb) => ({ post: await published(sb) }),
		params: (ctx) => ({ postId: byId(ctx.post?.post_id ?? FAKE_ID) }),
		targets: [get('GET /posts/{id}', /^\/posts\/[^/]+$/), get('GET /post-items/{id}/analytics', /^\/post-items\/[^/]+\/analytics$/)],
		ok: (items, ctx) => items.length === 2 && items.every((i) => i.post_id === ctx.post.post_id && 'metricsAvailable' in i),
		bad: postLocatorBad(),
	},
	{
		name: 'analytics.getForPostItem',
		resource: 'analytics',
		operation: 'getForPostItem',
		setup: async (sb) => ({ post: await published(sb) }),
		params: (ctx) => ({ postItemId: ctx.post?.items?.[0]?.item_id ?? FAKE_ID }),
		targets: [get('GET /post-items/{id}/analytics', /^\/post-items\/[^/]+\/analytics$/)],
		ok: (items, ctx) => items[0]?.post_item_id === ctx.post.items[0].item_id,
		bad: [{ field: 'Post Item ID', path: 'postItemId', kind: 'requiredText' }],
	},
	{
		name: 'calendar.create',
		resource: 'calendar',
		operation: 'create',
		params: () => ({ title: 'Launch day', scheduledDate: '2026-12-01', additionalFields: { scheduledTime: '09:30', platforms: ['x'] } }),
		targets: [post('POST /calendar/entries', /^\/calendar\/entries$/)],
		acts: { method: 'POST', path: /^\/calendar\/entries$/, what: 'calendar entry' },
		creates: ['calendar'],
		ok: (items) => typeof items[0]?.entry_id === 'string' && items[0]?.scheduled_date === '2026-12-01',
		bad: [
			{ field: 'Title', path: 'title', kind: 'requiredText', max: 500 },
			{ field: 'Scheduled Date', path: 'scheduledDate', kind: 'date', zoneCases: true },
			{ field: 'Description', path: 'additionalFields.description', kind: 'text', max: 5000 },
			{ field: 'Scheduled Time', path: 'additionalFields.scheduledTime', kind: 'time' },
			{ field: 'Platforms', path: 'additionalFields.platforms', kind: 'enumList' },
		],
	},
	{
		name: 'calendar.get',
		resource: 'calendar',
		operation: 'get',
		setup: async (sb) => ({ entry: await calendarEntry(sb) }),
		params: (ctx) => ({ entryId: byId(ctx.entry?.entry_id ?? FAKE_ID) }),
		targets: [get('GET /calendar/entries/{id}', /^\/calendar\/entries\/[^/]+$/)],
		ok: (items, ctx) => items[0]?.entry_id === ctx.entry.entry_id,
		bad: entryLocatorBad(),
	},
	{
		name: 'calendar.getMany',
		resource: 'calendar',
		operation: 'getMany',
		setup: async (sb) => ({ entry: await calendarEntry(sb) }),
		params: () => ({ startDate: '2026-11-01', endDate: '2026-12-31', returnAll: true }),
		targets: [get('GET /calendar/entries', /^\/calendar\/entries$/)],
		ok: (items, ctx) => items.some((e) => e.entry_id === ctx.entry.entry_id),
		bad: [
			{ field: 'Start Date', path: 'startDate', kind: 'date', zoneCases: true },
			{ field: 'End Date', path: 'endDate', kind: 'date', extra: ['2026-10-01'] },
			{ field: 'Return All', path: 'returnAll', kind: 'bool' },
		],
		badCases: [
			{ params: { returnAll: false, limit: 0 }, field: 'Limit', what: 'limit 0' },
			{ params: { returnAll: false, limit: 2.5 }, field: 'Limit', what: 'limit 2.5' },
			{ params: { returnAll: false, limit: 'ten' }, field: 'Limit', what: 'limit text' },
		],
	},
	{
		name: 'calendar.update',
		resource: 'calendar',
		operation: 'update',
		setup: async (sb) => ({ entry: await calendarEntry(sb) }),
		params: (ctx) => ({ entryId: byId(ctx.entry?.entry_id ?? FAKE_ID), updateFields: { title: 'Moved launch', scheduledTime: '14:00' } }),
		targets: [{ label: 'PATCH /calendar/entries/{id}', method: 'PATCH', path: /^\/calendar\/entries\/[^/]+$/, repeatable: true }],
		ok: (items, ctx) => items[0]?.entry_id === ctx.entry.entry_id && items[0]?.title === 'Moved launch',
		bad: [
			...entryLocatorBad(),
			{ field: 'Title', path: 'updateFields.title', kind: 'requiredText', max: 500 },
			{ field: 'Description', path: 'updateFields.description', kind: 'requiredText', max: 5000 },
			{ field: 'Scheduled Date', path: 'updateFields.scheduledDate', kind: 'date', zoneCases: true },
			{ field: 'Scheduled Time', path: 'updateFields.scheduledTime', kind: 'time' },
			{ field: 'Platforms', path: 'updateFields.platforms', kind: 'enumList' },
		],
		badCases: [
			{ params: { updateFields: {} }, field: 'Update Fields', what: 'nothing to change' },
			{ params: { updateFields: { clearDescription: true, description: 'x' } }, field: 'Description', what: 'description and clear description' },
			{ params: { updateFields: { clearTime: true, scheduledTime: '10:00' } }, field: 'Scheduled Time', what: 'time and clear time' },
		],
	},
	{
		name: 'calendar.delete',
		resource: 'calendar',
		operation: 'delete',
		setup: async (sb) => ({ entry: await calendarEntry(sb) }),
		params: (ctx) => ({ entryId: byId(ctx.entry?.entry_id ?? FAKE_ID) }),
		targets: [{ label: 'DELETE /calendar/entries/{id}', method: 'DELETE', path: /^\/calendar\/entries\/[^/]+$/, repeatable: true }],
		ok: (items, ctx) => items[0]?.deleted === true && items[0]?.entry_id === ctx.entry.entry_id,
		bad: entryLocatorBad(),
	},
];
