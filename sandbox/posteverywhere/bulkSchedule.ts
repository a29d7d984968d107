// §4.9 POST /posts/bulk-schedule: CSV-like rows (date, time, content, platforms, media?) in one time
// zone, up to 100, with a dry run. Response shape and row rules are sandbox assumptions (see ASSUMPTIONS.md).
import { iso } from '../core/clock';
import { SandboxError } from '../core/errors';
import type { Call, Reply } from '../core/server';
import { parseWith, wallTimeToUtc, type FieldIssue } from '../core/validate';
import type { Engine } from './engine';
import { createPostRecord } from './posts';
import { bulkScheduleRow } from './schemas';
import type { KeyRecord } from './state';

export const BULK_SCHEDULE_MAX = 100;

interface Row {
	row: number;
	ok: boolean;
	scheduled_for: string | null;
	account_ids: number[];
	media_ids: string[];
	content: string;
	errors: FieldIssue[];
}

function resolveAccounts(e: Engine, platforms: string, mapping: Record<string, number | number[]> | undefined, field: string, errors: FieldIssue[]): number[] {
	const out: number[] = [];
	for (const token of platforms.split('+').map((s) => s.trim()).filter(Boolean)) {
		if (/^\d+$/.test(token)) {
			const id = Number(token);
			if (!e.state.accounts.has(id)) errors.push({ field, message: `account ${id} is not connected` });
			else out.push(id);
			continue;
		}
		const mapped = mapping?.[token];
		if (mapped !== undefined) {
			for (const id of Array.isArray(mapped) ? mapped : [mapped]) {
				if (!e.state.accounts.has(id)) errors.push({ field, message: `accountMapping.${token} names unknown account ${id}` });
				else out.push(id);
			}
			continue;
		}
		const found = [...e.state.accounts.values()].filter((a) => a.platform === token && e.canPost(a)).map((a) => a.account_id);
		if (!found.length) errors.push({ field, message: `no connected ${token} account can post (use an account id or accountMapping)` });
		out.push(...found);
	}
	return [...new Set(out)];
}

export const bulkSchedule = (e: Engine) => (c: Call<KeyRecord>): Reply => {
	const b = c.body as { posts: unknown[]; timezone: string; dryRun?: boolean; accountMapping?: Record<string, number | number[]> };
	if (b.posts.length > BULK_SCHEDULE_MAX)
		throw new SandboxError(400, 'bulk_limit_exceeded', `posts has ${b.posts.length} rows; at most ${BULK_SCHEDULE_MAX} per request`);
	const rows: Row[] = b.posts.map((raw, i) => {
		const parsed = parseWith(bulkScheduleRow, raw, `posts.${i}`);
		const row: Row = { row: i, ok: false, scheduled_for: null, account_ids: [], media_ids: [], content: '', errors: [] };
		if (!parsed.ok) {
			row.errors = parsed.issues;
			return row;
		}
		const r = parsed.value;
		row.content = r.content;
		const at = wallTimeToUtc(`${r.date}T${r.time}:00`, b.timezone);
		row.scheduled_for = iso(at);
		if (Number.isNaN(at)) row.errors.push({ field: `posts.${i}.date`, message: 'is not a valid date' });
		else if (at <= c.now) row.errors.push({ field: `posts.${i}.time`, message: `is in the past (${iso(at)})` });
		row.account_ids = resolveAccounts(e, r.platforms, b.accountMapping, `posts.${i}.platforms`, row.errors);
		if (r.media) {
			const m = [...e.state.media.values()].find((x) => x.original_name === r.media && (x.status === 'ready' || x.status === 'processing'));
			if (!m) row.errors.push({ field: `posts.${i}.media`, message: `no ready media named "${r.media}" in the library` });
			else row.media_ids = [m.id];
		}
		row.ok = row.errors.length === 0;
		return row;
	});
	const valid = rows.filter((r) => r.ok).length;
	const view = (r: Row) => ({ row: r.row, ok: r.ok, scheduled_for: r.scheduled_for, account_ids: r.account_ids, media_ids: r.media_ids, errors: r.errors });
	if (b.dryRun) return { status: 200, data: { dry_run: true, summary: { total: rows.length, valid, invalid: rows.length - valid }, results: rows.map(view) } };
	if (valid !== rows.length)
		throw new SandboxError(422, 'validation_error', `${rows.length - valid} of ${rows.length} rows are invalid; nothing was scheduled (run with dryRun: true to see every row)`, {
			rows: rows.filter((r) => !r.ok).map(view),
		});
	const created = rows.map((r) => {
		// validated above; createPostRecord re-checks content rules per platform
		const p = createPostRecord(e, { content: r.content, account_ids: r.account_ids, media_ids: r.media_ids, scheduled_for: r.scheduled_for as string, timezone: b.timezone }, c.now);
		return { row: r.row, ok: true, post_id: p.id, status: p.status, scheduled_for: r.scheduled_for, account_ids: r.account_ids };
	});
	return { status: 201, data: { dry_run: false, summary: { total: rows.length, scheduled: created.length }, results: created } };
};
