// Business logic of the sandbox: validation, lifecycles on the sandbox clock, serialization.
import { createHash, randomUUID } from 'node:crypto';
import {
	ANALYTICS_DAYS,
	ANALYTICS_FIRST_FETCH_MS,
	DAY_MS,
	GENERATION_STATUSES,
	IMAGE_DIMENSIONS,
	IMAGE_MODELS,
	IMAGE_SIZES,
	MAX_SCHEDULED_PER_WORKSPACE,
	MAX_SCHEDULE_AHEAD_MS,
	PLATFORMS,
	POST_STATUSES,
	POST_TYPES,
	PRICES,
	VIDEO_DIMENSIONS,
	VIDEO_MODELS,
	VIDEO_SIZES,
	WORKSPACES,
	type Platform,
} from './constants';
import { ApiError, check, notFound, validation } from './errors';
import { PROFILES, type Switches } from './profiles';
import type {
	ApiKeyRecord,
	CalendarEntryRecord,
	CaptionGeneration,
	ImageGeneration,
	MediaRecord,
	PostItemRecord,
	PostRecord,
	PostStatus,
	SandboxState,
	VideoGeneration,
} from './state';

export interface Timing {
	caption: number;
	image: number;
	video: number;
	publishItem: number;
	/** delay between the publish request (or the scheduled time) and the first item starting to post */
	publishQueue: number;
}
export const DEFAULT_TIMING: Timing = { caption: 1500, image: 2000, video: 8000, publishItem: 1500, publishQueue: 500 };

export interface Call {
	key: ApiKeyRecord;
	account: string;
	workspace: string; // '' for /account/credits
	params: string[];
	query: URLSearchParams;
	body: unknown;
	now: number;
}

export interface Result {
	status: number;
	body: unknown;
}

const ok = (body: unknown): Result => ({ status: 200, body });
export const iso = (ms: number) => new Date(ms).toISOString();

type Obj = Record<string, unknown>;

function asObject(body: unknown): Obj {
	check(body !== null && typeof body === 'object' && !Array.isArray(body), 'Request body must be a JSON object');
	return body as Obj;
}
const present = (v: unknown) => v !== undefined && v !== null;
const isInt = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v);

function optString(o: Obj, field: string, max: number, min = 0): string | null {
	const v = o[field];
	if (!present(v)) return null;
	check(typeof v === 'string', `${field} must be a string`);
	check(v.trim().length >= min, min > 0 ? `${field} must be at least ${min} characters` : `${field} must not be empty`);
	check(v.length <= max, `${field} must be at most ${max} characters`);
	return v;
}
function optBoolean(o: Obj, field: string, dflt: boolean): boolean {
	const v = o[field];
	if (!present(v)) return dflt;
	check(typeof v === 'boolean', `${field} must be a boolean`);
	return v;
}
function optEnum(o: Obj, field: string, values: string[], dflt: string): string {
	const v = o[field];
	if (!present(v)) return dflt;
	check(typeof v === 'string' && values.includes(v), `${field} must be one of: ${values.join(', ')}`);
	return v;
}
function stringArray(o: Obj, field: string): string[] | null {
	const v = o[field];
	if (!present(v)) return null;
	check(Array.isArray(v), `${field} must be an array of strings`);
	v.forEach((s, i) => check(typeof s === 'string' && s.length > 0, `${field}[${i}] must be a non-empty string`));
	return v as string[];
}

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;
const TIME_RE = /^([01]\d|2[0-3]):[0-5]\d$/;
function parseDate(v: unknown): number | null {
	if (typeof v !== 'string') return null;
	const m = DATE_RE.exec(v);
	if (!m) return null;
	const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
	const t = Date.UTC(y, mo - 1, d);
	const dt = new Date(t);
	if (dt.getUTCFullYear() !== y || dt.getUTCMonth() !== mo - 1 || dt.getUTCDate() !== d) return null;
	return t;
}

/** ISO-8601 date-time with an explicit offset or Z. */
const ISO_OFFSET_RE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/i;

/** deterministic 32-bit hash of a string */
function hash32(s: string): number {
	return createHash('sha256').update(s).digest().readUInt32BE(0);
}

interface Cursor {
	t: number;
	id: string;
}
function encodeCursor(c: Cursor): string {
	return Buffer.from(JSON.stringify(c)).toString('base64url');
}
function decodeCursor(s: string): Cursor {
	try {
		const c = JSON.parse(Buffer.from(s, 'base64url').toString('utf8')) as unknown;
		if (c && typeof c === 'object' && isInt((c as Cursor).t) && typeof (c as Cursor).id === 'string') return c as Cursor;
	} catch {
		/* fallthrough */
	}
	throw validation('cursor is invalid');
}

function parseListQuery(q: URLSearchParams, statuses: string[]): { status: string | null; limit: number; cursor: Cursor | null } {
	let status: string | null = null;
	if (q.has('status')) {
		status = q.get('status') ?? '';
		check(statuses.includes(status), `status must be one of: ${statuses.join(', ')}`);
	}
	let limit = 20;
	if (q.has('limit')) {
		const raw = q.get('limit') ?? '';
		check(/^\d+$/.test(raw) && Number(raw) >= 1 && Number(raw) <= 100, 'limit must be an integer between 1 and 100');
		limit = Number(raw);
	}
	let cursor: Cursor | null = null;
	if (q.has('cursor')) {
		const raw = q.get('cursor') ?? '';
		if (raw !== '') cursor = decodeCursor(raw);
	}
	return { status, limit, cursor };
}

/** keyset pagination over records sorted by (t desc, id desc) */
function paginate<T>(records: T[], key: (r: T) => Cursor, limit: number, cursor: Cursor | null) {
	const sorted = records
		.map((r) => ({ r, k: key(r) }))
		.sort((a, b) => b.k.t - a.k.t || (a.k.id < b.k.id ? 1 : a.k.id > b.k.id ? -1 : 0));
	const after = cursor
		? sorted.filter(({ k }) => k.t < cursor.t || (k.t === cursor.t && k.id < cursor.id))
		: sorted;
	const page = after.slice(0, limit);
	const has_more = after.length > limit;
	return {
		page: page.map((x) => x.r),
		has_more,
		next_cursor: has_more && page.length ? encodeCursor(page[page.length - 1].k) : null,
	};
}

const PRIVATE_HOST_RE =
	/^(localhost|.*\.localhost|.*\.local|.*\.internal|127\.\d+\.\d+\.\d+|10\.\d+\.\d+\.\d+|192\.168\.\d+\.\d+|172\.(1[6-9]|2\d|3[01])\.\d+\.\d+|169\.254\.\d+\.\d+|0\.0\.0\.0|\[::1?\]|\[f[cd][0-9a-f]*:.*\])$/i;

export class Engine {
	constructor(
		public readonly state: SandboxState,
		public timing: Timing,
		private readonly origin: () => string,
		public storageQuotaBytes: number,
		/** Behaviours beyond the contract (see profiles.ts); generous by default. */
		public switches: Switches = PROFILES.generous,
	) {}

	// ---------------------------------------------------------------- helpers
	balance(account: string): number {
		return this.state.credits.get(account) ?? 0;
	}
	private charge(account: string, amount: number): number {
		const bal = this.balance(account);
		if (bal < amount)
			throw new ApiError(402, 'INSUFFICIENT_CREDITS', `Insufficient credits: this request costs ${amount}, balance is ${bal}`);
		this.state.credits.set(account, bal - amount);
		return bal - amount;
	}
	private refund(account: string, amount: number) {
		if (amount > 0) this.state.credits.set(account, this.balance(account) + amount);
	}

	private mediaInWorkspace(id: string, workspace: string): MediaRecord | undefined {
		const m = this.state.media.get(id);
		return m && m.workspace === workspace ? m : undefined;
	}

	private fileUrl(m: MediaRecord, thumb = false): string {
		const ext = m.type === 'image' ? 'png' : thumb ? 'png' : 'mp4';
		return `${this.origin()}/files/${m.media_id}${thumb ? '.thumb' : ''}.${ext}`;
	}

	registerMedia(m: Omit<MediaRecord, 'media_id'> & { media_id?: string }): MediaRecord {
		const rec: MediaRecord = { ...m, media_id: m.media_id ?? randomUUID() };
		this.state.media.set(rec.media_id, rec);
		if (rec.source === 'upload') this.state.storageUsed.set(rec.account, (this.state.storageUsed.get(rec.account) ?? 0) + rec.file_size);
		return rec;
	}

	storageUsed(account: string): number {
		return this.state.storageUsed.get(account) ?? 0;
	}

	// ---------------------------------------------------------------- lifecycles
	/** Bring every time-driven object up to `now` (sandbox clock). Cheap: only active objects are visited. */
	process(now: number): void {
		const s = this.state;
		finishDue(now, s.active.generations, s.generations, (g) => this.finishCaption(g));
		finishDue(now, s.active.images, s.imageGenerations, (g) => this.finishImages(g));
		finishDue(now, s.active.videos, s.videoGenerations, (g) => this.finishVideo(g));
		// posts in the order their next event happens, so credits are spent in time order
		const posts = [...s.active.posts]
			.map((id) => s.posts.get(id))
			.filter((p): p is PostRecord => !!p)
			.sort((a, b) => (a.scheduled_at ?? a.publish_started_at ?? 0) - (b.scheduled_at ?? b.publish_started_at ?? 0));
		for (const p of posts) {
			if (p.status === 'scheduled' && p.scheduled_at !== null && now >= p.scheduled_at) {
				this.startPublish(p, p.scheduled_at);
			}
			if (p.status === 'publishing') this.advancePublish(p, now);
			if (p.status !== 'scheduled' && p.status !== 'publishing') s.active.posts.delete(p.post_id);
		}
	}

	private finishCaption(g: CaptionGeneration) {
		const at = g.completes_at;
		g.completed_at = at;
		const hasWebm = g.media_ids.some((id) => this.state.media.get(id)?.mime_type === 'video/webm');
		if ((g.prompt ?? '').includes('[fail]') || hasWebm) {
			g.status = 'failed';
			g.error = {
				code: 'GENERATION_FAILED',
				message: hasWebm ? 'WebM video is not supported as caption input' : 'Caption generation failed (sandbox: prompt contains [fail])',
			};
			this.refund(g.account, g.credits_charged);
			g.credits_used = 0;
			return;
		}
		// failed URL scrapes are refunded (sandbox: a URL containing "fail-scrape")
		const failedScrapes = g.source_urls.filter((u) => u.includes('fail-scrape')).length;
		this.refund(g.account, failedScrapes * PRICES.captionPerSourceUrl);
		g.credits_used = g.credits_charged - failedScrapes * PRICES.captionPerSourceUrl;
		g.status = 'completed';
		const base = (g.prompt ?? 'Fresh content from your latest media').trim();
		const outputs: CaptionGeneration['outputs'] = {};
		for (const platform of g.platforms) {
			const tags = ` #${platform} #powerpost`;
			const cta = g.cta_text ? ` ${g.cta_text}` : '';
			let text = `[${platform}] ${base}${cta}${tags}`;
			if (platform === 'x' && text.length > 280) text = `${base.slice(0, 280 - cta.length - tags.length - 5)}…${cta}${tags}`;
			if (platform === 'youtube') {
				outputs[platform] = { title: base.slice(0, 100), description: text };
			} else outputs[platform] = text;
		}
		g.outputs = outputs;
	}

	private finishImages(g: ImageGeneration) {
		const at = g.completes_at;
		g.completed_at = at;
		const prompt = g.prompt ?? '';
		const price = IMAGE_MODELS[g.model].credits;
		let okCount = g.quantity;
		if (prompt.includes('[fail]')) okCount = 0;
		else if (prompt.includes('[partial]') && g.quantity > 1) okCount = g.quantity - 1;
		const [width, height] = IMAGE_DIMENSIONS[g.size];
		for (let i = 0; i < okCount; i++) {
			const m = this.registerMedia({
				workspace: g.workspace,
				account: g.account,
				type: 'image',
				file_name: `image-${g.image_generation_id.slice(0, 8)}-${i + 1}.png`,
				file_size: 0,
				mime_type: 'image/png',
				created_at: at,
				source: 'image-generation',
				width,
				height,
			});
			g.images.push(m.media_id);
		}
		const refund = (g.quantity - okCount) * price;
		this.refund(g.account, refund);
		g.credits_used = g.credits_charged - refund;
		if (okCount === g.quantity) g.status = 'completed';
		else {
			g.status = 'failed';
			g.error = {
				code: 'IMAGE_GENERATION_FAILED',
				message:
					okCount === 0
						? 'Image generation failed (sandbox: prompt contains [fail])'
						: `${g.quantity - okCount} of ${g.quantity} images failed (sandbox: prompt contains [partial])`,
			};
		}
	}

	private finishVideo(g: VideoGeneration) {
		const at = g.completes_at;
		g.completed_at = at;
		if (g.prompt.includes('[fail]')) {
			g.status = 'failed';
			g.error = { code: 'VIDEO_GENERATION_FAILED', message: 'Video generation failed (sandbox: prompt contains [fail])' };
			this.refund(g.account, g.credits_charged);
			g.credits_used = 0;
			return;
		}
		const [width, height] = VIDEO_DIMENSIONS[g.size];
		const m = this.registerMedia({
			workspace: g.workspace,
			account: g.account,
			type: 'video',
			file_name: `video-${g.video_generation_id.slice(0, 8)}.mp4`,
			file_size: 0,
			mime_type: 'video/mp4',
			created_at: at,
			source: 'video-generation',
			width,
			height,
			duration: g.duration,
		});
		g.video = m.media_id;
		g.status = 'completed';
	}

	private touch(p: PostRecord, at: number) {
		if (at > p.updated_at) p.updated_at = at;
	}

	private startPublish(p: PostRecord, at: number) {
		p.status = 'publishing';
		p.publish_started_at = at;
		this.touch(p, at);
		this.state.active.posts.add(p.post_id);
	}

	private itemCost(item: PostItemRecord): number {
		return PRICES.publishBase + (item.platform === 'x' ? PRICES.publishXSurcharge : 0);
	}

	private advancePublish(p: PostRecord, now: number) {
		const P = this.timing.publishItem;
		const t0 = (p.publish_started_at ?? now) + this.timing.publishQueue;
		let lastEnd = p.publish_started_at ?? now;
		for (let i = 0; i < p.items.length; i++) {
			const item = p.items[i];
			const start = t0 + i * P;
			const end = start + P;
			if (item.status === 'posted' || item.status === 'failed') {
				lastEnd = end;
				continue;
			}
			if (now < start) return;
			if (item.status === 'draft') {
				item.status = 'posting';
				item.posting_at = start;
				this.touch(p, start);
			}
			if (now < end) return;
			this.finishItem(p, item, end);
			lastEnd = end;
		}
		const anyPosted = p.items.some((it) => it.status === 'posted');
		p.status = anyPosted ? 'published' : 'failed';
		if (anyPosted) p.published_at = lastEnd;
		this.touch(p, lastEnd);
	}

	private finishItem(p: PostRecord, item: PostItemRecord, at: number) {
		const fail = (code: string, message: string) => {
			item.status = 'failed';
			item.failed_at = at;
			item.error = { code, message };
			this.touch(p, at);
		};
		if (item.content.includes('[fail]') || (item.title ?? '').includes('[fail]'))
			return fail('PLATFORM_ERROR', `${item.platform} rejected the post (sandbox: content contains [fail])`);
		if (!this.state.connections.get(p.workspace)?.has(item.platform))
			return fail('PLATFORM_NOT_CONNECTED', `${item.platform} is not connected in this workspace`);
		const cost = this.itemCost(item);
		const bal = this.balance(p.account);
		if (bal < cost) return fail('INSUFFICIENT_CREDITS', `Insufficient credits to publish to ${item.platform}: needs ${cost}, balance ${bal}`);
		this.state.credits.set(p.account, bal - cost);
		item.credits_charged = cost;
		item.status = 'posted';
		item.posted_at = at;
		item.platform_post_id = `${item.platform}_${(hash32(item.item_id) % 9_000_000_000) + 1_000_000_000}`;
		this.touch(p, at);
	}

	// ---------------------------------------------------------------- serialization
	captionJson(g: CaptionGeneration, full: boolean) {
		const out: Obj = {
			generation_id: g.generation_id,
			status: g.status,
			prompt: g.prompt,
			platforms: g.platforms,
			research_mode: g.research_mode,
			credits_used: g.credits_used,
			created_at: iso(g.created_at),
		};
		if (full) {
			if (g.status === 'completed') out.outputs = g.outputs;
			if (g.status === 'failed') out.error = g.error;
		}
		return out;
	}

	private imageJson(m: MediaRecord) {
		return {
			media_id: m.media_id,
			url: this.fileUrl(m),
			thumbnail_url: this.fileUrl(m, true),
			width: m.width ?? 0,
			height: m.height ?? 0,
		};
	}

	imageGenJson(g: ImageGeneration) {
		const out: Obj = {
			image_generation_id: g.image_generation_id,
			status: g.status,
			prompt: g.prompt,
			size: g.size,
			quantity: g.quantity,
			...(this.switches.imageModel ? { model: g.model } : {}),
			created_at: iso(g.created_at),
			images: g.images.map((id) => this.state.media.get(id)).filter((m): m is MediaRecord => !!m).map((m) => this.imageJson(m)),
		};
		if (g.status === 'failed') out.error = g.error;
		return out;
	}

	videoGenJson(g: VideoGeneration) {
		const out: Obj = {
			video_generation_id: g.video_generation_id,
			status: g.status,
			prompt: g.prompt,
			size: g.size,
			duration: g.duration,
			has_audio: g.has_audio,
			model: g.model,
			created_at: iso(g.created_at),
		};
		const m = g.video ? this.state.media.get(g.video) : undefined;
		if (g.status === 'completed' && m)
			out.video = { ...this.imageJson(m), duration: m.duration ?? g.duration };
		if (g.status === 'failed') out.error = g.error;
		return out;
	}

	itemJson(it: PostItemRecord, withContent: boolean) {
		const out: Obj = { item_id: it.item_id, post_type: it.post_type, platform: it.platform };
		if (withContent) out.content = it.content;
		if (it.title !== undefined && this.switches.itemTitle) out.title = it.title;
		out.media_ids = it.media_ids;
		out.status = it.status;
		if (it.status === 'posted') {
			out.platform_post_id = it.platform_post_id;
			if (this.switches.itemTimestamps) out.posted_at = iso(it.posted_at ?? 0);
		}
		if (it.status === 'failed') {
			out.error = it.error;
			if (this.switches.itemTimestamps) out.failed_at = iso(it.failed_at ?? 0);
		}
		return out;
	}

	postJson(p: PostRecord, withContent = true) {
		const sw = this.switches;
		return {
			post_id: p.post_id,
			status: p.status,
			...(sw.postGenerationId ? { generation_id: p.generation_id } : {}),
			created_at: iso(p.created_at),
			...(sw.postUpdatedAt ? { updated_at: iso(p.updated_at) } : {}),
			scheduled_at: p.scheduled_at === null ? null : iso(p.scheduled_at),
			...(sw.postPublishedAt ? { published_at: p.published_at === null ? null : iso(p.published_at) } : {}),
			items: p.items.map((it) => this.itemJson(it, withContent)),
		};
	}

	entryJson(e: CalendarEntryRecord) {
		return {
			entry_id: e.entry_id,
			title: e.title,
			description: e.description,
			scheduled_date: e.scheduled_date,
			scheduled_time: e.scheduled_time,
			platforms: e.platforms,
			created_at: iso(e.created_at),
			updated_at: iso(e.updated_at),
		};
	}

	// ---------------------------------------------------------------- handlers
	getCredits(c: Call): Result {
		return ok({ balance: this.balance(c.account) });
	}

	generateContent(c: Call): Result {
		const b = asObject(c.body);
		check(present(b.post_types), 'post_types is required');
		check(Array.isArray(b.post_types) && b.post_types.length >= 1, 'post_types must be a non-empty array');
		const postTypes = b.post_types as unknown[];
		postTypes.forEach((t, i) =>
			check(typeof t === 'string' && t in POST_TYPES, `post_types[${i}] must be one of: ${Object.keys(POST_TYPES).join(', ')}`),
		);
		check(present(b.research_mode), 'research_mode is required');
		const researchMode = optEnum(b, 'research_mode', ['regular', 'deep'], 'regular') as 'regular' | 'deep';
		const prompt = optString(b, 'prompt', 2000, 3);
		const mediaIds = stringArray(b, 'media_ids') ?? [];
		const media = mediaIds.map((id, i) => {
			const m = this.mediaInWorkspace(id, c.workspace);
			check(m, `media_ids[${i}] (${id}) was not found in this workspace`);
			return m;
		});
		const videos = media.filter((m) => m.type === 'video');
		const images = media.filter((m) => m.type === 'image');
		check(videos.length === 0 || (videos.length === 1 && images.length === 0), 'media_ids must hold up to 10 image ids or exactly one video id');
		check(images.length <= 10, 'media_ids may hold at most 10 images');
		check(prompt !== null || media.length > 0, 'prompt or media_ids is required');
		const writingStyle = optString(b, 'writing_style_id', 200, 1);
		const cta = optString(b, 'cta_text', 100);
		const urls = stringArray(b, 'source_urls') ?? [];
		check(urls.length <= 10, 'source_urls may hold at most 10 URLs');
		const kept: string[] = [];
		urls.forEach((u, i) => {
			let parsed: URL;
			try {
				parsed = new URL(u);
			} catch {
				throw validation(`source_urls[${i}] must be a valid URL`);
			}
			check(parsed.protocol === 'https:', `source_urls[${i}] must be an HTTPS URL`);
			if (!PRIVATE_HOST_RE.test(parsed.hostname)) kept.push(u); // private/internal URLs are dropped
		});
		const platforms = [...new Set(postTypes.map((t) => POST_TYPES[t as string]))];
		const videoMinutes = videos.reduce((n, v) => n + Math.max(1, Math.ceil((v.duration ?? 60) / 60)), 0);
		const cost =
			(researchMode === 'deep' ? PRICES.captionDeep : PRICES.captionRegular) +
			images.length * PRICES.captionPerImage +
			videoMinutes * PRICES.captionPerVideoMinute +
			kept.length * PRICES.captionPerSourceUrl;
		const remaining = this.charge(c.account, cost);
		const g: CaptionGeneration = {
			generation_id: randomUUID(),
			workspace: c.workspace,
			account: c.account,
			status: 'processing',
			prompt,
			post_types: [...new Set(postTypes as string[])],
			platforms,
			research_mode: researchMode,
			media_ids: mediaIds,
			writing_style_id: writingStyle,
			cta_text: cta,
			source_urls: kept,
			credits_charged: cost,
			credits_used: cost,
			created_at: c.now,
			completes_at: c.now + this.timing.caption,
		};
		this.state.generations.set(g.generation_id, g);
		this.state.active.generations.add(g.generation_id);
		return submitted('generation_id', g.generation_id, 'content/generations', cost, remaining);
	}

	listGenerations(c: Call): Result {
		const { status, limit, cursor } = parseListQuery(c.query, GENERATION_STATUSES);
		const all = [...this.state.generations.values()].filter(
			(g) => g.workspace === c.workspace && (status === null || g.status === status),
		);
		const { page, has_more, next_cursor } = paginate(all, (g) => ({ t: g.created_at, id: g.generation_id }), limit, cursor);
		return ok({ data: page.map((g) => this.captionJson(g, false)), next_cursor, has_more });
	}

	getGeneration(c: Call): Result {
		const g = this.state.generations.get(c.params[0]);
		if (!g || g.workspace !== c.workspace) throw notFound('Generation');
		return ok(this.captionJson(g, true));
	}

	generateImages(c: Call): Result {
		const b = asObject(c.body);
		let generation: CaptionGeneration | null = null;
		if (present(b.generation_id)) {
			check(typeof b.generation_id === 'string' && b.generation_id.length > 0, 'generation_id must be a string');
			const g = this.state.generations.get(b.generation_id);
			check(g && g.workspace === c.workspace, `generation_id (${b.generation_id}) was not found in this workspace`);
			check(g.status === 'completed', `generation_id must reference a completed generation (status is ${g.status})`);
			generation = g;
		}
		const prompt = optString(b, 'prompt', 2000, 1);
		check(prompt !== null || generation !== null, 'prompt is required (unless generation_id is given)');
		const model = optEnum(b, 'model', Object.keys(IMAGE_MODELS), 'flux2-flex');
		const size = optEnum(b, 'size', IMAGE_SIZES, 'square');
		check(IMAGE_MODELS[model].sizes.includes(size), `size ${size} is not supported by model ${model} (allowed: ${IMAGE_MODELS[model].sizes.join(', ')})`);
		let quantity = 1;
		if (present(b.quantity)) {
			check(isInt(b.quantity) && b.quantity >= 1 && b.quantity <= 4, 'quantity must be an integer between 1 and 4');
			quantity = b.quantity;
		}
		const enhance = optBoolean(b, 'enhance_prompt', false);
		const styleImages = stringArray(b, 'style_images') ?? [];
		check(styleImages.length <= 4, 'style_images may hold at most 4 media ids');
		styleImages.forEach((id, i) => {
			const m = this.mediaInWorkspace(id, c.workspace);
			check(m, `style_images[${i}] (${id}) was not found in this workspace`);
			check(m.type === 'image', `style_images[${i}] must be an image`);
		});
		let sourcePostType: string | null = null;
		if (present(b.source_post_type)) {
			check(generation, 'source_post_type is only allowed together with generation_id');
			check(typeof b.source_post_type === 'string' && b.source_post_type in POST_TYPES, `source_post_type must be one of: ${Object.keys(POST_TYPES).join(', ')}`);
			check(generation.platforms.includes(POST_TYPES[b.source_post_type]), `source_post_type ${b.source_post_type} is not part of the generation`);
			sourcePostType = b.source_post_type;
		}
		const cost = IMAGE_MODELS[model].credits * quantity;
		const remaining = this.charge(c.account, cost);
		const g: ImageGeneration = {
			image_generation_id: randomUUID(),
			workspace: c.workspace,
			account: c.account,
			status: 'processing',
			prompt,
			size,
			quantity,
			model,
			enhance_prompt: enhance,
			style_images: styleImages,
			generation_id: generation?.generation_id ?? null,
			source_post_type: sourcePostType,
			credits_charged: cost,
			credits_used: cost,
			created_at: c.now,
			completes_at: c.now + this.timing.image,
			images: [],
		};
		this.state.imageGenerations.set(g.image_generation_id, g);
		this.state.active.images.add(g.image_generation_id);
		return submitted('image_generation_id', g.image_generation_id, 'images/generations', cost, remaining);
	}

	getImageGeneration(c: Call): Result {
		const g = this.state.imageGenerations.get(c.params[0]);
		if (!g || g.workspace !== c.workspace) throw notFound('Image generation');
		return ok(this.imageGenJson(g));
	}

	generateVideo(c: Call): Result {
		const b = asObject(c.body);
		const model = optEnum(b, 'model', Object.keys(VIDEO_MODELS), 'kling-3.0-pro');
		const spec = VIDEO_MODELS[model];
		check(present(b.prompt), 'prompt is required');
		const prompt = optString(b, 'prompt', spec.promptMax, 1) as string;
		const size = optEnum(b, 'size', VIDEO_SIZES, 'landscape');
		check(present(b.duration), 'duration is required');
		check(isInt(b.duration) && spec.durations.includes(b.duration), `duration must be one of ${spec.durations.join(', ')} for model ${model}`);
		const duration = b.duration;
		const hasAudio = optBoolean(b, 'has_audio', false);
		check(!hasAudio || spec.audio, `has_audio is not supported by model ${model}`);
		const enhance = optBoolean(b, 'enhance_prompt', false);
		let sourceImage: string | null = null;
		if (present(b.source_image)) {
			check(typeof b.source_image === 'string', 'source_image must be a media id');
			const m = this.mediaInWorkspace(b.source_image, c.workspace);
			check(m, `source_image (${b.source_image}) was not found in this workspace`);
			check(m.type === 'image', 'source_image must be an image media id');
			sourceImage = b.source_image;
		}
		const cost = duration * (spec.creditsPerSecond + (hasAudio ? spec.audioPerSecond : 0));
		const remaining = this.charge(c.account, cost);
		const g: VideoGeneration = {
			video_generation_id: randomUUID(),
			workspace: c.workspace,
			account: c.account,
			status: 'processing',
			prompt,
			size,
			duration,
			model,
			has_audio: hasAudio,
			enhance_prompt: enhance,
			source_image: sourceImage,
			credits_charged: cost,
			credits_used: cost,
			created_at: c.now,
			completes_at: c.now + this.timing.video,
		};
		this.state.videoGenerations.set(g.video_generation_id, g);
		this.state.active.videos.add(g.video_generation_id);
		return submitted('video_generation_id', g.video_generation_id, 'videos/generations', cost, remaining);
	}

	getVideoGeneration(c: Call): Result {
		const g = this.state.videoGenerations.get(c.params[0]);
		if (!g || g.workspace !== c.workspace) throw notFound('Video generation');
		return ok(this.videoGenJson(g));
	}

	createPost(c: Call): Result {
		const b = asObject(c.body);
		let generation: CaptionGeneration | null = null;
		if (present(b.generation_id)) {
			check(typeof b.generation_id === 'string' && b.generation_id.length > 0, 'generation_id must be a string');
			const g = this.state.generations.get(b.generation_id);
			check(g && g.workspace === c.workspace, `generation_id (${b.generation_id}) was not found in this workspace`);
			check(g.status === 'completed', `generation_id must reference a completed generation (status is ${g.status})`);
			generation = g;
		}
		check(present(b.items), 'items is required');
		check(Array.isArray(b.items) && b.items.length >= 1 && b.items.length <= 12, 'items must be an array of 1 to 12 items');
		const seen = new Set<string>();
		const postId = randomUUID();
		const items: PostItemRecord[] = (b.items as unknown[]).map((raw, i) => {
			const f = `items[${i}]`;
			check(raw !== null && typeof raw === 'object' && !Array.isArray(raw), `${f} must be an object`);
			const it = raw as Obj;
			check(present(it.post_type), `${f}.post_type is required`);
			check(typeof it.post_type === 'string' && it.post_type in POST_TYPES, `${f}.post_type must be one of: ${Object.keys(POST_TYPES).join(', ')}`);
			const postType = it.post_type;
			check(!seen.has(postType), `${f}.post_type ${postType} appears more than once`);
			seen.add(postType);
			const platform = POST_TYPES[postType];
			const out = generation?.outputs?.[platform];
			let content: string | undefined;
			let title: string | undefined;
			if (present(it.content)) {
				check(typeof it.content === 'string' && it.content.trim().length > 0, `${f}.content must be a non-empty string`);
				content = it.content;
			} else if (out !== undefined) {
				content = typeof out === 'string' ? out : out.description;
			}
			check(content !== undefined, generation ? `${f}.content is required (the generation has no ${platform} output)` : `${f}.content is required`);
			if (platform === 'youtube') {
				if (present(it.title)) {
					check(typeof it.title === 'string' && it.title.trim().length > 0, `${f}.title must be a non-empty string`);
					title = it.title;
				} else if (out !== undefined && typeof out !== 'string') title = out.title;
				check(title !== undefined, `${f}.title is required for ${postType}`);
			}
			const mediaIds = stringArray(it, 'media_ids') ?? [];
			mediaIds.forEach((id, j) => check(this.mediaInWorkspace(id, c.workspace), `${f}.media_ids[${j}] (${id}) was not found in this workspace`));
			const rec: PostItemRecord = { item_id: randomUUID(), post_id: postId, post_type: postType, platform, content, media_ids: mediaIds, status: 'draft' };
			if (title !== undefined) rec.title = title;
			return rec;
		});
		const p: PostRecord = {
			post_id: postId,
			workspace: c.workspace,
			account: c.account,
			status: 'draft',
			generation_id: generation?.generation_id ?? null,
			items,
			created_at: c.now,
			updated_at: c.now,
			scheduled_at: null,
			published_at: null,
		};
		this.state.posts.set(p.post_id, p);
		for (const it of items) this.state.itemIndex.set(it.item_id, p.post_id);
		return ok(this.postJson(p));
	}

	private findPost(c: Call): PostRecord {
		const p = this.state.posts.get(c.params[0]);
		if (!p || p.workspace !== c.workspace) throw notFound('Post');
		return p;
	}

	getPost(c: Call): Result {
		return ok(this.postJson(this.findPost(c)));
	}

	listPosts(c: Call): Result {
		const { status, limit, cursor } = parseListQuery(c.query, POST_STATUSES);
		const all: PostRecord[] = [];
		for (const p of this.state.posts.values()) if (p.workspace === c.workspace && (status === null || p.status === status)) all.push(p);
		const sortKey = this.switches.listByUpdatedAt ? (p: PostRecord) => p.updated_at : (p: PostRecord) => p.created_at;
		const { page, has_more, next_cursor } = paginate(all, (p) => ({ t: sortKey(p), id: p.post_id }), limit, cursor);
		return ok({ data: page.map((p) => this.postJson(p, false)), next_cursor, has_more });
	}

	private requireDraft(p: PostRecord) {
		if (p.status !== 'draft')
			throw new ApiError(409, 'ALREADY_PUBLISHED', `Post ${p.post_id} is ${p.status}; only draft posts can be published or scheduled`);
	}
	private requireConnected(p: PostRecord) {
		const conn = this.state.connections.get(p.workspace) ?? new Set();
		const missing = [...new Set(p.items.map((i) => i.platform))].filter((pl) => !conn.has(pl));
		if (missing.length)
			throw new ApiError(422, 'PLATFORM_NOT_CONNECTED', `Platform not connected in this workspace: ${missing.join(', ')}`);
	}
	/** credits needed to publish every item of the post */
	publishCost(p: PostRecord): number {
		return p.items.reduce((n, it) => n + this.itemCost(it), 0);
	}

	publishPost(c: Call): Result {
		const p = this.findPost(c);
		this.requireDraft(p);
		this.requireConnected(p);
		const need = this.publishCost(p);
		const bal = this.balance(p.account);
		if (bal < need) throw new ApiError(402, 'INSUFFICIENT_CREDITS', `Insufficient credits: publishing this post needs ${need}, balance is ${bal}`);
		this.startPublish(p, c.now);
		return ok({ post_id: p.post_id, status: 'publishing', status_url: `/api/v1/posts/${p.post_id}` });
	}

	schedulePost(c: Call): Result {
		const p = this.findPost(c);
		const b = asObject(c.body ?? {});
		check(present(b.scheduled_at), 'scheduled_at is required');
		check(typeof b.scheduled_at === 'string' && ISO_OFFSET_RE.test(b.scheduled_at), 'scheduled_at must be an ISO-8601 date-time with a time zone offset or Z (e.g. 2026-04-01T09:00:00Z)');
		const at = Date.parse(b.scheduled_at);
		check(!Number.isNaN(at), 'scheduled_at is not a valid date-time');
		check(at > c.now, 'scheduled_at must be in the future');
		check(at <= c.now + MAX_SCHEDULE_AHEAD_MS, 'scheduled_at must be at most 60 days in the future');
		this.requireDraft(p);
		this.requireConnected(p);
		let scheduled = 0;
		for (const id of this.state.active.posts) {
			const q = this.state.posts.get(id);
			if (q && q.workspace === p.workspace && q.status === 'scheduled') scheduled++;
		}
		if (scheduled >= MAX_SCHEDULED_PER_WORKSPACE)
			throw new ApiError(409, 'SCHEDULE_LIMIT_REACHED', `This workspace already has ${MAX_SCHEDULED_PER_WORKSPACE} scheduled posts`);
		p.status = 'scheduled';
		p.scheduled_at = at;
		this.touch(p, c.now);
		this.state.active.posts.add(p.post_id);
		return ok(this.postJson(p));
	}

	cancelPublish(c: Call): Result {
		const p = this.findPost(c);
		if (p.status === 'draft') throw new ApiError(409, 'INVALID_STATE', `Post ${p.post_id} is a draft; there is no scheduled or running publish to cancel`);
		const cancellable = p.status === 'scheduled' || (p.status === 'publishing' && p.items.every((i) => i.status === 'draft'));
		if (!cancellable)
			throw new ApiError(409, 'ALREADY_PUBLISHED', `Post ${p.post_id} is ${p.status} and items have already started posting; it can no longer be cancelled`);
		p.status = 'draft';
		p.scheduled_at = null;
		p.publish_started_at = undefined;
		this.touch(p, c.now);
		this.state.active.posts.delete(p.post_id);
		return ok(this.postJson(p));
	}

	getAnalytics(c: Call): Result {
		const postId = this.state.itemIndex.get(c.params[0]);
		const p = postId ? this.state.posts.get(postId) : undefined;
		const item = p?.items.find((i) => i.item_id === c.params[0]);
		if (!p || !item || p.workspace !== c.workspace) throw notFound('Post item');
		let metrics: Obj | null = null;
		if (item.status === 'posted' && item.posted_at !== undefined) {
			const first = item.posted_at + ANALYTICS_FIRST_FETCH_MS;
			if (c.now >= first) {
				const k = Math.min(Math.floor((c.now - first) / DAY_MS), ANALYTICS_DAYS - 1);
				const h = hash32(item.item_id);
				const day = k + 1;
				const views = ((h % 900) + 100) * day;
				const likes = Math.floor(views * (0.03 + ((h >>> 10) % 50) / 1000));
				const comments = item.platform === 'tiktok' || item.post_type.endsWith('story') ? 0 : Math.floor(likes / 12);
				metrics = { views, likes, comments, fetched_at: iso(first + k * DAY_MS) };
			}
		}
		return ok({ post_item_id: item.item_id, post_type: item.post_type, platform: item.platform, status: item.status, metrics });
	}

	listCalendar(c: Call): Result {
		const q = c.query;
		check(q.has('start_date'), 'start_date is required (YYYY-MM-DD)');
		check(q.has('end_date'), 'end_date is required (YYYY-MM-DD)');
		const start = parseDate(q.get('start_date'));
		check(start !== null, 'start_date must be a valid date in YYYY-MM-DD format');
		const end = parseDate(q.get('end_date'));
		check(end !== null, 'end_date must be a valid date in YYYY-MM-DD format');
		check(start <= end, 'start_date must not be after end_date');
		check((end - start) / DAY_MS + 1 <= 366, 'the date range may not exceed 366 days');
		const s = q.get('start_date') as string;
		const e = q.get('end_date') as string;
		const entries = [...this.state.calendar.values()]
			.filter((x) => x.workspace === c.workspace && x.scheduled_date >= s && x.scheduled_date <= e)
			.sort(
				(a, b) =>
					a.scheduled_date.localeCompare(b.scheduled_date) ||
					(a.scheduled_time ?? '').localeCompare(b.scheduled_time ?? '') ||
					a.created_at - b.created_at ||
					a.entry_id.localeCompare(b.entry_id),
			);
		return ok({ entries: entries.map((x) => this.entryJson(x)) });
	}

	private calendarFields(b: Obj, patch: boolean): Partial<CalendarEntryRecord> {
		const out: Partial<CalendarEntryRecord> = {};
		if (!patch || b.title !== undefined) {
			check(present(b.title), 'title is required');
			check(typeof b.title === 'string' && b.title.trim().length > 0, 'title must be a non-empty string');
			check(b.title.length <= 500, 'title must be at most 500 characters');
			out.title = b.title;
		}
		if (b.description !== undefined) {
			if (b.description === null) out.description = null;
			else {
				check(typeof b.description === 'string', 'description must be a string');
				check(b.description.length <= 5000, 'description must be at most 5000 characters');
				out.description = b.description;
			}
		}
		if (!patch || b.scheduled_date !== undefined) {
			check(present(b.scheduled_date), 'scheduled_date is required');
			check(parseDate(b.scheduled_date) !== null, 'scheduled_date must be a valid date in YYYY-MM-DD format');
			out.scheduled_date = b.scheduled_date as string;
		}
		if (b.scheduled_time !== undefined) {
			if (b.scheduled_time === null) out.scheduled_time = null;
			else {
				check(typeof b.scheduled_time === 'string' && TIME_RE.test(b.scheduled_time), 'scheduled_time must be in HH:MM 24-hour format');
				out.scheduled_time = b.scheduled_time;
			}
		}
		if (b.platforms !== undefined) {
			check(Array.isArray(b.platforms), `platforms must be an array of: ${PLATFORMS.join(', ')}`);
			(b.platforms as unknown[]).forEach((p, i) =>
				check(typeof p === 'string' && (PLATFORMS as readonly string[]).includes(p), `platforms[${i}] must be one of: ${PLATFORMS.join(', ')}`),
			);
			out.platforms = [...new Set(b.platforms as Platform[])];
		}
		return out;
	}

	createCalendarEntry(c: Call): Result {
		const b = asObject(c.body);
		const f = this.calendarFields(b, false);
		const e: CalendarEntryRecord = {
			entry_id: randomUUID(),
			workspace: c.workspace,
			title: f.title as string,
			description: f.description ?? null,
			scheduled_date: f.scheduled_date as string,
			scheduled_time: f.scheduled_time ?? null,
			platforms: f.platforms ?? [],
			created_at: c.now,
			updated_at: c.now,
		};
		this.state.calendar.set(e.entry_id, e);
		return ok(this.entryJson(e));
	}

	private findEntry(c: Call): CalendarEntryRecord {
		const e = this.state.calendar.get(c.params[0]);
		if (!e || e.workspace !== c.workspace) throw notFound('Calendar entry');
		return e;
	}

	getCalendarEntry(c: Call): Result {
		return ok(this.entryJson(this.findEntry(c)));
	}

	updateCalendarEntry(c: Call): Result {
		const e = this.findEntry(c);
		const b = asObject(c.body);
		const known = ['title', 'description', 'scheduled_date', 'scheduled_time', 'platforms'];
		check(known.some((k) => b[k] !== undefined), `at least one of ${known.join(', ')} is required`);
		const f = this.calendarFields(b, true);
		Object.assign(e, f);
		e.updated_at = Math.max(c.now, e.updated_at);
		return ok(this.entryJson(e));
	}

	deleteCalendarEntry(c: Call): Result {
		const e = this.findEntry(c);
		this.state.calendar.delete(e.entry_id);
		return ok({ success: true });
	}

	// ---------------------------------------------------------------- seeding
	seedPosts(n: number, now: number, opts: { workspace?: string; status?: 'published' | 'failed' | 'draft' } = {}): void {
		const workspace = opts.workspace ?? WORKSPACES.primary;
		const ws = this.state.workspaces.get(workspace);
		if (!ws) throw new Error(`unknown workspace ${workspace}`);
		const account = [...ws.accounts][0];
		const types = Object.keys(POST_TYPES);
		const step = 60_000;
		for (let i = 0; i < n; i++) {
			const status: PostStatus = opts.status ?? (i % 10 === 9 ? 'failed' : 'published');
			const updated = now - (n - i) * step; // oldest first, 1 minute apart, all in the past
			const created = updated - 10 * 60_000;
			const postId = randomUUID();
			const count = 1 + (i % 3);
			const items: PostItemRecord[] = [];
			for (let j = 0; j < count; j++) {
				const postType = types[(i + j * 5) % types.length];
				const platform = POST_TYPES[postType];
				const item: PostItemRecord = {
					item_id: randomUUID(),
					post_id: postId,
					post_type: postType,
					platform,
					content: `Seeded post ${i + 1} for ${platform} #sandbox`,
					media_ids: [],
					status: 'draft',
				};
				if (platform === 'youtube') item.title = `Seeded video ${i + 1}`;
				const at = updated - (count - 1 - j) * 1000;
				if (status === 'published') {
					item.status = 'posted';
					item.posted_at = at;
					item.platform_post_id = `${platform}_${(hash32(item.item_id) % 9_000_000_000) + 1_000_000_000}`;
				} else if (status === 'failed') {
					item.status = 'failed';
					item.failed_at = at;
					item.error = { code: 'PLATFORM_ERROR', message: `${platform} rejected the post (seeded)` };
				}
				items.push(item);
				this.state.itemIndex.set(item.item_id, postId);
			}
			this.state.posts.set(postId, {
				post_id: postId,
				workspace,
				account,
				status,
				generation_id: null,
				items,
				created_at: created,
				updated_at: status === 'draft' ? created : updated,
				scheduled_at: null,
				published_at: status === 'published' ? updated : null,
			});
		}
	}
}

/** The documented submit answer of an async job (§6.1, §7.1, §8.1). */
function submitted(idKey: string, id: string, collection: string, cost: number, remaining: number): Result {
	return ok({ [idKey]: id, status: 'processing', credits_used: cost, remaining_credits: remaining, status_url: `/api/v1/${collection}/${id}` });
}

/** Finishes the active jobs whose time has come and forgets them. */
function finishDue<T extends { completes_at: number }>(now: number, active: Set<string>, all: Map<string, T>, finish: (job: T) => void): void {
	for (const id of active) {
		const job = all.get(id);
		if (!job) active.delete(id);
		else if (now >= job.completes_at) {
			finish(job);
			active.delete(id);
		}
	}
}
