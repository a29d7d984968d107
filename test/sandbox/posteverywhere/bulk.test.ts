// PostEverywhere sandbox §4.9: bulk create, retry-failed, bulk-schedule with dry run.
import type { PostEverywhereSandbox } from '../../../sandbox/posteverywhere/server';
import { api, expectError, withSandbox } from './helpers';

describe('PostEverywhere sandbox bulk endpoints', () => {
	let sb: PostEverywhereSandbox;
	withSandbox({ tickMs: 0, rateLimit: false }, (s) => (sb = s));

	test('bulk create: 201 all ok, 207 mixed (items validated on their own), 422 all failed, > 50 -> 400 bulk_limit_exceeded', async () => {
		const call = api(sb);
		const ok = await call('POST', '/posts/bulk', { posts: [{ content: 'a', account_ids: [sb.accounts.x] }, { content: 'b', draft: true }] });
		expect(ok.status).toBe(201);
		expect(ok.body.data.summary).toEqual({ total: 2, succeeded: 2, failed: 0 });
		expect(ok.body.data.results[0]).toMatchObject({ index: 0, ok: true, post: { status: 'publishing' } });
		const mixed = await call('POST', '/posts/bulk', { posts: [{ content: 'c', account_ids: [sb.accounts.x] }, { content: 'd', account_ids: [999] }, { content: 'e', account_ids: [sb.accounts.x], media: ['m'] }, { content: 'f', account_ids: [sb.accounts.x], nope: 1 }] });
		expect(mixed.status).toBe(207);
		expect(mixed.body.data.results.map((r: { ok: boolean }) => r.ok)).toEqual([true, false, false, false]);
		expect(mixed.body.data.results[1].error).toMatchObject({ code: 'validation_error', status: 400 });
		expect(mixed.body.data.results[2].error).toMatchObject({ code: 'invalid_field_name', status: 400 });
		expect(mixed.body.data.results[3].error.message).toMatch(/posts\.3\.nope is not a known field/);
		const none = await call('POST', '/posts/bulk', { posts: [{ content: 'g' }] });
		expect(none.status).toBe(422);
		const many = await call('POST', '/posts/bulk', { posts: Array.from({ length: 51 }, () => ({ content: 'x', account_ids: [sb.accounts.x] })) });
		expectError(many, 400, 'bulk_limit_exceeded');
		expect(sb.state.posts.size).toBe(3);
	});

	test('retry-failed: refuses without a filter; re-queues failed destinations matching; max_attempts skips', async () => {
		const call = api(sb);
		expectError(await call('POST', '/posts/retry-failed', {}), 400, 'validation_error', /at least one filter/);
		const a = (await call('POST', '/posts', { content: 'a [fail-once]', account_ids: [sb.accounts.x, sb.accounts.facebook] })).body.data;
		const b = (await call('POST', '/posts', { content: 'b [fail-once]', account_ids: [sb.accounts.x] })).body.data;
		sb.advanceClock(sb.timing.publishQueue + sb.timing.publishAttempt);
		for (let i = 1; i < sb.timing.maxAttempts; i++) sb.advanceClock(sb.timing.retryDelay + sb.timing.publishAttempt);
		expect(sb.state.posts.get(a.id)?.status).toBe('failed');
		expect((await call('POST', '/posts/retry-failed', { platform: 'x', max_attempts: 3 })).body.data.retried_count).toBe(0);
		const r = (await call('POST', '/posts/retry-failed', { platform: 'x' })).body.data;
		expect(r.retried_count).toBe(2);
		expect(r.destinations.map((d: { post_id: string }) => d.post_id).sort()).toEqual([a.id, b.id].sort());
		expect(r.destinations[0]).toMatchObject({ platform: 'x', new_status: 'queued', destination_id: expect.any(String) });
		sb.advanceClock(sb.timing.publishQueue + sb.timing.publishAttempt);
		expect(sb.state.posts.get(a.id)?.status).toBe('partially_failed');
		expect(sb.state.posts.get(b.id)?.status).toBe('published');
	});

	test('bulk-schedule: dry run validates every row and creates nothing; a real run schedules all or nothing', async () => {
		const call = api(sb);
		const tomorrow = new Date(sb.now() + 86_400_000).toISOString().slice(0, 10);
		const rows = [
			{ date: tomorrow, time: '09:30', content: 'one', platforms: 'instagram+facebook' },
			{ date: tomorrow, time: '10:00', content: 'two', platforms: `${sb.accounts.linkedin}` },
			{ date: '2020-01-01', time: '10:00', content: 'past', platforms: 'x' },
			{ date: tomorrow, time: '25:00', content: 'bad time', platforms: 'x' },
		];
		const dry = await call('POST', '/posts/bulk-schedule', { posts: rows, timezone: 'America/New_York', dryRun: true });
		expect(dry.status).toBe(200);
		expect(dry.body.data.summary).toEqual({ total: 4, valid: 2, invalid: 2 });
		expect(dry.body.data.results[0].account_ids.sort()).toEqual([sb.accounts.instagram, sb.accounts.expiring, sb.accounts.facebook].sort());
		expect(dry.body.data.results[2].errors[0].message).toMatch(/past/);
		expect(dry.body.data.results[3].errors[0].field).toBe('posts.3.time');
		const offset = Date.parse(`${tomorrow}T09:30:00Z`) - Date.parse(dry.body.data.results[0].scheduled_for);
		expect([-4 * 3_600_000, -5 * 3_600_000]).toContain(offset);
		expect(sb.state.posts.size).toBe(0);
		const refused = await call('POST', '/posts/bulk-schedule', { posts: rows, timezone: 'America/New_York' });
		expectError(refused, 422, 'validation_error', /nothing was scheduled/);
		expect(refused.body.error.details.rows).toHaveLength(2);
		expect(sb.state.posts.size).toBe(0);
		const real = await call('POST', '/posts/bulk-schedule', { posts: rows.slice(0, 2), timezone: 'America/New_York', accountMapping: { instagram: sb.accounts.instagram } });
		expect(real.status).toBe(201);
		expect(real.body.data.summary).toEqual({ total: 2, scheduled: 2 });
		expect(real.body.data.results[0].account_ids.sort()).toEqual([sb.accounts.instagram, sb.accounts.facebook].sort());
		expect(sb.state.posts.size).toBe(2);
		expect([...sb.state.posts.values()].every((p) => p.status === 'scheduled')).toBe(true);
		expectError(await call('POST', '/posts/bulk-schedule', { posts: rows }), 400, 'validation_error', /timezone is required/);
		expectError(await call('POST', '/posts/bulk-schedule', { posts: Array.from({ length: 101 }, () => rows[0]), timezone: 'UTC', dryRun: true }), 400, 'bulk_limit_exceeded');
	});
});
