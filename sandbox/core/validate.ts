// Declared request validation: one zod schema per endpoint (strict about unknown fields); the issues
// become one message that names every field and what is allowed.
import { z, type ZodError, type ZodTypeAny } from 'zod';

export interface FieldIssue {
	field: string;
	message: string;
}

function fieldOf(path: (string | number)[], prefix: string): string {
	const parts = [prefix, ...path.map(String)].filter((p) => p !== '');
	return parts.join('.');
}

export function issuesOf(error: ZodError, prefix = ''): FieldIssue[] {
	const out: FieldIssue[] = [];
	for (const issue of error.issues) {
		if (issue.code === 'unrecognized_keys') {
			for (const k of issue.keys) out.push({ field: fieldOf([...issue.path, k], prefix), message: 'is not a known field' });
			continue;
		}
		if (issue.code === 'invalid_union') {
			// report the branch that got furthest (the most specific message)
			const inner = issue.unionErrors.map((e) => issuesOf(e, prefix)).sort((a, b) => a.length - b.length)[0];
			if (inner?.length) {
				out.push(...inner);
				continue;
			}
		}
		let message = issue.message;
		if (issue.code === 'invalid_type' && issue.received === 'undefined') message = 'is required';
		else if (issue.code === 'invalid_enum_value') message = `must be one of: ${issue.options.join(', ')}`;
		else if (issue.code === 'invalid_type') message = `must be ${issue.expected === 'integer' ? 'an integer' : `a ${issue.expected}`}`;
		out.push({ field: fieldOf(issue.path, prefix) || '(body)', message });
	}
	return out;
}

export function describeIssues(issues: FieldIssue[]): string {
	return issues.map((i) => `${i.field} ${i.message}`).join('; ');
}

export type ParseOutcome<T> = { ok: true; value: T } | { ok: false; issues: FieldIssue[] };

export function parseWith<S extends ZodTypeAny>(schema: S, input: unknown, prefix = ''): ParseOutcome<z.output<S>> {
	const r = schema.safeParse(input);
	if (r.success) return { ok: true, value: r.data as z.output<S> };
	return { ok: false, issues: issuesOf(r.error, prefix) };
}

// ---------------------------------------------------------------- small schema builders
/** A query parameter holding an integer in [min, max]. */
export const intParam = (min: number, max = Number.MAX_SAFE_INTEGER) =>
	z
		.string()
		.regex(/^-?\d+$/, 'must be an integer')
		.transform(Number)
		.pipe(z.number().int().min(min, `must be at least ${min}`).max(max, `must be at most ${max}`));

/** A query parameter holding `true` or `false`. */
export const boolParam = z.enum(['true', 'false']).transform((v) => v === 'true');

/** ISO 8601 date-time with a zone (`Z` or an offset). */
export const isoWithZone = z
	.string()
	.regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/i, 'must be an ISO 8601 date-time with Z or an offset')
	.refine((v) => !Number.isNaN(Date.parse(v)), 'is not a valid date-time');

/** ISO 8601 date-time, the zone optional (a naive value is returned as is; the provider decides). */
export const isoMaybeNaive = z
	.string()
	.regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?$/i, 'must be an ISO 8601 date-time')
	.refine((v) => !Number.isNaN(Date.parse(v.replace(/(Z|[+-]\d{2}:?\d{2})?$/i, 'Z'))), 'is not a valid date-time');

export const hasZone = (v: string) => /(Z|[+-]\d{2}:?\d{2})$/i.test(v);

export function isIanaZone(v: string): boolean {
	try {
		new Intl.DateTimeFormat('en-US', { timeZone: v });
		return true;
	} catch {
		return false;
	}
}
export const ianaZone = z.string().refine(isIanaZone, 'must be an IANA time zone such as Europe/Berlin or UTC');

/** Offset of `zone` from UTC at `utcMs`, in ms. */
export function zoneOffsetMs(zone: string, utcMs: number): number {
	const parts = new Intl.DateTimeFormat('en-US', {
		timeZone: zone,
		hourCycle: 'h23',
		year: 'numeric',
		month: '2-digit',
		day: '2-digit',
		hour: '2-digit',
		minute: '2-digit',
		second: '2-digit',
	}).formatToParts(new Date(utcMs));
	const get = (t: string) => Number(parts.find((p) => p.type === t)?.value);
	const asUtc = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'));
	return asUtc - Math.floor(utcMs / 1000) * 1000;
}

/** Wall-clock `YYYY-MM-DDTHH:MM[:SS]` in `zone` -> epoch ms. */
export function wallTimeToUtc(naive: string, zone: string): number {
	const asUtc = Date.parse(`${naive}Z`);
	let guess = asUtc - zoneOffsetMs(zone, asUtc);
	guess = asUtc - zoneOffsetMs(zone, guess);
	return guess;
}
