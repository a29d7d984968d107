import type { ICredentialDataDecryptedObject, IDataObject } from 'n8n-workflow';

import type { Failure, HttpCall, HttpResult, Provider, RequestContext } from '../../shared/http';
import { sendRequest } from '../../shared/http';
import { explainTransportFailure } from '../../shared/explain';

export const CREDENTIAL_TYPE = 'postEverywhereRestApi';
export const DEFAULT_BASE_URL = 'https://app.posteverywhere.ai/api/v1';
export const DOCS = 'https://developers.posteverywhere.ai';

/** Contract §10: one actionable sentence per documented error code. */
const CODE_HINTS: Record<string, string> = {
	validation_error: 'PostEverywhere rejected a field of the request; the message above names it.',
	past_schedule_time: 'The schedule time is in the past. Give a future time (a time without an offset is read in the workflow\'s time zone).',
	invalid_field_name: 'A field has the wrong name; media go in media_ids (an array of media IDs).',
	bulk_limit_exceeded: 'Too many posts in one bulk call: at most 50 for Bulk Create, 100 for Bulk Schedule.',
	unauthorized:
		'The API key is missing, mistyped, revoked or expired. Create a key in PostEverywhere under Settings → Developers → API keys (pe_live_…) and paste it into the credential.',
	authentication_failed: 'The API key is missing, mistyped, revoked or expired. Create a new key in PostEverywhere and paste it into the credential.',
	insufficient_credits: 'Not enough AI credits (or no active subscription). Check the quota with API Key → Get, or upgrade the plan.',
	forbidden: 'The API key lacks a scope this call needs, or the plan\'s quota blocks it.',
	not_found: 'Nothing with this ID exists for this API key\'s organization. Check the ID (accounts and campaigns are numbers, posts, media and webhooks UUIDs).',
	post_already_published:
		'The post is already published or publishing: it can no longer be edited or deleted. To remove a published post from X too, use Delete with "Delete on Platforms: X".',
	conflict: 'The resource is in a state that does not allow this (for example: only drafts can be scheduled, only scheduled or draft posts edited).',
	unsupported_media_type: 'PostEverywhere does not accept this file type from a URL. Upload the file as binary data with Media → Upload instead.',
	rate_limited: 'PostEverywhere\'s rate limit (60 requests a minute per key; 20 publishing posts a minute) was still exceeded after waiting as long as it asked.',
	rate_limit_exceeded: 'PostEverywhere\'s rate limit (60 requests a minute per key; 20 publishing posts a minute) was still exceeded after waiting as long as it asked.',
	internal_error: 'PostEverywhere had an internal error. Try again later; quote the request ID to PostEverywhere support if it persists.',
};

/** The request id of an answer: `meta.request_id` (or `meta.requestId`, §15.16) in the body. */
export function requestIdOf(body: unknown): string | undefined {
	const meta = body && typeof body === 'object' ? (body as IDataObject).meta : undefined;
	if (!meta || typeof meta !== 'object') return undefined;
	const id = (meta as IDataObject).request_id ?? (meta as IDataObject).requestId;
	return typeof id === 'string' && id ? id : undefined;
}

/** The payload of a `{ data, error, meta }` envelope (§1); an answer without one is passed on as it is. */
export function unwrap(body: unknown): unknown {
	if (body && typeof body === 'object' && !Array.isArray(body) && 'data' in body && ('meta' in body || 'error' in body)) {
		return (body as IDataObject).data;
	}
	return body;
}

function isAiPath(path: string): boolean {
	return path.startsWith('/ai/');
}

export const postEverywhereProvider: Provider = {
	name: 'PostEverywhere',
	credentialType: CREDENTIAL_TYPE,

	requestIdFromBody: requestIdOf,
	unwrap,

	baseUrl(credentials: ICredentialDataDecryptedObject): string {
		const raw = typeof credentials.baseUrl === 'string' && credentials.baseUrl.trim() !== '' ? credentials.baseUrl : DEFAULT_BASE_URL;
		return raw.trim().replace(/\/+$/, '');
	},

	secrets(credentials: ICredentialDataDecryptedObject): string[] {
		if (typeof credentials.apiKey !== 'string') return [];
		return [credentials.apiKey, credentials.apiKey.trim(), encodeURIComponent(credentials.apiKey.trim())];
	},

	readError(body: unknown) {
		const root = body && typeof body === 'object' ? (body as IDataObject) : {};
		const error = root.error && typeof root.error === 'object' ? (root.error as IDataObject) : undefined;
		if (!error) return {};
		const { code, message, details } = error;
		const extra: IDataObject = details && typeof details === 'object' && !Array.isArray(details) ? { ...(details as IDataObject) } : {};
		return {
			code: typeof code === 'string' ? code : undefined,
			message: typeof message === 'string' ? message : undefined,
			// Retry-After and X-RateLimit-Reset headers are read by the engine (§11).
			details: Object.keys(extra).length ? extra : undefined,
		};
	},

	explain(failure: Failure, call: HttpCall) {
		const requestId = failure.requestId ? ` Request ID: ${failure.requestId}.` : '';
		const endpoint = `${call.method} ${call.path}`;
		const transport = explainTransportFailure('PostEverywhere', failure, call, {
			html: 'This is usually a web page or proxy in front of the API: check that the Base URL in the credential is https://app.posteverywhere.ai/api/v1.',
			checkResult: 'for example with Post → Get Many',
		});
		if (transport) return transport;
		const status = failure.status ?? 0;
		const code =
			failure.code ??
			(status === 401 ? 'unauthorized' : status === 403 ? 'forbidden' : status === 404 ? 'not_found' : status === 429 ? 'rate_limited' : status >= 500 ? 'internal_error' : undefined);
		let hint = (code && CODE_HINTS[code]) ?? '';
		// §2, §15.9: a missing `ai` scope answers 401 (scopes page) or 403 (Python SDK).
		if ((status === 401 || status === 403) && isAiPath(call.path)) {
			hint =
				'AI calls need the optional "ai" scope: create an API key with AI access enabled in PostEverywhere and use it in the credential. (A key without it still works for posts, accounts and media.)';
		} else if (status === 403) {
			const scope = typeof failure.details?.required_scope === 'string' ? failure.details.required_scope : undefined;
			hint = scope
				? `The API key lacks the "${scope}" scope. Create a key with ${scope} access in PostEverywhere and use it in the credential.`
				: CODE_HINTS.forbidden;
		}
		if (failure.notResent) {
			hint += ' The request was not sent again: PostEverywhere may have carried it out, and repeating it could create or publish twice. Check the result before running it again.';
		}
		const apiMessage = failure.apiMessage ?? `HTTP ${status}`;
		return {
			message: `PostEverywhere: ${apiMessage}${failure.code ? ` [${failure.code}]` : ''}`,
			description: `${hint}${requestId}`.trim() || `${endpoint} answered HTTP ${status}.${requestId}`,
		};
	},
};

/** The one request path of the PostEverywhere nodes: returns the payload of the answer's envelope. */
export async function peRequest<T = IDataObject>(ctx: RequestContext, call: HttpCall): Promise<T> {
	return (await sendRequest<T>(ctx, postEverywhereProvider, call)).body;
}

/** The same, with the answer's status and request id (bulk create tells 201 / 207 / 422 apart). */
export async function peRequestFull<T = IDataObject>(ctx: RequestContext, call: HttpCall): Promise<HttpResult<T>> {
	return await sendRequest<T>(ctx, postEverywhereProvider, call);
}
