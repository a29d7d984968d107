// §5 accounts and health, §8 /me, analytics summary and platform rules.
import { iso } from '../core/clock';
import type { Call, Reply } from '../core/server';
import { DAY, KEYS } from './constants';
import { err, type Engine } from './engine';
import { ORGANIZATION, type AccountRecord, type KeyRecord } from './state';

type C = Call<KeyRecord>;
const ok = (data: unknown): Reply => ({ status: 200, data });

/** list/get vocabulary (§5.1, §15.15): healthy | expired | unhealthy */
function summary(e: Engine, a: AccountRecord) {
	const status = a.health !== 'broken' && a.is_active ? 'healthy' : a.reasons.includes('token_expired') ? 'expired' : 'unhealthy';
	return { status, can_post: e.canPost(a) };
}

export function accountObject(e: Engine, a: AccountRecord) {
	return {
		...(e.switches.legacyAccountIds ? { id: String(a.account_id) } : { account_id: a.account_id }),
		platform: a.platform,
		account_name: a.account_name,
		avatar_url: `https://avatars.posteverywhere.sandbox/${a.account_id}.png`,
		is_active: a.is_active,
		created_at: iso(a.created_at),
		health: summary(e, a),
	};
}

function account(e: Engine, raw: string): AccountRecord {
	const id = Number(raw);
	const a = Number.isInteger(id) ? e.account(id) : undefined;
	if (!a) throw err.notFound('Account');
	return a;
}

export const list = (e: Engine) => () => {
	const accounts = [...e.state.accounts.values()].sort((a, b) => a.account_id - b.account_id);
	return ok({ accounts: accounts.map((a) => accountObject(e, a)), account_ids: accounts.map((a) => a.account_id) });
};

export const get = (e: Engine) => (c: C) => ok(accountObject(e, account(e, c.params.account_id)));

export const health = (e: Engine) => (c: C) => {
	const a = account(e, c.params.account_id);
	const posts = [...e.state.posts.values()];
	const dests = posts.flatMap((p) => p.destinations.filter((d) => d.account_id === a.account_id));
	const lastPublished = Math.max(0, ...dests.map((d) => d.published_at ?? 0));
	const failures = dests.filter((d) => d.status === 'failed' && (d.failed_at ?? 0) >= c.now - 7 * DAY);
	const expired = a.reasons.includes('token_expired');
	const reasons = [...a.reasons];
	if (!a.is_active && !reasons.includes('account_inactive')) reasons.unshift('account_inactive');
	const needs = a.reasons.includes('needs_reconnection');
	return ok({
		account_id: a.account_id,
		platform: a.platform,
		account_name: a.account_name,
		platform_account_id: `${a.platform}_${a.account_id}`,
		status: a.is_active ? a.health : 'broken',
		can_post: e.canPost(a),
		reasons,
		is_active: a.is_active,
		needs_reconnection: needs,
		needs_reconnection_since: needs ? iso(c.now - 3 * DAY) : null,
		token: {
			expires_at: iso(expired ? c.now - 3 * DAY : a.reasons.includes('token_expiring_soon') ? c.now + 3 * DAY : c.now + 50 * DAY),
			last_refresh: iso(c.now - 10 * DAY),
			expired,
			expiring_soon: a.reasons.includes('token_expiring_soon'),
		},
		activity: {
			last_published_at: lastPublished ? iso(lastPublished) : null,
			failures_last_7d: failures.length,
			permanent_failures_last_7d: failures.filter((d) => d.next_retry_at === null).length,
			queued_count: dests.filter((d) => d.status === 'queued').length,
		},
		connected_at: iso(a.created_at),
	});
};

export const me = (e: Engine) => (c: C) => {
	const k = c.key;
	const posts = [...e.state.posts.values()];
	return ok({
		api_key: { id: k.id, key_prefix: k.key.slice(0, 12), name: `Sandbox ${k.label} key`, scopes: [...k.scopes], last_used_at: iso(c.now), created_at: iso(k.created_at), expires_at: null },
		scopes: [...k.scopes],
		user: { id: 'usr_sandbox', email: 'sandbox@posteverywhere.sandbox', name: 'Sandbox User' },
		organization: {
			...ORGANIZATION,
			subscription_plan: 'growth',
			subscription_status: 'active',
			subscription_source: 'stripe',
			trial_end: null,
			current_period_end: iso(c.now + 20 * DAY),
			cancel_at_period_end: false,
			entitled: true,
		},
		workspace: { id: 'ws_sandbox', name: 'Sandbox Workspace' },
		quota: {
			accounts: { used: e.state.accounts.size, limit: 25 },
			ai_credits: { used: e.state.credits.used, limit: e.state.credits.limit, bonus: e.state.credits.bonus },
			storage_bytes: { used: [...e.state.media.values()].reduce((s, m) => s + (m.stored?.size ?? 0), 0), limit: 50 * 1024 ** 3 },
			team_seats: { limit: 5 },
		},
		stats: { posts_last_30d: posts.filter((p) => p.created_at >= c.now - 30 * DAY).length, total_posts: posts.length },
	});
};
export const KEY_PREFIX_EXAMPLE = KEYS.full.slice(0, 12);

export const analytics = (e: Engine) => (c: C) => {
	const q = c.query as { period?: string; from?: string; to?: string };
	const period = q.period ?? 'month';
	if (period === 'custom' && (!q.from || !q.to)) throw err.validation('from and to are required when period is custom');
	if (period !== 'custom' && (q.from || q.to)) throw err.validation('from and to are only allowed when period is custom');
	const span: Record<string, number> = { today: DAY, week: 7 * DAY, month: 30 * DAY };
	const from = period === 'custom' ? Date.parse(q.from as string) : period === 'all' ? 0 : period === 'today' ? Math.floor(c.now / DAY) * DAY : c.now - span[period];
	const to = period === 'custom' ? Date.parse(q.to as string) : c.now;
	if (from > to) throw err.validation('from must not be after to');
	const posts = [...e.state.posts.values()].filter((p) => p.created_at >= from && p.created_at <= to);
	const counts = { total: posts.length, draft: 0, scheduled: 0, publishing: 0, published: 0, partially_failed: 0, failed: 0 };
	for (const p of posts) counts[p.status]++;
	const byPlatform = new Map<string, { platform: string; total: number; scheduled: number; published: number; failed: number }>();
	for (const d of posts.flatMap((p) => p.destinations)) {
		const row = byPlatform.get(d.platform) ?? { platform: d.platform, total: 0, scheduled: 0, published: 0, failed: 0 };
		row.total++;
		if (d.status === 'queued') row.scheduled++;
		if (d.status === 'published') row.published++;
		if (d.status === 'failed') row.failed++;
		byPlatform.set(d.platform, row);
	}
	const published = posts.flatMap((p) => p.destinations).filter((d) => d.status === 'published').length;
	return ok({
		period,
		range: { from: iso(from), to: iso(to) },
		posts: counts,
		by_platform: [...byPlatform.values()].sort((a, b) => a.platform.localeCompare(b.platform)),
		metrics: { views: published * 120, likes: published * 9, comments: published * 2, shares: published, impressions: published * 300, clicks: published * 4 },
		ai_credits: { used_this_period: e.state.credits.used, bonus: e.state.credits.bonus },
	});
};

/** Shape undocumented (§8, §15.14): one object per platform. */
export const PLATFORM_RULES = {
	x: { max_characters: 280, max_media: 4, media_types: ['image', 'video'], max_video_seconds: 140, requires_media: false },
	instagram: { max_characters: 2200, max_media: 10, media_types: ['image', 'video'], max_video_seconds: 900, requires_media: true, content_types: ['Post', 'Story', 'Reels', 'Trial Reel'] },
	facebook: { max_characters: 63206, max_media: 10, media_types: ['image', 'video'], requires_media: false, content_types: ['Post', 'Reels', 'Story'] },
	linkedin: { max_characters: 3000, max_media: 9, media_types: ['image', 'video', 'document'], requires_media: false },
	youtube: { max_characters: 5000, max_media: 1, media_types: ['video'], requires_media: true, requires_title: true, content_types: ['Video', 'Short'] },
	tiktok: { max_characters: 2200, max_media: 35, media_types: ['image', 'video'], requires_media: true },
	threads: { max_characters: 500, max_media: 10, media_types: ['image', 'video'], requires_media: false },
	pinterest: { max_characters: 500, max_media: 1, media_types: ['image', 'video'], requires_media: true },
};
export const platformRules = () => () => ok(PLATFORM_RULES);
