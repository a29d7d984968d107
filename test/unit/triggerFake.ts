import type { CursorPage } from '../../nodes/shared/pagination';
import type { ApiItem, ApiPost } from '../../nodes/PowerPostTrigger/events';
import type { PostsApi } from '../../nodes/PowerPostTrigger/poller';

/** Times used by the tests: a fixed "now" of PowerPost's clock. */
export const T0 = Date.parse('2026-04-01T12:00:00Z');
export const MIN = 60_000;
export const HOUR = 60 * MIN;
export const DAY = 24 * HOUR;

export const iso = (ms: number) => new Date(ms).toISOString();

export type Profile = 'generous' | 'strict';
export const PROFILES: Profile[] = ['generous', 'strict'];

export interface Request {
	kind: 'list' | 'get';
	status?: string;
	cursor?: string;
	limit?: number;
	id?: string;
}

/**
 * An in-memory `GET /posts` + `GET /posts/{id}` with the contract's shapes and the sandbox's two
 * profiles: `strict` lists newest created first and answers only documented fields (no
 * `updated_at`, `published_at`, `posted_at`, `failed_at`); `generous` lists by `updated_at` and has
 * them all. Keyset cursors (stable when posts are added meanwhile), faults, an optional ignored
 * status filter and an unordered list.
 */
export class FakePosts implements PostsApi {
	posts = new Map<string, ApiPost>();
	requests: Request[] = [];
	/** Return a fault for a request (thrown as the transport would). */
	fault?: (request: Request, index: number) => Error | undefined;
	unordered = false;
	ignoreStatusFilter = false;
	/** Cursors handed out so far that the server no longer accepts (answer: rejected). */
	expired = new Set<string>();
	private issued: string[] = [];
	/** Whether updated_at moves when something changes (a generous server might not). */
	bumpUpdatedAt = true;
	private counter = 0;

	constructor(readonly profile: Profile = 'generous') {}

	add(post: Omit<Partial<ApiPost>, 'items'> & { items: Array<Partial<ApiItem>> }, at: number, created = at): ApiPost {
		const id = post.post_id ?? `post-${String(++this.counter).padStart(5, '0')}`;
		const full: ApiPost = {
			post_id: id,
			status: post.status ?? 'draft',
			created_at: iso(created),
			updated_at: iso(at),
			scheduled_at: post.scheduled_at ?? null,
			published_at: post.published_at ?? null,
			items: post.items.map((item, index) => ({
				item_id: item.item_id ?? `${id}-item-${index + 1}`,
				post_type: item.post_type ?? 'instagram-feed',
				platform: item.platform ?? 'instagram',
				status: item.status ?? 'draft',
				platform_post_id: item.platform_post_id ?? null,
				posted_at: item.posted_at ?? null,
				failed_at: item.failed_at ?? null,
				error: item.error ?? null,
			})),
		};
		this.posts.set(id, full);
		return full;
	}

	/** A draft created at `at` with one item per platform. */
	draft(at: number, platforms: string[] = ['instagram']): ApiPost {
		return this.add({ status: 'draft', items: platforms.map((platform) => ({ platform, post_type: POST_TYPE[platform] })) }, at);
	}

	/** A post created and finished at `at`: every item posted (or failed when listed in `failed`). */
	finished(at: number, platforms: string[] = ['instagram'], failed: string[] = [], created = at): ApiPost {
		const items = platforms.map((platform) => {
			const fails = failed.includes(platform);
			return {
				platform,
				post_type: POST_TYPE[platform],
				status: fails ? 'failed' : 'posted',
				platform_post_id: fails ? null : `${platform}_123`,
				posted_at: fails ? null : iso(at),
				failed_at: fails ? iso(at) : null,
				error: fails ? { code: 'PLATFORM_ERROR', message: `${platform} rejected the post` } : null,
			};
		});
		return this.add({ status: items.every((i) => i.status === 'failed') ? 'failed' : 'published', published_at: iso(at), items }, at, created);
	}

	/** Changes a post; moves updated_at to `at` unless bumpUpdatedAt is off. */
	update(id: string, at: number, change: (post: ApiPost) => void): void {
		const post = this.posts.get(id)!;
		change(post);
		if (this.bumpUpdatedAt) post.updated_at = iso(at);
	}

	setStatus(id: string, at: number, status: 'draft' | 'scheduled' | 'publishing', scheduledAt?: number): void {
		this.update(id, at, (post) => {
			post.status = status;
			post.scheduled_at = scheduledAt === undefined ? null : iso(scheduledAt);
		});
	}

	setItem(id: string, index: number, at: number, status: 'posting' | 'posted' | 'failed'): void {
		this.update(id, at, (post) => {
			const item = post.items![index];
			item.status = status;
			if (status === 'posted') {
				item.posted_at = iso(at);
				item.platform_post_id = `${item.platform}_${index}`;
			}
			if (status === 'failed') {
				item.failed_at = iso(at);
				item.error = { code: 'PLATFORM_ERROR', message: 'rejected' };
			}
			if (post.items!.every((i) => i.status === 'posted' || i.status === 'failed')) {
				post.status = post.items!.some((i) => i.status === 'posted') ? 'published' : 'failed';
				if (post.status === 'published') post.published_at = iso(at);
			} else {
				post.status = 'publishing';
			}
		});
	}

	/** Publishes a post completely at `at` (all items posted, or failed when listed). */
	publishNow(id: string, at: number, failed: string[] = []): void {
		const post = this.posts.get(id)!;
		post.items!.forEach((item, index) => {
			if (item.status !== 'posted' && item.status !== 'failed') this.setItem(id, index, at, failed.includes(item.platform!) ? 'failed' : 'posted');
		});
	}

	countOf(kind: Request['kind']): number {
		return this.requests.filter((r) => r.kind === kind).length;
	}

	private record(request: Request): void {
		const index = this.requests.length;
		this.requests.push(request);
		const error = this.fault?.(request, index);
		if (error) throw error;
	}

	/** What the API shows of a post under this profile. */
	view(post: ApiPost, list: boolean): ApiPost {
		const copy = JSON.parse(JSON.stringify(post)) as ApiPost;
		if (this.profile === 'strict') {
			delete copy.updated_at;
			delete copy.published_at;
			for (const item of copy.items ?? []) {
				delete item.posted_at;
				delete item.failed_at;
			}
		}
		void list;
		return copy;
	}

	private key(post: ApiPost): number {
		return Date.parse(this.profile === 'strict' ? post.created_at! : post.updated_at!);
	}

	/** Every cursor handed out until now stops being accepted. */
	expireCursors(): void {
		for (const cursor of this.issued) this.expired.add(cursor);
	}

	async list(query: { limit: number; cursor?: string; status?: string }): Promise<CursorPage<ApiPost> & { rejected?: boolean }> {
		this.record({ kind: 'list', ...query });
		if (query.cursor && this.expired.has(query.cursor)) return { data: [], has_more: false, next_cursor: null, rejected: true };
		let all = [...this.posts.values()].filter((p) => !query.status || this.ignoreStatusFilter || p.status === query.status);
		all.sort((a, b) => this.key(b) - this.key(a) || (a.post_id < b.post_id ? 1 : -1));
		if (this.unordered) all = all.sort((a, b) => (a.post_id < b.post_id ? -1 : 1));
		let start = 0;
		if (query.cursor) {
			if (this.unordered) start = Number(query.cursor);
			else {
				const [k, id] = query.cursor.split('|');
				const at = all.findIndex((p) => this.key(p) < Number(k) || (this.key(p) === Number(k) && p.post_id < id));
				start = at < 0 ? all.length : at;
			}
		}
		const page = all.slice(start, start + query.limit);
		const hasMore = start + query.limit < all.length;
		const last = page[page.length - 1];
		const next = !hasMore || !last ? null : this.unordered ? String(start + query.limit) : `${this.key(last)}|${last.post_id}`;
		if (next) {
			this.issued.push(next);
			this.expired.delete(next); // handed out again: valid again
		}
		return { data: page.map((p) => this.view(p, true)), has_more: hasMore, next_cursor: next };
	}

	async get(postId: string): Promise<ApiPost | undefined> {
		this.record({ kind: 'get', id: postId });
		const post = this.posts.get(postId);
		return post ? this.view(post, false) : undefined;
	}
}

export const POST_TYPE: Record<string, string> = {
	instagram: 'instagram-feed',
	tiktok: 'tiktok-video',
	youtube: 'youtube-short',
	x: 'x-post',
	facebook: 'facebook-post',
	linkedin: 'linkedin-post',
};
