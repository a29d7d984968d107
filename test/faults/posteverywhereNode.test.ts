/**
 * `npm run test:faults`: the PostEverywhere action node after lost answers (issue 12). Every request
 * that changes something is hit by each fault (a 502 before the server acted; a 502 or 504 after it
 * acted; a connection dropped before or after; a proxy's HTML page after acting; a drop after acting
 * followed by reads that lag), under
 * both sandbox profiles. For each run:
 * - the outcome the user sees is right: success only if it happened; PostEverywhere's own error when
 *   the state before made the request impossible; otherwise an error, which after a request that may
 *   have taken effect is "Outcome unknown" naming what to check (never a false failure);
 * - the sandbox's state proves nothing happened twice (effective requests, created resources).
 * Prints a table of every case at the end.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';

import type { FaultRule, PostEverywhereSandbox } from '../../sandbox/posteverywhere/server';
import { startPostEverywhereSandbox } from '../../sandbox/posteverywhere/server';
import { runNode } from '../harness';
import type { RunNodeResult } from '../harness';
import { FAST_TIMING } from '../contract/posteverywhere/helpers';
import { isUnhandled, SecretScan, errorTextOf } from './outcome';

jest.setTimeout(20 * 60_000);

type Json = Record<string, any>;
type Sb = PostEverywhereSandbox;
type Ctx = Json;

const WAIT = { pollInterval: 0.1, timeout: 20 };
const FUTURE = () => new Date(Date.now() + 3 * 86_400_000).toISOString().replace(/\.\d{3}Z$/, 'Z');
const byId = (value: string | number) => ({ __rl: true, mode: 'id', value: String(value) });
const PNG = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082', 'hex');

async function api(sb: Sb, method: string, p: string, body?: unknown): Promise<Json> {
	const response = await fetch(sb.url + p, {
		method,
		headers: { Authorization: `Bearer ${sb.keys.full}`, ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
		body: body === undefined ? undefined : JSON.stringify(body),
	});
	const json = (await response.json()) as { data: Json };
	if (response.status >= 300) throw new Error(`setup ${method} ${p}: ${response.status} ${JSON.stringify(json)}`);
	return json.data;
}

/** Moves the sandbox clock until no destination is in flight or waiting for an automatic retry (setup only). */
async function settle(sb: Sb): Promise<void> {
	for (let i = 0; i < 400; i++) {
		sb.tick();
		const busy = [...sb.state.posts.values()].some((p) => p.destinations.some((d) => d.status !== 'published' && (d.status !== 'failed' || d.next_retry_at !== null)));
		if (!busy) return;
		sb.advanceClock(100);
		await new Promise((resolve) => setTimeout(resolve, 5));
	}
	throw new Error('setup: the posts did not settle');
}

let counter = 0;
const unique = (what: string) => `${what} ${++counter} ${Math.random().toString(36).slice(2, 8)}`;

const postsWith = (sb: Sb, content: string) => [...sb.state.posts.values()].filter((p) => p.content === content);

interface Spec {
	name: string;
	resource: string;
	operation: string;
	/** The request the faults hit (it changes something). */
	target: { method: string; path: RegExp; host?: 'api' | 'upload' };
	/** The read the node recovers with, for the "reads lag" fault. */
	readPath?: RegExp;
	setup?: (sb: Sb) => Promise<Ctx>;
	params: (ctx: Ctx, sb: Sb) => Json;
	input?: (ctx: Ctx) => any[];
	/** Whether the action took effect (read from the sandbox's state). */
	happened: (sb: Sb, ctx: Ctx) => boolean;
	/** How many times it took effect (default: 2xx answers to the target, applied faults included). */
	times?: (sb: Sb, ctx: Ctx) => number;
	/** The state before made the request impossible: PostEverywhere's own error (this code) is the right outcome. */
	impossible?: { code: string };
	/** The right outcome is a success whatever happens (the request changes nothing). */
	alwaysSuccess?: boolean;
	/** The output of a success is right. */
	ok?: (items: Json[], ctx: Ctx, sb: Sb) => boolean;
}

const created = (content: string) => (sb: Sb) => postsWith(sb, content).length > 0;
const createdTimes = (content: string) => (sb: Sb) => postsWith(sb, content).length;

function createSpec(mode: 'publishNow' | 'schedule' | 'queue' | 'draft'): Spec {
	return {
		name: `post.create (${mode})`,
		resource: 'post',
		operation: 'create',
		target: { method: 'POST', path: /^\/posts$/ },
		readPath: /^\/posts$/,
		setup: async () => ({ content: unique(`Create ${mode}`), at: FUTURE() }),
		params: (ctx, sb) => ({
			mode,
			accountIds: mode === 'draft' ? [] : [sb.accounts.linkedin],
			content: ctx.content,
			scheduledFor: ctx.at,
			waitOptions: WAIT,
		}),
		happened: (sb, ctx) => created(ctx.content)(sb),
		times: (sb, ctx) => createdTimes(ctx.content)(sb),
		ok: (items, ctx) => items[0]?.content === ctx.content || items[0]?.post_id !== undefined,
	};
}

async function draftPost(sb: Sb, content = unique('Draft')): Promise<Json> {
	return await api(sb, 'POST', '/posts', { content, account_ids: [sb.accounts.threads], draft: true });
}
async function scheduledPost(sb: Sb, content = unique('Scheduled')): Promise<Json> {
	return await api(sb, 'POST', '/posts', { content, account_ids: [sb.accounts.facebook], scheduled_for: FUTURE() });
}
async function publishedPost(sb: Sb, content = unique('Published'), accounts = [sb.accounts.x]): Promise<Json> {
	const post = await api(sb, 'POST', '/posts', { content, account_ids: accounts });
	await settle(sb);
	return post;
}
const postOf = (sb: Sb, ctx: Ctx) => sb.state.posts.get(ctx.post.post_id);

const SPECS: Spec[] = [
	createSpec('publishNow'),
	createSpec('schedule'),
	createSpec('queue'),
	createSpec('draft'),
	{
		name: 'post.update',
		resource: 'post',
		operation: 'update',
		target: { method: 'PATCH', path: /^\/posts\/[^/]+$/ },
		setup: async (sb) => ({ post: await scheduledPost(sb), content: unique('Edited') }),
		params: (ctx) => ({ postId: byId(ctx.post.post_id), updateFields: { content: ctx.content } }),
		happened: (sb, ctx) => postOf(sb, ctx)?.content === ctx.content,
		times: () => 1,
		ok: (items, ctx) => items[0]?.content === ctx.content,
	},
	{
		name: 'post.update (published before: 409)',
		resource: 'post',
		operation: 'update',
		target: { method: 'PATCH', path: /^\/posts\/[^/]+$/ },
		setup: async (sb) => ({ post: await publishedPost(sb), content: unique('Too late') }),
		params: (ctx) => ({ postId: byId(ctx.post.post_id), updateFields: { content: ctx.content } }),
		happened: (sb, ctx) => postOf(sb, ctx)?.content === ctx.content,
		impossible: { code: 'post_already_published' },
	},
	{
		name: 'post.delete (draft)',
		resource: 'post',
		operation: 'delete',
		target: { method: 'DELETE', path: /^\/posts\/[^/]+$/ },
		setup: async (sb) => ({ post: await draftPost(sb) }),
		params: (ctx) => ({ postId: byId(ctx.post.post_id) }),
		happened: (sb, ctx) => !sb.state.posts.has(ctx.post.post_id),
		times: (sb, ctx) => (sb.state.posts.has(ctx.post.post_id) ? 0 : 1),
		ok: (items) => items[0]?.deleted === true,
	},
	{
		name: 'post.delete (published, delete_on_platforms=x)',
		resource: 'post',
		operation: 'delete',
		target: { method: 'DELETE', path: /^\/posts\/[^/]+$/ },
		setup: async (sb) => ({ post: await publishedPost(sb) }),
		params: (ctx) => ({ postId: byId(ctx.post.post_id), options: { deleteOnPlatforms: ['x'] } }),
		happened: (sb, ctx) => !sb.state.posts.has(ctx.post.post_id),
		times: (sb, ctx) => (sb.state.posts.has(ctx.post.post_id) ? 0 : 1),
		ok: (items) => items[0]?.deleted === true,
	},
	{
		name: 'post.delete (published, without delete_on_platforms: 409)',
		resource: 'post',
		operation: 'delete',
		target: { method: 'DELETE', path: /^\/posts\/[^/]+$/ },
		setup: async (sb) => ({ post: await publishedPost(sb) }),
		params: (ctx) => ({ postId: byId(ctx.post.post_id) }),
		happened: (sb, ctx) => !sb.state.posts.has(ctx.post.post_id),
		impossible: { code: 'post_already_published' },
	},
	{
		name: 'post.retry',
		resource: 'post',
		operation: 'retry',
		target: { method: 'POST', path: /^\/posts\/[^/]+\/retry$/ },
		readPath: /^\/posts\/[^/]+\/results$/,
		setup: async (sb) => ({ post: await publishedPost(sb, unique('Retry me [fail-once]')) }),
		params: (ctx) => ({ postId: byId(ctx.post.post_id), waitForCompletion: false }),
		happened: (sb, ctx) => (postOf(sb, ctx)?.manualRetries ?? 0) > 0,
		times: (sb, ctx) => postOf(sb, ctx)?.manualRetries ?? 0,
		ok: (items) => Number(items[0]?.retried_count) >= 1,
	},
	{
		name: 'post.retry (nothing failed before)',
		resource: 'post',
		operation: 'retry',
		target: { method: 'POST', path: /^\/posts\/[^/]+\/retry$/ },
		readPath: /^\/posts\/[^/]+\/results$/,
		setup: async (sb) => ({ post: await publishedPost(sb) }),
		params: (ctx) => ({ postId: byId(ctx.post.post_id), waitForCompletion: false }),
		happened: () => false,
		times: (sb, ctx) => postOf(sb, ctx)?.manualRetries ?? 0,
		alwaysSuccess: true,
		ok: (items) => Number(items[0]?.retried_count) === 0,
	},
	{
		name: 'post.retryFailed',
		resource: 'post',
		operation: 'retryFailed',
		target: { method: 'POST', path: /^\/posts\/retry-failed$/ },
		setup: async (sb) => ({ post: await publishedPost(sb, unique('Retry all [fail-once]')) }),
		params: (ctx) => ({ filters: { postIds: ctx.post.post_id } }),
		happened: (sb, ctx) => (postOf(sb, ctx)?.manualRetries ?? 0) > 0,
		times: (sb, ctx) => postOf(sb, ctx)?.manualRetries ?? 0,
		ok: (items) => Number(items[0]?.retried_count) >= 1,
	},
	{
		name: 'post.scheduleDraft (scheduled_for)',
		resource: 'post',
		operation: 'scheduleDraft',
		target: { method: 'POST', path: /^\/posts\/[^/]+\/schedule$/ },
		readPath: /^\/posts\/[^/]+$/,
		setup: async (sb) => ({ post: await draftPost(sb), at: FUTURE() }),
		params: (ctx) => ({ postId: byId(ctx.post.post_id), when: 'at', scheduledFor: ctx.at }),
		happened: (sb, ctx) => postOf(sb, ctx)?.status === 'scheduled' && postOf(sb, ctx)?.scheduled_for === Date.parse(ctx.at),
		ok: (items, ctx) => items[0]?.status === 'scheduled' && Date.parse(items[0]?.scheduled_for) === Date.parse(ctx.at),
	},
	{
		name: 'post.scheduleDraft (publish_now)',
		resource: 'post',
		operation: 'scheduleDraft',
		target: { method: 'POST', path: /^\/posts\/[^/]+\/schedule$/ },
		readPath: /^\/posts\/[^/]+$/,
		setup: async (sb) => ({ post: await draftPost(sb) }),
		params: (ctx) => ({ postId: byId(ctx.post.post_id), when: 'now', waitOptions: WAIT }),
		happened: (sb, ctx) => postOf(sb, ctx)?.status !== 'draft',
		ok: (items) => items[0]?.outcome === 'published',
	},
	{
		name: 'post.scheduleDraft (scheduled before: 409)',
		resource: 'post',
		operation: 'scheduleDraft',
		target: { method: 'POST', path: /^\/posts\/[^/]+\/schedule$/ },
		readPath: /^\/posts\/[^/]+$/,
		setup: async (sb) => ({ post: await scheduledPost(sb) }),
		params: (ctx) => ({ postId: byId(ctx.post.post_id), when: 'now', waitForCompletion: false }),
		happened: (sb, ctx) => postOf(sb, ctx)?.status !== 'scheduled',
		impossible: { code: 'conflict' },
	},
	...(
		[
			['201', (sb: Sb, c: string) => [{ content: `${c} a`, account_ids: [sb.accounts.linkedin], draft: true }, { content: `${c} b`, account_ids: [sb.accounts.facebook], scheduled_for: FUTURE() }]],
			['207', (sb: Sb, c: string) => [{ content: `${c} a`, account_ids: [sb.accounts.linkedin], draft: true }, { content: `${c} b`, account_ids: [999999] }]],
			['422', (sb: Sb, c: string) => [{ content: `${c} a`, account_ids: [999998] }, { content: `${c} b`, account_ids: [999999] }]],
		] as const
	).map(
		([status, rows]): Spec => ({
			name: `post.bulkCreate (${status})`,
			resource: 'post',
			operation: 'bulkCreate',
			target: { method: 'POST', path: /^\/posts\/bulk$/ },
			readPath: /^\/posts$/,
			setup: async (sb) => {
				const content = unique(`Bulk ${status}`);
				return { content, rows: rows(sb, content) };
			},
			params: (ctx) => ({ posts: JSON.stringify(ctx.rows) }),
			happened: (sb, ctx) => [...sb.state.posts.values()].some((p) => p.content.startsWith(ctx.content)) || sb.requests().some((r) => r.path === '/posts/bulk' && r.status >= 200 && r.status < 500),
			times: (sb, ctx) => Math.max(...ctx.rows.map((row: Json) => postsWith(sb, row.content).length), sb.requests().filter((r) => r.path === '/posts/bulk' && r.status >= 200 && r.status < 500).length),
			ok: (items, ctx) => items.length === ctx.rows.length && items.every((item) => typeof item.ok === 'boolean'),
		}),
	),
	{
		name: 'post.bulkSchedule (dry run)',
		resource: 'post',
		operation: 'bulkSchedule',
		target: { method: 'POST', path: /^\/posts\/bulk-schedule$/ },
		setup: async () => ({ content: unique('Dry row') }),
		params: (ctx) => ({ rowsFrom: 'json', rows: JSON.stringify([{ date: '2027-03-01', time: '09:30', content: ctx.content, platforms: 'linkedin' }]), timezone: 'Europe/Berlin', dryRun: true }),
		happened: () => false,
		times: (sb, ctx) => postsWith(sb, ctx.content).length,
		alwaysSuccess: true,
		ok: (items) => items[0]?.dry_run === true,
	},
	{
		name: 'post.bulkSchedule (real)',
		resource: 'post',
		operation: 'bulkSchedule',
		target: { method: 'POST', path: /^\/posts\/bulk-schedule$/ },
		readPath: /^\/posts$/,
		setup: async () => ({ content: unique('Real row') }),
		params: (ctx) => ({
			rowsFrom: 'json',
			rows: JSON.stringify([
				{ date: '2027-03-01', time: '09:30', content: `${ctx.content} 1`, platforms: 'linkedin' },
				{ date: '2027-03-02', time: '10:00', content: `${ctx.content} 2`, platforms: 'facebook' },
			]),
			timezone: 'Europe/Berlin',
			dryRun: false,
		}),
		happened: (sb, ctx) => postsWith(sb, `${ctx.content} 1`).length > 0,
		times: (sb, ctx) => Math.max(postsWith(sb, `${ctx.content} 1`).length, postsWith(sb, `${ctx.content} 2`).length),
		ok: (items) => items[0]?.summary?.scheduled === 2 && items[0]?.results?.length === 2,
	},
	...(
		[
			['step 1', /^\/media\/upload$/],
			['step 3', /^\/media\/[^/]+\/complete$/],
		] as const
	).map(
		([step, target]): Spec => ({
			name: `media.upload (${step})`,
			resource: 'media',
			operation: 'upload',
			target: { method: 'POST', path: target },
			readPath: step === 'step 1' ? /^\/media$/ : /^\/media\/[^/]+$/,
			setup: async () => ({ name: `${unique('dot').replace(/ /g, '-')}.png` }),
			params: () => ({ binaryPropertyName: 'data' }),
			input: (ctx) => [{ json: {}, binary: { data: { data: PNG, mimeType: 'image/png', fileName: ctx.name } } }],
			happened: (sb, ctx) => [...sb.state.media.values()].some((m) => m.original_name === ctx.name && m.completed),
			// files of this name (completed or not): one, never a second slot left behind when it could be seen
			times: (sb, ctx) => [...sb.state.media.values()].filter((m) => m.original_name === ctx.name).length,
			ok: (items) => items[0]?.status === 'ready',
		}),
	),
	{
		name: 'media.upload (video PUT to the upload host)',
		resource: 'media',
		operation: 'upload',
		target: { method: 'PUT', path: /.*/, host: 'upload' },
		setup: async () => ({ name: `${unique('clip').replace(/ /g, '-')}.mp4` }),
		params: () => ({ binaryPropertyName: 'data' }),
		input: (ctx) => [{ json: {}, binary: { data: { data: Buffer.alloc(64 * 1024, 7), mimeType: 'video/mp4', fileName: ctx.name } } }],
		happened: (sb, ctx) => [...sb.state.media.values()].some((m) => m.original_name === ctx.name && m.completed),
		times: (sb, ctx) => [...sb.state.media.values()].filter((m) => m.original_name === ctx.name).length,
		ok: (items) => ['ready', 'processing'].includes(items[0]?.status),
	},
	{
		name: 'media.uploadFromUrl',
		resource: 'media',
		operation: 'uploadFromUrl',
		target: { method: 'POST', path: /^\/media\/upload-from-url$/ },
		readPath: /^\/media$/,
		setup: async () => ({ name: `${unique('photo').replace(/ /g, '-')}.jpg` }),
		params: (ctx) => ({ url: `https://images.example.com/${ctx.name}`, waitOptions: WAIT }),
		happened: (sb, ctx) => [...sb.state.media.values()].some((m) => m.original_name === ctx.name),
		times: (sb, ctx) => [...sb.state.media.values()].filter((m) => m.original_name === ctx.name).length,
		ok: (items) => items[0]?.media_status === 'ready' || items[0]?.status === 'ready',
	},
	{
		name: 'campaign.create',
		resource: 'campaign',
		operation: 'create',
		target: { method: 'POST', path: /^\/campaigns$/ },
		setup: async () => ({ name: unique('Campaign') }),
		params: (ctx) => ({ name: ctx.name }),
		happened: (sb, ctx) => [...sb.state.campaigns.values()].some((c) => c.name === ctx.name),
		times: (sb, ctx) => [...sb.state.campaigns.values()].filter((c) => c.name === ctx.name).length,
		ok: (items, ctx) => items[0]?.name === ctx.name,
	},
	{
		name: 'campaign.update',
		resource: 'campaign',
		operation: 'update',
		target: { method: 'PATCH', path: /^\/campaigns\/\d+$/ },
		setup: async (sb) => ({ campaign: await api(sb, 'POST', '/campaigns', { name: unique('Old') }), name: unique('New') }),
		params: (ctx) => ({ campaignId: byId(ctx.campaign.id), updateFields: { name: ctx.name } }),
		happened: (sb, ctx) => sb.state.campaigns.get(ctx.campaign.id)?.name === ctx.name,
		times: () => 1,
		ok: (items, ctx) => items[0]?.name === ctx.name,
	},
	{
		name: 'campaign.delete',
		resource: 'campaign',
		operation: 'delete',
		target: { method: 'DELETE', path: /^\/campaigns\/\d+$/ },
		setup: async (sb) => ({ campaign: await api(sb, 'POST', '/campaigns', { name: unique('Gone') }) }),
		params: (ctx) => ({ campaignId: byId(ctx.campaign.id) }),
		happened: (sb, ctx) => !sb.state.campaigns.has(ctx.campaign.id),
		times: (sb, ctx) => (sb.state.campaigns.has(ctx.campaign.id) ? 0 : 1),
		ok: (items) => items[0]?.deleted === true,
	},
	{
		name: 'webhook.create',
		resource: 'webhook',
		operation: 'create',
		target: { method: 'POST', path: /^\/webhooks$/ },
		setup: async () => ({ url: `https://hooks.example.com/${unique('pe').replace(/ /g, '-')}` }),
		params: (ctx) => ({ url: ctx.url, events: ['post.published'] }),
		happened: (sb, ctx) => [...sb.state.webhooks.values()].some((w) => w.url === ctx.url),
		times: (sb, ctx) => [...sb.state.webhooks.values()].filter((w) => w.url === ctx.url).length,
		ok: (items) => typeof items[0]?.secret === 'string',
	},
	{
		name: 'webhook.update',
		resource: 'webhook',
		operation: 'update',
		target: { method: 'PATCH', path: /^\/webhooks\/[^/]+$/ },
		setup: async (sb) => ({ hook: await api(sb, 'POST', '/webhooks', { url: 'https://hooks.example.com/upd', events: ['post.published'] }), name: unique('Hook') }),
		params: (ctx) => ({ webhookId: byId(ctx.hook.id), updateFields: { name: ctx.name } }),
		happened: (sb, ctx) => sb.state.webhooks.get(ctx.hook.id)?.name === ctx.name,
		times: () => 1,
		ok: (items, ctx) => items[0]?.name === ctx.name,
	},
	{
		name: 'webhook.delete',
		resource: 'webhook',
		operation: 'delete',
		target: { method: 'DELETE', path: /^\/webhooks\/[^/]+$/ },
		setup: async (sb) => ({ hook: await api(sb, 'POST', '/webhooks', { url: 'https://hooks.example.com/del', events: ['post.published'] }) }),
		params: (ctx) => ({ webhookId: byId(ctx.hook.id) }),
		happened: (sb, ctx) => !sb.state.webhooks.has(ctx.hook.id),
		times: (sb, ctx) => (sb.state.webhooks.has(ctx.hook.id) ? 0 : 1),
		ok: (items) => items[0]?.deleted === true,
	},
	{
		name: 'webhook.test',
		resource: 'webhook',
		operation: 'test',
		target: { method: 'POST', path: /^\/webhooks\/[^/]+\/test$/ },
		setup: async (sb) => ({ hook: await api(sb, 'POST', '/webhooks', { url: 'https://hooks.example.com/test', events: ['post.published'] }) }),
		params: (ctx) => ({ webhookId: byId(ctx.hook.id) }),
		happened: (sb, ctx) => sb.deliveries().some((d) => d.webhook_id === ctx.hook.id),
		times: (sb, ctx) => sb.deliveries().filter((d) => d.webhook_id === ctx.hook.id).length,
		ok: (items) => typeof items[0]?.ok === 'boolean',
	},
	{
		name: 'ai.generateImage',
		resource: 'ai',
		operation: 'generateImage',
		target: { method: 'POST', path: /^\/ai\/generate-image$/ },
		setup: async (sb) => ({ credits: sb.state.credits.used }),
		params: () => ({ prompt: 'A latte on a table', model: 'flux-schnell' }),
		happened: (sb, ctx) => sb.state.credits.used > ctx.credits,
		times: (sb, ctx) => sb.state.credits.used - ctx.credits,
		ok: (items) => typeof items[0]?.media_id === 'string',
	},
	{
		name: 'ai.generateCaption',
		resource: 'ai',
		operation: 'generateCaption',
		target: { method: 'POST', path: /^\/ai\/generate-caption$/ },
		setup: async (sb) => ({ credits: sb.state.credits.used }),
		params: () => ({ topic: 'Autumn sale' }),
		happened: (sb, ctx) => sb.state.credits.used > ctx.credits,
		times: (sb, ctx) => sb.state.credits.used - ctx.credits,
		ok: (items) => Array.isArray(items[0]?.captions),
	},
];

interface Fault {
	label: string;
	rules: (spec: Spec) => FaultRule[];
	/** The server acted on the request (its answer was lost). */
	acted: boolean;
}

const on = (spec: Spec, rule: Partial<FaultRule>): FaultRule => ({ method: spec.target.method, path: spec.target.path, host: spec.target.host ?? 'api', ...rule }) as FaultRule;

const FAULTS: Fault[] = [
	{ label: '502 before acting', acted: false, rules: (s) => [on(s, { kind: 'status', status: 502 })] },
	{ label: '502 after acting', acted: true, rules: (s) => [on(s, { kind: 'status', status: 502, applied: true })] },
	{ label: '504 after acting', acted: true, rules: (s) => [on(s, { kind: 'status', status: 504, applied: true })] },
	{ label: 'dropped before', acted: false, rules: (s) => [on(s, { kind: 'drop-before' })] },
	{ label: 'dropped after', acted: true, rules: (s) => [on(s, { kind: 'drop-after' })] },
	{ label: 'HTML page after acting', acted: true, rules: (s) => [on(s, { kind: 'html', applied: true })] },
	{
		label: 'dropped after, reads lag',
		acted: true,
		rules: (s) => [on(s, { kind: 'drop-after' }), ...(s.readPath ? [{ method: 'GET', path: s.readPath, kind: 'stale-read', times: 2 } as FaultRule] : [])],
	},
];

type Verdict = 'success' | 'api error' | 'outcome unknown' | 'other error' | 'unhandled';

interface Case {
	profile: string;
	op: string;
	fault: string;
	happened: boolean;
	verdict: Verdict;
	correct: boolean;
	times: number;
	detail: string;
}

const cases: Case[] = [];
const sandboxes: Sb[] = [];
const secrets = new SecretScan(() => sandboxes.flatMap((sb) => [sb.keys.full, sb.keys.noAi, sb.keys.readOnly]));

async function run(sb: Sb, spec: Spec, ctx: Ctx): Promise<RunNodeResult> {
	try {
		return await runNode({
			nodeType: 'postEverywhere',
			parameters: { resource: spec.resource, operation: spec.operation, ...spec.params(ctx, sb) },
			credentials: { postEverywhereRestApi: { apiKey: sb.keys.full, baseUrl: sb.url } },
			input: spec.input?.(ctx),
		});
	} catch (error) {
		return { status: 'error', outputs: [], error: Object.assign(new TypeError(`the execution threw: ${String(error)}`), { cause: error }), logs: [], runData: {}, nodeName: '', durationMs: 0 } as unknown as RunNodeResult;
	}
}

function verdictOf(result: RunNodeResult, spec: Spec, ctx: Ctx, sb: Sb): { verdict: Verdict; outputOk: boolean } {
	if (isUnhandled(result.error)) return { verdict: 'unhandled', outputOk: false };
	if (result.status === 'success') {
		const items = (result.outputs[0] ?? []).map((item) => item.json as Json);
		return { verdict: 'success', outputOk: spec.ok ? spec.ok(items, ctx, sb) : true };
	}
	const { message } = errorTextOf(result.error);
	if (/^Outcome unknown: /.test(message) && /Check /.test(message)) return { verdict: 'outcome unknown', outputOk: true };
	if (/^PostEverywhere: /.test(message)) return { verdict: 'api error', outputOk: true };
	return { verdict: 'other error', outputOk: true };
}

function judge(spec: Spec, fault: Fault, happened: boolean, verdict: Verdict, outputOk: boolean, errorCode: string | undefined): boolean {
	if (verdict === 'unhandled') return false;
	if (spec.alwaysSuccess) return verdict === 'success' && outputOk;
	if (spec.impossible) return !happened && verdict === 'api error' && errorCode === spec.impossible.code;
	if (verdict === 'success') return happened && outputOk;
	// An error after the request took effect: only "Outcome unknown" is honest (never a false failure).
	if (happened) return verdict === 'outcome unknown';
	// Nothing happened: an error is right; after a request that may have acted it must say what to check.
	return fault.acted || verdict === 'outcome unknown' || verdict === 'api error';
}

async function oneCase(sb: Sb, profile: string, spec: Spec, fault: Fault): Promise<void> {
	sb.reset();
	const ctx = spec.setup ? await spec.setup(sb) : {};
	const mark = sb.requests().length;
	for (const rule of fault.rules(spec)) sb.faults.add(rule);
	const result = await run(sb, spec, ctx);
	sb.faults.clear();
	secrets.check(`${profile} ${spec.name} ${fault.label}`, result);
	await sb.flushDeliveries();
	const happened = spec.happened(sb, ctx);
	const effective = sb
		.requests()
		.slice(mark)
		.filter((r) => r.method === spec.target.method && spec.target.path.test(r.path) && r.status >= 200 && r.status < 300).length;
	const times = spec.times ? spec.times(sb, ctx) : effective;
	const { verdict, outputOk } = verdictOf(result, spec, ctx, sb);
	const failure = (result.error as { context?: { failure?: { code?: string } } } | undefined)?.context?.failure;
	const correct = judge(spec, fault, happened, verdict, outputOk, failure?.code ?? undefined) && times <= 1;
	const { message } = errorTextOf(result.error);
	cases.push({ profile, op: spec.name, fault: fault.label, happened, verdict, correct, times, detail: verdict === 'success' ? (outputOk ? '' : 'wrong output') : message.slice(0, 240) });
}

afterAll(async () => {
	await Promise.all(sandboxes.map((sb) => sb.stop()));
	if (cases.length === 0) return;
	const lines = [
		'| Profile | Operation | Fault | Happened | User sees | Times | Right |',
		'|---|---|---|---|---|---|---|',
		...cases.map((c) => `| ${c.profile} | ${c.op} | ${c.fault} | ${c.happened ? 'yes' : 'no'} | ${c.verdict}${c.detail ? `: ${c.detail.replace(/\|/g, '/')}` : ''} | ${c.times} | ${c.correct ? 'yes' : 'NO'} |`),
	];
	const dir = path.join(__dirname, '..', '..', 'test-artifacts');
	mkdirSync(dir, { recursive: true });
	writeFileSync(path.join(dir, 'posteverywhere-node-faults.md'), `${lines.join('\n')}\n`);
	const wrong = cases.filter((c) => !c.correct).length;
	process.stdout.write(`\nPostEverywhere node after lost answers: ${cases.length} cases, ${cases.length - wrong} right, ${wrong} wrong (table: test-artifacts/posteverywhere-node-faults.md)\n`);
});

describe.each(['strict', 'generous'] as const)('PostEverywhere node after lost answers (%s profile)', (profile) => {
	test('every mutating request under every fault: the right outcome, nothing twice', async () => {
		// One sandbox per operation (faults match by path), operations side by side.
		await Promise.all(
			SPECS.map(async (spec) => {
				const sb = await startPostEverywhereSandbox({ port: 'auto', uploadPort: 'auto', profile, timing: FAST_TIMING, rateLimit: false, tickMs: 20 });
				sandboxes.push(sb);
				for (const fault of FAULTS) await oneCase(sb, profile, spec, fault);
			}),
		);
		const mine = cases.filter((c) => c.profile === profile);
		expect(mine).toHaveLength(SPECS.length * FAULTS.length);
		expect(mine.filter((c) => !c.correct).map((c) => `${c.op} / ${c.fault}: happened ${c.happened}, ${c.verdict}, ${c.times}× — ${c.detail}`)).toEqual([]);
		expect(secrets.leaks).toBe(0);
	});
});
