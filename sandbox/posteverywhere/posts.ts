// §4 posts: create, list, get, update, delete, results, retry, schedule a draft, and the bulk calls.
import { randomUUID } from 'node:crypto';
import { iso } from '../core/clock';
import { SandboxError } from '../core/errors';
import { offsetPage } from '../core/paging';
import type { Call, Reply } from '../core/server';
import { hasZone, parseWith, wallTimeToUtc } from '../core/validate';
import { CHAR_LIMITS, POST_STATUSES, type Platform } from './constants';
import { err, type Engine } from './engine';
import { createPost, type CreatePost, type ListPostsQuery, type RetryFailed, type ScheduleDraft, type UpdatePost } from './schemas';
import type { KeyRecord, PostRecord } from './state';

type C = Call<KeyRecord>;
const ok = (data: unknown, status = 200): Reply => ({ status, data });

// ---------------------------------------------------------------------------------- helpers
/** `scheduled_for` -> epoch ms; naive values per the naiveTimesInTimezone switch (§15.2). */
export function parseTime(e: Engine, value: string, zone: string, field: string): number {
	if (hasZone(value)) return Date.parse(value);
	if (!e.switches.naiveTimesInTimezone) throw err.field(field, 'must carry Z or a UTC offset (e.g. 2026-05-01T09:00:00Z)');
	return wallTimeToUtc(value.replace(/(\.\d+)?$/, ''), zone);
}

function scheduleOf(e: Engine, b: { scheduled_for?: string | null; scheduled_at?: string | null }, zone: string, now: number): number | null | undefined {
	if (b.scheduled_for != null && b.scheduled_at != null && b.scheduled_for !== b.scheduled_at)
		throw err.validation('scheduled_for and its deprecated alias scheduled_at differ; send only scheduled_for');
	const field = b.scheduled_for != null ? 'scheduled_for' : 'scheduled_at';
	const raw = b.scheduled_for ?? b.scheduled_at;
	if (raw === undefined) return undefined;
	if (raw === null) return null;
	const at = parseTime(e, raw, zone, field);
	if (at <= now) throw new SandboxError(400, 'past_schedule_time', `${field} must be in the future (got ${iso(at)})`, { fields: [{ field, message: 'must be in the future' }] });
	return at;
}

function checkAccounts(e: Engine, ids: number[], field = 'account_ids'): void {
	const unknown = ids.filter((id) => !e.state.accounts.has(id));
	if (unknown.length) throw err.field(field, `contains unknown account ids: ${unknown.join(', ')} (see GET /accounts)`);
	if (new Set(ids).size !== ids.length) throw err.field(field, 'must not repeat an account id');
}

function checkMedia(e: Engine, ids: string[]): void {
	ids.forEach((id, i) => {
		const m = e.state.media.get(id);
		if (!m) throw err.field(`media_ids.${i}`, `is not a media id of this library (${id})`);
		if (m.status !== 'ready' && m.status !== 'processing') throw err.field(`media_ids.${i}`, `is not ready (status ${m.status})`);
	});
}

/** Documented content rules per target platform (§4.1): X 280, Instagram 2,200, YouTube needs a title. */
function checkContent(e: Engine, p: { content: string; platform_content: CreatePost['platform_content'] | null; media_ids: string[] }, accountIds: number[]) {
	const platforms = new Set(accountIds.map((id) => e.state.accounts.get(id)?.platform));
	const pc = (p.platform_content ?? {}) as Record<string, { content?: string; settings?: { title?: string } } | undefined>;
	for (const platform of platforms) {
		if (!platform) continue;
		const override = pc[platform]?.content;
		const text = override ?? p.content;
		const limit = CHAR_LIMITS[platform as Platform];
		if (limit !== undefined && text.length > limit)
			throw err.field(override !== undefined ? `platform_content.${platform}.content` : 'content', `is ${text.length} characters; ${platform} allows at most ${limit}`);
		if (platform === 'youtube' && !pc.youtube?.settings?.title)
			throw err.field('platform_content.youtube.settings.title', 'is required when posting to YouTube');
	}
	if (!p.content && !p.media_ids.length && !Object.values(pc).some((v) => v?.content))
		throw err.field('content', 'is required (or give media_ids or platform_content)');
}

function checkCampaign(e: Engine, id: number | null | undefined) {
	if (id != null && !e.state.campaigns.has(id)) throw err.field('campaign_id', `is not a campaign of this workspace (${id})`);
}

/** The next free queue slot: the next full hour at least 5 minutes ahead not taken by a scheduled post. */
function nextQueueSlot(e: Engine, now: number): number {
	const taken = new Set([...e.state.posts.values()].filter((p) => p.status === 'scheduled').map((p) => p.scheduled_for));
	let t = Math.ceil((now + 5 * 60_000) / 3_600_000) * 3_600_000;
	while (taken.has(t)) t += 3_600_000;
	return t;
}

export const isImmediate = (b: CreatePost) => !b.draft && b.scheduled_for == null && b.scheduled_at == null && !b.use_queue;

// ---------------------------------------------------------------------------------- create (§4.1)
export function createPostRecord(e: Engine, b: CreatePost, now: number): PostRecord {
	const draft = b.draft === true;
	const zone = b.timezone ?? 'UTC';
	const at = scheduleOf(e, b, zone, now);
	if (draft && b.use_queue) throw err.validation('draft and use_queue cannot be combined');
	if (b.use_queue && at != null) throw err.validation('use_queue and scheduled_for cannot be combined');
	const accountIds = b.account_ids ?? [];
	if (!draft && accountIds.length === 0) throw err.field('account_ids', 'must have at least 1 item (unless draft is true)');
	checkAccounts(e, accountIds);
	const mediaIds = b.media_ids ?? [];
	checkMedia(e, mediaIds);
	checkCampaign(e, b.campaign_id);
	const content = b.content ?? '';
	checkContent(e, { content, platform_content: b.platform_content ?? null, media_ids: mediaIds }, accountIds);
	const scheduledFor = b.use_queue ? nextQueueSlot(e, now) : at ?? null;
	const p: PostRecord = {
		id: randomUUID(),
		content,
		account_ids: accountIds,
		scheduled_for: scheduledFor,
		timezone: zone,
		media_ids: mediaIds,
		platform_content: b.platform_content ?? null,
		campaign_id: b.campaign_id ?? null,
		cover_photo: b.cover_photo ?? null,
		draft,
		fired: !draft && scheduledFor === null,
		status: 'draft',
		destinations: draft ? [] : accountIds.map((id) => e.newDestination(id, scheduledFor)),
		manualRetries: 0,
		created_at: now,
		updated_at: now,
	};
	p.status = e.aggregate(p);
	e.state.posts.set(p.id, p);
	if (p.fired) e.arm(p, now);
	if (p.status === 'scheduled') e.emit('post.scheduled', e.postEventData(p), now);
	return p;
}

export function createdAnswer(e: Engine, p: PostRecord): Record<string, unknown> {
	const base = e.postObject(p);
	const message =
		p.status === 'draft'
			? 'Draft saved. Publish it with POST /posts/{post_id}/schedule.'
			: p.status === 'scheduled'
				? `Post scheduled for ${base.scheduled_for as string} on ${p.destinations.length} account(s).`
				: `Publishing to ${p.destinations.length} account(s). Poll GET /posts/{post_id}/results for the outcome.`;
	if (e.switches.legacyCreateAnswer)
		return { post_id: p.id, status: e.statusName(p.status), scheduled_for: base.scheduled_for, accounts_count: p.account_ids.length, message };
	const out: Record<string, unknown> = {
		id: p.id,
		post_id: p.id,
		status: e.statusName(p.status),
		content: p.content,
		account_ids: p.account_ids,
		scheduled_for: base.scheduled_for,
		timezone: p.timezone,
		media_ids: p.media_ids,
		platform_content: p.platform_content,
		campaign_id: p.campaign_id,
		created_at: base.created_at,
		updated_at: base.updated_at,
		accounts_count: p.account_ids.length,
		message,
	};
	if (p.status === 'publishing') out.results = p.destinations.map((d) => e.destination(d, false));
	return out;
}

export const create = (e: Engine) => (c: C) => ok(createdAnswer(e, createPostRecord(e, c.body as CreatePost, c.now)), 201);

// ---------------------------------------------------------------------------------- list (§4.2)
const SORT_FIELDS = {
	created_at: (p: PostRecord) => p.created_at,
	updated_at: (p: PostRecord) => p.updated_at,
	scheduled_for: (p: PostRecord) => p.scheduled_for,
	published_at: (p: PostRecord) => lastPublished(p),
};
const lastPublished = (p: PostRecord) => {
	const t = p.destinations.map((d) => d.published_at).filter((x): x is number => x !== null);
	return t.length ? Math.max(...t) : null;
};

export const list = (e: Engine) => (c: C) => {
	const q = c.query as ListPostsQuery;
	const t = (v?: string) => (v === undefined ? undefined : Date.parse(v));
	const statuses = q.status?.split(',').map((s) => s.trim());
	if (statuses?.includes('partial')) {
		if (!e.switches.partialStatusName) throw err.field('status', `must be a comma-separated list of: ${POST_STATUSES.join(', ')}`);
		statuses.push('partially_failed');
	}
	const platforms = q.platform?.split(',').map((s) => s.trim());
	const [ca, cb, sa, sb, pa, pb, ua] = [q.created_after, q.created_before, q.scheduled_after, q.scheduled_before, q.published_after, q.published_before, q.updated_after].map(t);
	const search = q.search?.toLowerCase();
	let posts = [...e.state.posts.values()].filter((p) => {
		if (statuses && !statuses.includes(p.status)) return false;
		if (platforms && !p.destinations.some((d) => platforms.includes(d.platform))) return false;
		if (q.account_id !== undefined && !p.account_ids.includes(q.account_id)) return false;
		if (q.campaign_id !== undefined && p.campaign_id !== q.campaign_id) return false;
		if (ca !== undefined && p.created_at < ca) return false;
		if (cb !== undefined && p.created_at > cb) return false;
		if ((sa !== undefined || sb !== undefined) && p.scheduled_for === null) return false;
		if (sa !== undefined && (p.scheduled_for as number) < sa) return false;
		if (sb !== undefined && (p.scheduled_for as number) > sb) return false;
		if (pa !== undefined || pb !== undefined) {
			const hit = p.destinations.some((d) => d.published_at !== null && (pa === undefined || d.published_at >= pa) && (pb === undefined || d.published_at <= pb));
			if (!hit) return false;
		}
		if (ua !== undefined && p.updated_at < ua) return false;
		if (search && !p.content.toLowerCase().includes(search)) return false;
		return true;
	});
	const key = SORT_FIELDS[q.sort ?? 'created_at'];
	const dir = (q.order ?? 'desc') === 'asc' ? 1 : -1;
	posts = posts.sort((a, b) => {
		const x = key(a);
		const y = key(b);
		if (x === null && y !== null) return 1;
		if (y === null && x !== null) return -1;
		if (x !== null && y !== null && x !== y) return (x - y) * dir;
		return a.id < b.id ? -dir : a.id > b.id ? dir : 0;
	});
	const { items, pagination } = offsetPage(posts, q.limit ?? 20, q.offset ?? 0, e.switches.listTotals);
	const view = items.map((p) => e.postObject(p));
	return ok(e.switches.legacyPostsList ? view : { posts: view, pagination });
};

// ---------------------------------------------------------------------------------- one post
export const get = (e: Engine) => (c: C) => ok(e.postObject(e.post(c.params.post_id)));

const EDITABLE = new Set(['draft', 'scheduled']);
function assertEditable(p: PostRecord, action: string) {
	if (!EDITABLE.has(p.status))
		throw err.conflict('post_already_published', `Only draft or scheduled posts can be ${action}; this post is ${p.status}`);
}

export const update = (e: Engine) => (c: C) => {
	const p = e.post(c.params.post_id);
	const b = c.body as UpdatePost;
	assertEditable(p, 'edited');
	const zone = b.timezone ?? p.timezone;
	const at = scheduleOf(e, b, zone, c.now);
	if (at === null && !p.draft) throw err.field('scheduled_for', 'cannot be cleared on a scheduled post (delete it or create a draft)');
	if (b.account_ids) checkAccounts(e, b.account_ids);
	if (b.media_ids) checkMedia(e, b.media_ids);
	checkCampaign(e, b.campaign_id);
	const next = {
		content: b.content ?? p.content,
		platform_content: b.platform_content ?? p.platform_content,
		media_ids: b.media_ids ?? p.media_ids,
		account_ids: b.account_ids ?? p.account_ids,
	};
	checkContent(e, next, next.account_ids);
	Object.assign(p, next);
	if (b.timezone) p.timezone = b.timezone;
	if (at !== undefined) p.scheduled_for = at;
	if (b.campaign_id !== undefined) p.campaign_id = b.campaign_id;
	if (!p.draft) p.destinations = p.account_ids.map((id) => e.newDestination(id, p.scheduled_for));
	e.touch(p, c.now);
	e.emit('post.updated', e.postEventData(p), c.now);
	return ok(e.postObject(p));
};

export const remove = (e: Engine) => (c: C) => {
	const p = e.post(c.params.post_id);
	const onPlatforms = (c.query.delete_on_platforms as string | undefined)?.split(',').map((s) => s.trim());
	if (p.status === 'publishing') throw err.conflict('post_already_published', 'The post is publishing right now; try again when it has finished');
	if (!EDITABLE.has(p.status) && !onPlatforms)
		throw err.conflict('post_already_published', `The post is ${p.status}; pass delete_on_platforms=x to also remove published copies`);
	if (onPlatforms) {
		const unsupported = onPlatforms.filter((x) => x !== 'x');
		if (unsupported.length) throw err.field('delete_on_platforms', `supports only x (got ${unsupported.join(', ')})`);
	}
	e.state.posts.delete(p.id);
	e.emit('post.deleted', { post_id: p.id, status: p.status }, c.now);
	return ok({ post_id: p.id, deleted: true });
};

export const results = (e: Engine) => (c: C) => {
	const p = e.post(c.params.post_id);
	const items = p.destinations.map((d) => e.destination(d, false));
	return ok(e.switches.legacyResults ? items : { post_id: p.id, post_status: e.statusName(p.status), results: items });
};

/** Re-queue failed destinations (also those whose automatic retry is pending). */
function requeue(e: Engine, p: PostRecord, accountIds: number[] | undefined, now: number, maxAttempts?: number) {
	const picked = p.destinations.filter(
		(d) => d.status === 'failed' && (!accountIds || accountIds.includes(d.account_id)) && (maxAttempts === undefined || d.attempts < maxAttempts),
	);
	if (!picked.length) return picked;
	const before = p.status;
	p.manualRetries++;
	p.fired = true;
	for (const d of picked) {
		d.status = 'queued';
		d.next_retry_at = null;
		d.due = now + e.timing.publishQueue;
	}
	if (before !== e.aggregate(p) || e.switches.destinationChangesBumpUpdatedAt) e.touch(p, now);
	return picked;
}

export const retry = (e: Engine) => (c: C) => {
	const p = e.post(c.params.post_id);
	const ids = (c.body as { account_ids?: number[] }).account_ids;
	if (ids) checkAccounts(e, ids);
	const picked = requeue(e, p, ids, c.now);
	return ok({
		post_id: p.id,
		retried_count: picked.length,
		destinations: picked.map((d) => {
			const out = e.destination(d, false);
			delete out.next_retry_at;
			return out;
		}),
		next_step: picked.length ? 'Poll GET /posts/{post_id}/results until every destination is published or failed.' : 'Nothing to retry: no destination has failed.',
	});
};

export const schedule = (e: Engine) => (c: C) => {
	const p = e.post(c.params.post_id);
	const b = c.body as ScheduleDraft;
	if (!p.draft) throw err.conflict('conflict', `Only drafts can be scheduled; this post is ${p.status}`);
	if ((b.scheduled_for === undefined) === (b.publish_now !== true))
		throw err.validation('Give exactly one of scheduled_for or publish_now: true');
	const zone = b.timezone ?? p.timezone;
	const at = b.scheduled_for !== undefined ? (scheduleOf(e, { scheduled_for: b.scheduled_for }, zone, c.now) as number) : null;
	const accountIds = b.account_ids ?? p.account_ids;
	if (!accountIds.length) throw err.field('account_ids', 'must have at least 1 item: the draft has no accounts');
	checkAccounts(e, accountIds);
	checkMedia(e, p.media_ids);
	checkContent(e, p, accountIds);
	p.account_ids = accountIds;
	if (b.timezone) p.timezone = b.timezone;
	p.draft = false;
	p.scheduled_for = at;
	p.fired = at === null;
	p.destinations = accountIds.map((id) => e.newDestination(id, at));
	if (p.fired) e.arm(p, c.now);
	e.touch(p, c.now);
	if (p.status === 'scheduled') e.emit('post.scheduled', e.postEventData(p), c.now);
	return ok({
		post_id: p.id,
		status: p.status,
		scheduled_for: at === null ? null : iso(at),
		publish_now: at === null,
		destinations: p.destinations.map((d) => ({ account_id: d.account_id, platform: d.platform, status: d.status })),
		message: at === null ? 'Publishing now.' : `Scheduled for ${iso(at)}.`,
	});
};

// ---------------------------------------------------------------------------------- bulk (§4.9)
export const BULK_MAX = 50;

export const bulk = (e: Engine, countPost: (c: C, immediate: boolean) => number | null) => (c: C) => {
	const items = (c.body as { posts: unknown[] }).posts;
	if (items.length > BULK_MAX) throw new SandboxError(400, 'bulk_limit_exceeded', `posts has ${items.length} items; at most ${BULK_MAX} per request`);
	if (items.length === 0) throw err.field('posts', 'must have at least 1 item');
	const out = items.map((item, index) => {
		try {
			checkFieldNames(item, `posts.${index}.`);
			const parsed = parseWith(createPost, item, `posts.${index}`);
			if (!parsed.ok) throw err.validation(parsed.issues.map((i) => `${i.field} ${i.message}`).join('; '), parsed.issues);
			const retryAfter = countPost(c, isImmediate(parsed.value));
			if (retryAfter !== null) throw new SandboxError(429, 'rate_limit_exceeded', `Posting limit reached; retry after ${retryAfter} s`, { retry_after: retryAfter });
			const p = createPostRecord(e, parsed.value, c.now);
			return { index, ok: true, post: createdAnswer(e, p) };
		} catch (x) {
			if (!(x instanceof SandboxError)) throw x;
			return { index, ok: false, error: { code: x.code, message: x.message, status: x.status, ...(x.details ? { details: x.details } : {}) } };
		}
	});
	const succeeded = out.filter((r) => r.ok).length;
	const status = succeeded === out.length ? 201 : succeeded === 0 ? 422 : 207;
	return ok({ summary: { total: out.length, succeeded, failed: out.length - succeeded }, results: out }, status);
};

export const retryFailed = (e: Engine) => (c: C) => {
	const b = c.body as RetryFailed;
	if (!b.post_ids && b.account_id === undefined && !b.platform && !b.failed_after && !b.failed_before)
		throw err.validation('Give at least one filter: post_ids, account_id, platform, failed_after or failed_before');
	const fa = b.failed_after ? Date.parse(b.failed_after) : undefined;
	const fb = b.failed_before ? Date.parse(b.failed_before) : undefined;
	const out: Record<string, unknown>[] = [];
	for (const p of e.state.posts.values()) {
		if (b.post_ids && !b.post_ids.includes(p.id)) continue;
		const ids = p.destinations
			.filter(
				(d) =>
					d.status === 'failed' &&
					(b.account_id === undefined || d.account_id === b.account_id) &&
					(!b.platform || d.platform === b.platform) &&
					(fa === undefined || (d.failed_at ?? 0) >= fa) &&
					(fb === undefined || (d.failed_at ?? 0) <= fb),
			)
			.map((d) => d.account_id);
		if (!ids.length) continue;
		for (const d of requeue(e, p, ids, c.now, b.max_attempts))
			out.push({ destination_id: d.id, post_id: p.id, platform: d.platform, new_status: 'queued' });
	}
	return ok({ retried_count: out.length, destinations: out, message: out.length ? `Re-queued ${out.length} destination(s).` : 'No failed destinations matched.' });
};

/** §1: these names instead of `media_ids` are answered with 400 invalid_field_name. */
export const WRONG_MEDIA_FIELDS = ['media', 'media_id', 'mediaId', 'attachments', 'url'];
export function checkFieldNames(raw: unknown, prefix = ''): void {
	if (!raw || typeof raw !== 'object' || Array.isArray(raw)) return;
	const wrong = WRONG_MEDIA_FIELDS.filter((f) => f in (raw as Record<string, unknown>));
	if (wrong.length)
		throw new SandboxError(400, 'invalid_field_name', `${prefix}${wrong[0]} is not a field of this endpoint: send media as media_ids (an array of media UUIDs)`, {
			fields: wrong.map((f) => ({ field: `${prefix}${f}`, message: 'use media_ids' })),
		});
}
