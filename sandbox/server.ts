// PowerPost API sandbox: a faithful local server for the contract in docs/api/powerpost.md.
// Dev/test only. Binds to 127.0.0.1.
import { randomUUID } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { createClock } from './core/clock';
import { type FaultRule as CoreFaultRule } from './core/faults';
import { switchesControl } from './core/profiles';
import { sendJson } from './core/http';
import { startFrame, type Call as FrameCall, type RequestRecord as FrameRecord, type RouteSpec } from './core/server';
import { ACCOUNTS, GB, KEYS, PLATFORMS, POST_TYPES, WORKSPACES, type Platform } from './constants';
import { DEFAULT_TIMING, Engine, type Call, type Result, type Timing } from './engine';
import { ApiError, codeForStatus, validation } from './errors';
import { createState, resetStateInPlace, type ApiKeyRecord, type SandboxState } from './state';
import { resolveProfile, type ProfileName, type Switches } from './profiles';
import { handleUpload } from './upload';

export type { Timing } from './engine';
export type { SandboxState } from './state';
export type { ProfileName, Switches } from './profiles';
export { PROFILES, PROFILE_NAMES } from './profiles';
export { KEYS, WORKSPACES, ACCOUNTS, PLATFORMS, POST_TYPES };

export interface SandboxOptions {
	/** 0 = random (default 0) */
	port?: number;
	/** ms of SANDBOX CLOCK time each async phase takes */
	timing?: Partial<Timing>;
	/** default {limit: 600, windowMs: 60000}; per API key; false disables limiting (and the X-RateLimit-* headers) */
	rateLimit?: { limit: number; windowMs: number } | false;
	/** credits of the main account (default 1000); the noCredits account always starts at 0 */
	initialCredits?: number;
	/** storage quota per account in bytes (default 10 GiB) */
	storageQuotaBytes?: number;
	/** request log sink: "METHOD /path STATUS" (the API key is never logged) */
	log?: (line: string) => void;
	/** real-time interval of the background ticker that fires scheduled posts (default 250 ms; 0 disables) */
	tickMs?: number;
	/**
	 * 'strict' answers only what the contract documents; 'generous' (default) adds the behaviours
	 * listed in ASSUMPTIONS.md under "Switches". Default: env POWERPOST_SANDBOX_PROFILE, else generous.
	 */
	profile?: ProfileName;
	/** Single switches on top of the profile. */
	switches?: Partial<Switches>;
}

/** A fault (see sandbox/core/faults.ts for every kind; `applied` on status, html and malformed-json). */
export type FaultRule = CoreFaultRule;

/** One API request as the sandbox saw it (the key's label, never the secret; the workspace when one was checked). */
export type RequestRecord = FrameRecord & { workspace?: string };

export interface Sandbox {
	url: string;
	origin: string;
	keys: { full: string; draftOnly: string; readOnly: string; noCredits: string; custom(scopes: string[]): string };
	workspaces: { primary: string; secondary: string; foreign: string };
	clock: { now(): number; advance(ms: number): void; set(ms: number): void };
	faults: { add(rule: FaultRule): void; clear(): void };
	requests: RequestRecord[];
	state: SandboxState;
	engine: Engine;
	timing: Timing;
	/** The profile and the switches in force (switches can be changed at run time). */
	profile: ProfileName;
	switches: Switches;
	seedPosts(n: number, opts?: { workspace?: string; status?: 'published' | 'failed' | 'draft' }): void;
	setConnected(workspace: string, platforms: string[]): void;
	/** set the credit balance of the account behind a key (label or secret; default 'full') */
	setCredits(balance: number, key?: string): void;
	getCredits(key?: string): number;
	/** process due scheduled posts / jobs now */
	tick(): void;
	reset(): void;
	close(): Promise<void>;
}

interface Route {
	method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
	path: string;
	scope: string;
	workspace: boolean;
	upload?: boolean;
	handler: (e: Engine, c: Call) => Result;
}

const ROUTES: Route[] = [
	{ method: 'GET', path: '/account/credits', scope: 'account:read', workspace: false, handler: (e, c) => e.getCredits(c) },
	{ method: 'POST', path: '/media/upload', scope: 'media:write', workspace: true, upload: true, handler: () => ({ status: 500, body: null }) },
	{ method: 'POST', path: '/content/generate', scope: 'content:generate', workspace: true, handler: (e, c) => e.generateContent(c) },
	{ method: 'GET', path: '/content/generations', scope: 'content:read', workspace: true, handler: (e, c) => e.listGenerations(c) },
	{ method: 'GET', path: '/content/generations/:id', scope: 'content:read', workspace: true, handler: (e, c) => e.getGeneration(c) },
	{ method: 'POST', path: '/images/generate', scope: 'images:generate', workspace: true, handler: (e, c) => e.generateImages(c) },
	{ method: 'GET', path: '/images/generations/:id', scope: 'images:read', workspace: true, handler: (e, c) => e.getImageGeneration(c) },
	{ method: 'POST', path: '/videos/generate', scope: 'videos:generate', workspace: true, handler: (e, c) => e.generateVideo(c) },
	{ method: 'GET', path: '/videos/generations/:id', scope: 'videos:read', workspace: true, handler: (e, c) => e.getVideoGeneration(c) },
	{ method: 'POST', path: '/posts', scope: 'posts:write', workspace: true, handler: (e, c) => e.createPost(c) },
	{ method: 'GET', path: '/posts', scope: 'posts:read', workspace: true, handler: (e, c) => e.listPosts(c) },
	{ method: 'GET', path: '/posts/:id', scope: 'posts:read', workspace: true, handler: (e, c) => e.getPost(c) },
	{ method: 'POST', path: '/posts/:id/publish', scope: 'posts:publish', workspace: true, handler: (e, c) => e.publishPost(c) },
	{ method: 'POST', path: '/posts/:id/schedule', scope: 'posts:publish', workspace: true, handler: (e, c) => e.schedulePost(c) },
	{ method: 'POST', path: '/posts/:id/cancel-publish', scope: 'posts:publish', workspace: true, handler: (e, c) => e.cancelPublish(c) },
	{ method: 'GET', path: '/post-items/:id/analytics', scope: 'analytics:read', workspace: true, handler: (e, c) => e.getAnalytics(c) },
	{ method: 'GET', path: '/calendar/entries', scope: 'calendar:read', workspace: true, handler: (e, c) => e.listCalendar(c) },
	{ method: 'POST', path: '/calendar/entries', scope: 'calendar:write', workspace: true, handler: (e, c) => e.createCalendarEntry(c) },
	{ method: 'GET', path: '/calendar/entries/:id', scope: 'calendar:read', workspace: true, handler: (e, c) => e.getCalendarEntry(c) },
	{ method: 'PATCH', path: '/calendar/entries/:id', scope: 'calendar:write', workspace: true, handler: (e, c) => e.updateCalendarEntry(c) },
	{ method: 'DELETE', path: '/calendar/entries/:id', scope: 'calendar:write', workspace: true, handler: (e, c) => e.deleteCalendarEntry(c) },
];

// 1x1 transparent PNG served for generated media urls
const PNG_1PX = Buffer.from(
	'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==',
	'base64',
);

export async function startSandbox(opts: SandboxOptions = {}): Promise<Sandbox> {
	const timing: Timing = { ...DEFAULT_TIMING, ...(opts.timing ?? {}) };
	const rateLimit = opts.rateLimit === undefined ? { limit: 600, windowMs: 60_000 } : opts.rateLimit;
	const initialCredits = opts.initialCredits ?? 1000;
	const quota = opts.storageQuotaBytes ?? 10 * GB;
	const { name: profile, switches } = resolveProfile(opts.profile, opts.switches);

	const clock = createClock();
	const now = clock.now;
	const state = createState(initialCredits);
	let origin = '';
	const engine = new Engine(state, timing, () => origin, quota, switches);
	let customCounter = 0;

	const keyRecord = (key?: string): ApiKeyRecord | undefined => {
		if (!key) return state.keys.get(KEYS.full);
		const byKey = state.keys.get(key);
		if (byKey) return byKey;
		for (const k of state.keys.values()) if (k.label === key) return k;
		return undefined;
	};

	/** PowerPost's handler call from the frame's call */
	const callOf = (c: FrameCall<ApiKeyRecord>): Call => ({
		key: c.key,
		account: c.key.account,
		workspace: c.context.workspace ?? '',
		params: Object.values(c.params),
		query: c.rawQuery,
		body: c.body,
		now: c.now,
	});
	const reply = (r: Result) => ({ status: r.status, data: r.body });

	const routes: RouteSpec<ApiKeyRecord>[] = ROUTES.map((r) => ({
		method: r.method,
		path: r.path,
		scope: r.scope,
		query: 'any',
		tags: r.workspace ? ['workspace'] : [],
		handler: (c) => reply(r.handler(engine, callOf(c))),
		raw: r.upload ? async (c, req) => reply(await handleUpload(engine, callOf(c), req)) : undefined,
	}));

	const num = (v: unknown, field: string) => {
		if (typeof v !== 'number' || !Number.isFinite(v)) throw validation(`${field} must be a number`);
		return v;
	};

	const frame = await startFrame<ApiKeyRecord>(
		{
			product: 'PowerPost',
			basePath: '/api/v1',
			routes,
			authenticate(headers: IncomingHttpHeaders) {
				const auth = headers.authorization;
				const presented =
					(typeof headers['x-api-key'] === 'string' && headers['x-api-key'].trim()) ||
					(auth && /^Bearer\s+/i.test(auth) ? auth.replace(/^Bearer\s+/i, '').trim() : '');
				const key = presented ? state.keys.get(presented) : undefined;
				if (!key) throw new ApiError(401, 'INVALID_API_KEY', presented ? 'Invalid API key' : 'Missing API key (send x-api-key or Authorization: Bearer)');
				return key;
			},
			keyId: (k) => k.key,
			keyLabel: (k) => k.label,
			requireScope(key, scope) {
				if (!key.scopes.has(scope))
					throw new ApiError(403, 'INSUFFICIENT_SCOPE', `This API key lacks the required scope: ${scope}`, switches.errorScope ? { scope } : {});
			},
			authorize(route, key, headers): Record<string, string> {
				if (!route.tags?.includes('workspace')) return {};
				const ws = headers['x-workspace-id'];
				const workspace = typeof ws === 'string' ? ws.trim() : '';
				if (!workspace) throw validation('X-Workspace-Id header is required');
				const w = state.workspaces.get(workspace);
				if (!w || !w.accounts.has(key.account)) throw new ApiError(403, 'FORBIDDEN', 'You do not have access to this workspace');
				return { workspace };
			},
			rate: rateLimit ? { buckets: { all: [{ ...rateLimit, fixed: true }] }, general: ['all'] } : false,
			rateLimited: (retryAfter) => new ApiError(429, 'RATE_LIMIT_EXCEEDED', `Rate limit exceeded. Retry after ${retryAfter} s`, { retryAfter }),
			success: (r) => r.data,
			error: (e) => ({ error: { code: e.code, message: e.message, ...(e.details ?? {}) } }),
			errorFor(status, reason) {
				if (reason === 'json') return { code: 'VALIDATION_ERROR', message: 'Request body is not valid JSON' };
				if (reason === 'too-large') return { code: 'VALIDATION_ERROR', message: 'Request body is too large' };
				if (reason === 'internal') return { code: 'INTERNAL_ERROR', message: 'Internal sandbox error' };
				return { code: codeForStatus(status), message: reason === 'fault' ? `Sandbox fault: HTTP ${status}` : 'Not found' };
			},
			controlError: (status, message) => ({ error: { code: status === 404 ? 'NOT_FOUND' : 'VALIDATION_ERROR', message } }),
			malformedBody: '{"post_id":"00000000-0000-0000-0000-000000000000","status":"publ',
			requestIdHeader: () => 'X-Request-Id',
			newRequestId: () => `req_${randomUUID()}`,
			process: (t) => engine.process(t),
			otherPaths(url, _req, res) {
				if (!url.pathname.startsWith('/files/')) return false;
				const m = /^\/files\/([^/.]+)(\.thumb)?\.(png|mp4)$/.exec(url.pathname);
				const media = m ? state.media.get(m[1]) : undefined;
				if (!m || !media || media.source === 'upload') sendJson(res, 404, { error: { code: 'NOT_FOUND', message: 'File not found' } });
				else {
					const isVideo = m[3] === 'mp4';
					const data = isVideo ? Buffer.from('sandbox-video-placeholder') : PNG_1PX;
					res.writeHead(200, { 'Content-Type': isVideo ? 'video/mp4' : 'image/png', 'Content-Length': String(data.length) });
					res.end(data);
				}
				return true;
			},
			control: [
				...switchesControl(profile, switches as unknown as Record<string, boolean>),
				{
					method: 'POST',
					path: '/seed-posts',
					handler: (body) => {
						sandbox.seedPosts(num(body.n, 'n'), {
							workspace: body.workspace as string | undefined,
							status: body.status as 'published' | 'failed' | 'draft' | undefined,
						});
						return { ok: true, posts: state.posts.size };
					},
				},
				{
					method: 'POST',
					path: '/connections',
					handler: (body) => {
						if (typeof body.workspace !== 'string' || !Array.isArray(body.platforms)) throw validation('workspace and platforms are required');
						sandbox.setConnected(body.workspace, body.platforms as string[]);
						return { ok: true };
					},
				},
				{
					method: 'POST',
					path: '/credits',
					handler: (body) => {
						sandbox.setCredits(num(body.balance, 'balance'), body.key as string | undefined);
						return { balance: sandbox.getCredits(body.key as string | undefined) };
					},
				},
				{ method: 'GET', path: '/media', handler: () => ({ media: [...state.media.values()] }) },
			],
			info: () => ({
				keys: { full: KEYS.full, draftOnly: KEYS.draftOnly, readOnly: KEYS.readOnly, noCredits: KEYS.noCredits },
				workspaces: { ...WORKSPACES },
				timing,
				profile,
				switches,
			}),
			reset: () => resetStateInPlace(state, createState(initialCredits)),
		},
		{ port: opts.port ?? 0, tickMs: opts.tickMs ?? 250, log: opts.log },
		clock,
	);
	origin = frame.origin;

	const sandbox: Sandbox = {
		url: frame.url,
		origin,
		keys: {
			full: KEYS.full,
			draftOnly: KEYS.draftOnly,
			readOnly: KEYS.readOnly,
			noCredits: KEYS.noCredits,
			custom(scopes: string[]) {
				customCounter++;
				const key = `pp_live_sk_sandbox_custom_${customCounter}_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
				state.keys.set(key, { key, label: `custom:${customCounter}`, account: ACCOUNTS.main, scopes: new Set(scopes) });
				return key;
			},
		},
		workspaces: { ...WORKSPACES },
		clock,
		faults: frame.faults,
		requests: frame.requests as RequestRecord[],
		state,
		engine,
		timing,
		profile,
		switches,
		seedPosts(n, o) {
			engine.seedPosts(n, now(), o);
		},
		setConnected(workspace, platforms) {
			for (const p of platforms)
				if (!(PLATFORMS as readonly string[]).includes(p)) throw new Error(`unknown platform ${p}`);
			state.connections.set(workspace, new Set(platforms as Platform[]));
		},
		setCredits(balance, key) {
			const k = keyRecord(key);
			if (!k) throw new Error(`unknown key ${key}`);
			state.credits.set(k.account, balance);
		},
		getCredits(key) {
			const k = keyRecord(key);
			if (!k) throw new Error(`unknown key ${key}`);
			return state.credits.get(k.account) ?? 0;
		},
		tick: frame.tick,
		reset() {
			void frame.control('POST', '/reset');
		},
		close: () => frame.close(),
	};
	return sandbox;
}
