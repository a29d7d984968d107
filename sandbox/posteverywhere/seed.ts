// Sandbox-only: posts in the past, for list/paging/trigger tests. Every 10th post fails on its
// destinations (unless a status is given); posts are one minute apart in updated_at.
import { randomUUID } from 'node:crypto';
import type { Engine } from './engine';
import type { PostRecord } from './state';

const HEALTHY = [2280, 2281, 2282, 2283, 2285, 2286];

export function seedPosts(e: Engine, n: number, now: number, status?: 'published' | 'failed'): PostRecord[] {
	const out: PostRecord[] = [];
	const start = now - (n + 5) * 60_000;
	for (let i = 0; i < n; i++) {
		const at = start + i * 60_000;
		const failed = status ? status === 'failed' : i % 10 === 9;
		const ids = HEALTHY.slice(0, 1 + (i % 3)).map((_, j) => HEALTHY[(i + j) % HEALTHY.length]);
		const p: PostRecord = {
			id: randomUUID(),
			content: `Seeded post ${i + 1}`,
			account_ids: ids,
			scheduled_for: null,
			timezone: 'UTC',
			media_ids: [],
			platform_content: null,
			campaign_id: null,
			cover_photo: null,
			draft: false,
			fired: true,
			status: 'published',
			destinations: ids.map((id) => {
				const d = e.newDestination(id, null);
				d.attempts = failed ? e.timing.maxAttempts : 1;
				if (failed) {
					d.status = 'failed';
					d.error = 'The platform rejected the post (seeded)';
					d.failed_at = at;
				} else {
					d.status = 'published';
					d.published_at = at;
					d.platform_post_id = `${d.platform}_${d.id.slice(0, 8)}`;
					d.platform_post_url = `https://${d.platform}.example.com/p/${d.platform_post_id}`;
				}
				return d;
			}),
			manualRetries: 0,
			created_at: at - 30_000,
			updated_at: at,
		};
		p.status = e.aggregate(p);
		e.state.posts.set(p.id, p);
		out.push(p);
	}
	return out;
}
