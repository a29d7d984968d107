import type {
	ICredentialDataDecryptedObject,
	IDataObject,
	IHttpRequestMethods,
	IHttpRequestOptions,
	INode,
	JsonObject,
} from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';
import { cancelledError, isCancelled, waitMs } from './wait';

/**
 * The provider-neutral request engine: one request path for every operation of every provider.
 * It owns retries (429 waited out; transient failures repeated only where repeating is safe),
 * turns every failure into a NodeApiError a user can act on, and keeps secrets out of messages.
 */

/** The n8n context functions the engine needs (execute, poll, load-options and trigger contexts all have them). */
export interface RequestContext {
	getNode(): INode;
	getCredentials<T extends object = ICredentialDataDecryptedObject>(type: string, itemIndex?: number): Promise<T>;
	getExecutionCancelSignal?: () => AbortSignal | undefined;
	helpers: {
		httpRequestWithAuthentication(
			this: unknown,
			credentialsType: string,
			requestOptions: IHttpRequestOptions,
		): Promise<unknown>;
	};
}

export interface HttpCall {
	method: IHttpRequestMethods;
	/** Path below the base URL, starting with `/`. */
	path: string;
	qs?: IDataObject;
	body?: IDataObject;
	/**
	 * A streamed body (multipart upload); opened anew for each attempt, since a consumed stream cannot
	 * be resent. A Buffer (a small in-memory file, already in one piece) is sent as it is.
	 */
	stream?: { open: () => Promise<NodeJS.ReadableStream | Buffer>; contentType: string; contentLength: number };
	/** Time for one attempt, including sending the body. */
	timeoutMs?: number;
	/** Non-2xx statuses whose JSON body is an answer, not an error (a bulk call's 422 "every item failed"). */
	acceptStatuses?: number[];
	/**
	 * Whether sending the call twice cannot change the outcome. Defaults to true for GET, PUT, PATCH,
	 * DELETE and HEAD, false for POST: a POST that creates, generates or publishes is never resent
	 * after the server may have acted on it.
	 */
	repeatable?: boolean;
	itemIndex?: number;
}

export interface HttpResult<T> {
	status: number;
	headers: Record<string, string>;
	body: T;
	requestId?: string;
	attempts: number;
	/**
	 * A DELETE whose answer was lost, repeated, and then answered 404: the first attempt did the
	 * deletion. Reported as done (status 404, empty body) rather than as "not found".
	 */
	deletedByEarlierAttempt?: boolean;
	/** A 2xx without a body (204, or an empty 200): success, handed back as an empty object. */
	emptyBody?: boolean;
}

/** How a rate limit (429) ended the call. */
export interface RateLimitOutcome {
	/** The wait the server asked for last, in milliseconds. */
	askedMs: number;
	/** How many 429 answers were waited out before this one (0: the node did not wait at all). */
	waits: number;
	/** False when the asked wait was longer than the policy allows, so the node did not wait for it. */
	waitedAsAsked: boolean;
	/** When the server said a retry can succeed (ISO 8601 UTC). */
	retryAt: string;
	/** The longest wait the node does, in milliseconds. */
	maxWaitMs: number;
}

/** What went wrong, in terms the provider layer turns into a message. */
export interface Failure {
	kind: 'http' | 'not-json' | 'network' | 'timeout';
	status?: number;
	/** The provider's error code (`INSUFFICIENT_CREDITS`), when the body had one. */
	code?: string;
	/** The provider's own message. */
	apiMessage?: string;
	/** Extra keys of the provider's error object. */
	details?: IDataObject;
	requestId?: string;
	/** Network error code (`ECONNRESET`). */
	networkCode?: string;
	/** True when the request may have been carried out although no answer came. */
	ambiguous: boolean;
	/** Whether the engine gave up because the call could not be safely repeated. */
	notResent: boolean;
	attempts: number;
	/** For a non-JSON answer: its content type and a short sample. */
	contentType?: string;
	sample?: string;
	/** For a 429 that ended the call: what the server asked and what the node did. */
	rateLimit?: RateLimitOutcome;
}

export interface Provider {
	/** Product name for messages. */
	name: string;
	credentialType: string;
	baseUrl(credentials: ICredentialDataDecryptedObject): string;
	/** Strings that must never appear in an error (the API key). */
	secrets(credentials: ICredentialDataDecryptedObject): string[];
	/** Reads the provider's error body. */
	readError(body: unknown): { code?: string; message?: string; retryAfterSeconds?: number; details?: IDataObject };
	/** The user-facing message and hint for a failure. */
	explain(failure: Failure, call: HttpCall): { message: string; description: string };
	/** The request id an answer carries in its body (`meta.request_id`), for providers without an `X-Request-Id` header. */
	requestIdFromBody?(body: unknown): string | undefined;
	/** The payload of a successful answer, for providers that wrap it in an envelope (`{ data, error, meta }`). */
	unwrap?(body: unknown): unknown;
}

export interface RetryPolicy {
	/** How many 429 answers are waited out before giving up. */
	rateLimitRetries: number;
	/** Longest single wait for a 429; a longer requested wait fails at once with the time to wait. */
	maxRateLimitWaitMs: number;
	/** Wait when a 429 carries neither retryAfter nor a reset header. */
	defaultRateLimitWaitMs: number;
	/** Repeats of a repeatable call after a 5xx, a reset connection or a timeout. */
	transientRetries: number;
	/** Wait before transient retry n (1-based). */
	backoffMs(attempt: number): number;
}

export const defaultRetryPolicy: RetryPolicy = {
	rateLimitRetries: 6,
	maxRateLimitWaitMs: 5 * 60_000,
	defaultRateLimitWaitMs: 10_000,
	transientRetries: 3,
	backoffMs: (attempt) => 500 * 2 ** (attempt - 1),
};

/**
 * For polls: a poll must end well inside its interval, so only short 429 waits (a longer one ends
 * the poll without committing; the next poll carries on), few repeats.
 */
export const pollRetryPolicy: RetryPolicy = {
	rateLimitRetries: 2,
	maxRateLimitWaitMs: 5_000,
	defaultRateLimitWaitMs: 2_000,
	transientRetries: 2,
	backoffMs: (attempt) => 500 * 2 ** (attempt - 1),
};

const REPEATABLE_METHODS = ['GET', 'HEAD', 'PUT', 'PATCH', 'DELETE'];
/** Network failures where the request never reached the server: safe to repeat even for a POST. */
const NEVER_SENT_CODES = ['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH'];
const TIMEOUT_CODES = ['ETIMEDOUT', 'ESOCKETTIMEDOUT', 'ECONNABORTED', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT'];

export async function sendRequest<T>(
	ctx: RequestContext,
	provider: Provider,
	call: HttpCall,
	policy: RetryPolicy = defaultRetryPolicy,
): Promise<HttpResult<T>> {
	const credentials = await ctx.getCredentials(provider.credentialType, call.itemIndex);
	const secrets = secretForms(provider.secrets(credentials));
	const baseUrl = provider.baseUrl(credentials);
	const repeatable = call.repeatable ?? REPEATABLE_METHODS.includes(call.method);
	let rateLimited = 0;
	let transient = 0;
	let attempts = 0;
	/** An earlier attempt may have been carried out although its answer was lost. */
	let earlierMayHaveActed = false;

	for (;;) {
		if (isCancelled(ctx)) throw cancelledError(ctx, call.itemIndex);
		attempts++;
		const options: IHttpRequestOptions = {
			method: call.method,
			url: baseUrl + call.path,
			qs: call.qs,
			json: true,
			encoding: 'text',
			returnFullResponse: true,
			ignoreHttpStatusErrors: true,
			timeout: call.timeoutMs ?? 60_000,
		};
		if (call.stream) {
			options.body = (await call.stream.open()) as unknown as IHttpRequestOptions['body'];
			options.headers = { 'Content-Type': call.stream.contentType, 'Content-Length': String(call.stream.contentLength) };
			options.json = false;
			// Following redirects makes the HTTP layer keep the whole body in memory.
			options.disableFollowRedirect = true;
		} else if (call.body !== undefined) {
			options.body = call.body;
		}

		let raw: { body: unknown; headers: Record<string, unknown>; statusCode: number };
		try {
			raw = (await ctx.helpers.httpRequestWithAuthentication.call(ctx, provider.credentialType, options)) as typeof raw;
		} catch (error) {
			if (isCancelled(ctx)) throw cancelledError(ctx, call.itemIndex);
			const networkCode = findCode(error);
			const timedOut = networkCode !== undefined && TIMEOUT_CODES.includes(networkCode) || /timeout/i.test(messageOf(error));
			const neverSent = networkCode !== undefined && NEVER_SENT_CODES.includes(networkCode);
			if ((repeatable || neverSent) && transient < policy.transientRetries) {
				transient++;
				if (!neverSent) earlierMayHaveActed = true;
				await waitMs(ctx, policy.backoffMs(transient), call.itemIndex);
				continue;
			}
			throw toNodeError(ctx.getNode(), provider, call, secrets, {
				kind: timedOut ? 'timeout' : 'network',
				networkCode,
				ambiguous: !neverSent,
				notResent: !repeatable && !neverSent,
				attempts,
			});
		}

		const headers = normalizeHeaders(raw.headers);
		const status = raw.statusCode;
		const parsed = parseJson(raw.body);
		const requestId = headers['x-request-id'] ?? (parsed.ok ? provider.requestIdFromBody?.(parsed.value) : undefined);
		const accepted = call.acceptStatuses?.includes(status) === true;

		if ((status >= 200 && status < 300) || (accepted && parsed.ok)) {
			if (parsed.ok && parsed.value !== null && typeof parsed.value === 'object') {
				const body = provider.unwrap ? provider.unwrap(parsed.value) : parsed.value;
				return { status, headers, body: body as T, requestId, attempts };
			}
			// Contract §17.9: any 2xx is success; one without a body (204, an empty 200) has nothing to parse.
			if (isEmptyBody(raw.body)) return { status, headers, body: {} as T, requestId, attempts, emptyBody: true };
			throw toNodeError(ctx.getNode(), provider, call, secrets, {
				kind: 'not-json',
				status,
				requestId,
				ambiguous: call.method !== 'GET',
				notResent: false,
				attempts,
				contentType: headers['content-type'],
				sample: typeof raw.body === 'string' ? raw.body.slice(0, 120) : undefined,
			});
		}

		if (status === 404 && call.method === 'DELETE' && earlierMayHaveActed) {
			return { status, headers, body: {} as T, requestId, attempts, deletedByEarlierAttempt: true };
		}
		const apiError = provider.readError(parsed.ok ? parsed.value : undefined);
		let rateLimit: RateLimitOutcome | undefined;
		if (status === 429) {
			const waitFor = rateLimitWaitMs(apiError.retryAfterSeconds, headers, policy);
			if (rateLimited < policy.rateLimitRetries && waitFor <= policy.maxRateLimitWaitMs) {
				rateLimited++;
				await waitMs(ctx, waitFor, call.itemIndex);
				continue;
			}
			rateLimit = {
				askedMs: waitFor,
				waits: rateLimited,
				waitedAsAsked: waitFor <= policy.maxRateLimitWaitMs,
				retryAt: new Date(Date.now() + waitFor).toISOString().replace(/\.\d{3}Z$/, 'Z'),
				maxWaitMs: policy.maxRateLimitWaitMs,
			};
		}
		if (status >= 500 && repeatable && transient < policy.transientRetries) {
			transient++;
			earlierMayHaveActed = true;
			await waitMs(ctx, policy.backoffMs(transient), call.itemIndex);
			continue;
		}
		throw toNodeError(ctx.getNode(), provider, call, secrets, {
			kind: 'http',
			status,
			code: apiError.code,
			apiMessage: apiError.message,
			details: apiError.details,
			requestId,
			ambiguous: status >= 500 && !repeatable,
			notResent: status >= 500 && !repeatable,
			attempts,
			rateLimit,
		});
	}
}

/** The wait a 429 asks for: `retryAfter` first, else the reset time, else the policy default; plus a small margin. */
export function rateLimitWaitMs(retryAfterSeconds: number | undefined, headers: Record<string, string>, policy: RetryPolicy): number {
	if (retryAfterSeconds !== undefined && Number.isFinite(retryAfterSeconds) && retryAfterSeconds >= 0) {
		return Math.ceil(retryAfterSeconds * 1000) + 50;
	}
	const retryAfterHeader = Number(headers['retry-after']);
	if (headers['retry-after'] !== undefined && Number.isFinite(retryAfterHeader)) return retryAfterHeader * 1000 + 50;
	const reset = Number(headers['x-ratelimit-reset']);
	if (headers['x-ratelimit-reset'] !== undefined && Number.isFinite(reset) && reset > 0) {
		return Math.max(0, reset * 1000 - Date.now()) + 250;
	}
	return policy.defaultRateLimitWaitMs;
}

/**
 * A NodeApiError for a failure the caller established itself (an answer that was lost, resolved by
 * reading the resource): the same message, description, code and HTTP status a direct answer gets.
 */
export function failureError(node: INode, provider: Provider, call: HttpCall, failure: Failure): NodeApiError {
	return toNodeError(node, provider, call, [], failure);
}

function toNodeError(
	node: INode,
	provider: Provider,
	call: HttpCall,
	secrets: string[],
	failure: Failure,
): NodeApiError {
	const { message, description } = provider.explain(failure, call);
	const response: JsonObject = {
		status: failure.status ?? null,
		code: failure.code ?? failure.networkCode ?? null,
		message: failure.apiMessage ?? null,
		requestId: failure.requestId ?? null,
		method: call.method,
		path: call.path,
	};
	const error = new NodeApiError(node, redactObject(response, secrets) as JsonObject, {
		message: redact(message, secrets),
		description: redact(description, secrets),
		httpCode: failure.status !== undefined ? String(failure.status) : undefined,
		itemIndex: call.itemIndex,
	});
	error.context.failure = redactObject(
		{
			kind: failure.kind,
			status: failure.status ?? null,
			code: failure.code ?? null,
			networkCode: failure.networkCode ?? null,
			requestId: failure.requestId ?? null,
			ambiguous: failure.ambiguous,
			notResent: failure.notResent,
			attempts: failure.attempts,
			details: failure.details ?? null,
			...(failure.rateLimit ? { rateLimit: failure.rateLimit as unknown as IDataObject } : {}),
		},
		secrets,
	);
	return error;
}

/** The failure a NodeApiError thrown by `sendRequest` carries, for callers that recover (publish). */
export function failureOf(error: unknown): Failure | undefined {
	const context = (error as { context?: IDataObject } | undefined)?.context;
	const failure = context?.failure;
	return failure && typeof failure === 'object' ? (failure as unknown as Failure) : undefined;
}

/**
 * Every form in which a secret may come back: as entered, trimmed (servers trim header values and
 * may echo the trimmed key), URL-encoded, JSON-escaped and base64-encoded. Longest first, so a
 * longer form is replaced before a shorter one inside it.
 */
export function secretForms(secrets: string[]): string[] {
	const forms = new Set<string>();
	for (const secret of secrets) {
		for (const value of [secret, secret.trim()]) {
			forms.add(value);
			forms.add(encodeURIComponent(value));
			forms.add(JSON.stringify(value).slice(1, -1));
			forms.add(Buffer.from(value, 'utf8').toString('base64'));
		}
	}
	return [...forms].filter((form) => form.length >= 4).sort((a, b) => b.length - a.length);
}

export function redact(text: string, secrets: string[]): string {
	let out = text;
	for (const secret of secrets) out = out.split(secret).join('***');
	return out;
}

function redactObject<T>(value: T, secrets: string[]): T {
	if (secrets.length === 0) return value;
	return JSON.parse(redact(JSON.stringify(value), secrets)) as T;
}

function parseJson(body: unknown): { ok: true; value: unknown } | { ok: false } {
	if (typeof body === 'string') {
		if (body.trim() === '') return { ok: false };
		try {
			return { ok: true, value: JSON.parse(body) };
		} catch {
			return { ok: false };
		}
	}
	if (Buffer.isBuffer(body)) return parseJson(body.toString('utf8'));
	if (body !== undefined && body !== null && typeof body === 'object') return { ok: true, value: body };
	return { ok: false };
}

function isEmptyBody(body: unknown): boolean {
	if (body === undefined || body === null) return true;
	if (typeof body === 'string') return body.trim() === '';
	if (Buffer.isBuffer(body)) return body.toString('utf8').trim() === '';
	return false;
}

function normalizeHeaders(headers: Record<string, unknown> | undefined): Record<string, string> {
	const out: Record<string, string> = {};
	for (const [key, value] of Object.entries(headers ?? {})) {
		if (value === undefined || value === null) continue;
		out[key.toLowerCase()] = Array.isArray(value) ? value.join(', ') : String(value);
	}
	return out;
}

/** Finds a network error code (`ECONNRESET`) anywhere in an error's cause chain. */
function findCode(error: unknown): string | undefined {
	let current: unknown = error;
	for (let depth = 0; depth < 6 && current && typeof current === 'object'; depth++) {
		const candidate = current as { code?: unknown; cause?: unknown; context?: { code?: unknown } };
		for (const code of [candidate.code, candidate.context?.code]) {
			if (typeof code === 'string' && /^[A-Z_]+$/.test(code)) return code;
		}
		current = candidate.cause;
	}
	const match = /\b(E[A-Z]{3,}|UND_ERR_[A-Z_]+)\b/.exec(messageOf(error));
	return match?.[1];
}

function messageOf(error: unknown): string {
	const parts: string[] = [];
	let current: unknown = error;
	for (let depth = 0; depth < 6 && current && typeof current === 'object'; depth++) {
		const message = (current as { message?: unknown }).message;
		if (typeof message === 'string') parts.push(message);
		current = (current as { cause?: unknown }).cause;
	}
	return parts.join(' | ');
}
