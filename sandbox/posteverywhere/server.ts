// PostEverywhere API sandbox: every endpoint of contract §3 on the provider-neutral frame
// (sandbox/core), plus a second local host for presigned uploads and signed webhook deliveries.
// Dev/test only; binds to 127.0.0.1. Assumptions where the contract is silent: ASSUMPTIONS.md.
import { randomUUID } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { createClock } from '../core/clock';
import { SandboxError } from '../core/errors';
import { isProfileName, resolveSwitches, switchesControl, type ProfileName, type Switches } from '../core/profiles';
import { startFrame, type Call, type ControlRoute, type ProviderSpec, type RequestRecord, type RouteSpec } from '../core/server';
import { startUploadHost, type UploadRecord } from '../core/uploadHost';
import type { FaultRule } from '../core/faults';
import * as accounts from './accounts';
import * as ai from './ai';
import { bulkSchedule } from './bulkSchedule';
import * as campaigns from './campaigns';
import { ACCOUNTS, DEFAULT_TIMING, KEYS, RATE_BUCKETS, SWITCHES, type Scope, type SwitchName, type Timing } from './constants';
import { Engine } from './engine';
import * as media from './media';
import * as posts from './posts';
import * as S from './schemas';
import { seedPosts } from './seed';
import { createState, type DeliveryRecord, type KeyRecord, type PeState } from './state';
import * as webhooks from './webhooks';

export { KEYS, ACCOUNTS, SWITCHES };
export type { FaultRule, RequestRecord, UploadRecord, DeliveryRecord, ProfileName, SwitchName };

export interface PostEverywhereSandboxOptions {
	/** API port; 0 or 'auto' = a free port (default) */
	port?: number | 'auto';
	/** port of the presigned-upload host (default: a free port) */
	uploadPort?: number | 'auto';
	/** 'generous' or 'strict' (every undocumented behaviour off); default: env POSTEVERYWHERE_SANDBOX_PROFILE, else generous */
	profile?: ProfileName;
	/** single switches on top of the profile */
	switches?: Partial<Record<SwitchName, boolean>>;
	/** sandbox-clock durations of the async phases */
	timing?: Partial<Timing>;
	/** false turns the §11 limits (and the X-RateLimit-* headers) off */
	rateLimit?: boolean;
	/** status for a key without the `ai` scope: 401 (scopes page, default) or 403 (Python SDK) — §15.9 */
	aiScopeStatus?: 401 | 403;
	/** monthly AI credits of the organization (default 500) */
	aiCredits?: number;
	/** real-time interval of the background ticker (default 100 ms; 0 = only on requests and clock moves) */
	tickMs?: number;
	log?: (line: string) => void;
}

export interface PostEverywhereSandbox {
	/** base URL of the API: http://127.0.0.1:<port>/api/v1 */
	url: string;
	origin: string;
	/** origin of the presigned-upload host (another port) */
	uploadOrigin: string;
	profile: ProfileName;
	switches: Switches<SwitchName>;
	timing: Timing;
	keys: { full: string; noAi: string; readOnly: string; revoked: string; custom(scopes: Scope[]): string };
	/** account ids: the first healthy one per platform, plus the broken and the warning account */
	accounts: { instagram: number; x: number; facebook: number; linkedin: number; youtube: number; tiktok: number; threads: number; pinterest: number; expired: number; expiring: number };
	state: PeState;
	/** API requests as received (method, path, query, body, status, key label; never the key) */
	requests(): RequestRecord[];
	/** requests that reached the upload host (authorization: true means one carried an Authorization header) */
	uploads(): UploadRecord[];
	/** webhook deliveries made (each with its attempts) */
	deliveries(): DeliveryRecord[];
	/** resolves when no webhook delivery is queued or in flight */
	flushDeliveries(): Promise<void>;
	now(): number;
	advanceClock(ms: number): void;
	setClock(ms: number): void;
	skewClock(ms: number): void;
	faults: { add(rule: FaultRule): void; clear(): void };
	/** run a /__sandbox control route in-process: control('POST', '/clock/advance', {ms: 1000}) */
	control(method: string, path: string, body?: Record<string, unknown>): Promise<{ status: number; body: unknown }>;
	/** process due work now */
	tick(): void;
	reset(): void;
	stop(): Promise<void>;
}

const portOf = (p: number | 'auto' | undefined) => (p === undefined || p === 'auto' ? 0 : p);
const KEY_RE = /^pe_live_[a-f0-9]{32}$/;

export async function startPostEverywhereSandbox(opts: PostEverywhereSandboxOptions = {}): Promise<PostEverywhereSandbox> {
	const envProfile = process.env.POSTEVERYWHERE_SANDBOX_PROFILE;
	const profile = opts.profile ?? (isProfileName(envProfile) ? envProfile : 'generous');
	const switches = resolveSwitches(SWITCHES, profile, opts.switches);
	const initialSwitches = { ...switches };
	const timing: Timing = { ...DEFAULT_TIMING, ...(opts.timing ?? {}) };
	const aiCredits = opts.aiCredits ?? 500;
	const clock = createClock();
	const state = createState(clock.now(), aiCredits);
	const engine = new Engine({ state, switches, timing, emit: () => undefined });
	const deliveries = new webhooks.Deliveries(engine, clock, opts.log);
	engine.emit = (event, data, at) => deliveries.emit(event, data, at);
	let customCounter = 0;

	const countPost = (c: Call<KeyRecord>, immediate: boolean): number | null => {
		if (!frame.limiter) return null;
		const v = frame.limiter.check(c.key.id, immediate ? ['posts-minute', 'posts'] : ['posts'], clock.now());
		return v.ok ? null : v.retryAfter ?? 1;
	};

	const R = (method: RouteSpec<KeyRecord>['method'], path: string, scope: Scope, handler: RouteSpec<KeyRecord>['handler'], more: Partial<RouteSpec<KeyRecord>> = {}): RouteSpec<KeyRecord> => ({
		method,
		path,
		scope,
		handler,
		...more,
	});
	const routes: RouteSpec<KeyRecord>[] = [
		// §4 posts (static paths before /posts/:post_id)
		R('POST', '/posts/bulk', 'write', posts.bulk(engine, countPost), { body: S.bulkCreate }),
		R('POST', '/posts/retry-failed', 'write', posts.retryFailed(engine), { body: S.retryFailed }),
		R('POST', '/posts/bulk-schedule', 'write', bulkSchedule(engine), { body: S.bulkSchedule }),
		R('POST', '/posts', 'write', posts.create(engine), {
			body: S.createPost,
			rate: (c) => (posts.isImmediate(c.body as S.CreatePost) ? ['posts-minute', 'posts'] : ['posts']),
		}),
		R('GET', '/posts', 'read', posts.list(engine), { query: S.listPostsQuery }),
		R('GET', '/posts/:post_id', 'read', posts.get(engine)),
		R('PATCH', '/posts/:post_id', 'write', posts.update(engine), { body: S.updatePost }),
		R('DELETE', '/posts/:post_id', 'write', posts.remove(engine), { query: S.deletePostQuery }),
		R('GET', '/posts/:post_id/results', 'read', posts.results(engine)),
		R('POST', '/posts/:post_id/retry', 'write', posts.retry(engine), { body: S.retryPost, emptyBodyIsObject: true }),
		R('POST', '/posts/:post_id/schedule', 'write', posts.schedule(engine), { body: S.scheduleDraft }),
		// §5 accounts
		R('GET', '/accounts', 'read', accounts.list(engine)),
		R('GET', '/accounts/:account_id', 'read', accounts.get(engine)),
		R('GET', '/accounts/:account_id/health', 'read', accounts.health(engine)),
		// §6 media
		R('POST', '/media/upload', 'write', media.upload(engine), { body: S.uploadMedia }),
		R('POST', '/media/upload-from-url', 'write', media.fromUrl(engine), { body: S.uploadFromUrl }),
		R('POST', '/media/:media_id/complete', 'write', media.complete(engine), { body: S.retryPost.pick({}), emptyBodyIsObject: true }),
		R('GET', '/media', 'read', media.list(engine), { query: S.listMediaQuery }),
		R('GET', '/media/:media_id', 'read', media.get(engine)),
		R('DELETE', '/media/:media_id', 'write', media.remove(engine), { query: S.deleteMediaQuery }),
		// §7 AI
		R('POST', '/ai/generate-image', 'ai', ai.generateImage(engine), { body: S.generateImage, rate: () => ['ai-image'] }),
		R('POST', '/ai/generate-caption', 'ai', ai.generateCaption(engine), { body: S.generateCaption }),
		// §8
		R('GET', '/me', 'read', accounts.me(engine)),
		R('GET', '/analytics/summary', 'read', accounts.analytics(engine), { query: S.analyticsQuery }),
		R('GET', '/platform-rules', 'read', accounts.platformRules()),
		R('GET', '/campaigns', 'read', campaigns.list(engine), { query: S.listCampaignsQuery }),
		R('POST', '/campaigns', 'write', campaigns.create(engine), { body: S.createCampaign }),
		R('GET', '/campaigns/:id', 'read', campaigns.get(engine)),
		R('PATCH', '/campaigns/:id', 'write', campaigns.update(engine), { body: S.updateCampaign }),
		R('DELETE', '/campaigns/:id', 'write', campaigns.remove(engine)),
		// §13 webhooks
		R('GET', '/webhooks', 'read', webhooks.list(engine)),
		R('POST', '/webhooks', 'write', webhooks.create(engine), { body: S.createWebhook }),
		R('GET', '/webhooks/:id', 'read', webhooks.get(engine)),
		R('PATCH', '/webhooks/:id', 'write', webhooks.update(engine), { body: S.updateWebhook }),
		R('DELETE', '/webhooks/:id', 'write', webhooks.remove(engine)),
		R('POST', '/webhooks/:id/test', 'write', webhooks.test(engine, deliveries), { body: S.retryPost.pick({}), emptyBodyIsObject: true }),
	];

	const aiStatus = opts.aiScopeStatus ?? 401;
	const meta = (ctx: { requestId: string; now: number }) =>
		switches.camelCaseMeta ? { requestId: ctx.requestId, timestamp: new Date(ctx.now).toISOString() } : { request_id: ctx.requestId, timestamp: new Date(ctx.now).toISOString() };
	const spec: ProviderSpec<KeyRecord> = {
		product: 'PostEverywhere',
		basePath: '/api/v1',
		routes,
		authenticate(headers: IncomingHttpHeaders) {
			const auth = headers.authorization;
			if (!auth) throw new SandboxError(401, 'unauthorized', 'Missing API key: send Authorization: Bearer pe_live_…');
			const m = /^Bearer\s+(\S+)\s*$/i.exec(auth);
			if (!m) throw new SandboxError(401, 'unauthorized', 'The Authorization header must be "Bearer <API key>"');
			if (!KEY_RE.test(m[1])) throw new SandboxError(401, 'unauthorized', 'Invalid API key format: keys look like pe_live_ followed by 32 hex characters');
			const k = state.keys.get(m[1]);
			if (!k) throw new SandboxError(401, 'unauthorized', 'Invalid API key');
			if (k.revoked) throw new SandboxError(401, 'unauthorized', 'This API key was revoked');
			return k;
		},
		keyId: (k) => k.id,
		keyLabel: (k) => k.label,
		requireScope(k, scope) {
			if (k.scopes.has(scope as Scope)) return;
			if (scope === 'ai')
				throw new SandboxError(aiStatus, aiStatus === 401 ? 'unauthorized' : 'forbidden', 'This API key does not have the ai scope; enable it for the key in PostEverywhere settings', {
					required_scope: 'ai',
				});
			throw new SandboxError(403, 'forbidden', `This API key does not have the ${scope} scope`, { required_scope: scope });
		},
		rate: opts.rateLimit === false ? false : { buckets: RATE_BUCKETS, general: ['all'] },
		success: (reply, ctx) => ({ data: reply.data, error: null, meta: meta(ctx) }),
		error: (e, ctx) => ({
			data: null,
			error: { code: e.code, message: e.message, ...(e.details ? { details: e.details } : {}), retryable: e.status === 429 || e.status >= 500 },
			meta: meta(ctx),
		}),
		errorFor(status, reason) {
			if (status === 400) {
				if (reason === 'json') return { code: 'bad_request', message: 'The request body is not valid JSON' };
				if (reason === 'too-large') return { code: 'bad_request', message: 'The request body is too large (1 MB at most)' };
				return { code: reason === 'validation' ? 'validation_error' : 'bad_request', message: 'Bad request' };
			}
			const table: Record<number, [string, string]> = {
				401: ['unauthorized', 'Invalid or missing API key'],
				402: ['insufficient_credits', 'Not enough AI credits'],
				403: ['forbidden', 'Forbidden'],
				404: ['not_found', 'Not found'],
				409: ['conflict', 'Conflict'],
				415: ['unsupported_media_type', 'Unsupported media type'],
				422: ['validation_error', 'Unprocessable request'],
				429: ['rate_limit_exceeded', 'Rate limit exceeded.'],
			};
			const [code, message] = table[status] ?? ['internal_error', status >= 500 ? 'Internal server error; retry with backoff' : `HTTP ${status}`];
			return { code, message: reason === 'fault' && status !== 429 ? `${message} (sandbox fault)` : message };
		},
		requestIdHeader: () => (switches.requestIdHeader ? 'X-Request-Id' : null),
		newRequestId: () => `req_${randomUUID().replace(/-/g, '').slice(0, 24)}`,
		preValidate(route, body) {
			if ((route.path === '/posts' && route.method === 'POST') || (route.path === '/posts/:post_id' && route.method === 'PATCH')) posts.checkFieldNames(body);
		},
		process(now) {
			engine.process(now);
			deliveries.process(now);
		},
		control: [],
		info: () => ({
			provider: 'posteverywhere',
			profile,
			switches,
			timing,
			keys: { full: KEYS.full, noAi: KEYS.noAi, readOnly: KEYS.readOnly, revoked: KEYS.revoked },
			accounts: sandbox.accounts,
			uploadOrigin: upload.origin,
		}),
		reset() {
			const fresh = createState(clock.now(), aiCredits);
			const custom = [...state.keys.values()].filter((k) => k.label.startsWith('custom:'));
			Object.assign(state, fresh);
			for (const k of custom) state.keys.set(k.key, k);
			Object.assign(switches, initialSwitches);
		},
	};

	const num = (v: unknown, field: string) => {
		if (typeof v !== 'number' || !Number.isFinite(v)) throw new Error(`${field} must be a number`);
		return v;
	};
	const control: ControlRoute[] = [
		{ method: 'GET', path: '/profile', handler: () => ({ profile, switches, descriptions: SWITCHES }) },
		...switchesControl(profile, switches),
		{ method: 'GET', path: '/uploads', handler: () => ({ uploads: upload.uploads }) },
		{ method: 'GET', path: '/media', handler: () => ({ media: [...state.media.values()].map((m) => ({ id: m.id, status: m.status, declared: m.file_size, stored: m.stored })) }) },
		{ method: 'GET', path: '/deliveries', handler: () => ({ deliveries: state.deliveries }) },
		{ method: 'POST', path: '/deliveries/flush', handler: async () => (await deliveries.flush(), { ok: true }) },
		{ method: 'POST', path: '/webhooks/deliver', handler: (b) => deliveries.send(b as Parameters<typeof deliveries.send>[0]) },
		{ method: 'GET', path: '/webhooks/:id/secret', handler: (_b, p) => ({ secret: state.webhooks.get(p.id)?.secret ?? null }) },
		{
			method: 'POST',
			path: '/seed-posts',
			handler: (b) => ({ ok: true, posts: seedPosts(engine, num(b.n, 'n'), clock.now(), b.status as 'published' | 'failed' | undefined).length }),
		},
		{
			method: 'POST',
			path: '/accounts/:account_id',
			handler: (b, p) => {
				const a = state.accounts.get(Number(p.account_id));
				if (!a) throw new SandboxError(404, 'not_found', 'no such account');
				const was = engine.canPost(a);
				if (typeof b.is_active === 'boolean') a.is_active = b.is_active;
				if (b.health === 'healthy' || b.health === 'warning' || b.health === 'broken') a.health = b.health;
				if (Array.isArray(b.reasons)) a.reasons = b.reasons as string[];
				const now = clock.now();
				if (was && !engine.canPost(a)) engine.emit('account.reconnect_needed', { account_id: a.account_id, platform: a.platform }, now);
				if (!was && engine.canPost(a)) engine.emit('account.connected', { account_id: a.account_id, platform: a.platform }, now);
				return accounts.accountObject(engine, a);
			},
		},
		{
			method: 'POST',
			path: '/credits',
			handler: (b) => {
				state.credits.used = Math.max(0, state.credits.limit - num(b.remaining, 'remaining'));
				return { remaining: state.credits.limit - state.credits.used };
			},
		},
	];
	spec.control = control;

	const frame = await startFrame(spec, { port: portOf(opts.port), tickMs: opts.tickMs, log: opts.log }, clock);
	const upload = await startUploadHost({
		clock,
		faults: frame.faults,
		slot: (t) => media.slotFor(engine, t),
		stored: (t, obj) => media.storeFor(engine, t, obj),
		label: (t) => media.labelFor(engine, t),
		log: opts.log,
		port: portOf(opts.uploadPort),
	});
	engine.uploadUrl = upload.urlFor;

	const first = (platform: string) => ACCOUNTS.find((a) => a.platform === platform && a.health === 'healthy')?.account_id as number;
	const sandbox: PostEverywhereSandbox = {
		url: frame.url,
		origin: frame.origin,
		uploadOrigin: upload.origin,
		profile,
		switches,
		timing,
		keys: {
			full: KEYS.full,
			noAi: KEYS.noAi,
			readOnly: KEYS.readOnly,
			revoked: KEYS.revoked,
			custom(scopes) {
				customCounter++;
				const key = `pe_live_${randomUUID().replace(/-/g, '')}`;
				state.keys.set(key, { key, label: `custom:${customCounter}`, scopes: new Set(scopes), revoked: false, id: `key_custom_${customCounter}`, created_at: clock.now() });
				return key;
			},
		},
		accounts: {
			instagram: first('instagram'),
			x: first('x'),
			facebook: first('facebook'),
			linkedin: first('linkedin'),
			youtube: first('youtube'),
			tiktok: first('tiktok'),
			threads: first('threads'),
			pinterest: first('pinterest'),
			expired: 2290,
			expiring: 2291,
		},
		state,
		requests: () => frame.requests,
		uploads: () => upload.uploads,
		deliveries: () => state.deliveries,
		flushDeliveries: () => deliveries.flush(),
		now: () => clock.now(),
		advanceClock: (ms) => clock.advance(ms),
		setClock: (ms) => clock.set(ms),
		skewClock: (ms) => clock.skew(ms),
		faults: { add: (r) => frame.faults.add(r), clear: () => frame.faults.clear() },
		control: (method, path, body) => frame.control(method, path, body),
		tick: () => frame.tick(),
		reset() {
			void frame.control('POST', '/reset');
			upload.uploads.length = 0;
		},
		async stop() {
			await Promise.all([frame.close(), upload.close()]);
		},
	};
	return sandbox;
}
