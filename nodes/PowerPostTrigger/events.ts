import type { IDataObject } from 'n8n-workflow';

/** What the trigger reads of a post (list entries carry the same fields, without item content). */
export interface ApiItem {
	item_id: string;
	post_type?: string;
	platform?: string;
	title?: string;
	status?: string;
	platform_post_id?: string | null;
	posted_at?: string | null;
	failed_at?: string | null;
	error?: { code?: string; message?: string } | null;
}

export interface ApiPost {
	post_id: string;
	status?: string;
	created_at?: string | null;
	updated_at?: string | null;
	scheduled_at?: string | null;
	published_at?: string | null;
	items?: ApiItem[];
}

export type EventName = 'itemPosted' | 'itemFailed' | 'postFinished';

/** Parameter value → the `event` field of the output. */
export const EVENT_LABELS: Record<EventName, string> = {
	itemPosted: 'item.posted',
	itemFailed: 'item.failed',
	postFinished: 'post.finished',
};

export interface EventSettings {
	events: EventName[];
	platforms: string[];
	postTypes: string[];
}

/** One event a poll found: its dedup key, its time (ms, PowerPost's clock) and the output item. */
export interface FoundEvent {
	key: string;
	name: EventName;
	at: number;
	json: IDataObject;
}

/** Post states in which PowerPost still works on the post (or may: a draft can be published any time). */
export const IN_FLIGHT = ['publishing', 'scheduled'];

export function ms(value: string | null | undefined): number | undefined {
	if (typeof value !== 'string' || value === '') return undefined;
	const parsed = Date.parse(value);
	return Number.isNaN(parsed) ? undefined : parsed;
}

export function isFinalItem(item: ApiItem): boolean {
	return item.status === 'posted' || item.status === 'failed';
}

/** A post is finished when PowerPost stopped working on it and every item has its outcome. */
export function isFinishedPost(post: ApiPost): boolean {
	const items = post.items ?? [];
	return items.length > 0 && !IN_FLIGHT.includes(post.status ?? '') && post.status !== 'draft' && items.every(isFinalItem);
}

function itemMatches(item: ApiItem, settings: EventSettings): boolean {
	return (
		(settings.platforms.length === 0 || settings.platforms.includes(item.platform ?? '')) &&
		(settings.postTypes.length === 0 || settings.postTypes.includes(item.post_type ?? ''))
	);
}

/** Whether the user wants to see this event (selected event type, platform and post type filters). */
export function wanted(event: FoundEvent, post: ApiPost, settings: EventSettings): boolean {
	if (!settings.events.includes(event.name)) return false;
	if (event.name === 'postFinished') return (post.items ?? []).some((item) => itemMatches(item, settings));
	const item = (post.items ?? []).find((candidate) => candidate.item_id === event.json.item_id);
	return item !== undefined && itemMatches(item, settings);
}

function itemSummary(item: ApiItem): IDataObject {
	return {
		item_id: item.item_id,
		post_type: item.post_type ?? null,
		platform: item.platform ?? null,
		status: item.status ?? null,
		platform_post_id: item.platform_post_id ?? null,
		posted_at: item.posted_at ?? null,
		failed_at: item.failed_at ?? null,
		error: item.status === 'failed' ? errorOf(item) : null,
	};
}

function errorOf(item: ApiItem): IDataObject {
	return { code: item.error?.code ?? null, message: item.error?.message ?? null };
}

function postFields(post: ApiPost): IDataObject {
	return {
		post_status: post.status ?? null,
		scheduled_at: post.scheduled_at ?? null,
		published_at: post.published_at ?? null,
		post_created_at: post.created_at ?? null,
		post_updated_at: post.updated_at ?? null,
	};
}

/**
 * Every event the post shows right now: one per final item, plus "post finished" once all items
 * are final. Every output item has the same fields (null where they do not apply), so later nodes
 * can map them without checking the event type.
 */
export function eventsOf(post: ApiPost): FoundEvent[] {
	const events: FoundEvent[] = [];
	// PowerPost's own times only; the contract documents just created_at, the rest are used when present.
	const fallback = ms(post.updated_at) ?? ms(post.published_at) ?? ms(post.created_at) ?? 0;
	for (const item of post.items ?? []) {
		if (!isFinalItem(item)) continue;
		const posted = item.status === 'posted';
		const name: EventName = posted ? 'itemPosted' : 'itemFailed';
		events.push({
			key: `${post.post_id}:${item.item_id}:${posted ? 'p' : 'f'}`,
			name,
			at: ms(posted ? item.posted_at : item.failed_at) ?? fallback,
			json: {
				event: EVENT_LABELS[name],
				post_id: post.post_id,
				...itemSummary(item),
				...postFields(post),
			},
		});
	}
	if (isFinishedPost(post)) {
		const items = post.items ?? [];
		const posted = items.filter((item) => item.status === 'posted').length;
		const failed = items.length - posted;
		const at = Math.max(...events.map((event) => event.at), ms(post.published_at) ?? 0);
		events.push({
			key: `${post.post_id}:done`,
			name: 'postFinished',
			at: at > 0 ? at : fallback,
			json: {
				event: EVENT_LABELS.postFinished,
				post_id: post.post_id,
				item_id: null,
				post_type: null,
				platform: null,
				status: post.status ?? null,
				platform_post_id: null,
				posted_at: null,
				failed_at: null,
				error: null,
				...postFields(post),
				outcome: failed === 0 ? 'all_posted' : posted === 0 ? 'all_failed' : 'partial',
				counts: { total: items.length, posted, failed },
				platforms: [...new Set(items.map((item) => item.platform ?? ''))].filter(Boolean),
				post_types: items.map((item) => item.post_type ?? '').filter(Boolean),
				items: items.map(itemSummary),
			},
		});
	}
	return events;
}
