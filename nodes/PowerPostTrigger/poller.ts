import type { IDataObject } from 'n8n-workflow';

import type { CursorPage } from '../shared/pagination';
import { fromCursorPage, walkPages } from '../shared/pagination';
import type { ApiPost, EventSettings, FoundEvent } from './events';
import { eventsOf, isFinalItem, isFinishedPost, ms, wanted } from './events';

/**
 * One poll of the PowerPost Trigger: a reconciliation of what PowerPost shows now with what the
 * trigger has already handled. It compares PowerPost's values only with PowerPost's values (ids,
 * statuses, PowerPost's own timestamps with each other), never with n8n's clock, so a skewed or
 * stepped clock on either side cannot lose or repeat a result.
 *
 *   1. Main walk: `GET /posts` from the top (newest first) down to the "known" boundary. A post not
 *      seen before and created after the boundary is new: its final results are emitted, and it is
 *      tracked while it is not final (draft, scheduled, publishing).
 *   2. Status walks: `GET /posts?status=draft|scheduled|publishing`, each only while the trigger
 *      tracks a post in that status. A tracked post listed there shows its current items: results
 *      that became final are emitted once.
 *   3. A tracked post missing from the list of its status changed status: `GET /posts/{id}`, the
 *      source of truth (final: its remaining results and Post Finished; 404: dropped, logged).
 *
 * Fast path (only when detected): if every page of a full walk was ordered by `updated_at`
 * (newest first) and every post carried it, the next polls read only posts changed since the
 * newest `updated_at` seen and skip steps 2–3; every FULL_EVERY-th poll is a full one again, so a
 * server that does not move `updated_at` on every change makes results late, never lost.
 *
 * Budget: a poll stops reading after MAX_REQUESTS requests or BUDGET_MS. What it did not read is
 * kept as a "gap" (the list cursor where it stopped) and read first thing next poll.
 */

/** The reads the trigger makes; the node wires them to the PowerPost transport. */
export interface PostsApi {
	/** `GET /posts`; `rejected` when PowerPost refused the cursor (400): the walk then starts over. */
	list(query: { limit: number; cursor?: string; status?: string }): Promise<CursorPage<ApiPost> & { rejected?: boolean }>;
	/** `GET /posts/{id}`; undefined when the post no longer exists (404). */
	get(postId: string): Promise<ApiPost | undefined>;
}

/** The rest of a walk that ran out of budget: read on from `cursor` until the list passes `stop`. */
export interface Gap {
	cursor: string;
	/** Stop once posts are older (by the list's order key) than this; null: read to the end. */
	stop: number | null;
	/** Order key of the top of the walk that left the gap: the next main walk stops there. */
	top: number | null;
}

export interface FastPath {
	/** Newest `updated_at` seen (ms, PowerPost's clock). */
	mark: number;
	/** Posts with exactly that `updated_at` (ties cost no extra page). */
	ids: string[];
	/** Fast polls since the last full one. */
	n: number;
	/**
	 * Written by the poll that stored this state and kept in process memory too: a state that does
	 * not carry the token the process remembers was restored from storage (n8n restarted, or saved
	 * an older snapshot), so what idle polls learned since may be gone and the next poll is full.
	 */
	token: string;
}

export interface TriggerState {
	/** Newest `created_at` seen (ms, PowerPost's clock); null while the workspace had no posts. */
	top: number | null;
	/** Every post created before this is known (handled, or history at activation). */
	floor: number | null;
	/** Posts created at or after `floor` that were handled: post id → created_at (ms). */
	seen: Record<string, number>;
	/**
	 * Posts not final yet: post id → status letter (d draft, s scheduled, p publishing) and, after a
	 * colon, the comma-separated ids of items whose result was already handled.
	 */
	track: Record<string, string>;
	gaps: Gap[];
	fast?: FastPath;
}

export const STATE_KEY = 'powerPostTrigger';
export const STATE_VERSION = 2;

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

export const LIMITS = {
	pageSize: 100,
	/**
	 * The main walk reads posts created up to this long before the newest one (PowerPost's clock):
	 * a post whose `created_at` lies behind newer posts (PowerPost's clock stepped back) is still found.
	 */
	windowMs: HOUR,
	/** At most this many ids in `seen` when no gap is open (the window shrinks beyond it). */
	maxSeen: 2000,
	/** Requests per poll; what is left is read at the next poll. */
	maxRequests: 60,
	/** Time per poll (n8n's clock, only to bound the poll's own duration). */
	budgetMs: 20_000,
	/** With the fast path, every this-many-th poll is a full reconciliation. */
	fullEvery: 10,
	/** Pages read for "Fetch Test Event". */
	samplePages: 2,
};

export interface PollOptions {
	/** "Include Results From the Last N Hours" (first activation only; n8n's clock). */
	lookbackHours: number;
	/** n8n's clock (ms): used only for the time budget and for "last N hours". */
	now: () => number;
	/** Time this poll may read for (default LIMITS.budgetMs). */
	budgetMs?: number;
	/** This process's memory of the last state each trigger stored (see FastPath.token). */
	memory?: { key: string; tokens: Map<string, string> };
	warn: (message: string) => void;
	log?: (message: string) => void;
}

export interface PollOutcome {
	state: TriggerState;
	events: IDataObject[];
	/** Requests made by this poll. */
	requests: number;
	/** What the poll did, for logs and tests. */
	mode: 'activation' | 'full' | 'fast';
	/** Gaps left for the next poll (0 = caught up). */
	pending: number;
}

class Reader {
	requests = 0;

	private readonly started: number;

	constructor(
		private readonly api: PostsApi,
		private readonly now: () => number,
		private readonly budgetMs: number = LIMITS.budgetMs,
	) {
		this.started = now();
	}

	get exhausted(): boolean {
		return this.requests >= LIMITS.maxRequests || this.now() - this.started >= this.budgetMs;
	}

	/** A page, or undefined when the poll's budget is spent. */
	async list(query: { limit: number; cursor?: string; status?: string }): Promise<(CursorPage<ApiPost> & { rejected?: boolean }) | undefined> {
		if (this.exhausted) return undefined;
		this.requests++;
		const page = await this.api.list(query);
		return { ...page, data: Array.isArray(page.data) ? page.data : [] };
	}

	/** Callers check `exhausted` first. */
	async get(postId: string): Promise<ApiPost | undefined> {
		this.requests++;
		return await this.api.get(postId);
	}
}

const STATUS_LETTER: Record<string, string> = { draft: 'd', scheduled: 's', publishing: 'p' };
const LETTER_STATUS: Record<string, string> = { d: 'draft', s: 'scheduled', p: 'publishing' };

function decode(entry: string): { letter: string; done: string[] } {
	const [letter, done] = entry.split(':', 2);
	return { letter, done: done ? done.split(',') : [] };
}

function encode(post: ApiPost, done: string[]): string {
	const letter = STATUS_LETTER[post.status ?? ''] ?? 'p';
	return done.length ? `${letter}:${done.join(',')}` : letter;
}

/** Which order the list pages have shown so far (checked on every page, never assumed). */
class OrderCheck {
	byUpdated = true;
	byCreated = true;
	/** The first (newest) updated_at seen, and the posts that have exactly it. */
	newestUpdated: number | undefined;
	idsAtNewest: string[] = [];
	private lastUpdated = Infinity;
	private lastCreated = Infinity;

	see(post: ApiPost): void {
		const updated = ms(post.updated_at);
		const created = ms(post.created_at);
		if (updated === undefined || updated > this.lastUpdated) this.byUpdated = false;
		else this.lastUpdated = updated;
		if (created === undefined || created > this.lastCreated) this.byCreated = false;
		else this.lastCreated = created;
		if (updated !== undefined && this.newestUpdated === undefined) this.newestUpdated = updated;
		if (updated !== undefined && updated === this.newestUpdated && this.idsAtNewest.length < 50) this.idsAtNewest.push(post.post_id);
	}

	/** The order key of a post (the one the list is sorted by), or undefined when the list is unordered. */
	key(post: ApiPost): number | undefined {
		// updated_at ≥ created_at, so stopping on updated_at is safe in either order.
		if (this.byUpdated) return ms(post.updated_at);
		if (this.byCreated) return ms(post.created_at);
		return undefined;
	}
}

/** The state of one poll while it runs: a private copy, committed by the caller only at the end. */
class Poll {
	readonly events: Array<{ event: FoundEvent; order: number }> = [];
	/** Posts handled by this poll (a post read twice is handled once). */
	readonly handled = new Set<string>();
	/** Newest created_at read by this poll. */
	topCreated: number | undefined;

	constructor(
		readonly state: TriggerState,
		readonly reader: Reader,
		readonly settings: EventSettings,
		readonly options: PollOptions,
		/** Activation: nothing is emitted (except results inside "last N hours"). */
		readonly history?: { emitFrom: number },
	) {}

	private remember(post: ApiPost): void {
		const created = ms(post.created_at);
		if (created === undefined) return;
		this.topCreated = Math.max(this.topCreated ?? -Infinity, created);
		if (this.state.floor === null || created >= this.state.floor) this.state.seen[post.post_id] = created;
	}

	/** Whether the trigger already handled this post (or it is history from before activation). */
	private known(post: ApiPost): boolean {
		const id = post.post_id;
		if (this.state.seen[id] !== undefined) return true;
		const created = ms(post.created_at);
		return created !== undefined && this.state.floor !== null && created < this.state.floor;
	}

	/** Reconciles one post read from the list or by id. */
	async handle(listed: ApiPost, source: 'list' | 'id' = 'list'): Promise<void> {
		const id = listed.post_id;
		if (typeof id !== 'string' || id === '') return;
		const entry = this.state.track[id];
		const isNew = entry === undefined && !this.known(listed) && !this.history;
		this.remember(listed);
		if (this.handled.has(id) && entry === undefined) return;
		this.handled.add(id);
		if (entry === undefined && !isNew && !this.history) {
			if (!isFinishedPost(listed) && (listed.items ?? []).length > 0 && listed.status !== 'published' && listed.status !== 'failed') {
				// A known post that is not final but not tracked (cannot happen with a consistent state):
				// watch it from now on; its results so far count as handled.
				this.options.warn(`PowerPost Trigger: post ${id} is ${listed.status ?? 'unknown'} but was not tracked; watching it from now on`);
				this.state.track[id] = encode(listed, (listed.items ?? []).filter(isFinalItem).map((item) => item.item_id));
			}
			return;
		}
		const post = Array.isArray(listed.items) || source === 'id' ? listed : await this.reader.get(id);
		if (!post) {
			delete this.state.track[id];
			this.options.log?.(`PowerPost Trigger: post ${id} no longer exists (404); no longer watched`);
			return;
		}
		const done = entry === undefined ? [] : decode(entry).done;
		for (const event of eventsOf(post)) {
			const itemId = event.json.item_id as string | null;
			if (itemId !== null) {
				if (done.includes(itemId)) continue;
				done.push(itemId);
			}
			if (this.history && event.at < this.history.emitFrom) continue;
			if (wanted(event, post, this.settings)) this.events.push({ event, order: this.events.length });
		}
		if (isFinishedPost(post)) delete this.state.track[id];
		else this.state.track[id] = encode(post, done);
	}

	/**
	 * Reads list pages from `cursor` and handles every post, until the list passes `stop` (by its
	 * order key) or ends. Returns the cursor to continue from when the budget ran out.
	 */
	async walk(opts: { cursor?: string; stop: number | null; tieIds?: string[]; status?: string; order: OrderCheck }): Promise<{ cursor?: string; complete: boolean }> {
		return await this.walkList(opts.cursor, opts.status, async (posts) => {
			// The order is judged on the whole page before any post of it may end the walk.
			for (const post of posts) if (!opts.status || post.status === opts.status) opts.order.see(post);
			for (const post of posts) {
				if (opts.status && post.status !== opts.status) {
					// The server ignored the filter (or the post moved on meanwhile): handle it anyway.
					await this.handle(post);
					continue;
				}
				const key = opts.status ? undefined : opts.order.key(post);
				if (opts.stop !== null && key !== undefined && (key < opts.stop || (key === opts.stop && opts.tieIds?.includes(post.post_id)))) return true;
				await this.handle(post);
			}
			return false;
		});
	}

	/** The engine's page walk over `GET /posts` within the poll's budget; `onPage` returns true to stop. */
	async walkList(cursor: string | undefined, status: string | undefined, onPage: (posts: ApiPost[]) => Promise<boolean>): Promise<{ cursor?: string; complete: boolean }> {
		const end = await walkPages<ApiPost, string>({
			start: cursor,
			fetchPage: async (position) => {
				const page = await this.reader.list({ limit: LIMITS.pageSize, cursor: position, ...(status ? { status } : {}) });
				return page && { ...fromCursorPage(page), refused: page.rejected };
			},
			// An old cursor PowerPost no longer accepts: read again from the top (known posts are skipped).
			onRestart: () => this.options.warn('PowerPost Trigger: PowerPost refused a saved list cursor; reading again from the newest post'),
			onPage: async (page) => await onPage(page.items),
		});
		return end.complete ? { complete: true } : { cursor: end.position, complete: false };
	}

	sortedEvents(): IDataObject[] {
		return this.events.sort((a, b) => a.event.at - b.event.at || a.order - b.order).map(({ event }) => event.json);
	}
}

function emptyState(): TriggerState {
	return { top: null, floor: null, seen: {}, track: {}, gaps: [] };
}

/** Keeps `seen` small: ids below the floor are implied by it. */
function settle(state: TriggerState, topCreated: number | undefined): void {
	if (topCreated !== undefined) state.top = Math.max(state.top ?? -Infinity, topCreated);
	if (state.gaps.length > 0 || state.top === null) return;
	let floor = Math.max(state.floor ?? -Infinity, state.top - LIMITS.windowMs);
	const entries = Object.entries(state.seen).filter(([, created]) => created >= floor);
	if (entries.length > LIMITS.maxSeen) {
		entries.sort((a, b) => b[1] - a[1]);
		floor = Math.max(floor, entries[LIMITS.maxSeen - 1][1]);
	}
	state.floor = floor;
	state.seen = Object.fromEntries(entries.filter(([, created]) => created >= floor));
}

/**
 * One poll. Works on a copy of the previous state and returns the new state with the events; the
 * caller stores the state only after this resolved. Any failed request throws, and then nothing
 * changes: the next poll repeats the same work.
 */
export async function pollOnce(api: PostsApi, previous: TriggerState | undefined, settings: EventSettings, options: PollOptions): Promise<PollOutcome> {
	const reader = new Reader(api, options.now, options.budgetMs);
	if (!previous) return await activate(reader, settings, options);
	const state: TriggerState = JSON.parse(JSON.stringify(previous)) as TriggerState;
	const remembered = options.memory?.tokens.get(options.memory.key);
	const fast = state.fast !== undefined && state.fast.n + 1 < LIMITS.fullEvery && remembered !== undefined && remembered === state.fast.token;
	const poll = new Poll(state, reader, settings, options);

	// 1. main walk, from the top down to what is known (or to the newest gap)
	const order = new OrderCheck();
	const base = fast ? state.fast!.mark : state.floor;
	const gapTop = state.gaps[0]?.top ?? null;
	const stop = gapTop !== null && (base === null || gapTop > base) ? gapTop : base ?? null;
	const main = await poll.walk({ stop, tieIds: fast ? state.fast!.ids : undefined, order });
	const stillFast = fast && order.byUpdated;
	if (fast && !order.byUpdated) options.warn('PowerPost Trigger: GET /posts is no longer ordered by updated_at; full reconciliation');
	if (!main.complete && main.cursor !== undefined) {
		const top = (order.byUpdated ? order.newestUpdated : poll.topCreated) ?? stop ?? null;
		state.gaps.unshift({ cursor: main.cursor, stop: stop ?? null, top });
	}

	// 2. the gaps left by earlier polls, newest first
	for (let index = main.complete ? 0 : 1; index < state.gaps.length && !reader.exhausted; ) {
		const gap = state.gaps[index];
		const rest = await poll.walk({ cursor: gap.cursor, stop: gap.stop, order: new OrderCheck() });
		if (rest.complete) state.gaps.splice(index, 1);
		else {
			if (rest.cursor !== undefined) gap.cursor = rest.cursor;
			break;
		}
	}

	// 3. full reconciliation: the tracked posts, by status, then by id where they left their list
	if (!stillFast) await reconcileTracked(poll);

	// The fast path serves the next polls only while whole main walks keep proving the updated_at order.
	if (order.byUpdated && main.complete && (order.newestUpdated !== undefined || stillFast)) {
		const mark = order.newestUpdated ?? state.fast!.mark;
		const ids = order.newestUpdated !== undefined ? order.idsAtNewest : state.fast!.ids;
		const token = `${options.now().toString(36)}${Math.random().toString(36).slice(2, 8)}`;
		state.fast = { mark, ids, n: stillFast ? state.fast!.n + 1 : 0, token };
		options.memory?.tokens.set(options.memory.key, token);
	} else {
		delete state.fast;
	}
	if (!order.byUpdated && !order.byCreated) {
		options.warn('PowerPost Trigger: GET /posts is ordered neither by created_at nor by updated_at; every page is read');
	}
	settle(state, poll.topCreated);
	return { state, events: poll.sortedEvents(), requests: reader.requests, mode: stillFast ? 'fast' : 'full', pending: state.gaps.length };
}

/** Step 2 and 3: walk the status lists of tracked posts, then read by id those that left them. */
async function reconcileTracked(poll: Poll): Promise<void> {
	const { state, reader } = poll;
	const walked = new Set<string>();
	for (const letter of ['d', 's', 'p']) {
		if (!Object.values(state.track).some((entry) => decode(entry).letter === letter)) continue;
		const result = await poll.walk({ status: LETTER_STATUS[letter], stop: null, order: new OrderCheck() });
		if (!result.complete) return; // out of budget: conclusions wait for the next poll
		walked.add(letter);
	}
	for (const [id, entry] of Object.entries(state.track)) {
		if (poll.handled.has(id) || !walked.has(decode(entry).letter)) continue;
		if (reader.exhausted) return;
		const post = await reader.get(id);
		if (post) await poll.handle(post, 'id');
		else {
			delete state.track[id];
			poll.handled.add(id);
			poll.options.log?.(`PowerPost Trigger: post ${id} no longer exists (404); no longer watched`);
		}
	}
}

/**
 * First poll: what exists now is history. The main walk learns the newest posts (the known
 * boundary), the status walks learn every post not final yet; nothing is emitted, except results
 * inside "Include Results From the Last N Hours" (n8n's clock: the one clock-based option).
 */
async function activate(reader: Reader, settings: EventSettings, options: PollOptions): Promise<PollOutcome> {
	const state = emptyState();
	const lookbackMs = Math.max(0, options.lookbackHours) * HOUR;
	const emitFrom = lookbackMs > 0 ? options.now() - lookbackMs : Infinity;
	const poll = new Poll(state, reader, settings, options, { emitFrom });
	const order = new OrderCheck();
	let floor: number | undefined;
	await poll.walkList(undefined, undefined, async (posts) => {
		for (const post of posts) order.see(post);
		if (floor === undefined) {
			// The first page sets the known boundary: an hour behind its newest post.
			const newest = Math.max(...posts.map((post) => ms(post.created_at) ?? -Infinity));
			if (!Number.isFinite(newest)) return true;
			state.top = newest;
			state.floor = floor = Math.min(newest - LIMITS.windowMs, emitFrom);
		}
		for (const post of posts) {
			if (passed(order, post, floor)) return true;
			await poll.handle(post);
		}
		return false;
	});
	for (const status of ['draft', 'scheduled', 'publishing']) {
		const result = await poll.walk({ status, stop: null, order: new OrderCheck() });
		if (!result.complete) options.warn(`PowerPost Trigger: more ${status} posts than one poll can read at activation; the rest are treated as history`);
	}
	state.floor = state.top === null ? null : state.top - LIMITS.windowMs;
	state.seen = Object.fromEntries(Object.entries(state.seen).filter(([, created]) => state.floor === null || created >= state.floor));
	settle(state, poll.topCreated);
	return { state, events: poll.sortedEvents(), requests: reader.requests, mode: 'activation', pending: 0 };
}

function passed(order: OrderCheck, post: ApiPost, stop: number): boolean {
	const key = order.key(post);
	return key !== undefined && key < stop;
}

/**
 * "Fetch Test Event": the newest result among the most recent posts that matches the settings,
 * without touching the trigger's state.
 */
export async function fetchSample(api: PostsApi, settings: EventSettings): Promise<{ event?: IDataObject; checked: number }> {
	let best: FoundEvent | undefined;
	let checked = 0;
	let pages = 0;
	await walkPages<ApiPost, string>({
		fetchPage: async (cursor) => fromCursorPage(await api.list({ limit: LIMITS.pageSize, cursor })),
		onPage: async ({ items }) => {
			for (const listed of items) {
				checked++;
				if (Array.isArray(listed.items) && !listed.items.some(isFinalItem)) continue;
				const post = Array.isArray(listed.items) ? listed : await api.get(listed.post_id);
				if (!post) continue;
				for (const event of eventsOf(post)) {
					if (!wanted(event, post, settings)) continue;
					if (!best || event.at > best.at || (event.at === best.at && event.name === 'postFinished')) best = event;
				}
			}
			return best !== undefined || ++pages >= LIMITS.samplePages;
		},
	});
	return { event: best?.json, checked };
}
