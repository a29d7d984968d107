// sandbox/core pieces on their own: rolling rate windows, fault matching, profiles, validation helpers.
import { z } from 'zod';
import { createClock } from '../../../sandbox/core/clock';
import { FaultList, parseFaultRule } from '../../../sandbox/core/faults';
import { offsetPage } from '../../../sandbox/core/paging';
import { resolveSwitches } from '../../../sandbox/core/profiles';
import { RateLimiter } from '../../../sandbox/core/rateLimit';
import { describeIssues, intParam, isoWithZone, parseWith, wallTimeToUtc } from '../../../sandbox/core/validate';

describe('RateLimiter (rolling windows)', () => {
	const limiter = () => new RateLimiter({ all: [{ limit: 3, windowMs: 60_000 }, { limit: 5, windowMs: 3_600_000 }], extra: [{ limit: 1, windowMs: 10_000 }] });

	test('refuses the request after the limit; a slot frees when the oldest hit leaves the window', () => {
		const rl = limiter();
		expect(rl.check('k', ['all'], 0).headers['X-RateLimit-Remaining']).toBe('2');
		rl.check('k', ['all'], 20_000);
		const third = rl.check('k', ['all'], 40_000);
		expect(third).toMatchObject({ ok: true, headers: { 'X-RateLimit-Limit': '3', 'X-RateLimit-Remaining': '0', 'X-RateLimit-Reset': '60' } });
		const refused = rl.check('k', ['all'], 50_000);
		expect(refused).toMatchObject({ ok: false, retryAfter: 10, bucket: 'all' });
		expect(rl.check('k', ['all'], 60_000).ok).toBe(true); // the hit at 0 left the window
		expect(rl.check('other', ['all'], 50_000).ok).toBe(true);
	});

	test('the hour window holds after the minute windows roll; headers show the tightest window', () => {
		const rl = limiter();
		for (const t of [0, 1, 2, 70_000, 70_001]) expect(rl.check('k', ['all'], t).ok).toBe(true);
		const v = rl.check('k', ['all'], 140_000);
		expect(v).toMatchObject({ ok: false, headers: { 'X-RateLimit-Limit': '5', 'X-RateLimit-Remaining': '0' } });
		expect(v.retryAfter).toBe(3_600_000 / 1000 - 140);
	});

	test('several buckets: refused by the tighter one, nothing counted when refused; no key = headers only', () => {
		const rl = limiter();
		expect(rl.check('k', ['all', 'extra'], 0).ok).toBe(true);
		expect(rl.check('k', ['all', 'extra'], 1000)).toMatchObject({ ok: false, bucket: 'extra', retryAfter: 9 });
		expect(rl.check('k', ['all'], 1000).headers['X-RateLimit-Remaining']).toBe('1'); // the refused request did not count
		expect(rl.check(null, ['all'], 0)).toMatchObject({ ok: true, headers: { 'X-RateLimit-Limit': '3', 'X-RateLimit-Remaining': '3' } });
	});
});

describe('FaultList', () => {
	test('matches host, method and path (string or regex); times; eligible holds a rule back', () => {
		const f = new FaultList();
		f.add({ path: '/a', kind: 'status', status: 502, times: 2 });
		f.add(parseFaultRule({ path: { regex: '^/b/\\d+$' }, method: 'post', kind: 'html' }));
		f.add({ host: 'upload', path: /^\/o\//, kind: 'drop-before', apply: true });
		expect(f.take('api', 'GET', '/a')?.status).toBe(502);
		expect(f.take('api', 'GET', '/b/1')).toBeUndefined();
		expect(f.take('api', 'POST', '/b/1')?.kind).toBe('html');
		expect(f.take('api', 'GET', '/o/x')).toBeUndefined();
		expect(f.take('upload', 'PUT', '/o/x')).toMatchObject({ kind: 'drop-before', applied: true });
		expect(f.take('api', 'GET', '/a', () => false)).toBeUndefined();
		expect(f.take('api', 'GET', '/a')).toBeDefined();
		expect(f.size).toBe(0);
		expect(() => f.add({ path: '/x', kind: 'boom' as never })).toThrow(/unknown fault kind/);
		expect(() => parseFaultRule({ path: 5, kind: 'html' })).toThrow(/path/);
	});
});

test('profiles: strict turns every switch off, generous those marked; overrides; unknown names refused', () => {
	const specs = { a: { description: 'a', generous: true }, b: { description: 'b', generous: false } };
	expect(resolveSwitches(specs, 'strict')).toEqual({ a: false, b: false });
	expect(resolveSwitches(specs, 'generous')).toEqual({ a: true, b: false });
	expect(resolveSwitches(specs, 'strict', { b: true })).toEqual({ a: false, b: true });
	expect(() => resolveSwitches(specs, 'strict', { c: true } as never)).toThrow(/unknown sandbox switch "c"/);
});

test('clock: advance, set (back in time), skew, listeners', () => {
	const c = createClock();
	let calls = 0;
	c.onChange(() => calls++);
	c.advance(10_000);
	expect(c.offset()).toBe(10_000);
	c.set(Date.UTC(2020, 0, 1));
	expect(Math.abs(c.now() - Date.UTC(2020, 0, 1))).toBeLessThan(1000);
	c.skew(-5000);
	expect(c.offset()).toBe(-5000);
	expect(calls).toBe(3);
});

describe('validation helpers', () => {
	test('issues name every field: unknown keys, enums, types, missing', () => {
		const schema = z.object({ a: z.number(), b: z.enum(['x', 'y']), c: z.object({ d: z.string() }).strict() }).strict();
		const r = parseWith(schema, { b: 'z', c: { d: 1, e: 2 }, f: 3 });
		expect(r.ok).toBe(false);
		if (r.ok) return;
		expect(describeIssues(r.issues)).toBe('a is required; b must be one of: x, y; c.d must be a string; c.e is not a known field; f is not a known field');
		expect(parseWith(z.object({ n: intParam(1, 10) }), { n: '11' })).toMatchObject({ ok: false, issues: [{ field: 'n', message: 'must be at most 10' }] });
		expect(parseWith(z.object({ n: intParam(1, 10) }), { n: '7' })).toEqual({ ok: true, value: { n: 7 } });
		expect(isoWithZone.safeParse('2026-05-01T09:00:00').success).toBe(false);
		expect(isoWithZone.safeParse('2026-05-01T09:00:00+02:00').success).toBe(true);
	});

	test('wall time in a zone -> UTC, across DST', () => {
		expect(new Date(wallTimeToUtc('2026-01-15T09:00:00', 'Europe/Berlin')).toISOString()).toBe('2026-01-15T08:00:00.000Z');
		expect(new Date(wallTimeToUtc('2026-07-15T09:00:00', 'Europe/Berlin')).toISOString()).toBe('2026-07-15T07:00:00.000Z');
		expect(new Date(wallTimeToUtc('2026-03-29T03:30:00', 'Europe/Berlin')).toISOString()).toBe('2026-03-29T01:30:00.000Z');
		expect(new Date(wallTimeToUtc('2026-11-01T09:00:00', 'America/New_York')).toISOString()).toBe('2026-11-01T14:00:00.000Z');
		expect(new Date(wallTimeToUtc('2026-06-01T00:00:00', 'UTC')).toISOString()).toBe('2026-06-01T00:00:00.000Z');
	});
});

test('offsetPage: totals only when asked', () => {
	expect(offsetPage([1, 2, 3], 2, 0, true)).toEqual({ items: [1, 2], pagination: { limit: 2, offset: 0, total: 3, has_more: true } });
	expect(offsetPage([1, 2, 3], 2, 2, false)).toEqual({ items: [3], pagination: { limit: 2, offset: 2 } });
});
