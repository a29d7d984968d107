// §8 campaigns CRUD (integer ids; delete keeps the posts, their campaign_id becomes null).
import { iso } from '../core/clock';
import { offsetPage } from '../core/paging';
import type { Call, Reply } from '../core/server';
import { err, type Engine } from './engine';
import type { CampaignRecord, KeyRecord } from './state';

type C = Call<KeyRecord>;
const ok = (data: unknown, status = 200): Reply => ({ status, data });

function view(e: Engine, k: CampaignRecord) {
	return {
		id: k.id,
		name: k.name,
		description: k.description,
		color: k.color,
		status: k.status,
		post_count: [...e.state.posts.values()].filter((p) => p.campaign_id === k.id).length,
		created_at: iso(k.created_at),
		updated_at: iso(k.updated_at),
	};
}

function campaign(e: Engine, raw: string): CampaignRecord {
	const k = /^\d+$/.test(raw) ? e.state.campaigns.get(Number(raw)) : undefined;
	if (!k) throw err.notFound('Campaign');
	return k;
}

export const list = (e: Engine) => (c: C) => {
	const q = c.query as { status?: string; limit?: number; offset?: number };
	const all = [...e.state.campaigns.values()].filter((k) => !q.status || k.status === q.status).sort((a, b) => b.created_at - a.created_at || b.id - a.id);
	const { items, pagination } = offsetPage(all, q.limit ?? 50, q.offset ?? 0, true);
	return ok({ campaigns: items.map((k) => view(e, k)), pagination });
};

export const create = (e: Engine) => (c: C) => {
	const b = c.body as { name: string; description?: string | null; color?: string; status?: 'active' | 'archived' };
	const k: CampaignRecord = {
		id: e.state.nextCampaignId++,
		name: b.name,
		description: b.description ?? null,
		color: b.color ?? '#3b82f6',
		status: b.status ?? 'active',
		created_at: c.now,
		updated_at: c.now,
	};
	e.state.campaigns.set(k.id, k);
	return ok(view(e, k), 201);
};

export const get = (e: Engine) => (c: C) => ok(view(e, campaign(e, c.params.id)));

export const update = (e: Engine) => (c: C) => {
	const k = campaign(e, c.params.id);
	const b = c.body as Partial<CampaignRecord>;
	for (const f of ['name', 'description', 'color', 'status'] as const) if (b[f] !== undefined) (k as unknown as Record<string, unknown>)[f] = b[f];
	k.updated_at = c.now;
	return ok(view(e, k));
};

export const remove = (e: Engine) => (c: C) => {
	const k = campaign(e, c.params.id);
	e.state.campaigns.delete(k.id);
	for (const p of e.state.posts.values()) if (p.campaign_id === k.id) p.campaign_id = null;
	return ok({ id: k.id, deleted: true });
};
