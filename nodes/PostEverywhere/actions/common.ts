import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { collectOffsetPages } from '../../shared/pagination';
import { listOrIdLocator } from '../../shared/locator';
import { readReturnAll } from '../../shared/list';
import { parseDateTime, toUtcIso } from '../../shared/time';
import type { Checker } from '../../shared/validation';
import { attempt } from '../../shared/actOnce';
import type { HttpResult } from '../../shared/http';
import { failureOf } from '../../shared/http';
import { peRequest, peRequestFull } from '../transport';

/** Contract §1 (platform values) and §15.18: the list grows, so unknown platform strings pass through. */
export const PLATFORMS = ['bluesky', 'discord', 'facebook', 'instagram', 'linkedin', 'pinterest', 'telegram', 'threads', 'tiktok', 'wordpress', 'x', 'youtube'] as const;

/** Contract §4.3 post statuses (+ §15.4 tolerates `partial`). */
export const POST_STATUSES = ['draft', 'failed', 'partially_failed', 'published', 'publishing', 'scheduled'] as const;

const NAMES: Record<string, string> = { x: 'X', tiktok: 'TikTok', youtube: 'YouTube', linkedin: 'LinkedIn', wordpress: 'WordPress' };

/** "partially_failed" → "Partially Failed", "x" → "X" */
export function label(value: string): string {
	return NAMES[value] ?? value.split('_').map((word) => word[0].toUpperCase() + word.slice(1)).join(' ');
}

export const platformOptions = PLATFORMS.map((value) => ({ name: label(value), value }));

/** Path segment for an ID typed by the user. */
export function idPath(id: string | number): string {
	return encodeURIComponent(String(id));
}

type Show = Record<string, Array<string | boolean>>;

export function postLocator(show: Show, description = 'The post (`post_id` of Post → Create)'): INodeProperties {
	return listOrIdLocator({
		displayName: 'Post',
		name: 'postId',
		description,
		searchListMethod: 'searchPosts',
		show,
		placeholder: 'e.g. 550e8400-e29b-41d4-a716-446655440000',
	});
}

export function accountLocator(show: Show): INodeProperties {
	return listOrIdLocator({
		displayName: 'Account',
		name: 'accountId',
		description: 'A connected social account (`account_id`, a number)',
		searchListMethod: 'searchAccounts',
		show,
		placeholder: 'e.g. 2280',
	});
}

export function mediaLocator(show: Show): INodeProperties {
	return listOrIdLocator({
		displayName: 'Media',
		name: 'mediaId',
		description: 'A file of the media library (`media_id` of Media → Upload)',
		searchListMethod: 'searchMedia',
		show,
		placeholder: 'e.g. 3f2b1c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d',
	});
}

export function campaignLocator(show: Show): INodeProperties {
	return listOrIdLocator({
		displayName: 'Campaign',
		name: 'campaignId',
		description: 'A campaign (`id`, a number)',
		searchListMethod: 'searchCampaigns',
		show,
		placeholder: 'e.g. 12',
	});
}

export function webhookLocator(show: Show): INodeProperties {
	return listOrIdLocator({
		displayName: 'Webhook',
		name: 'webhookId',
		description: 'A webhook subscription (`id`, a UUID)',
		searchListMethod: 'searchWebhooks',
		show,
		placeholder: 'e.g. 7c9e6679-7425-40de-944b-e07fc1f90ae7',
	});
}

/** A positive whole-number ID (accounts, campaigns: contract §1). */
export function numericId(check: Checker, field: string, value: unknown): number {
	return check.integer(field, value, { min: 1 });
}

/**
 * Account IDs: a list of positive whole numbers, from a multi-select, a list, comma-separated text,
 * or a single number (an expression such as `{{ $json.account_id }}` gives one).
 */
export function accountIds(check: Checker, field: string, value: unknown, rules: { min?: number } = {}): number[] {
	const entries = Array.isArray(value) ? value.map(String) : typeof value === 'number' ? [String(value)] : check.list(field, value);
	const ids = check.list(field, entries).map((entry) => check.integer(field, entry, { min: 1 }));
	if (rules.min !== undefined && ids.length < rules.min) check.fail(field, `has ${ids.length} accounts`, `at least ${rules.min} account ID(s), e.g. 2280, 2281`);
	return ids;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Media IDs: UUIDs (contract §4.1 `media_ids`). */
export function mediaIds(check: Checker, field: string, value: unknown): string[] {
	const ids = check.list(field, value, { itemMax: 100 });
	for (const id of ids) if (!UUID.test(id)) check.fail(field, `"${id}" is not a media ID`, 'media UUIDs from Media → Upload, Upload From URL or AI → Generate Image');
	return ids;
}

/**
 * A date-time field: a value with an offset keeps it; a naive one is read in the workflow's time
 * zone (contract §15.2). Sent as UTC with `Z`.
 */
export function dateTime(ctx: IExecuteFunctions, check: Checker, field: string, value: unknown): string {
	const parsed = parseDateTime(value, ctx.getTimezone());
	if (!parsed.ok) check.fail(field, parsed.reason, 'an ISO 8601 date-time, e.g. 2026-12-01T09:30 (read in the workflow time zone) or 2026-12-01T09:30:00Z');
	return toUtcIso(parsed.value);
}

/** The same, optional: `undefined` for an empty value. */
export function optionalDateTime(ctx: IExecuteFunctions, check: Checker, field: string, value: unknown): string | undefined {
	return value === undefined || value === null || value === '' ? undefined : dateTime(ctx, check, field, value);
}

/** A JSON parameter: an object or array as it is, or text parsed as JSON. */
export function jsonValue(check: Checker, field: string, value: unknown): unknown {
	if (typeof value !== 'string') return value;
	if (value.trim() === '') return undefined;
	try {
		return JSON.parse(value);
	} catch {
		return check.fail(field, 'is not valid JSON', 'a JSON object or array');
	}
}

/** The entries of a list answer: `data.<key>` (newer docs) or a bare array (older site, §15.1). */
export function entriesOf(body: unknown, key: string): IDataObject[] {
	if (Array.isArray(body)) return body as IDataObject[];
	const list = body && typeof body === 'object' ? (body as IDataObject)[key] : undefined;
	return Array.isArray(list) ? (list as IDataObject[]) : [];
}

/** `pagination.has_more` when the answer has it (§15.13). */
export function hasMoreOf(body: unknown): boolean | undefined {
	const pagination = body && typeof body === 'object' && !Array.isArray(body) ? (body as IDataObject).pagination : undefined;
	const more = pagination && typeof pagination === 'object' ? (pagination as IDataObject).has_more : undefined;
	return typeof more === 'boolean' ? more : undefined;
}

/**
 * An offset-paginated list (`limit` + `offset` → `{<key>: [...], pagination}`) with the operation's
 * Return All / Limit: pages of at most `maxPageSize`, ending on `has_more: false`, or, without
 * `has_more`, on a short page (engine's fromOffsetPage).
 */
export async function offsetList(
	ctx: IExecuteFunctions,
	check: Checker,
	itemIndex: number,
	options: { path: string; key: string; qs?: IDataObject; maxPageSize?: number },
): Promise<IDataObject[]> {
	const { returnAll, limit } = readReturnAll(ctx, check, itemIndex);
	return await collectOffsetPages<IDataObject>(
		async (offset, pageSize) => {
			const body = await peRequest<unknown>(ctx, { method: 'GET', path: options.path, qs: { ...options.qs, limit: pageSize, offset }, itemIndex });
			return { items: entriesOf(body, options.key), hasMore: hasMoreOf(body) };
		},
		{ returnAll, limit, maxPageSize: options.maxPageSize ?? 100 },
	);
}

/**
 * DELETE of something that exists: it is read first (a 404 there is PostEverywhere's own "not
 * found", and nothing is deleted), then deleted. A DELETE whose answer was lost is repeated by the
 * engine; its 404 then means the first one deleted it, which the read before makes certain. A 2xx
 * without a body is success too.
 */
export async function deleteExisting(ctx: IExecuteFunctions, path: string, id: IDataObject, itemIndex: number, qs?: IDataObject): Promise<IDataObject> {
	await peRequest(ctx, { method: 'GET', path, itemIndex });
	const call = { method: 'DELETE' as const, path, qs, itemIndex };
	const first = await attempt(async () => await peRequestFull<IDataObject>(ctx, call));
	let result: HttpResult<IDataObject>;
	if ('value' in first) result = first.value;
	else if (failureOf(first.error)?.kind !== 'not-json') throw first.error;
	else {
		// An answer that is not JSON (a proxy's page, possibly after the deletion): sent once more; a 404 then means it was deleted.
		const second = await attempt(async () => await peRequestFull<IDataObject>(ctx, call));
		if ('error' in second && failureOf(second.error)?.status !== 404) throw second.error;
		result = 'value' in second ? second.value : { status: 404, headers: {}, body: {}, attempts: 2, deletedByEarlierAttempt: true };
	}
	if (result.deletedByEarlierAttempt) return { ...id, deleted: true, recovered_after: 'lost-answer' };
	return result.body && Object.keys(result.body).length ? result.body : { ...id, deleted: true };
}

/** Every entry of an offset-paginated list (`limit` + `offset`), for the node's own reads. */
export async function allPages(ctx: IExecuteFunctions, path: string, key: string, itemIndex: number): Promise<IDataObject[]> {
	return await collectOffsetPages<IDataObject>(
		async (offset, pageSize) => {
			const body = await peRequest<unknown>(ctx, { method: 'GET', path, qs: { limit: pageSize, offset }, itemIndex });
			return { items: entriesOf(body, key), hasMore: hasMoreOf(body) };
		},
		{ returnAll: true, limit: Infinity, maxPageSize: 100 },
	);
}

/** Drops keys whose value is undefined, empty text or an empty list (so only what the user set is sent). */
export function compact(body: IDataObject): IDataObject {
	return Object.fromEntries(
		Object.entries(body).filter(([, value]) => value !== undefined && value !== '' && !(Array.isArray(value) && value.length === 0)),
	) as IDataObject;
}
