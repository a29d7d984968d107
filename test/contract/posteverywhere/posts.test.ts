// Contract §4, §9, §14, §15.2–15.5: Post operations of the PostEverywhere node against the sandbox,
// under both profiles where the difference matters (strict: no X-Request-Id header, no has_more,
// no destination ids, no next_retry_at on post destinations).
import { DateTime } from 'luxon';

import { api, byId, calls, errorText, expectNoSecrets, FAST_WAIT, jsonOf, op, startSandbox, type PostEverywhereSandbox } from './helpers';

describe.each(['generous', 'strict'] as const)('Post (%s profile)', (profile) => {
	let sb: PostEverywhereSandbox;
	beforeAll(async () => {
		sb = await startSandbox(profile);
	});
	afterAll(async () => {
		await sb.stop();
	});
	beforeEach(() => sb.reset());

	test('Create → Publish Now waits for every account and reports each result', async () => {
		const r = await op(sb, 'post', 'create', {
			mode: 'publishNow',
			accountIds: [sb.accounts.instagram, sb.accounts.x],
			content: 'Launch day #n8n',
			waitOptions: FAST_WAIT,
		});
		expect(r.status).toBe('success');
		const [out] = jsonOf(r);
		expect(out.outcome).toBe('published');
		expect(out.published_count).toBe(2);
		expect(out.results.map((x: any) => [x.account_id, x.status, x.outcome]).sort()).toEqual([
			[sb.accounts.instagram, 'published', 'published'],
			[sb.accounts.x, 'published', 'published'],
		].sort());
		expect(calls(sb, 'POST', '/posts')).toHaveLength(1);
		expectNoSecrets(sb, r);
	});

	test('a failing platform: the post is partially failed, the failure has a retry pending, nothing is resent', async () => {
		const r = await op(sb, 'post', 'create', {
			mode: 'publishNow',
			accountIds: [sb.accounts.instagram, sb.accounts.x],
			content: 'Hello [fail:x]',
			waitOptions: FAST_WAIT,
		});
		const [out] = jsonOf(r);
		expect(out.outcome).toBe('partially_failed');
		const x = out.results.find((result: any) => result.account_id === sb.accounts.x);
		expect(x.outcome).toBe('failed_retry_pending');
		expect(x.next_retry_at).toBeTruthy();
		expect(calls(sb, 'POST', '/posts')).toHaveLength(1);
	});

	test('Schedule: a naive time is read in the workflow time zone and sent with an explicit offset', async () => {
		const local = DateTime.now().setZone('America/New_York').plus({ days: 2 }).startOf('minute');
		const naive = local.toFormat("yyyy-MM-dd'T'HH:mm");
		const r = await op(
			sb,
			'post',
			'create',
			{ mode: 'schedule', accountIds: [sb.accounts.linkedin], content: 'Later', scheduledFor: naive },
			{ settings: { timezone: 'America/New_York' } },
		);
		expect(r.status).toBe('success');
		const sent = calls(sb, 'POST', '/posts')[0].body as Record<string, any>;
		expect(sent.scheduled_for).toMatch(/Z$/);
		expect(Date.parse(sent.scheduled_for)).toBe(local.toMillis());
		expect(jsonOf(r)[0].status).toBe('scheduled');
		expect(calls(sb, 'GET', /\/results$/)).toHaveLength(0);
	});

	test('a lost answer after the post was created: the post is found, not created twice', async () => {
		sb.faults.add({ path: '/posts', method: 'POST', kind: 'status', status: 502, applied: true, times: 1 } as any);
		const r = await op(sb, 'post', 'create', { mode: 'draft', accountIds: [], content: 'Only once please' });
		expect(r.status).toBe('success');
		const [out] = jsonOf(r);
		expect(out.recovered_after).toBe('http-502');
		expect(out.status).toBe('draft');
		const stored = [...sb.state.posts.values()].filter((p: any) => p.content === 'Only once please');
		expect(stored).toHaveLength(1);
	});

	test('a connection dropped before the post was created: looked for, not found, never sent twice: "Outcome unknown" says what to check', async () => {
		sb.faults.add({ path: '/posts', method: 'POST', kind: 'drop-before', times: 1 } as any);
		const r = await op(sb, 'post', 'create', { mode: 'draft', accountIds: [], content: 'Dropped first' });
		const error = r.error as Error & { description?: string };
		expect(error.message).toMatch(/^Outcome unknown: Create post\. PostEverywhere's answer to POST \/posts was lost \(network\) and no post created since then matches it/);
		expect(error.message).toMatch(/Check Post → Get Many \(Created After /);
		expect(error.description).toMatch(/not sent again/);
		expect([...sb.state.posts.values()].filter((p: any) => p.content === 'Dropped first')).toHaveLength(0);
		expect(calls(sb, 'POST', '/posts')).toHaveLength(1);
		expect(calls(sb, 'GET', '/posts').length).toBeGreaterThanOrEqual(2);
	});

	test('an identical post from before is not mistaken for ours after a lost answer', async () => {
		const earlier = await api(sb, 'POST', '/posts', { content: 'Same words', account_ids: [], draft: true });
		sb.faults.add({ path: '/posts', method: 'POST', kind: 'drop-before', times: 1 } as any);
		const r = await op(sb, 'post', 'create', { mode: 'draft', accountIds: [], content: 'Same words' });
		expect((r.error as Error).message).toMatch(/^Outcome unknown: Create post/);
		expect(JSON.stringify(jsonOf(r))).not.toContain(earlier.data.post_id);
		expect([...sb.state.posts.values()].filter((p: any) => p.content === 'Same words')).toHaveLength(1);
	});

	test('bad input fails before any request, naming the field and what is allowed', async () => {
		const noAccount = await op(sb, 'post', 'create', { mode: 'publishNow', accountIds: [], content: 'x' });
		expect(errorText(noAccount)).toMatch(/Account Names or IDs.*at least 1 account/s);
		const badTikTok = await op(sb, 'post', 'create', {
			mode: 'publishNow',
			accountIds: [sb.accounts.tiktok],
			content: 'x',
			additionalFields: { platformContent: '{"tiktok": {"settings": {"privacyLevel": "EVERYONE"}}}' },
		});
		expect(errorText(badTikTok)).toMatch(/privacyLevel.*PUBLIC_TO_EVERYONE/s);
		const tooLong = await op(sb, 'post', 'create', { mode: 'publishNow', accountIds: [sb.accounts.x], content: 'x', additionalFields: { platformContent: { x: { content: 'y'.repeat(281) } } } });
		expect(errorText(tooLong)).toMatch(/x → content.*281.*280/s);
		expect(sb.requests()).toHaveLength(0);
	});

	test('Get Many pages by offset to the end (Return All), with filters passed as the API names them', async () => {
		await sb.control('POST', '/seed-posts', { n: 230 });
		const r = await op(sb, 'post', 'getMany', { returnAll: true, filters: { statuses: ['published', 'failed'] }, sort: { sortBy: 'created_at', order: 'asc' } });
		expect(r.status).toBe('success');
		const posts = jsonOf(r);
		expect(posts).toHaveLength(230);
		expect(new Set(posts.map((p) => p.post_id)).size).toBe(230);
		const lists = calls(sb, 'GET', '/posts');
		expect(lists.map((x) => x.query.offset)).toEqual(['0', '100', '200']);
		expect(lists[0].query).toMatchObject({ status: 'published,failed', sort: 'created_at', order: 'asc', limit: '100' });
		const limited = await op(sb, 'post', 'getMany', { returnAll: false, limit: 30 });
		expect(jsonOf(limited)).toHaveLength(30);
	});

	test('Get, Get Results, Update, Delete of a scheduled post', async () => {
		const future = new Date(Date.now() + 86_400_000).toISOString();
		const created = await api(sb, 'POST', '/posts', { content: 'Edit me', account_ids: [sb.accounts.facebook], scheduled_for: future });
		const id = created.data.post_id as string;
		const got = await op(sb, 'post', 'get', { postId: byId(id) });
		expect(jsonOf(got)[0].status).toBe('scheduled');
		const results = await op(sb, 'post', 'getResults', { postId: byId(id) });
		expect(jsonOf(results)[0].outcome).toBe('in_flight');
		const updated = await op(sb, 'post', 'update', { postId: byId(id), updateFields: { content: 'Edited' } });
		expect(jsonOf(updated)[0].content).toBe('Edited');
		expect(calls(sb, 'PATCH', `/posts/${id}`)[0].body).toEqual({ content: 'Edited' });
		const deleted = await op(sb, 'post', 'delete', { postId: byId(id) });
		expect(jsonOf(deleted)[0]).toMatchObject({ deleted: true });
		expect(sb.state.posts.has(id)).toBe(false);
	});

	test('Schedule Draft publishes a draft now and waits; a second schedule answers 409 from the API', async () => {
		const created = await api(sb, 'POST', '/posts', { content: 'Draft to go', account_ids: [sb.accounts.threads], draft: true });
		const id = created.data.post_id as string;
		const r = await op(sb, 'post', 'scheduleDraft', { postId: byId(id), when: 'now', waitOptions: FAST_WAIT });
		expect(r.status).toBe('success');
		expect(jsonOf(r)[0].outcome).toBe('published');
		const again = await op(sb, 'post', 'scheduleDraft', { postId: byId(id), when: 'now', waitForCompletion: false });
		expect(errorText(again)).toMatch(/409|conflict|draft/i);
	});

	test('Retry re-queues the failed destination and waits for the new result', async () => {
		const r1 = await op(sb, 'post', 'create', { mode: 'publishNow', accountIds: [sb.accounts.x], content: 'Try again [fail-once]', waitOptions: FAST_WAIT });
		const id = jsonOf(r1)[0].post_id as string;
		const retried = await op(sb, 'post', 'retry', { postId: byId(id), waitOptions: FAST_WAIT });
		expect(retried.status).toBe('success');
		const [out] = jsonOf(retried);
		expect(out.retried_count).toBeGreaterThanOrEqual(1);
		expect(out.outcome).toBe('published');
		expect(calls(sb, 'POST', `/posts/${id}/retry`)).toHaveLength(1);
	});

	test('Retry "Only Account IDs" takes a single account ID from an expression (a number)', async () => {
		const r1 = await op(sb, 'post', 'create', { mode: 'publishNow', accountIds: [sb.accounts.x, sb.accounts.linkedin], content: 'One more time [fail-once]', waitOptions: FAST_WAIT });
		const id = jsonOf(r1)[0].post_id as string;
		const retried = await op(sb, 'post', 'retry', { postId: byId(id), accountIds: `={{ ${sb.accounts.x} }}`, waitForCompletion: false });
		expect(retried.status).toBe('success');
		expect(calls(sb, 'POST', `/posts/${id}/retry`)[0].body).toEqual({ account_ids: [sb.accounts.x] });
	});

	test('Bulk Create answered 422 (every post failed): one item per post says which failed and why', async () => {
		const bulk = await op(sb, 'post', 'bulkCreate', {
			posts: JSON.stringify([
				{ content: 'unknown account', account_ids: [999999] },
				{ content: 'y'.repeat(281), account_ids: [sb.accounts.x] },
				{ content: 'in the past', account_ids: [sb.accounts.linkedin], scheduled_for: '2020-01-01T09:00:00Z' },
			]),
		});
		expect(bulk.status).toBe('success');
		const items = jsonOf(bulk);
		expect(items.map((item) => [item.index, item.ok, item.http_status])).toEqual([
			[0, false, 422],
			[1, false, 422],
			[2, false, 422],
		]);
		for (const item of items) expect(item.error).toMatchObject({ code: expect.any(String), message: expect.any(String) });
		expect(items[0].error.message).toMatch(/999999|account/i);
		expect(items[1].error.message).toMatch(/280|x/i);
		expect(items[2].error.code).toBe('past_schedule_time');
		expect(items[0].summary).toMatchObject({ total: 3, succeeded: 0, failed: 3 });
		expect(sb.state.posts.size).toBe(0);
	});

	test('Bulk Create: a 422 for the request as a whole (no per-post results) is the API\'s error, not a crash', async () => {
		sb.faults.add({ path: '/posts/bulk', method: 'POST', kind: 'status', status: 422 } as any);
		const r = await op(sb, 'post', 'bulkCreate', { posts: JSON.stringify([{ content: 'x', account_ids: [sb.accounts.linkedin], draft: true }]) });
		expect(r.status).toBe('error');
		expect((r.error as Error).message).toMatch(/^PostEverywhere: /);
		expect((r.error as any).httpCode).toBe('422');
	});

	test('Delete of a post that never existed, with the answer lost: PostEverywhere\'s "not found", never "deleted"', async () => {
		const missing = '00000000-0000-4000-8000-00000000dead';
		sb.faults.add({ path: `/posts/${missing}`, method: 'DELETE', kind: 'drop-before' } as any);
		const r = await op(sb, 'post', 'delete', { postId: byId(missing) });
		expect(r.status).toBe('error');
		expect((r.error as any).httpCode).toBe('404');
		expect(JSON.stringify(jsonOf(r))).not.toContain('deleted');
	});

	test('Bulk Create maps a 207 answer to one item per post; Retry Failed and Bulk Schedule (dry run)', async () => {
		const bulk = await op(sb, 'post', 'bulkCreate', {
			posts: JSON.stringify([
				{ content: 'ok', account_ids: [sb.accounts.linkedin], draft: true },
				{ content: 'bad', account_ids: [999999] },
			]),
		});
		expect(bulk.status).toBe('success');
		const items = jsonOf(bulk);
		expect(items).toHaveLength(2);
		expect(items[0].ok).toBe(true);
		expect(items[1].ok).toBe(false);
		expect(items[1].error).toBeTruthy();
		expect(items[0].http_status).toBe(207);

		const retry = await op(sb, 'post', 'retryFailed', { filters: { platform: 'x' } });
		expect(retry.status).toBe('success');
		expect(calls(sb, 'POST', '/posts/retry-failed')[0].body).toEqual({ platform: 'x' });
		const none = await op(sb, 'post', 'retryFailed', { filters: {} });
		expect(errorText(none)).toMatch(/Filters.*at least one/s);

		const rows = [
			{ json: { date: '2027-01-05', time: '09:30', content: 'Row one', platforms: 'instagram+facebook', extra: 'ignored' } },
			{ json: { date: '2027-01-06', time: '10:00', content: 'Row two', platforms: 'linkedin' } },
		];
		const dry = await op(sb, 'post', 'bulkSchedule', { rowsFrom: 'items', timezone: 'Europe/Berlin', dryRun: true }, { input: rows });
		expect(dry.status).toBe('success');
		expect(jsonOf(dry)).toHaveLength(1);
		const sent = calls(sb, 'POST', '/posts/bulk-schedule');
		expect(sent).toHaveLength(1);
		expect(sent[0].body).toMatchObject({ dryRun: true, timezone: 'Europe/Berlin' });
		expect((sent[0].body as any).posts[0]).toEqual({ date: '2027-01-05', time: '09:30', content: 'Row one', platforms: 'instagram+facebook' });
	});
});
