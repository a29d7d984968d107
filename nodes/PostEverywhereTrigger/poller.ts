import type { IDataObject } from 'n8n-workflow';

import type { SeenData } from '../shared/pollState';
import { SeenEvents } from '../shared/pollState';

/**
 * One poll of the PostEverywhere Trigger, as pure logic over a small API (contract §4.2, §4.6, §14).
 *
 * CURSOR: the newest post `updated_at` seen (a server value, never compared with n8n's clock). Each
 * poll reads `GET /posts?updated_after=<cursor>&sort=updated_at&order=asc` (inclusive, §14): posts
 * updated at exactly the cursor are read again, and the dedup set drops what was already emitted.
 * Pages go by `offset` among the posts of the newest `updated_at` read so far, so a post updated
 * during the walk is read again later instead of shifting the offsets; a page shorter than asked
 * (or `has_more: false`) ends the walk (§15.13). At most `maxPages` pages per poll; the rest
 * follows next poll from the committed cursor.
 *
 * EVENTS: one per destination (key `post_id:account_id`, §15.6) and state: `published`, or
 * `failed` (with `retry_pending` when `next_retry_at` is set, §15.5). Dedup by key + status +
 * attempts (§14), so a destination that fails, is retried and fails again is reported twice, and
 * one that finally publishes once more. When a post's destinations do not carry `next_retry_at`
 * (it is documented only on the results endpoint), the results of that post are read.
 *
 * FIRST POLL: nothing is emitted. The cursor starts at the newest `updated_at`, and the results
 * that are already final in the newest posts and in posts still publishing are marked as seen.
 */
export const STATE_KEY = 'postEverywhereTrigger';
export const STATE_VERSION = 1;
export const PAGE_SIZE = 100;

export interface TriggerState {
	/** Newest post `updated_at` read (ISO, server clock); null before any post exists. */
	cursor: string | null;
	seen: SeenData;
}

export interface PostsApi {
	/** `GET /posts` with the query as the API names it; the posts and `has_more` when sent. */
	list(query: IDataObject): Promise<{ posts: IDataObject[]; hasMore?: boolean }>;
	/** `GET /posts/{id}/results`: the result list. */
	results(postId: string): Promise<IDataObject[]>;
}

export interface TriggerSettings {
	events: Array<'published' | 'failed'>;
	platforms: string[];
	includeRetryPending: boolean;
}

export interface PollOutcome {
	state: TriggerState;
	events: IDataObject[];
	requests: number;
	/** Whether pages were left for the next poll. */
	more: boolean;
}

function destinationsOf(post: IDataObject): IDataObject[] {
	return Array.isArray(post.destinations) ? (post.destinations as IDataObject[]) : [];
}

function resultKey(postId: string, destination: IDataObject): string {
	return `${postId}:${String(destination.account_id ?? destination.id ?? destination.platform)}`;
}

function stateKey(postId: string, destination: IDataObject): string {
	return `${resultKey(postId, destination)}|${String(destination.status)}|${String(destination.attempts ?? 0)}`;
}

function isFinal(destination: IDataObject): boolean {
	return ['published', 'done', 'failed'].includes(String(destination.status));
}

function timeOf(post: IDataObject): number {
	const at = Date.parse(String(post.updated_at ?? ''));
	return Number.isFinite(at) ? at : 0;
}

/** The output item of one destination result. */
export function toEvent(post: IDataObject, destination: IDataObject): IDataObject {
	const published = ['published', 'done'].includes(String(destination.status));
	const retryPending = !published && Boolean(destination.next_retry_at);
	return {
		event: published ? 'published' : retryPending ? 'failed_retry_pending' : 'failed',
		post_id: post.post_id ?? post.id,
		destination_key: resultKey(String(post.post_id ?? post.id), destination),
		destination_id: destination.id ?? null,
		account_id: destination.account_id ?? null,
		account_name: destination.account_name ?? null,
		platform: destination.platform ?? null,
		status: destination.status,
		attempts: destination.attempts ?? null,
		published_at: destination.published_at ?? null,
		platform_post_id: destination.platform_post_id ?? null,
		platform_post_url: destination.platform_post_url ?? null,
		error: destination.error ?? null,
		next_retry_at: destination.next_retry_at ?? null,
		post_status: post.status ?? null,
		content: post.content ?? null,
		updated_at: post.updated_at ?? null,
	};
}

function wanted(settings: TriggerSettings, event: IDataObject): boolean {
	if (settings.platforms.length && !settings.platforms.includes(String(event.platform))) return false;
	if (event.event === 'published') return settings.events.includes('published');
	if (event.event === 'failed_retry_pending') return settings.events.includes('failed') && settings.includeRetryPending;
	return settings.events.includes('failed');
}

/** Fills in `next_retry_at` from the results endpoint when the post's failed destinations lack it. */
async function withRetryInfo(api: PostsApi, post: IDataObject, seen: SeenEvents, counter: { requests: number }): Promise<IDataObject[]> {
	const destinations = destinationsOf(post);
	const postId = String(post.post_id ?? post.id);
	// Only for a failure not reported yet: one already seen needs no second look.
	if (!destinations.some((d) => d.status === 'failed' && !('next_retry_at' in d) && seen.isNew(stateKey(postId, d)))) return destinations;
	counter.requests++;
	const results = await api.results(String(post.post_id ?? post.id));
	return destinations.map((destination) => {
		const match = results.find((result) => String(result.account_id) === String(destination.account_id));
		return match ? { ...destination, next_retry_at: match.next_retry_at ?? null } : destination;
	});
}

export async function pollOnce(api: PostsApi, previous: TriggerState | undefined, settings: TriggerSettings, options: { maxPages: number }): Promise<PollOutcome> {
	const counter = { requests: 0 };
	const seen = new SeenEvents(previous?.seen);
	const events: IDataObject[] = [];

	if (!previous) {
		counter.requests++;
		const newest = await api.list({ sort: 'updated_at', order: 'desc', limit: PAGE_SIZE, offset: 0 });
		counter.requests++;
		const publishing = await api.list({ status: 'publishing', sort: 'updated_at', order: 'desc', limit: PAGE_SIZE, offset: 0 });
		for (const post of [...newest.posts, ...publishing.posts]) {
			for (const destination of destinationsOf(post)) if (isFinal(destination)) seen.add(stateKey(String(post.post_id ?? post.id), destination), timeOf(post));
		}
		const cursor = newest.posts.length ? String(newest.posts[0].updated_at) : null;
		return { state: { cursor, seen: seen.toJSON() }, events, requests: counter.requests, more: false };
	}

	let cursor = previous.cursor;
	let offset = 0;
	let more = false;
	for (let page = 0; ; page++) {
		if (page >= options.maxPages) {
			more = true;
			break;
		}
		const query: IDataObject = { sort: 'updated_at', order: 'asc', limit: PAGE_SIZE, offset };
		if (cursor) query.updated_after = cursor;
		counter.requests++;
		const { posts, hasMore } = await api.list(query);
		for (const post of posts) {
			const postId = String(post.post_id ?? post.id);
			const destinations = destinationsOf(post).some(isFinal) ? await withRetryInfo(api, post, seen, counter) : [];
			for (const destination of destinations) {
				if (!isFinal(destination)) continue;
				const key = stateKey(postId, destination);
				if (!seen.isNew(key)) continue;
				seen.add(key, timeOf(post));
				const event = toEvent(post, destination);
				if (wanted(settings, event)) events.push(event);
			}
		}
		// The next page starts after this one: at the time of its last post (the page is sorted by
		// updated_at), skipping the posts of that time already read.
		if (posts.length) {
			const tail = posts[posts.length - 1];
			const tailTime = timeOf(tail);
			if (cursor && tailTime <= Date.parse(cursor)) {
				offset += posts.filter((post) => timeOf(post) === Date.parse(cursor as string)).length;
			} else {
				cursor = String(tail.updated_at);
				offset = posts.filter((post) => timeOf(post) === tailTime).length;
			}
		}
		if (posts.length < PAGE_SIZE || hasMore === false) break;
	}
	// Keys of posts more than 30 days older than the cursor cannot come back through the overlap.
	if (cursor) seen.prune({ olderThan: Date.parse(cursor) - 30 * 86_400_000, maxKeys: 50_000 });
	return { state: { cursor, seen: seen.toJSON() }, events, requests: counter.requests, more };
}
