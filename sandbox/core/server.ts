// The provider-neutral sandbox frame: one HTTP server on 127.0.0.1 that runs, for every request,
// faults -> due work -> authentication -> general rate limit -> route -> scope -> JSON body ->
// declared validation (zod, strict) -> route rate limit -> handler -> the provider's envelope,
// records it in the request log, and serves the /__sandbox control API. A provider supplies its
// routes, key handling, envelopes and error shape (ProviderSpec); everything else lives here.
import http, { type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { ZodTypeAny } from 'zod';
import { createClock, iso, type VirtualClock } from './clock';
import { SandboxError } from './errors';
import { FaultList, HTML_LOGIN_PAGE, parseFaultRule, type FaultRule } from './faults';
import { closeServer, compilePath, listen, readJson, sendJson, sendText } from './http';
import { RateLimiter, type RateBuckets } from './rateLimit';
import { describeIssues, parseWith, type FieldIssue } from './validate';

export interface Call<K> {
	key: K;
	params: Record<string, string>;
	/** the query after the route's schema (strings when the route declares none) */
	query: Record<string, unknown>;
	/** the body after the route's schema */
	body: unknown;
	headers: IncomingHttpHeaders;
	now: number;
	requestId: string;
	/** the query string as received */
	rawQuery: URLSearchParams;
	/** what the provider's `authorize` hook returned (e.g. the workspace) */
	context: Record<string, string>;
}

export interface Reply {
	status: number;
	data: unknown;
	headers?: Record<string, string>;
}

export interface RouteSpec<K> {
	method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
	/** after the base path, `:name` for params: `/posts/:post_id` */
	path: string;
	scope?: string;
	/** zod schema of the query object (values are strings); none = no query parameters allowed; 'any' = not checked */
	query?: ZodTypeAny | 'any';
	/** zod schema of the JSON body; none = the body is ignored */
	body?: ZodTypeAny;
	/** an empty body is read as `{}` (bodies that are all optional) */
	emptyBodyIsObject?: boolean;
	/** further rate buckets, decided once the request is valid */
	rate?: (call: Call<K>) => string[];
	handler: (call: Call<K>) => Reply | Promise<Reply>;
	/** the handler reads the request body itself (e.g. a multipart upload): no JSON parsing, no body schema */
	raw?: (call: Call<K>, req: IncomingMessage) => Promise<Reply>;
	/** provider data about the route (read by its hooks), e.g. ['workspace'] */
	tags?: string[];
}

export interface RequestRecord {
	method: string;
	path: string;
	query: Record<string, string>;
	/** the parsed JSON body (when there was one) */
	body?: unknown;
	/** HTTP status sent; for faults applied then lost, the status the request had; 0 when reset before */
	status: number;
	/** sandbox clock ms at arrival */
	at: number;
	/** label of the key used, never the secret */
	key?: string;
	/** what the provider's `authorize` hook returned (e.g. workspace) */
	[context: string]: unknown;
	/** how the request authenticated: 'bearer', 'missing', or 'other' (another scheme or header) */
	auth: 'bearer' | 'missing' | 'other';
	requestId: string;
	/** the error code answered, if any */
	code?: string;
	/** the fault kind that hit this request */
	faulted?: string;
	/** for a fault with `applied`: the status the request really had before its answer was replaced */
	appliedStatus?: number;
}

export interface ControlRoute {
	method: 'GET' | 'POST' | 'DELETE';
	path: string;
	handler: (body: Record<string, unknown>, params: Record<string, string>, query: URLSearchParams) => unknown | Promise<unknown>;
}

export interface ProviderSpec<K> {
	/** product name (HTML fault page, messages) */
	product: string;
	/** e.g. '/api/v1' */
	basePath: string;
	routes: RouteSpec<K>[];
	/** the key of the request, or throw a SandboxError (401) */
	authenticate(headers: IncomingHttpHeaders): K;
	keyId(key: K): string;
	keyLabel(key: K): string;
	/** throw a SandboxError when the key lacks `scope` */
	requireScope(key: K, scope: string): void;
	/** further checks after the scope (e.g. a workspace header); the result is the call's `context` and is logged */
	authorize?(route: RouteSpec<K>, key: K, headers: IncomingHttpHeaders): Record<string, string>;
	/** the 429 error (default: errorFor(429) with details.retry_after and a Retry-After header) */
	rateLimited?(retryAfter: number): SandboxError;
	/** body of a control-API error (default {error: {code, message}} with bad_request / not_found) */
	controlError?(status: number, message: string): unknown;
	/** paths outside the API and /__sandbox (e.g. generated files); true when answered */
	otherPaths?(url: URL, req: IncomingMessage, res: ServerResponse): boolean;
	/** body of a `malformed-json` fault */
	malformedBody?: string;
	rate: { buckets: RateBuckets; general: string[] } | false;
	/** body of a success reply */
	success(reply: Reply, ctx: { requestId: string; now: number }): unknown;
	/** body of an error reply (the provider's documented error shape) */
	error(err: SandboxError, ctx: { requestId: string; now: number }): unknown;
	/** code and message for a bare HTTP status (status faults, 404, 500, bad JSON) */
	errorFor(status: number, reason?: 'route' | 'json' | 'too-large' | 'validation' | 'rate' | 'fault' | 'internal'): { code: string; message: string };
	/** header name carrying the request id, or null (only in the body) */
	requestIdHeader(): string | null;
	newRequestId(): string;
	/** checks on the raw body before the schema (e.g. documented wrong field names) */
	preValidate?(route: RouteSpec<K>, body: unknown): void;
	/** bring lifecycles up to `now` (called before each request and by the ticker) */
	process(now: number): void;
	control: ControlRoute[];
	info(): Record<string, unknown>;
	reset(): void;
}

export interface FrameOptions {
	port?: number;
	/** real-time interval of the background ticker (ms; 0 disables) */
	tickMs?: number;
	log?: (line: string) => void;
}

export interface Frame {
	origin: string;
	url: string;
	clock: VirtualClock;
	faults: FaultList;
	limiter: RateLimiter | null;
	requests: RequestRecord[];
	/** run a control route in-process (same as calling /__sandbox/<path> over HTTP) */
	control(method: string, path: string, body?: Record<string, unknown>): Promise<{ status: number; body: unknown }>;
	tick(): void;
	close(): Promise<void>;
}

export function validationError(issues: FieldIssue[], code: string): SandboxError {
	return new SandboxError(400, code, `Invalid request: ${describeIssues(issues)}`, { fields: issues });
}

/** Build the provider's frame. `clock` is created by the caller when the provider needs it earlier. */
export async function startFrame<K>(spec: ProviderSpec<K>, opts: FrameOptions = {}, clock: VirtualClock = createClock()): Promise<Frame> {
	const faults = new FaultList();
	const limiter = spec.rate ? new RateLimiter(spec.rate.buckets) : null;
	const general = spec.rate ? spec.rate.general : [];
	const requests: RequestRecord[] = [];
	const routes = spec.routes.map((r) => ({ ...r, match: compilePath(r.path) }));
	const log = opts.log;
	const tick = () => spec.process(clock.now());
	clock.onChange(tick);

	/** the last 200 answer of every GET (path and query), replayed by stale-read faults */
	const lastReads = new Map<string, { body: string; headers: Record<string, string> }>();

	const errorReply = (err: SandboxError, requestId: string) => ({
		status: err.status,
		body: spec.error(err, { requestId, now: clock.now() }),
		headers: err.headers,
	});

	async function handleApi(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
		const method = (req.method ?? 'GET').toUpperCase();
		let path = url.pathname.slice(spec.basePath.length) || '/';
		if (path.length > 1 && path.endsWith('/')) path = path.slice(0, -1);
		const requestId = spec.newRequestId();
		const authz = req.headers.authorization;
		const rec: RequestRecord = {
			method,
			path,
			query: Object.fromEntries(url.searchParams),
			status: 0,
			at: clock.now(),
			requestId,
			auth: !authz ? 'missing' : /^Bearer\s/i.test(authz) ? 'bearer' : 'other',
		};
		requests.push(rec);
		const idHeader = spec.requestIdHeader();
		const baseHeaders: Record<string, string> = idHeader ? { [idHeader]: requestId } : {};
		const done = (status: number) => {
			rec.status = status;
			log?.(`${method} ${path} ${status}${rec.faulted ? ` [fault:${rec.faulted}]` : ''}`);
		};

		const readKey = url.pathname + url.search;
		const fault = faults.take('api', method, path, (f) => f.kind !== 'stale-read' || (method === 'GET' && lastReads.has(readKey)));
		let lose: FaultRule | undefined;
		let emptyBody: FaultRule | undefined;
		if (fault) {
			rec.faulted = fault.kind;
			if (fault.kind === 'drop-before') {
				done(0);
				req.socket.destroy();
				return;
			}
			if (fault.kind === 'stale-read') {
				const last = lastReads.get(readKey) as { body: string; headers: Record<string, string> };
				sendText(res, 200, 'application/json; charset=utf-8', last.body, last.headers);
				return done(200);
			}
			if (fault.kind === 'delay') await new Promise((r) => setTimeout(r, fault.delayMs ?? 1000));
			else if (fault.kind === 'empty-body') emptyBody = fault;
			else if (fault.kind === 'drop-after' || fault.applied) lose = fault;
			else return answerFault(fault);
		}

		function answerFault(f: FaultRule, appliedStatus?: number): void {
			if (appliedStatus !== undefined && f.kind !== 'drop-after') rec.appliedStatus = appliedStatus;
			if (f.kind === 'drop-after') {
				done(appliedStatus ?? 0);
				req.socket.destroy();
				return;
			}
			if (f.kind === 'html') {
				sendText(res, 200, 'text/html; charset=utf-8', HTML_LOGIN_PAGE(spec.product), baseHeaders);
				return done(200);
			}
			if (f.kind === 'malformed-json') {
				sendText(res, 200, 'application/json; charset=utf-8', spec.malformedBody ?? '{"data":{"id":"00000000-0000-0000-0000-000000000000","status":"publ', baseHeaders);
				return done(200);
			}
			const status = f.kind === 'rate-limit' ? 429 : f.status ?? 500;
			let err: SandboxError;
			const extra: Record<string, string> = {};
			if (f.kind === 'rate-limit') {
				const retryAfter = f.retryAfter ?? 1;
				err = rateError(retryAfter);
				const limit = spec.rate ? spec.rate.buckets[spec.rate.general[0]]?.[0]?.limit : undefined;
				if (limit !== undefined) extra['X-RateLimit-Limit'] = String(limit);
				extra['X-RateLimit-Remaining'] = '0';
				extra['X-RateLimit-Reset'] = String(Math.ceil(clock.now() / 1000) + retryAfter);
			} else {
				const { code, message } = spec.errorFor(status, 'fault');
				err = new SandboxError(status, code, message);
			}
			const e = errorReply(err, requestId);
			rec.code = err.code;
			sendJson(res, e.status, e.body, { ...baseHeaders, ...extra, ...e.headers });
			done(status);
		}

		let headers = { ...baseHeaders };
		let status = 500;
		let body: unknown;
		try {
			tick();
			// 1. authentication
			let key: K;
			try {
				key = spec.authenticate(req.headers);
			} catch (err) {
				if (limiter) headers = { ...headers, ...limiter.check(null, general, clock.now()).headers };
				throw err;
			}
			rec.key = spec.keyLabel(key);
			// 2. general rate limit
			if (limiter) {
				const v = limiter.check(spec.keyId(key), general, clock.now());
				headers = { ...headers, ...v.headers };
				if (!v.ok) throw rateError(v.retryAfter ?? 1);
			}
			// 3. route
			let route: (typeof routes)[number] | undefined;
			let params: Record<string, string> = {};
			for (const r of routes) {
				if (r.method !== method) continue;
				const m = r.match(path);
				if (m) {
					route = r;
					params = m;
					break;
				}
			}
			if (!route) {
				const known = routes.some((r) => r.match(path));
				const { code } = spec.errorFor(404, 'route');
				throw new SandboxError(404, code, known ? `${method} is not supported on ${spec.basePath}${path}` : `No route for ${method} ${spec.basePath}${path}`);
			}
			// 4. scope, then the provider's further checks
			if (route.scope) spec.requireScope(key, route.scope);
			const context = spec.authorize?.(route, key, req.headers) ?? {};
			Object.assign(rec, context);
			// 5. JSON body
			let raw: unknown;
			if (method !== 'GET' && method !== 'DELETE' && !route.raw) {
				const read = await readJson(req);
				if (read.kind === 'invalid' || read.kind === 'too-large') {
					const { code, message } = spec.errorFor(400, read.kind === 'invalid' ? 'json' : 'too-large');
					throw new SandboxError(400, code, message);
				}
				raw = read.kind === 'json' ? read.value : route.emptyBodyIsObject ? {} : undefined;
				rec.body = raw;
			}
			// 6. declared validation
			const validation = spec.errorFor(400, 'validation').code;
			let query: Record<string, unknown> = Object.fromEntries(url.searchParams);
			if (route.query === 'any') {
				// passed through as strings
			} else if (route.query) {
				const q = parseWith(route.query, query, '');
				if (!q.ok) throw validationError(q.issues, validation);
				query = q.value as Record<string, unknown>;
			} else if (url.searchParams.size > 0) {
				throw validationError([...url.searchParams.keys()].map((k) => ({ field: k, message: 'is not a known query parameter' })), validation);
			}
			let parsed: unknown = raw;
			if (route.body) {
				spec.preValidate?.(route, raw);
				const b = parseWith(route.body, raw, '');
				if (!b.ok) throw validationError(b.issues, validation);
				parsed = b.value;
			}
			const call: Call<K> = { key, params, query, body: parsed, headers: req.headers, now: clock.now(), requestId, rawQuery: url.searchParams, context };
			// 7. route-specific rate limits
			if (limiter && route.rate) {
				const v = limiter.check(spec.keyId(key), route.rate(call), clock.now());
				if (Object.keys(v.headers).length) headers = { ...headers, ...v.headers };
				if (!v.ok) throw rateError(v.retryAfter ?? 1);
			}
			// 8. handler
			let reply: Reply;
			if (route.raw) reply = await route.raw(call, req);
			else {
				tick();
				call.now = clock.now();
				reply = await route.handler(call);
			}
			status = reply.status;
			body = spec.success(reply, { requestId, now: clock.now() });
			headers = { ...headers, ...(reply.headers ?? {}) };
		} catch (err) {
			let e: SandboxError;
			if (err instanceof SandboxError) e = err;
			else {
				log?.(`sandbox internal error: ${err instanceof Error ? err.stack ?? err.message : String(err)}`);
				const { code, message } = spec.errorFor(500, 'internal');
				e = new SandboxError(500, code, message);
			}
			const r = errorReply(e, requestId);
			status = r.status;
			body = r.body;
			rec.code = e.code;
			headers = { ...headers, ...r.headers };
		}
		if (lose) return answerFault(lose, status);
		if (emptyBody && status < 300) {
			const s = emptyBody.status ?? 204;
			res.writeHead(s, { ...headers, 'Content-Length': '0' });
			res.end();
			return done(s);
		}
		if (status >= 400 && !req.complete) headers.Connection = 'close';
		if (method === 'GET' && status === 200 && faults.waiting('stale-read')) {
			// remembered only while a stale-read rule waits: no cost otherwise
			lastReads.delete(readKey);
			lastReads.set(readKey, { body: JSON.stringify(body), headers });
			if (lastReads.size > 500) lastReads.delete(lastReads.keys().next().value as string);
		}
		sendJson(res, status, body, headers);
		done(status);
	}

	function rateError(retryAfter: number): SandboxError {
		if (spec.rateLimited) return spec.rateLimited(retryAfter);
		const { code, message } = spec.errorFor(429, 'rate');
		return new SandboxError(429, code, `${message} Retry after ${retryAfter} s.`, { retry_after: retryAfter }, { 'Retry-After': String(retryAfter) });
	}

	// ------------------------------------------------------------------ control API (/__sandbox)
	const num = (v: unknown, field: string) => {
		if (typeof v !== 'number' || !Number.isFinite(v)) throw new Error(`${field} must be a number`);
		return v;
	};
	const clockInfo = () => ({ now: clock.now(), iso: iso(clock.now()), offsetMs: clock.offset() });
	const core: ControlRoute[] = [
		{ method: 'GET', path: '/info', handler: () => ({ ...spec.info(), origin: frame.origin, url: frame.url, clock: clockInfo() }) },
		{ method: 'POST', path: '/clock/advance', handler: (b) => (clock.advance(num(b.ms, 'ms')), clockInfo()) },
		{ method: 'POST', path: '/clock/set', handler: (b) => (clock.set(num(b.ms, 'ms')), clockInfo()) },
		{ method: 'POST', path: '/clock/skew', handler: (b) => (clock.skew(num(b.ms, 'ms')), clockInfo()) },
		{ method: 'GET', path: '/clock', handler: () => clockInfo() },
		{
			method: 'POST',
			path: '/faults',
			handler: (b) => {
				faults.add(parseFaultRule((b.rule ?? b) as Record<string, unknown>));
				return { ok: true, faults: faults.size };
			},
		},
		{ method: 'DELETE', path: '/faults', handler: () => (faults.clear(), { ok: true }) },
		{ method: 'GET', path: '/requests', handler: () => ({ requests }) },
		{ method: 'DELETE', path: '/requests', handler: () => ((requests.length = 0), { ok: true }) },
		{ method: 'POST', path: '/reset', handler: () => (resetAll(), { ok: true }) },
		{ method: 'POST', path: '/tick', handler: () => (tick(), clockInfo()) },
	];
	const controls = [...core, ...spec.control].map((c) => ({ ...c, match: compilePath(c.path) }));

	function resetAll() {
		spec.reset();
		requests.length = 0;
		faults.clear();
		lastReads.clear();
		limiter?.reset();
		clock.reset();
	}

	async function runControl(method: string, path: string, body: Record<string, unknown>, query: URLSearchParams) {
		for (const c of controls) {
			if (c.method !== method) continue;
			const params = c.match(path);
			if (!params) continue;
			try {
				return { status: 200, body: await c.handler(body, params, query) };
			} catch (err) {
				if (err instanceof SandboxError) return { status: err.status, body: spec.controlError ? spec.error(err, { requestId: spec.newRequestId(), now: clock.now() }) : { error: { code: err.code, message: err.message } } };
				// helper errors (unknown ids, bad values) are caller mistakes
				return { status: 400, body: controlError(400, err instanceof Error ? err.message : String(err)) };
			}
		}
		return { status: 404, body: controlError(404, `No sandbox control route ${method} /__sandbox${path}`) };
	}

	function controlError(status: number, message: string): unknown {
		if (spec.controlError) return spec.controlError(status, message);
		return { error: { code: status === 404 ? 'not_found' : 'bad_request', message } };
	}

	async function handleControl(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
		const method = (req.method ?? 'GET').toUpperCase();
		const path = url.pathname.replace(/^\/__sandbox/, '').replace(/\/$/, '') || '/';
		let body: Record<string, unknown> = {};
		if (method === 'POST') {
			const read = await readJson(req);
			if (read.kind === 'invalid' || read.kind === 'too-large') return sendJson(res, 400, controlError(400, 'Request body is not valid JSON'));
			if (read.kind === 'json' && read.value && typeof read.value === 'object') body = read.value as Record<string, unknown>;
		}
		const r = await runControl(method, path, body, url.searchParams);
		sendJson(res, r.status, r.body);
	}

	const server = http.createServer((req, res) => {
		const url = new URL(req.url ?? '/', 'http://127.0.0.1');
		let p: Promise<void> | undefined;
		if (url.pathname === spec.basePath || url.pathname.startsWith(`${spec.basePath}/`)) p = handleApi(req, res, url);
		else if (url.pathname.startsWith('/__sandbox/')) p = handleControl(req, res, url);
		else if (spec.otherPaths?.(url, req, res)) return;
		else sendJson(res, 404, spec.error(new SandboxError(404, spec.errorFor(404, 'route').code, 'Not found'), { requestId: spec.newRequestId(), now: clock.now() }));
		p?.catch((err: unknown) => {
			log?.(`sandbox error: ${String(err)}`);
			if (!res.headersSent) sendJson(res, 500, { error: { code: 'internal_error', message: 'Internal sandbox error' } });
		});
	});
	server.on('clientError', (_err, socket) => socket.destroy());
	const port = await listen(server, opts.port ?? 0);
	const origin = `http://127.0.0.1:${port}`;
	const tickMs = opts.tickMs ?? 100;
	const ticker = tickMs > 0 ? setInterval(tick, tickMs) : undefined;
	ticker?.unref();

	const frame: Frame = {
		origin,
		url: `${origin}${spec.basePath}`,
		clock,
		faults,
		limiter,
		requests,
		control: (method, path, body = {}) => runControl(method.toUpperCase(), path.replace(/^\/__sandbox/, ''), body, new URLSearchParams()),
		tick,
		async close() {
			if (ticker) clearInterval(ticker);
			await closeServer(server);
		},
	};
	return frame;
}
