import type { CursorPage } from '../../nodes/shared/pagination';
import type { ApiItem, ApiPost } from '../../nodes/PowerPostTrigger/events';
import type { PostsApi } from '../../nodes/PowerPostTrigger/poller';

/** Times used by the tests: a fixed "now" of PowerPost's clock. */
export const T0 = Date.parse('2026-04-01T12:00:00Z');
export const MIN = 60_000;
export const HOUR = 60 * MIN;
export const DAY = 24 * HOUR;

export const iso = (ms: number) => new Date(ms).toISOString();

export interface Request {
	kind: 'list' | 'get';
	status?: string;
	cursor?: string;
	limit?: number;
	id?: string;
}

/**
 * An in-memory `GET /posts` + `GET /posts/{id}` with the contract's shapes: list ordered by
 * updated_at desc (unless `unordered`), cursor pages, list entries without content, faults.
 */
export class FakePosts implements PostsApi {
	posts = new Map<string, ApiPost>();
	requests: Request[] = [];
	/** Return a fault for a request (thrown as the transport would). */
	fault?: (request: Request, index: number) => Error | undefined;
	unordered = false;
	/** Whether updated_at moves when something changes (the real API might not). */
	bumpUpdatedAt = true;
	private counter = 0;

	add(post: Omit<Partial<ApiPost>, 'items'> & { items: Array<Partial<ApiItem>> }, at: number): ApiPost {
		const id = post.post_id ?? `post-${String(++this.counter).padStart(5, '0')}`;
		const full: ApiPost = {
			post_id: id,
			status: post.status ?? 'draft',
			created_at: iso(at - 10 * MIN),
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

	/** A finished post: every item posted (or failed when listed in `failed`). */
	finished(at: number, platforms: string[] = ['instagram'], failed: string[] = []): ApiPost {
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
		return this.add({ status: items.every((i) => i.status === 'failed') ? 'failed' : 'published', published_at: iso(at), items }, at);
	}

	/** Changes a post; moves updated_at to `at` unless bumpUpdatedAt is off. */
	update(id: string, at: number, change: (post: ApiPost) => void): void {
		const post = this.posts.get(id)!;
		change(post);
		if (this.bumpUpdatedAt) post.updated_at = iso(at);
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

	countOf(kind: Request['kind']): number {
		return this.requests.filter((r) => r.kind === kind).length;
	}

	private record(request: Request): void {
		const index = this.requests.length;
		this.requests.push(request);
		const error = this.fault?.(request, index);
		if (error) throw error;
	}

	async list(query: { limit: number; cursor?: string; status?: string }): Promise<CursorPage<ApiPost>> {
		this.record({ kind: 'list', ...query });
		let all = [...this.posts.values()].filter((p) => !query.status || p.status === query.status);
		all.sort((a, b) => Date.parse(b.updated_at!) - Date.parse(a.updated_at!) || (a.post_id < b.post_id ? 1 : -1));
		if (this.unordered) all = all.sort((a, b) => (a.post_id < b.post_id ? -1 : 1));
		const start = query.cursor ? Number(query.cursor) : 0;
		const page = all.slice(start, start + query.limit);
		const hasMore = start + query.limit < all.length;
		return {
			data: page.map((p) => JSON.parse(JSON.stringify(p)) as ApiPost),
			has_more: hasMore,
			next_cursor: hasMore ? String(start + query.limit) : null,
		};
	}

	async get(postId: string): Promise<ApiPost | undefined> {
		this.record({ kind: 'get', id: postId });
		const post = this.posts.get(postId);
		return post ? (JSON.parse(JSON.stringify(post)) as ApiPost) : undefined;
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
