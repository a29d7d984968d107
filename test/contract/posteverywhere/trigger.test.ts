// Contract §14, §15.3–15.6: the PostEverywhere polling trigger against the sandbox, under both
// profiles (strict: a destination that settles while its siblings are in flight does not move the
// post's updated_at; no has_more; no destination ids; next_retry_at only on the results endpoint).
import type { IDataObject } from 'n8n-workflow';

import { runPoll } from '../../harness';
import { api, credsFor, FAST_TIMING, startSandbox, type PostEverywhereSandbox } from './helpers';

async function settle(sb: PostEverywhereSandbox, postIds: string[], timeoutMs = 8000): Promise<void> {
	const end = Date.now() + timeoutMs;
	for (;;) {
		const states = await Promise.all(postIds.map(async (id) => (await api(sb, 'GET', `/posts/${id}`)).data.status as string));
		if (states.every((s) => !['publishing', 'scheduled'].includes(s)) || Date.now() > end) return;
		await new Promise((resolve) => setTimeout(resolve, 30));
	}
}

describe.each(['generous', 'strict'] as const)('PostEverywhere Trigger (%s profile)', (profile) => {
	let sb: PostEverywhereSandbox;
	beforeAll(async () => {
		sb = await startSandbox(profile);
	});
	afterAll(async () => {
		await sb.stop();
	});
	beforeEach(() => sb.reset());

	function trigger(parameters: Record<string, unknown> = { events: ['published', 'failed'] }) {
		let staticData: IDataObject | undefined;
		return {
			async poll() {
				const result = await runPoll({ nodeType: 'postEverywhereTrigger', parameters, credentials: credsFor(sb), staticData });
				if (result.error) throw result.error;
				staticData = result.staticData;
				return (result.items?.[0] ?? []).map((item) => item.json as Record<string, any>);
			},
		};
	}

	async function publish(content: string, accounts: number[]): Promise<string> {
		const created = await api(sb, 'POST', '/posts', { content, account_ids: accounts });
		expect(created.status).toBe(201);
		return created.data.post_id as string;
	}

	test('results that existed at activation are not emitted; each later result exactly once', async () => {
		const old = await publish('Before activation', [sb.accounts.instagram]);
		await settle(sb, [old]);
		const t = trigger();
		expect(await t.poll()).toEqual([]);

		const a = await publish('After one', [sb.accounts.instagram, sb.accounts.x, sb.accounts.linkedin]);
		const b = await publish('After two [fail:x]', [sb.accounts.facebook, sb.accounts.x]);
		await settle(sb, [a, b]);
		const events = [...(await t.poll()), ...(await t.poll())];
		const keys = events.map((e) => `${e.post_id}:${e.account_id}:${e.event}`).sort();
		expect(keys).toEqual(
			[
				`${a}:${sb.accounts.instagram}:published`,
				`${a}:${sb.accounts.x}:published`,
				`${a}:${sb.accounts.linkedin}:published`,
				`${b}:${sb.accounts.facebook}:published`,
				`${b}:${sb.accounts.x}:failed_retry_pending`,
			].sort(),
		);
		expect(events.find((e) => e.event === 'failed_retry_pending')?.next_retry_at).toBeTruthy();
		expect(events.some((e) => e.post_id === old)).toBe(false);
		expect(await t.poll()).toEqual([]);
	});

	test('a failure that is retried automatically and then publishes is emitted as failed, then published', async () => {
		const t = trigger();
		await t.poll();
		const id = await publish('Flaky [flaky]', [sb.accounts.threads]);
		await settle(sb, [id]);
		const first = await t.poll();
		expect(first.map((e) => e.event)).toEqual(['failed_retry_pending']);
		sb.advanceClock(FAST_TIMING.retryDelay + 50);
		const end = Date.now() + 5000;
		let later: Array<Record<string, any>> = [];
		while (later.length === 0 && Date.now() < end) {
			sb.tick();
			later = await t.poll();
			if (later.length === 0) await new Promise((resolve) => setTimeout(resolve, 50));
		}
		expect(later.map((e) => [e.event, e.attempts])).toEqual([['published', 2]]);
		expect(await t.poll()).toEqual([]);
	});

	test('a burst of posts: every result once, with the events and platform filters', async () => {
		const t = trigger({ events: ['published'], options: { platforms: ['linkedin'] } });
		await t.poll();
		const ids: string[] = [];
		for (let i = 0; i < 12; i++) ids.push(await publish(`Batch ${i}`, [sb.accounts.linkedin, sb.accounts.instagram]));
		await settle(sb, ids);
		const events = [...(await t.poll()), ...(await t.poll())];
		expect(events).toHaveLength(12);
		expect(new Set(events.map((e) => e.post_id)).size).toBe(12);
		expect(events.every((e) => e.platform === 'linkedin' && e.event === 'published')).toBe(true);
	});

	test('a revoked key fails the activation poll loudly (no empty success), without the key in the error', async () => {
		const result = await runPoll({ nodeType: 'postEverywhereTrigger', parameters: { events: ['published', 'failed'] }, credentials: credsFor(sb, sb.keys.revoked) });
		expect(result.error).toBeDefined();
		expect(result.items ?? null).toBeNull();
		const text = `${result.error?.message ?? ''} ${String(result.error?.description ?? '')} ${result.logs.join(' ')}`;
		expect(text).toMatch(/API key/i);
		for (const key of [sb.keys.revoked, sb.keys.full]) expect(text).not.toContain(key);
		expect(result.staticData.postEverywhereTrigger).toBeUndefined(); // nothing committed
	});
});
