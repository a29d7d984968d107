import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';
import { DateTime, IANAZone } from 'luxon';

import { attempt, describeFailure } from '../../../shared/actOnce';
import type { HttpCall } from '../../../shared/http';

import type { OperationResult } from '../../../shared/router';
import { isHourMinute, isIsoDate } from '../../../shared/time';
import { Checker } from '../../../shared/validation';
import { peRequest } from '../../transport';
import { jsonValue } from '../common';
import { isLostAnswer, outcomeUnknown, sendRepeatable } from '../lostAnswer';
import { postIdOf } from './common';
import { findCreatedPosts, newestPost } from './create.operation';

/**
 * Contract §4.9 `POST /posts/bulk-schedule`: up to 100 rows of date, time, content and platforms
 * (`instagram+facebook` or account IDs `2280+2282`) in one time zone. Dry Run (on by default) only
 * validates (and is repeated after a lost answer, like a read). A real run is sent once; after a
 * lost answer its rows are looked for among the posts created since. Rows may come from the input
 * items (one row per item) or a JSON array.
 */
const MAX = 100;

const properties: INodeProperties[] = [
	{
		displayName: 'Rows From',
		name: 'rowsFrom',
		type: 'options',
		default: 'items',
		options: [
			{ name: 'Input Items (One Row per Item)', value: 'items', description: 'Every input item is a row; the node sends them in one call and outputs one result' },
			{ name: 'JSON Array', value: 'json', description: 'Rows in a JSON parameter of each item' },
		],
	},
	{
		displayName: 'Rows (JSON)',
		name: 'rows',
		type: 'json',
		default: '[\n  {"date": "2026-12-01", "time": "09:30", "content": "Hello", "platforms": "instagram+facebook"}\n]',
		displayOptions: { show: { rowsFrom: ['json'] } },
		description: 'Array of {date YYYY-MM-DD, time HH:MM, content, platforms, media?}',
	},
	{
		displayName: 'Time Zone',
		name: 'timezone',
		type: 'string',
		default: '={{ $now.zoneName }}',
		required: true,
		description: 'IANA time zone the dates and times are in (default: the workflow\'s)',
	},
	{
		displayName: 'Dry Run',
		name: 'dryRun',
		type: 'boolean',
		default: true,
		description: 'Whether to only validate the rows without scheduling anything. Turn off to schedule.',
	},
	{
		displayName: 'Account Mapping (JSON)',
		name: 'accountMapping',
		type: 'json',
		default: '{}',
		description: 'Optional map from names used in "platforms" to account IDs, e.g. {"brand-ig": 2280}',
	},
];

export const description = updateDisplayOptions({ show: { resource: ['post'], operation: ['bulkSchedule'] } }, properties);

/** One row checked: the four documented fields (+ media), nothing else. */
export function readRow(check: Checker, row: unknown, at: string): IDataObject {
	if (!row || typeof row !== 'object' || Array.isArray(row)) check.fail(at, 'is not an object', 'an object with date, time, content, platforms');
	const source = row as IDataObject;
	const date = check.requiredText(`${at}.date`, source.date);
	if (!isIsoDate(date)) check.fail(`${at}.date`, `"${date}" is not a date`, 'YYYY-MM-DD');
	const time = check.requiredText(`${at}.time`, source.time);
	if (!isHourMinute(time)) check.fail(`${at}.time`, `"${time}" is not a 24-hour time`, 'HH:MM, e.g. 09:30');
	const out: IDataObject = {
		date,
		time,
		content: check.requiredText(`${at}.content`, source.content, { max: 63206 }),
		platforms: check.requiredText(`${at}.platforms`, source.platforms, { max: 500 }),
	};
	const media = check.text(`${at}.media`, source.media, { max: 255 });
	if (media) out.media = media;
	return out;
}

/** Bulk Schedule sends ONE request for all items (Rows From: Input Items), so it runs once, on item 0. */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<OperationResult> {
	const check: Checker = new Checker(this.getNode(), itemIndex);
	const from = check.oneOf('Rows From', this.getNodeParameter('rowsFrom', itemIndex, 'items'), ['items', 'json']);
	if (from === 'items' && itemIndex > 0) return [];
	let rows: IDataObject[];
	if (from === 'items') {
		rows = this.getInputData().map((item, index) => readRow(check, item.json, `Input item ${index}`));
	} else {
		const parsed = jsonValue(check, 'Rows (JSON)', this.getNodeParameter('rows', itemIndex));
		if (!Array.isArray(parsed)) check.fail('Rows (JSON)', 'must be a JSON array', `1 to ${MAX} rows`);
		rows = parsed.map((row: unknown, index: number) => readRow(check, row, `Rows (JSON) → [${index}]`));
	}
	if (rows.length === 0 || rows.length > MAX) check.fail(from === 'items' ? 'Input items' : 'Rows (JSON)', `has ${rows.length} rows`, `1 to ${MAX} rows per call`);
	const timezone = check.requiredText('Time Zone', this.getNodeParameter('timezone', itemIndex, ''));
	if (!IANAZone.isValidZone(timezone)) check.fail('Time Zone', `"${timezone}" is not an IANA time zone`, 'e.g. Europe/Berlin, America/New_York, UTC');
	const dryRun = check.boolean('Dry Run', this.getNodeParameter('dryRun', itemIndex, true));
	const mapping = jsonValue(check, 'Account Mapping (JSON)', this.getNodeParameter('accountMapping', itemIndex, '{}'));
	const body: IDataObject = { posts: rows, timezone, dryRun };
	if (mapping && typeof mapping === 'object' && !Array.isArray(mapping) && Object.keys(mapping).length) body.accountMapping = mapping as IDataObject;
	const call: HttpCall = { method: 'POST', path: '/posts/bulk-schedule', body, itemIndex, repeatable: dryRun };
	// A dry run changes nothing and is repeated like a read; a real one is sent once.
	if (dryRun) return await sendRepeatable(this, call);
	const before = await newestPost(this, itemIndex);
	const sent = await attempt(async () => await peRequest(this, call));
	if ('value' in sent) return sent.value;
	if (!isLostAnswer(sent.error)) throw sent.error;
	return await recoverSchedule(this, call, rows, timezone, before, sent.error);
}

/** Where a row lands: its date and time in the time zone, as a UTC instant (ms). */
export function rowInstant(row: IDataObject, timezone: string): number {
	return DateTime.fromISO(`${String(row.date)}T${String(row.time)}`, { zone: timezone }).toMillis();
}

/**
 * After a lost answer (never resent): each row is looked for among the posts created since the
 * newest one before, by its content and time. Every row found: scheduled (the answer PostEverywhere
 * gives is rebuilt from the posts). Otherwise "Outcome unknown", naming the rows found and not found.
 */
async function recoverSchedule(ctx: IExecuteFunctions, call: HttpCall, rows: IDataObject[], timezone: string, before: IDataObject | undefined, lost: unknown): Promise<IDataObject> {
	const wanted = rows.map((row) => ({ content: row.content, at: rowInstant(row, timezone) }));
	const found = await findCreatedPosts(ctx, wanted, before, call.itemIndex ?? 0, (post, want) => String(post.content ?? '') === want.content && Date.parse(String(post.scheduled_for ?? '')) === want.at);
	if (found.every((post) => post !== undefined)) {
		return {
			dry_run: false,
			recovered_after: describeFailure(lost),
			summary: { total: rows.length, scheduled: rows.length },
			results: found.map((post, row) => ({ row, ok: true, post_id: postIdOf(post!), status: post!.status, scheduled_for: post!.scheduled_for, account_ids: post!.account_ids })),
		};
	}
	const made = found.flatMap((post, row) => (post ? [`row ${row} → post ${postIdOf(post)}`] : []));
	const missing = found.flatMap((post, row) => (post ? [] : [row]));
	throw outcomeUnknown(ctx, call, lost, {
		what: `Bulk Schedule of ${rows.length} row(s)`,
		seen: made.length ? `the posts created since then match ${made.length} row(s) (${made.join(', ')}), not row(s) ${missing.join(', ')}` : 'no post created since then matches any row',
		check: `Check Post → Get Many (Created After ${String(before?.created_at ?? 'the time of this run')}) for row(s) ${missing.join(', ')} (content and time): rows not there were not scheduled.`,
	});
}
