import { DateTime, IANAZone } from 'luxon';

export type DateParseResult = { ok: true; value: DateTime } | { ok: false; reason: string };

const HAS_OFFSET = /(Z|[+-]\d{2}:?\d{2})$/i;

/**
 * Reads a date-time typed by a user or produced by an expression. A value with an offset (`Z`,
 * `+02:00`) keeps it; a naive value (`2026-12-01 09:30`, `2026-12-01T09:30`) is read in `zone`, the
 * workflow's time zone, never silently as UTC.
 */
export function parseDateTime(input: unknown, zone: string): DateParseResult {
	if (!IANAZone.isValidZone(zone)) return { ok: false, reason: `"${zone}" is not a known time zone` };
	if (input instanceof Date) {
		if (Number.isNaN(input.getTime())) return { ok: false, reason: 'the date is invalid' };
		return { ok: true, value: DateTime.fromJSDate(input, { zone: 'utc' }) };
	}
	if (DateTime.isDateTime(input)) {
		return input.isValid ? { ok: true, value: input } : { ok: false, reason: 'the date is invalid' };
	}
	if (typeof input !== 'string' || input.trim() === '') return { ok: false, reason: 'it is empty' };
	const text = input.trim();
	const options = HAS_OFFSET.test(text) ? { setZone: true } : { zone };
	let value = DateTime.fromISO(text, options);
	if (!value.isValid) value = DateTime.fromSQL(text, options);
	if (!value.isValid) {
		return {
			ok: false,
			reason: `"${text}" is not an ISO 8601 date-time (for example 2026-12-01T09:30 or 2026-12-01T09:30:00Z)`,
		};
	}
	// Real UTC offsets lie within -12:00 and +14:00; luxon accepts any two-digit hour.
	if (value.offset < -12 * 60 || value.offset > 14 * 60) {
		return { ok: false, reason: `the offset of "${text}" is outside -12:00 to +14:00` };
	}
	return { ok: true, value };
}

/** ISO 8601 in UTC with seconds, as the API's examples use (`2026-01-10T18:30:00Z`). */
export function toUtcIso(value: DateTime): string {
	return value.toUTC().toISO({ suppressMilliseconds: true }) as string;
}

/** A calendar date `YYYY-MM-DD` that exists. */
export function isIsoDate(text: string): boolean {
	return /^\d{4}-\d{2}-\d{2}$/.test(text) && DateTime.fromISO(text, { zone: 'utc' }).isValid;
}

/** A 24-hour time `HH:MM`. */
export function isHourMinute(text: string): boolean {
	return /^([01]\d|2[0-3]):[0-5]\d$/.test(text);
}
