import { createHash } from 'crypto';

import type { IDataObject } from 'n8n-workflow';

import { walkPages } from '../shared/pagination';
import type { SeenData } from '../shared/pollState';
import { SeenEvents } from '../shared/pollState';

import type { FailureData } from './failureKeys';
import { FailureKeys } from './failureKeys';

/**
 * One poll of the PostEverywhere Trigger, as pure logic over a small API (contract §4.2, §4.6, §14).
 *
 * POSITION: the walk's place in `GET /posts?updated_after=<cursor>&sort=updated_at&order=asc`
 * (inclusive, §14): a post `updated_at` (the server's clock, never compared with n8n's) and how many
 * posts of exactly that time were read. Pages go by `offset` among the posts of that time, stepping
 * back `TIE_SLACK` posts, so a post that leaves the group (updated meanwhile) cannot shift an unread
 * one past the walk. A page shorter than asked (or `has_more: false`) ends the walk (§15.13); at most
 * `maxPages` pages per poll, the rest follows next poll from the committed position.
 *
 * SAFE LINE: every answer's envelope carries the server's clock (`meta.timestamp`, else the HTTP
 * `Date` header). The committed cursor never passes that clock minus `OVERLAP_MS`: the last
 * `OVERLAP_MS` of changes are read again by every poll (dedup drops what was emitted), so a change
 * committed late with an earlier `updated_at` is still read, and a post stamped in the future (a
 * server clock stepped back) does not carry the cursor past later changes. When the first answer
 * shows the server's clock behind the stored cursor (clock stepped back), the walk starts again from
 * the safe line.
 *
 * EVENTS: one per destination (key `post_id:account_id`, §15.6) and state: `published` (or `done`,
 * §15.3), or `failed` (`failed_retry_pending` when `next_retry_at` is set, §15.5). Dedup by key +
 * status + attempts (§14). A destination that reaches its final state while siblings are in flight
 * may leave the post's `updated_at` unchanged (not documented either way): it is read, late, when
 * the post's status changes. When a post's failed destinations lack `next_retry_at` (documented only
 * on the results endpoint, §4.6), that post's results are read once per new failure.
 *
 * DEDUP SET: a publication's key is kept with its `published_at`. Keys older than `RETENTION_MS`
 * before the cursor are dropped and the set's floor rises past them; a publication whose
 * `published_at` is below the floor counts as seen (that is how a post updated again months later,
 * e.g. by a retry of a sibling, does not repeat it). Keys of posts that can still come back through
 * the overlap are never dropped.
 *
 * OPEN POSTS: the floor cannot judge a publication that settled while a sibling was in flight
 * without moving the post (read only when the post moves, maybe hours later). A post read while
 * publishing with a destination not final is "open": it keeps the keys of all its final
 * publications, and while it is open a publication is new exactly when its key is not among them
 * (no floor). It closes when read with every destination final (or after `HORIZON_MS` without
 * moving). At most the posts publishing at the same time.
 *
 * FAILURES carry no time the floor could compare: their keys are kept `HORIZON_MS` behind the
 * cursor (by the post's `updated_at`) in their own compact set (failureKeys.ts), so a hand retry of
 * some of a post's failed destinations does not repeat the others.
 *
 * FIRST POLL: nothing is emitted. What is final in posts updated in the last `ACTIVATION_LOOKBACK_MS`
 * of the server's clock (so a clock stepped back by up to that much re-reads no older result as new)
 * and in posts still publishing is marked as seen; the floor starts `RETENTION_MS` before the safe line.
 */
export const STATE_KEY = 'postEverywhereTrigger';
export const STATE_VERSION = 2;
export const PAGE_SIZE = 100;
/** Re-read window behind the server's clock (covers changes committed late with an earlier `updated_at`). */
export const OVERLAP_MS = 5 * 60_000;
/** How long keys are kept behind the cursor. */
export const RETENTION_MS = 6 * 3_600_000;
/** Upper bound of kept keys (older ones go first, never those inside the overlap). */
export const MAX_KEYS = 20_000;
/** How long failure keys and open posts are kept behind the cursor. */
export const HORIZON_MS = 30 * 24 * 3_600_000;
/** Upper bound of kept failure keys (older ones go first). */
export const MAX_FAILURE_KEYS = 20_000;
/** The activation poll marks what is final in this window before the server's clock as seen (a clock stepped back later re-reads it). */
export const ACTIVATION_LOOKBACK_MS = 3_600_000;
/** Posts of one `updated_at` read again when paging inside that group. */
export const TIE_SLACK = 10;

export interface TriggerState {
	/** Where the next poll starts: post `updated_at` (ISO, server clock); null before any is known. */
	cursor: string | null;
	/** Posts of exactly `cursor` already read (offset among them). */
	offset: number;
	seen: SeenData;
	/** Failures emitted or marked, kept `HORIZON_MS` (failureKeys.ts); absent in states of before. */
	failures?: FailureData;
	/** Open posts: post id → the post's `updated_at` when last read and its final publications' keys. */
	open?: Record<string, OpenPost>;
}

export interface OpenPost {
	at: number;
	keys: string[];
}

export interface PostsPage {
	posts: IDataObject[];
	hasMore?: boolean;
	/** The server's clock when it answered (ms), from `meta.timestamp` or the `Date` header. */
	serverTime?: number;
}

export interface PostsApi {
	/** `GET /posts` with the query as the API names it. */
	list(query: IDataObject): Promise<PostsPage>;
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

const PUBLISHED = ['published', 'done'];

function destinationsOf(post: IDataObject): IDataObject[] {
	return Array.isArray(post.destinations) ? (post.destinations as IDataObject[]) : [];
}

const postIdOf = (post: IDataObject) => String(post.post_id ?? post.id);

function resultKey(postId: string, destination: IDataObject): string {
	return `${postId}:${String(destination.account_id ?? destination.id ?? destination.platform)}`;
}

/**
 * The dedup key of a destination's state: `post_id:account_id|status|attempts`, stored as 12
 * characters of its SHA-256 (72 bits; a third of the bytes of the plain key in static data).
 */
export function stateKey(postId: string, destination: IDataObject): string {
	return digestKey(`${resultKey(postId, destination)}|${String(destination.status)}|${String(destination.attempts ?? 0)}`);
}

export function digestKey(plain: string): string {
	return createHash('sha256').update(plain).digest('base64url').slice(0, 12);
}

const isPublished = (destination: IDataObject) => PUBLISHED.includes(String(destination.status));
const isFinal = (destination: IDataObject) => isPublished(destination) || destination.status === 'failed';
/** Publishing: a destination still to settle, in a post that is neither a draft nor waiting for its time. */
const isOpen = (post: IDataObject) => !['draft', 'scheduled'].includes(String(post.status)) && destinationsOf(post).some((d) => !isFinal(d));

function ms(value: unknown): number | undefined {
	const at = typeof value === 'string' ? Date.parse(value) : NaN;
	return Number.isFinite(at) ? at : undefined;
}

const timeOf = (post: IDataObject) => ms(post.updated_at) ?? 0;

/** The time a key is kept with, and compared with the floor: `published_at` of a publication. */
function publishedAt(destination: IDataObject): number | undefined {
	return isPublished(destination) ? ms(destination.published_at) : undefined;
}

/** The output item of one destination result. */
export function toEvent(post: IDataObject, destination: IDataObject): IDataObject {
	const published = isPublished(destination);
	const retryPending = !published && Boolean(destination.next_retry_at);
	return {
		event: published ? 'published' : retryPending ? 'failed_retry_pending' : 'failed',
		post_id: post.post_id ?? post.id,
		destination_key: resultKey(postIdOf(post), destination),
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

/** Where a walk is: posts with `updated_at` ≥ `time`, of which `read` posts at exactly `time` are done. */
interface Position {
	time: number | null;
	read: number;
}

/** The state of one poll: the dedup set, the events, the request count and the server's clock. */
/** A page shorter than asked, or one that says `has_more: false`, is the last one (§15.13). */
const isLastPage = (page: PostsPage) => page.posts.length < PAGE_SIZE || page.hasMore === false;

class Poll {
	readonly seen: SeenEvents;
	readonly failures: FailureKeys;
	readonly open: Map<string, OpenPost>;
	readonly events: IDataObject[] = [];
	requests = 0;
	serverTime: number | undefined;

	constructor(
		private readonly api: PostsApi,
		private readonly settings: TriggerSettings,
		previous: TriggerState | undefined,
		/** false on the activation poll: results are marked as seen, not emitted. */
		private readonly emit: boolean,
	) {
		this.seen = new SeenEvents(previous?.seen);
		this.failures = new FailureKeys(previous?.failures);
		this.open = new Map(Object.entries(previous?.open ?? {}).filter(([, post]) => Array.isArray(post?.keys) && Number.isFinite(post.at)));
	}

	/** Whether a final destination's state was not emitted (or marked) yet. */
	private isNew(postId: string, destination: IDataObject, key: string): boolean {
		if (!isPublished(destination)) return this.seen.isNew(key) && !this.failures.has(key);
		const open = this.open.get(postId);
		return open ? !open.keys.includes(key) && this.seen.isNew(key) : this.seen.isNew(key, publishedAt(destination));
	}

	async list(query: IDataObject): Promise<PostsPage> {
		this.requests++;
		const page = await this.api.list(query);
		this.serverTime ??= page.serverTime;
		return page;
	}

	get safeLine(): number | undefined {
		return this.serverTime === undefined ? undefined : this.serverTime - OVERLAP_MS;
	}

	/** Fills in `next_retry_at` from the results endpoint when a new failure lacks it (§4.6). */
	private async withRetryInfo(post: IDataObject): Promise<IDataObject[]> {
		const destinations = destinationsOf(post);
		const postId = postIdOf(post);
		if (!this.emit || !destinations.some((d) => d.status === 'failed' && !('next_retry_at' in d) && this.isNew(postId, d, stateKey(postId, d)))) return destinations;
		this.requests++;
		const results = await this.api.results(postId);
		return destinations.map((destination) => {
			const match = results.find((result) => String(result.account_id) === String(destination.account_id));
			return match ? { ...destination, next_retry_at: match.next_retry_at ?? null } : destination;
		});
	}

	async handle(post: IDataObject): Promise<void> {
		const postId = postIdOf(post);
		const published: string[] = [];
		if (destinationsOf(post).some(isFinal)) {
			for (const destination of await this.withRetryInfo(post)) {
				if (!isFinal(destination)) continue;
				const key = stateKey(postId, destination);
				if (isPublished(destination)) published.push(key);
				if (!this.isNew(postId, destination, key)) continue;
				if (isPublished(destination)) this.seen.add(key, publishedAt(destination) ?? timeOf(post));
				else this.failures.add(key, timeOf(post));
				if (!this.emit) continue;
				const event = toEvent(post, destination);
				if (wanted(this.settings, event)) this.events.push(event);
			}
		}
		if (!isOpen(post)) {
			this.open.delete(postId);
			return;
		}
		const keys = new Set([...(this.open.get(postId)?.keys ?? []), ...published]);
		this.open.set(postId, { at: Math.max(timeOf(post), this.open.get(postId)?.at ?? 0), keys: [...keys] });
	}

	/** Walks `GET /posts` by `updated_at` from `from` (the engine's page walk); returns where it stopped and whether it finished. */
	async walk(from: Position, maxPages: number): Promise<{ at: Position; done: boolean }> {
		let at = { ...from };
		let pages = 0;
		let restarted = false;
		const read = async (position: Position) => {
			const offset = Math.max(0, position.read - TIE_SLACK);
			const query: IDataObject = { sort: 'updated_at', order: 'asc', limit: PAGE_SIZE, offset };
			if (position.time !== null) query.updated_after = new Date(position.time).toISOString();
			pages++;
			return { offset, ...(await this.list(query)) };
		};
		const end = await walkPages<IDataObject, Position>({
			start: at,
			fetchPage: async (position = at) => {
				if (pages >= maxPages) return undefined;
				let page = await read(position);
				// The server's clock is behind where the walk starts (stepped back): start at its safe line.
				const safe = this.safeLine;
				if (!restarted && safe !== undefined && position.time !== null && position.time > safe) {
					restarted = true;
					at = { time: safe, read: 0 };
					if (pages >= maxPages) return undefined;
					page = await read(at);
				}
				const { posts, offset } = page;
				if (posts.length) {
					const tailTime = timeOf(posts[posts.length - 1]);
					if (at.time !== null && tailTime <= at.time) at = { time: at.time, read: offset + posts.length };
					else at = { time: tailTime, read: posts.filter((post) => timeOf(post) === tailTime).length };
				}
				return { items: posts, next: isLastPage(page) ? undefined : at };
			},
			onPage: async (page) => {
				for (const post of page.items) await this.handle(post);
			},
		});
		return { at, done: end.complete };
	}

	/** The state to commit: never past the safe line, dedup set pruned. */
	state(at: Position): TriggerState {
		const safe = this.safeLine;
		const position = safe !== undefined && (at.time === null || at.time > safe) ? { time: safe, read: 0 } : at;
		if (position.time !== null) {
			const keepFrom = position.time - 2 * OVERLAP_MS;
			const times = this.seen.toJSON().keys;
			this.seen.prune({ olderThan: position.time - RETENTION_MS, maxKeys: MAX_KEYS, keep: (key) => times[key] >= keepFrom });
			this.failures.prune(position.time, HORIZON_MS, MAX_FAILURE_KEYS);
			for (const [postId, post] of this.open) if (post.at < position.time - HORIZON_MS) this.open.delete(postId);
		}
		return {
			cursor: position.time === null ? null : new Date(position.time).toISOString(),
			offset: position.read,
			seen: this.seen.toJSON(),
			failures: this.failures.toJSON(),
			open: Object.fromEntries(this.open),
		};
	}
}

function positionOf(state: TriggerState): Position {
	const time = ms(state.cursor);
	return { time: time ?? null, read: time === undefined ? 0 : Math.max(0, Math.floor(Number(state.offset) || 0)) };
}

export async function pollOnce(api: PostsApi, previous: TriggerState | undefined, settings: TriggerSettings, options: { maxPages: number }): Promise<PollOutcome> {
	if (!previous) return await activate(api, settings, options);
	const poll = new Poll(api, settings, previous, true);
	const { at, done } = await poll.walk(positionOf(previous), options.maxPages);
	return { state: poll.state(at), events: poll.events, requests: poll.requests, more: !done };
}

/** The activation poll: marks what is already final as seen and places the cursor; emits nothing. */
async function activate(api: PostsApi, settings: TriggerSettings, options: { maxPages: number }): Promise<PollOutcome> {
	const poll = new Poll(api, settings, undefined, false);
	// Posts still publishing may have final destinations already; their post moves later (§9).
	let pages = 0;
	await walkPages<IDataObject, number>({
		fetchPage: async (offset = 0) => {
			if (pages++ >= options.maxPages) return undefined;
			const page = await poll.list({ status: 'publishing', sort: 'updated_at', order: 'desc', limit: PAGE_SIZE, offset });
			return { items: page.posts, next: isLastPage(page) ? undefined : offset + page.posts.length };
		},
		onPage: async (page) => {
			for (const post of page.items) await poll.handle(post);
		},
	});
	let from: Position;
	if (poll.safeLine !== undefined) {
		from = { time: (poll.serverTime as number) - ACTIVATION_LOOKBACK_MS, read: 0 };
		// Publications older than the retention count as seen (a post retried long after activation).
		poll.seen.raiseFloor(poll.safeLine - RETENTION_MS);
	} else {
		// No server clock in the answers: start at the newest post.
		const { posts } = await poll.list({ sort: 'updated_at', order: 'desc', limit: 1, offset: 0 });
		from = { time: posts.length ? timeOf(posts[0]) : null, read: 0 };
	}
	let { at, done } = await poll.walk(from, options.maxPages);
	// More in the look-back than one poll reads: at least the overlap window is marked.
	if (!done && poll.safeLine !== undefined && (at.time ?? -Infinity) < poll.safeLine) ({ at, done } = await poll.walk({ time: poll.safeLine, read: 0 }, options.maxPages));
	return { state: poll.state(at), events: [], requests: poll.requests, more: !done };
}
