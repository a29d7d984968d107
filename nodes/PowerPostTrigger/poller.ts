import type { IDataObject } from 'n8n-workflow';

import type { CursorPage } from '../shared/pagination';
import type { SeenData } from '../shared/pollState';
import { SeenEvents } from '../shared/pollState';
import type { ApiPost, EventSettings, FoundEvent } from './events';
import { eventsOf, isFinalItem, isInFlight, ms, wanted } from './events';

/** The two reads the trigger makes; the node wires them to the PowerPost transport. */
export interface PostsApi {
	/** `GET /posts` */
	list(query: { limit: number; cursor?: string; status?: string }): Promise<CursorPage<ApiPost>>;
	/** `GET /posts/{id}`; undefined when the post no longer exists (404). */
	get(postId: string): Promise<ApiPost | undefined>;
}

/** A post the trigger keeps watching by id until it is finished. */
export interface Flight {
	/** Last seen post status. */
	s: string;
	/** scheduled_at (ms) of a scheduled post. */
	at?: number;
	/** When it was first seen in flight (ms). */
	since: number;
}

export interface TriggerState {
	/** Newest `updated_at` (ms) the trigger has processed; null while the workspace has no posts. */
	mark: number | null;
	/** PowerPost's "now" (ms, estimated) at the last successful poll. */
	polled: number;
	/** Event keys already emitted (or deliberately skipped) and the floor below which all count as seen. */
	seen: SeenData;
	/** Posts still in flight (publishing or scheduled), by id. */
	flight: Record<string, Flight>;
}

export const STATE_KEY = 'powerPostTrigger';
export const STATE_VERSION = 1;

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

export const LIMITS = {
	/** Page size of the first list page of a poll: an idle poll reads only this one small page. */
	firstPageSize: 20,
	pageSize: 100,
	/**
	 * How late a change may show up in the list after its `updated_at`. A poll reads from
	 * min(mark, previous poll − overlap): changes that were not yet visible at the previous poll are
	 * read, and an idle poll reads only the newest post(s), whatever the size of the last burst.
	 */
	overlapMs: 5 * MINUTE,
	/** On first activation, results of this window before "now" are marked as seen (never emitted). */
	activationWindowMs: 5 * MINUTE,
	/** Dedup keys of finished posts are kept this long (PowerPost time) ... */
	retentionMs: 2 * DAY,
	/** ... and at most this many; older ones fall below the floor. */
	maxKeys: 3000,
	/** Posts watched by id at most. PowerPost allows 100 scheduled posts per workspace. */
	maxFlight: 500,
	/** A post publishing (or overdue) for longer than this is no longer read by id each poll. */
	stuckMs: 3 * DAY,
	/**
	 * Safety cap on list pages per poll (5,000 changed posts since the previous poll, e.g. after a long
	 * deactivation of a busy workspace). Older changes beyond it are skipped, with a warning.
	 */
	maxPages: 50,
	/** Pages read for "Fetch Test Event". */
	samplePages: 2,
};

export interface PollOptions {
	/** "Include Results From the Last N Hours" (first activation only). */
	lookbackHours: number;
	/** Local clock (ms). */
	now: number;
	warn: (message: string) => void;
}

export interface PollOutcome {
	state: TriggerState;
	events: IDataObject[];
	/** Requests made by this poll. */
	requests: number;
}

class Reader {
	requests = 0;

	constructor(private readonly api: PostsApi) {}

	async list(query: { limit: number; cursor?: string; status?: string }): Promise<CursorPage<ApiPost>> {
		this.requests++;
		const page = await this.api.list(query);
		return { ...page, data: Array.isArray(page.data) ? page.data : [] };
	}

	async get(postId: string): Promise<ApiPost | undefined> {
		this.requests++;
		return await this.api.get(postId);
	}
}

interface ScanResult {
	posts: ApiPost[];
	/** Newest updated_at seen. */
	top?: number;
}

/**
 * Reads `GET /posts` newest first and returns the posts changed at or after `since` (computed from
 * the newest timestamp on the first page). Stops at the first post older than `since`, as long as
 * the list really is ordered by `updated_at` descending; if it is not, it keeps reading (up to the
 * page cap) so no change is missed, and warns.
 */
async function scanChanged(reader: Reader, since: (top: number | undefined) => number, warn: (m: string) => void): Promise<ScanResult> {
	const posts: ApiPost[] = [];
	const cursors = new Set<string>();
	let top: number | undefined;
	let previous: number | undefined;
	let ordered = true;
	let cursor: string | undefined;
	let from: number | undefined;
	for (let page = 0; ; page++) {
		if (page >= LIMITS.maxPages) {
			warn(`PowerPost Trigger: stopped after ${page} pages of GET /posts; changes older than these were skipped`);
			break;
		}
		const result = await reader.list({ limit: page === 0 ? LIMITS.firstPageSize : LIMITS.pageSize, cursor });
		let oldest: number | undefined;
		for (const post of result.data) {
			const updated = ms(post.updated_at);
			if (updated === undefined || (previous !== undefined && updated > previous)) ordered = false;
			if (updated !== undefined) {
				previous = updated;
				oldest = updated;
				top = top === undefined ? updated : Math.max(top, updated);
			}
		}
		from ??= since(top);
		for (const post of result.data) {
			const updated = ms(post.updated_at);
			if (updated === undefined || updated >= from) posts.push(post);
		}
		const next = result.next_cursor ?? undefined;
		if (result.has_more === false || !next || cursors.has(next) || result.data.length === 0) break;
		if (ordered && oldest !== undefined && oldest < from) break;
		cursors.add(next);
		cursor = next;
	}
	if (!ordered) warn('PowerPost Trigger: GET /posts is not ordered by updated_at (newest first); read more pages to miss nothing');
	return { posts, top };
}

/** Every page of a status-filtered list (used on first activation for the posts already in flight). */
async function listAll(reader: Reader, status: string): Promise<ApiPost[]> {
	const posts: ApiPost[] = [];
	const cursors = new Set<string>();
	let cursor: string | undefined;
	for (let page = 0; page < LIMITS.maxPages; page++) {
		const result = await reader.list({ limit: LIMITS.pageSize, status, cursor });
		posts.push(...result.data);
		const next = result.next_cursor ?? undefined;
		if (result.has_more === false || !next || cursors.has(next) || result.data.length === 0) break;
		cursors.add(next);
		cursor = next;
	}
	return posts;
}

/** The list may leave out items; such posts are read in full (only posts that changed). */
async function withItems(reader: Reader, post: ApiPost): Promise<ApiPost | undefined> {
	return Array.isArray(post.items) ? post : await reader.get(post.post_id);
}

/**
 * One poll. Works on a copy of the previous state and returns the new state together with the
 * events; the caller stores the state only after this resolved. Throws on any failed request,
 * so a failed poll changes nothing.
 */
export async function pollOnce(
	api: PostsApi,
	previous: TriggerState | undefined,
	settings: EventSettings,
	options: PollOptions,
): Promise<PollOutcome> {
	const reader = new Reader(api);
	const firstActivation = previous === undefined;
	const seen = new SeenEvents(previous?.seen);
	const oldFlight = previous?.flight ?? {};
	const flight: Record<string, Flight> = { ...oldFlight };
	const lookbackMs = Math.max(0, options.lookbackHours) * HOUR;
	let now = options.now;
	let emitFrom = -Infinity;

	const scan = await scanChanged(
		reader,
		(top) => {
			// PowerPost's clock may run ahead of ours (and does in the sandbox): take the later one.
			now = Math.max(options.now, top ?? -Infinity, previous?.polled ?? -Infinity);
			if (previous) return Math.min(previous.mark ?? Infinity, previous.polled - LIMITS.overlapMs);
			return now - Math.max(lookbackMs, LIMITS.activationWindowMs);
		},
		options.warn,
	);
	const observed = new Map<string, ApiPost>(scan.posts.map((post) => [post.post_id, post]));

	if (firstActivation) {
		seen.raiseFloor(now - Math.max(lookbackMs, LIMITS.activationWindowMs));
		emitFrom = lookbackMs > 0 ? now - lookbackMs : Infinity;
		// Posts already publishing or scheduled long ago do not show up among the recent changes.
		for (const status of ['publishing', 'scheduled']) {
			for (const post of await listAll(reader, status)) if (!observed.has(post.post_id)) observed.set(post.post_id, post);
		}
	} else {
		for (const [postId, watched] of Object.entries(oldFlight)) {
			if (observed.has(postId)) continue;
			const due = watched.s === 'scheduled' && watched.at !== undefined ? watched.at : watched.since;
			if (due > now) continue; // scheduled for later: nothing can have happened yet
			if (now - due > LIMITS.stuckMs) continue; // stuck for days: left to the list scan
			const post = await reader.get(postId);
			if (post) observed.set(postId, post);
			else delete flight[postId];
		}
	}

	const found: Array<{ event: FoundEvent; order: number }> = [];
	const posts = [...observed.values()].sort((a, b) => (ms(a.updated_at) ?? 0) - (ms(b.updated_at) ?? 0));
	for (const listed of posts) {
		const post = await withItems(reader, listed);
		if (!post) {
			delete flight[listed.post_id];
			continue;
		}
		const tracked = oldFlight[post.post_id] !== undefined;
		const track = isInFlight(post);
		for (const event of eventsOf(post)) {
			// A post watched in flight: its item keys decide (PowerPost's item times may lag).
			// Any other post: the key, and events older than the floor count as seen.
			const isNew = tracked ? !seen.has(event.key) : seen.isNew(event.key, event.at);
			if (isNew || track) seen.add(event.key, event.at);
			if (!isNew || event.at < emitFrom) continue;
			if (wanted(event, post, settings)) found.push({ event, order: found.length });
		}
		if (track) {
			flight[post.post_id] = {
				s: post.status ?? '',
				...(ms(post.scheduled_at) !== undefined && post.status === 'scheduled' ? { at: ms(post.scheduled_at) } : {}),
				since: oldFlight[post.post_id]?.since ?? now,
			};
		} else {
			delete flight[post.post_id];
		}
	}

	const newest = Math.max(previous?.mark ?? -Infinity, scan.top ?? -Infinity);
	const mark = Number.isFinite(newest) ? newest : null;
	const kept = Object.entries(flight)
		.sort((a, b) => b[1].since - a[1].since)
		.slice(0, LIMITS.maxFlight);
	const keptIds = kept.map(([postId]) => `${postId}:`);
	seen.prune({
		olderThan: Math.max(mark ?? -Infinity, now) - LIMITS.retentionMs,
		maxKeys: LIMITS.maxKeys,
		keep: (key) => keptIds.some((prefix) => key.startsWith(prefix)),
	});

	found.sort((a, b) => a.event.at - b.event.at || a.order - b.order);
	return {
		state: { mark, polled: now, seen: seen.toJSON(), flight: Object.fromEntries(kept) },
		events: found.map(({ event }) => event.json),
		requests: reader.requests,
	};
}

/**
 * "Fetch Test Event": the newest result among the most recent posts that matches the settings,
 * without touching the trigger's state.
 */
export async function fetchSample(api: PostsApi, settings: EventSettings): Promise<{ event?: IDataObject; checked: number }> {
	const reader = new Reader(api);
	let best: FoundEvent | undefined;
	let checked = 0;
	let cursor: string | undefined;
	for (let page = 0; page < LIMITS.samplePages; page++) {
		const result = await reader.list({ limit: LIMITS.pageSize, cursor });
		for (const listed of result.data) {
			checked++;
			if (Array.isArray(listed.items) && !listed.items.some(isFinalItem)) continue;
			const post = await withItems(reader, listed);
			if (!post) continue;
			for (const event of eventsOf(post)) {
				if (!wanted(event, post, settings)) continue;
				if (!best || event.at > best.at || (event.at === best.at && event.name === 'postFinished')) best = event;
			}
		}
		if (best || result.has_more === false || !result.next_cursor) break;
		cursor = result.next_cursor;
	}
	return { event: best?.json, checked };
}
