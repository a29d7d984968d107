import type { INode } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { powerPostProvider } from '../../nodes/PowerPost/transport';
import { presetsWith, scopeFor } from '../../nodes/PowerPost/transport/scopes';
import { defaultRetryPolicy, rateLimitWaitMs, redact } from '../../nodes/shared/http';
import { collectCursorPages } from '../../nodes/shared/pagination';
import { isHourMinute, isIsoDate, parseDateTime, toUtcIso } from '../../nodes/shared/time';
import { Checker } from '../../nodes/shared/validation';

const node: INode = { id: '1', name: 'PowerPost', type: 'n8n-nodes-powerpost.powerPost', typeVersion: 1, position: [0, 0], parameters: {} };

describe('cursor pagination', () => {
	const pages = (total: number) => {
		const calls: Array<{ cursor?: string; size: number }> = [];
		const fetch = async (cursor: string | undefined, size: number) => {
			calls.push({ cursor, size });
			const start = cursor ? Number(cursor) : 0;
			const data = Array.from({ length: Math.max(0, Math.min(size, total - start)) }, (_, i) => start + i);
			const next = start + data.length;
			return { data, next_cursor: next < total ? String(next) : null, has_more: next < total };
		};
		return { calls, fetch };
	};

	it('stops at the limit and asks only for what it needs', async () => {
		const { calls, fetch } = pages(250);
		const out = await collectCursorPages(fetch, { returnAll: false, limit: 30, maxPageSize: 100 });
		expect(out).toHaveLength(30);
		expect(calls).toEqual([{ cursor: undefined, size: 30 }]);
	});

	it('reads every page with returnAll', async () => {
		const { calls, fetch } = pages(250);
		const out = await collectCursorPages(fetch, { returnAll: true, limit: 0, maxPageSize: 100 });
		expect(out).toHaveLength(250);
		expect(out[249]).toBe(249);
		expect(calls.map((c) => c.cursor)).toEqual([undefined, '100', '200']);
	});

	it('never loops on a repeated cursor', async () => {
		let calls = 0;
		const out = await collectCursorPages(
			async () => {
				calls++;
				return { data: [calls], next_cursor: 'same', has_more: true };
			},
			{ returnAll: true, limit: 0, maxPageSize: 100 },
		);
		expect(calls).toBe(2);
		expect(out).toEqual([1, 2]);
	});
});

describe('date-times in the workflow time zone', () => {
	it('reads a naive date-time in the given zone', () => {
		const parsed = parseDateTime('2026-12-01 09:30', 'Europe/Berlin');
		expect(parsed.ok && toUtcIso(parsed.value)).toBe('2026-12-01T08:30:00Z');
	});

	it('keeps an explicit offset whatever the zone', () => {
		const parsed = parseDateTime('2026-07-01T09:30:00-04:00', 'Asia/Tokyo');
		expect(parsed.ok && toUtcIso(parsed.value)).toBe('2026-07-01T13:30:00Z');
	});

	it('rejects garbage and unknown zones with a reason', () => {
		const bad = parseDateTime('next tuesday', 'UTC');
		expect(bad.ok).toBe(false);
		expect(!bad.ok && bad.reason).toMatch(/ISO 8601/);
		const zone = parseDateTime('2026-12-01T09:30', 'Mars/Olympus');
		expect(!zone.ok && zone.reason).toMatch(/time zone/);
	});

	it('checks dates and times', () => {
		expect(isIsoDate('2026-02-29')).toBe(false);
		expect(isIsoDate('2028-02-29')).toBe(true);
		expect(isHourMinute('24:00')).toBe(false);
		expect(isHourMinute('23:59')).toBe(true);
	});
});

describe('input checks name the field and the allowed values', () => {
	const check = new Checker(node, 3);
	const failure = (fn: () => unknown) => {
		try {
			fn();
		} catch (error) {
			expect(error).toBeInstanceOf(NodeOperationError);
			return error as NodeOperationError;
		}
		throw new Error('expected a failure');
	};

	it('text length', () => {
		const error = failure(() => check.requiredText('Prompt', 'hi', { min: 3, max: 2000 }));
		expect(error.message).toBe('Prompt: is too short (2 characters). Allowed: 3 to 2000 characters');
		expect(error.description).toBe('Allowed: 3 to 2000 characters');
		expect(error.context.itemIndex).toBe(3);
	});

	it('enums list what is allowed', () => {
		const error = failure(() => check.oneOf('Size', 'huge', ['square', 'feed']));
		expect(error.message).toContain('Size');
		expect(error.description).toBe('Allowed: square, feed');
	});

	it('lists accept comma text and arrays, and count entries', () => {
		expect(check.list('Media IDs', 'a, b,\nc, a')).toEqual(['a', 'b', 'c']);
		expect(check.list('Media IDs', ['x', 'y'])).toEqual(['x', 'y']);
		expect(failure(() => check.list('Media IDs', 'a,b,c', { max: 2 })).message).toBe('Media IDs: has 3 entries. Allowed: 0 to 2 entries');
		expect(failure(() => check.listOf('Platforms', 'x,myspace', ['x', 'tiktok'])).message).toContain('"myspace"');
	});

	it('integers', () => {
		expect(check.integer('Duration', '8', { allowed: [4, 8] })).toBe(8);
		expect(failure(() => check.integer('Duration', 5, { allowed: [4, 8] })).description).toBe('Allowed: 4, 8');
		expect(failure(() => check.integer('Quantity', 2.5, { min: 1, max: 4 })).message).toContain('not a whole number');
	});
});

describe('rate-limit waits', () => {
	it('prefers error.retryAfter', () => {
		expect(rateLimitWaitMs(2, { 'x-ratelimit-reset': '0' }, defaultRetryPolicy)).toBe(2050);
	});
	it('falls back to X-RateLimit-Reset (epoch seconds)', () => {
		const reset = Math.floor(Date.now() / 1000) + 5;
		const wait = rateLimitWaitMs(undefined, { 'x-ratelimit-reset': String(reset) }, defaultRetryPolicy);
		expect(wait).toBeGreaterThan(3000);
		expect(wait).toBeLessThanOrEqual(5250);
	});
	it('uses the default when the server says nothing', () => {
		expect(rateLimitWaitMs(undefined, {}, defaultRetryPolicy)).toBe(defaultRetryPolicy.defaultRateLimitWaitMs);
	});
});

describe('PowerPost errors', () => {
	const call = { method: 'POST' as const, path: '/posts/p1/publish' };

	it('reads the documented error body, retryAfter inside error first then top level', () => {
		expect(powerPostProvider.readError({ error: { code: 'RATE_LIMIT_EXCEEDED', message: 'slow down', retryAfter: 7 } })).toMatchObject({
			code: 'RATE_LIMIT_EXCEEDED',
			retryAfterSeconds: 7,
		});
		expect(powerPostProvider.readError({ error: { code: 'X', message: 'm' }, retryAfter: 3 }).retryAfterSeconds).toBe(3);
		expect(powerPostProvider.readError('<html>')).toEqual({});
	});

	it('names the missing scope and the presets that have it', () => {
		const { message, description } = powerPostProvider.explain(
			{ kind: 'http', status: 403, code: 'INSUFFICIENT_SCOPE', apiMessage: 'Missing scope', ambiguous: false, notResent: false, attempts: 1, requestId: 'req_1' },
			call,
		);
		expect(message).toBe('PowerPost: Missing scope [INSUFFICIENT_SCOPE]');
		expect(description).toContain('"posts:publish"');
		expect(description).toContain('Full access');
		expect(description).not.toContain('Draft only');
		expect(description).toContain('req_1');
	});

	it('says a POST was not resent after an ambiguous failure', () => {
		const { description } = powerPostProvider.explain({ kind: 'network', networkCode: 'ECONNRESET', ambiguous: true, notResent: true, attempts: 1 }, call);
		expect(description).toMatch(/not sent again/);
	});

	it('explains an HTML answer as a wrong base URL', () => {
		const { message, description } = powerPostProvider.explain(
			{ kind: 'not-json', status: 200, contentType: 'text/html', sample: '<!doctype html>', ambiguous: false, notResent: false, attempts: 1 },
			{ method: 'GET', path: '/account/credits' },
		);
		expect(message).toContain('HTML page');
		expect(description).toContain('/api/v1');
	});

	it('has a hint for every documented error code', () => {
		for (const code of ['INVALID_API_KEY', 'INSUFFICIENT_CREDITS', 'FORBIDDEN', 'NOT_FOUND', 'ALREADY_PUBLISHED', 'FILE_TOO_LARGE', 'STORAGE_QUOTA_EXCEEDED', 'PLATFORM_NOT_CONNECTED', 'INTERNAL_ERROR']) {
			const { description } = powerPostProvider.explain({ kind: 'http', status: 400, code, ambiguous: false, notResent: false, attempts: 1 }, { method: 'GET', path: '/x' });
			expect(description.length).toBeGreaterThan(30);
		}
	});

	it('maps endpoints to scopes per contract §2.3', () => {
		expect(scopeFor('GET', '/post-items/i1/analytics')).toBe('analytics:read');
		expect(scopeFor('DELETE', '/calendar/entries/e1')).toBe('calendar:write');
		expect(scopeFor('POST', '/posts/p1/schedule')).toBe('posts:publish');
		expect(presetsWith('calendar:read')).toEqual(['Full access', 'Draft only', 'Read only']);
	});

	it('redacts secrets', () => {
		expect(redact('key pp_live_sk_abc leaked pp_live_sk_abc', ['pp_live_sk_abc'])).toBe('key *** leaked ***');
	});
});

describe('offsets outside the real range', () => {
	it('rejects +25:00 and -13:00 instead of sending another time', () => {
		for (const text of ['2026-12-01T09:30:00+25:00', '2026-12-01T09:30:00-13:00']) {
			const parsed = parseDateTime(text, 'UTC');
			expect(parsed.ok).toBe(false);
			expect(!parsed.ok && parsed.reason).toMatch(/outside -12:00 to \+14:00/);
		}
		expect(parseDateTime('2026-12-01T09:30:00+14:00', 'UTC').ok).toBe(true);
	});
});
