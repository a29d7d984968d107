// PowerPost API sandbox: a faithful local server for the contract in docs/api/powerpost.md.
// Dev/test only. Binds to 127.0.0.1.
import { randomUUID } from 'node:crypto';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
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

export interface FaultRule {
	method?: string;
	/** matched against the path after /api/v1 (without query string) */
	path: string | RegExp;
	kind: 'status' | 'rate-limit' | 'drop-before' | 'drop-after' | 'delay' | 'html' | 'malformed-json' | 'empty-body' | 'stale-read';
	/**
	 * `status`: the status answered instead. `empty-body`: the 2xx status answered with no body
	 * (default 204; the request is carried out, an error answer is sent as usual).
	 */
	status?: number;
	/** `status` only: carry the request out first, then answer the fault status (the answer is lost on the way back). */
	applied?: boolean;
	retryAfter?: number;
	delayMs?: number;
	times?: number;
}

export interface RequestRecord {
	method: string;
	path: string;
	query: Record<string, string>;
	/** HTTP status sent; for drop-after the status the request would have had; 0 for drop-before */
	status: number;
	/** sandbox clock ms at arrival */
	at: number;
	/** label of the key used ('full', 'draftOnly', 'readOnly', 'noCredits', 'custom:N'), never the secret */
	key?: string;
	workspace?: string;
	requestId: string;
	faulted?: string;
	/** For a `status` fault with `applied`: the status the request really had before its answer was replaced. */
	appliedStatus?: number;
}

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
	method: string;
	re: RegExp;
	scope: string;
	workspace: boolean;
	upload?: boolean;
	handler: (e: Engine, c: Call) => Result;
}

const ID = '([^/]+)';
const ROUTES: Route[] = [
	{ method: 'GET', re: /^\/account\/credits$/, scope: 'account:read', workspace: false, handler: (e, c) => e.getCredits(c) },
	{ method: 'POST', re: /^\/media\/upload$/, scope: 'media:write', workspace: true, upload: true, handler: () => ({ status: 500, body: null }) },
	{ method: 'POST', re: /^\/content\/generate$/, scope: 'content:generate', workspace: true, handler: (e, c) => e.generateContent(c) },
	{ method: 'GET', re: /^\/content\/generations$/, scope: 'content:read', workspace: true, handler: (e, c) => e.listGenerations(c) },
	{ method: 'GET', re: new RegExp(`^/content/generations/${ID}$`), scope: 'content:read', workspace: true, handler: (e, c) => e.getGeneration(c) },
	{ method: 'POST', re: /^\/images\/generate$/, scope: 'images:generate', workspace: true, handler: (e, c) => e.generateImages(c) },
	{ method: 'GET', re: new RegExp(`^/images/generations/${ID}$`), scope: 'images:read', workspace: true, handler: (e, c) => e.getImageGeneration(c) },
	{ method: 'POST', re: /^\/videos\/generate$/, scope: 'videos:generate', workspace: true, handler: (e, c) => e.generateVideo(c) },
	{ method: 'GET', re: new RegExp(`^/videos/generations/${ID}$`), scope: 'videos:read', workspace: true, handler: (e, c) => e.getVideoGeneration(c) },
	{ method: 'POST', re: /^\/posts$/, scope: 'posts:write', workspace: true, handler: (e, c) => e.createPost(c) },
	{ method: 'GET', re: /^\/posts$/, scope: 'posts:read', workspace: true, handler: (e, c) => e.listPosts(c) },
	{ method: 'GET', re: new RegExp(`^/posts/${ID}$`), scope: 'posts:read', workspace: true, handler: (e, c) => e.getPost(c) },
	{ method: 'POST', re: new RegExp(`^/posts/${ID}/publish$`), scope: 'posts:publish', workspace: true, handler: (e, c) => e.publishPost(c) },
	{ method: 'POST', re: new RegExp(`^/posts/${ID}/schedule$`), scope: 'posts:publish', workspace: true, handler: (e, c) => e.schedulePost(c) },
	{ method: 'POST', re: new RegExp(`^/posts/${ID}/cancel-publish$`), scope: 'posts:publish', workspace: true, handler: (e, c) => e.cancelPublish(c) },
	{ method: 'GET', re: new RegExp(`^/post-items/${ID}/analytics$`), scope: 'analytics:read', workspace: true, handler: (e, c) => e.getAnalytics(c) },
	{ method: 'GET', re: /^\/calendar\/entries$/, scope: 'calendar:read', workspace: true, handler: (e, c) => e.listCalendar(c) },
	{ method: 'POST', re: /^\/calendar\/entries$/, scope: 'calendar:write', workspace: true, handler: (e, c) => e.createCalendarEntry(c) },
	{ method: 'GET', re: new RegExp(`^/calendar/entries/${ID}$`), scope: 'calendar:read', workspace: true, handler: (e, c) => e.getCalendarEntry(c) },
	{ method: 'PATCH', re: new RegExp(`^/calendar/entries/${ID}$`), scope: 'calendar:write', workspace: true, handler: (e, c) => e.updateCalendarEntry(c) },
	{ method: 'DELETE', re: new RegExp(`^/calendar/entries/${ID}$`), scope: 'calendar:write', workspace: true, handler: (e, c) => e.deleteCalendarEntry(c) },
];

const MAX_JSON_BYTES = 1024 * 1024;

function readBody(req: IncomingMessage, max = MAX_JSON_BYTES): Promise<string> {
	return new Promise((resolve, reject) => {
		const chunks: Buffer[] = [];
		let size = 0;
		req.on('data', (c: Buffer) => {
			size += c.length;
			if (size > max) {
				reject(validation('Request body is too large'));
				req.resume();
				return;
			}
			chunks.push(c);
		});
		req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
		req.on('error', reject);
	});
}

async function readJson(req: IncomingMessage): Promise<unknown> {
	const text = await readBody(req);
	if (text.trim() === '') return undefined;
	try {
		return JSON.parse(text) as unknown;
	} catch {
		throw validation('Request body is not valid JSON');
	}
}

const HTML_LOGIN_PAGE =
	'<!DOCTYPE html><html><head><title>Sign in - PowerPost</title></head><body><form action="/login" method="post">' +
	'<h1>Sign in to PowerPost</h1><input name="email" type="email"><input name="password" type="password"><button>Sign in</button>' +
	'</form></body></html>';

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
	const log = opts.log;
	const { name: profile, switches } = resolveProfile(opts.profile, opts.switches);

	let offset = 0;
	const now = () => Date.now() + offset;

	const state = createState(initialCredits);
	let origin = '';
	const engine = new Engine(state, timing, () => origin, quota, switches);
	const requests: RequestRecord[] = [];
	let faults: (FaultRule & { remaining: number })[] = [];
	const buckets = new Map<string, { windowStart: number; count: number }>();
	let customCounter = 0;

	const tick = () => engine.process(now());

	const clock = {
		now,
		advance(ms: number) {
			offset += ms;
			tick();
		},
		set(ms: number) {
			offset = ms - Date.now();
			tick();
		},
	};

	const keyRecord = (key?: string): ApiKeyRecord | undefined => {
		if (!key) return state.keys.get(KEYS.full);
		const byKey = state.keys.get(key);
		if (byKey) return byKey;
		for (const k of state.keys.values()) if (k.label === key) return k;
		return undefined;
	};

	const rateHeaders = (keyId: string | null, count: boolean): { headers: Record<string, string>; exceeded: number | null } => {
		if (!rateLimit) return { headers: {}, exceeded: null };
		const t = now();
		const windowStart = Math.floor(t / rateLimit.windowMs) * rateLimit.windowMs;
		const reset = Math.ceil((windowStart + rateLimit.windowMs) / 1000);
		let used = 0;
		let exceeded: number | null = null;
		if (keyId) {
			let b = buckets.get(keyId);
			if (!b || b.windowStart !== windowStart) {
				b = { windowStart, count: 0 };
				buckets.set(keyId, b);
			}
			if (count) {
				if (b.count >= rateLimit.limit) exceeded = Math.max(1, Math.ceil((windowStart + rateLimit.windowMs - t) / 1000));
				else b.count++;
			}
			used = b.count;
		}
		return {
			headers: {
				'X-RateLimit-Limit': String(rateLimit.limit),
				'X-RateLimit-Remaining': String(Math.max(0, rateLimit.limit - used)),
				'X-RateLimit-Reset': String(reset),
			},
			exceeded,
		};
	};

	/** The last 200 answer of every GET (path and query), replayed by `stale-read` faults. */
	const lastReads = new Map<string, { status: number; body: string }>();

	const rememberRead = (key: string, status: number, body: unknown) => {
		// Only while a stale-read fault waits: no cost otherwise.
		if (!faults.some((f) => f.kind === 'stale-read' && f.remaining > 0)) return;
		lastReads.delete(key);
		lastReads.set(key, { status, body: JSON.stringify(body) });
		if (lastReads.size > 500) lastReads.delete(lastReads.keys().next().value as string);
	};

	const matchFault = (method: string, path: string, readKey?: string) => {
		for (const f of faults) {
			if (f.remaining <= 0) continue;
			// A stale read needs an earlier answer to replay; until there is one it waits.
			if (f.kind === 'stale-read' && (method !== 'GET' || readKey === undefined || !lastReads.has(readKey))) continue;
			if (f.method && f.method.toUpperCase() !== method) continue;
			const hit = typeof f.path === 'string' ? f.path === path : f.path.test(path);
			if (!hit) continue;
			f.remaining--;
			faults = faults.filter((x) => x.remaining > 0);
			return f;
		}
		return undefined;
	};

	const writeJson = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string>) => {
		if (res.destroyed || res.headersSent) return;
		const text = JSON.stringify(body);
		res.writeHead(status, {
			'Content-Type': 'application/json; charset=utf-8',
			'Content-Length': String(Buffer.byteLength(text)),
			...headers,
		});
		res.end(text);
	};

	async function handleApi(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
		const method = (req.method ?? 'GET').toUpperCase();
		let path = url.pathname.slice('/api/v1'.length) || '/';
		if (path.length > 1 && path.endsWith('/')) path = path.slice(0, -1);
		tick();
		const requestId = `req_${randomUUID()}`;
		const rec: RequestRecord = { method, path, query: Object.fromEntries(url.searchParams), status: 0, at: now(), requestId };
		requests.push(rec);
		const baseHeaders: Record<string, string> = { 'X-Request-Id': requestId };
		const done = (status: number) => {
			rec.status = status;
			log?.(`${method} ${path} ${status}${rec.faulted ? ` [fault:${rec.faulted}]` : ''}`);
		};

		const readKey = url.pathname + url.search;
		const fault = matchFault(method, path, readKey);
		let dropAfter = false;
		let emptyBody = false;
		let lostAnswer: number | undefined;
		if (fault) {
			rec.faulted = fault.kind;
			switch (fault.kind) {
				case 'drop-before':
					done(0);
					req.socket.destroy();
					return;
				case 'status': {
					if (fault.applied) {
						lostAnswer = fault.status ?? 500;
						break;
					}
					const status = fault.status ?? 500;
					const code = codeForStatus(status);
					writeJson(res, status, { error: { code, message: `Sandbox fault: HTTP ${status}` } }, baseHeaders);
					return done(status);
				}
				case 'rate-limit': {
					const retryAfter = fault.retryAfter ?? 1;
					const reset = Math.ceil(now() / 1000) + retryAfter;
					writeJson(
						res,
						429,
						{ error: { code: 'RATE_LIMIT_EXCEEDED', message: `Rate limit exceeded. Retry after ${retryAfter} s`, retryAfter } },
						{
							...baseHeaders,
							'X-RateLimit-Limit': String(rateLimit ? rateLimit.limit : 600),
							'X-RateLimit-Remaining': '0',
							'X-RateLimit-Reset': String(reset),
						},
					);
					return done(429);
				}
				case 'html': {
					const body = HTML_LOGIN_PAGE;
					res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Content-Length': String(Buffer.byteLength(body)), ...baseHeaders });
					res.end(body);
					return done(200);
				}
				case 'malformed-json': {
					const body = '{"post_id":"00000000-0000-0000-0000-000000000000","status":"publ';
					res.writeHead(200, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': String(Buffer.byteLength(body)), ...baseHeaders });
					res.end(body);
					return done(200);
				}
				case 'delay':
					await new Promise((r) => setTimeout(r, fault.delayMs ?? 1000));
					break;
				case 'drop-after':
					dropAfter = true;
					break;
				case 'empty-body':
					emptyBody = true;
					break;
				case 'stale-read': {
					// A lagging replica: the answer this path got last time, if it was read before.
					const previous = lastReads.get(readKey)!;
					writeJson(res, previous.status, JSON.parse(previous.body), baseHeaders);
					return done(previous.status);
				}
			}
		}

		let headers = { ...baseHeaders };
		let status = 500;
		let body: unknown;
		try {
			// 1. authentication
			const auth = req.headers.authorization;
			const presented =
				(typeof req.headers['x-api-key'] === 'string' && req.headers['x-api-key'].trim()) ||
				(auth && /^Bearer\s+/i.test(auth) ? auth.replace(/^Bearer\s+/i, '').trim() : '');
			const key = presented ? state.keys.get(presented) : undefined;
			if (!key) {
				headers = { ...headers, ...rateHeaders(null, false).headers };
				throw new ApiError(401, 'INVALID_API_KEY', presented ? 'Invalid API key' : 'Missing API key (send x-api-key or Authorization: Bearer)');
			}
			rec.key = key.label;
			// 2. rate limit (per key, sandbox clock)
			const rl = rateHeaders(key.key, true);
			headers = { ...headers, ...rl.headers };
			if (rl.exceeded !== null)
				throw new ApiError(429, 'RATE_LIMIT_EXCEEDED', `Rate limit exceeded. Retry after ${rl.exceeded} s`, { retryAfter: rl.exceeded });
			// 3. route
			let route: Route | undefined;
			let params: string[] = [];
			for (const r of ROUTES) {
				const m = r.re.exec(path);
				if (m && r.method === method) {
					route = r;
					params = m.slice(1).map((p) => decodeURIComponent(p));
					break;
				}
			}
			if (!route) throw new ApiError(404, 'NOT_FOUND', `No route for ${method} /api/v1${path}`);
			// 4. scope
			if (!key.scopes.has(route.scope))
				throw new ApiError(403, 'INSUFFICIENT_SCOPE', `This API key lacks the required scope: ${route.scope}`, switches.errorScope ? { scope: route.scope } : {});
			// 5. workspace
			let workspace = '';
			if (route.workspace) {
				const ws = req.headers['x-workspace-id'];
				workspace = typeof ws === 'string' ? ws.trim() : '';
				if (!workspace) throw validation('X-Workspace-Id header is required');
				const w = state.workspaces.get(workspace);
				if (!w || !w.accounts.has(key.account)) throw new ApiError(403, 'FORBIDDEN', 'You do not have access to this workspace');
				rec.workspace = workspace;
			}
			// 6. handler
			const call: Call = { key, account: key.account, workspace, params, query: url.searchParams, body: undefined, now: now() };
			let result: Result;
			if (route.upload) result = await handleUpload(engine, call, req);
			else {
				if (method !== 'GET' && method !== 'DELETE') call.body = await readJson(req);
				call.now = now();
				tick();
				result = route.handler(engine, call);
			}
			status = result.status;
			body = result.body;
		} catch (err) {
			if (err instanceof ApiError) {
				status = err.status;
				body = err.body();
			} else {
				status = 500;
				body = { error: { code: 'INTERNAL_ERROR', message: 'Internal sandbox error' } };
				log?.(`sandbox internal error: ${err instanceof Error ? err.stack ?? err.message : String(err)}`);
			}
		}
		if (dropAfter) {
			done(status);
			req.socket.destroy();
			return;
		}
		if (lostAnswer !== undefined) {
			rec.appliedStatus = status;
			writeJson(res, lostAnswer, { error: { code: codeForStatus(lostAnswer), message: `Sandbox fault: HTTP ${lostAnswer}` } }, baseHeaders);
			return done(lostAnswer);
		}
		if (emptyBody && status >= 200 && status < 300) {
			const empty = fault?.status ?? 204;
			res.writeHead(empty, { ...headers, 'Content-Length': '0' });
			res.end();
			return done(empty);
		}
		if (method === 'GET' && status === 200) rememberRead(readKey, status, body);
		if (status >= 400 && !req.complete) headers.Connection = 'close';
		writeJson(res, status, body, headers);
		done(status);
	}

	// ------------------------------------------------------------ control API (/__sandbox)
	const info = () => ({
		url: sandbox.url,
		origin,
		keys: { full: KEYS.full, draftOnly: KEYS.draftOnly, readOnly: KEYS.readOnly, noCredits: KEYS.noCredits },
		workspaces: { ...WORKSPACES },
		clock: { now: now(), iso: new Date(now()).toISOString(), offsetMs: offset },
		timing,
		profile,
		switches,
	});

	async function handleControl(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
		const method = (req.method ?? 'GET').toUpperCase();
		const p = url.pathname.replace(/^\/__sandbox/, '').replace(/\/$/, '') || '/';
		const send = (status: number, body: unknown) => writeJson(res, status, body, {});
		try {
			const body = method === 'POST' || method === 'PUT' ? ((await readJson(req)) as Record<string, unknown> | undefined) ?? {} : {};
			const num = (v: unknown, field: string) => {
				if (typeof v !== 'number' || !Number.isFinite(v)) throw validation(`${field} must be a number`);
				return v;
			};
			if (method === 'GET' && p === '/info') return send(200, info());
			if (method === 'POST' && p === '/clock/advance') {
				clock.advance(num(body.ms, 'ms'));
				return send(200, info().clock);
			}
			if (method === 'POST' && p === '/clock/set') {
				clock.set(num(body.ms, 'ms'));
				return send(200, info().clock);
			}
			if (method === 'POST' && p === '/faults') {
				const raw = (body.rule ?? body) as Record<string, unknown>;
				const path = raw.path as unknown;
				let rulePath: string | RegExp;
				if (typeof path === 'string') rulePath = path;
				else if (path && typeof path === 'object' && typeof (path as { regex?: unknown }).regex === 'string')
					rulePath = new RegExp((path as { regex: string }).regex);
				else throw validation('path must be a string or {regex}');
				sandbox.faults.add({ ...(raw as unknown as FaultRule), path: rulePath });
				return send(200, { ok: true, faults: faults.length });
			}
			if (method === 'DELETE' && p === '/faults') {
				sandbox.faults.clear();
				return send(200, { ok: true });
			}
			if (method === 'POST' && p === '/switches') {
				for (const [name, value] of Object.entries(body)) {
					if (!(name in switches) || typeof value !== 'boolean') throw validation(`unknown switch or non-boolean value: ${name}`);
					(switches as unknown as Record<string, boolean>)[name] = value;
				}
				return send(200, { profile, switches });
			}
			if (method === 'GET' && p === '/requests') return send(200, { requests });
			if (method === 'DELETE' && p === '/requests') {
				requests.length = 0;
				return send(200, { ok: true });
			}
			if (method === 'POST' && p === '/reset') {
				sandbox.reset();
				return send(200, { ok: true });
			}
			if (method === 'POST' && p === '/seed-posts') {
				sandbox.seedPosts(num(body.n, 'n'), {
					workspace: body.workspace as string | undefined,
					status: body.status as 'published' | 'failed' | 'draft' | undefined,
				});
				return send(200, { ok: true, posts: state.posts.size });
			}
			if (method === 'POST' && p === '/connections') {
				if (typeof body.workspace !== 'string' || !Array.isArray(body.platforms)) throw validation('workspace and platforms are required');
				sandbox.setConnected(body.workspace, body.platforms as string[]);
				return send(200, { ok: true });
			}
			if (method === 'POST' && p === '/credits') {
				sandbox.setCredits(num(body.balance, 'balance'), body.key as string | undefined);
				return send(200, { balance: sandbox.getCredits(body.key as string | undefined) });
			}
			if (method === 'POST' && p === '/tick') {
				tick();
				return send(200, info().clock);
			}
			if (method === 'GET' && p === '/media') {
				return send(200, { media: [...state.media.values()] });
			}
			return send(404, { error: { code: 'NOT_FOUND', message: `No sandbox control route ${method} ${url.pathname}` } });
		} catch (err) {
			if (err instanceof ApiError) return send(err.status, err.body());
			// helper errors (unknown workspace, platform, key label...) are caller mistakes
			return send(400, { error: { code: 'VALIDATION_ERROR', message: err instanceof Error ? err.message : String(err) } });
		}
	}

	function handleFile(res: ServerResponse, url: URL) {
		const m = /^\/files\/([^/.]+)(\.thumb)?\.(png|mp4)$/.exec(url.pathname);
		const media = m ? state.media.get(m[1]) : undefined;
		if (!m || !media || media.source === 'upload') return writeJson(res, 404, { error: { code: 'NOT_FOUND', message: 'File not found' } }, {});
		const isVideo = m[3] === 'mp4';
		const data = isVideo ? Buffer.from('sandbox-video-placeholder') : PNG_1PX;
		res.writeHead(200, { 'Content-Type': isVideo ? 'video/mp4' : 'image/png', 'Content-Length': String(data.length) });
		res.end(data);
	}

	const server = http.createServer((req, res) => {
		const url = new URL(req.url ?? '/', 'http://127.0.0.1');
		let p: Promise<void> | void;
		if (url.pathname === '/api/v1' || url.pathname.startsWith('/api/v1/')) p = handleApi(req, res, url);
		else if (url.pathname.startsWith('/__sandbox/')) p = handleControl(req, res, url);
		else if (url.pathname.startsWith('/files/')) p = handleFile(res, url);
		else p = writeJson(res, 404, { error: { code: 'NOT_FOUND', message: 'Not found' } }, {});
		if (p) p.catch((err: unknown) => {
			log?.(`sandbox error: ${String(err)}`);
			if (!res.headersSent) writeJson(res, 500, { error: { code: 'INTERNAL_ERROR', message: 'Internal sandbox error' } }, {});
		});
	});
	server.on('clientError', (_err, socket) => socket.destroy());

	await new Promise<void>((resolve, reject) => {
		server.once('error', reject);
		server.listen(opts.port ?? 0, '127.0.0.1', () => resolve());
	});
	const port = (server.address() as AddressInfo).port;
	origin = `http://127.0.0.1:${port}`;

	const tickMs = opts.tickMs ?? 250;
	const ticker = tickMs > 0 ? setInterval(tick, tickMs) : undefined;
	ticker?.unref();

	const sandbox: Sandbox = {
		url: `${origin}/api/v1`,
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
		faults: {
			add(rule: FaultRule) {
				faults.push({ ...rule, remaining: rule.times ?? 1 });
			},
			clear() {
				faults = [];
			},
		},
		requests,
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
		tick,
		reset() {
			resetStateInPlace(state, createState(initialCredits));
			requests.length = 0;
			faults = [];
			buckets.clear();
			offset = 0;
		},
		async close() {
			if (ticker) clearInterval(ticker);
			await new Promise<void>((resolve) => {
				server.close(() => resolve());
				server.closeAllConnections();
			});
		},
	};
	return sandbox;
}
