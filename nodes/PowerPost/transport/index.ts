import type { ICredentialDataDecryptedObject, IDataObject } from 'n8n-workflow';

import type { Failure, HttpCall, HttpResult, Provider, RateLimitOutcome, RequestContext } from '../../shared/http';
import { sendRequest } from '../../shared/http';
import { explainTransportFailure } from '../../shared/explain';
import { presetsWith, scopeFor } from './scopes';

export const CREDENTIAL_TYPE = 'powerPostApi';
export const DEFAULT_BASE_URL = 'https://powerpost.ai/api/v1';
export const DOCS = 'https://powerpost.ai/docs';

/** Contract §14: one actionable sentence per documented error code. */
const CODE_HINTS: Record<string, string> = {
	VALIDATION_ERROR: 'PowerPost rejected a field of the request. The message above names it.',
	INVALID_API_KEY:
		'The API key in the PowerPost credential is missing, revoked or mistyped. Create a key in PowerPost under Settings → API and paste it into the credential.',
	INSUFFICIENT_CREDITS:
		'The account has too few credits for this action. Buy credits in the PowerPost dashboard, or check the balance with Account → Get Credits.',
	FORBIDDEN:
		'This key has no access here. A 403 without a scope usually means the Workspace ID in the credential belongs to another account: copy it from PowerPost → Settings → Workspaces.',
	NOT_FOUND:
		'Nothing with this ID exists in the credential\'s workspace. IDs from another workspace are not visible: check the ID and the Workspace ID of the credential.',
	ALREADY_PUBLISHED:
		'Only a draft can be published or scheduled, and a post that has started posting can no longer be cancelled. Read the post with Post → Get to see its status; to publish the content again, create a new post.',
	INVALID_STATE:
		'The post is not in a state this action applies to: Cancel Publish needs a scheduled post, or one whose publishing has not started posting. Read the post with Post → Get to see its status.',
	FILE_TOO_LARGE: 'The file is over PowerPost\'s size limit: images up to 10 MB, videos up to 500 MB.',
	STORAGE_QUOTA_EXCEEDED: 'The account\'s media storage (10 GB) is full. Delete media in the PowerPost dashboard first.',
	PLATFORM_NOT_CONNECTED:
		'A platform of this post is not connected in the workspace. Connect it in PowerPost under Settings → Connections, or remove that post type.',
	RATE_LIMIT_EXCEEDED: 'PowerPost\'s rate limit was exceeded. Run the node again later, or spread the calls out.',
	INTERNAL_ERROR: 'PowerPost had an internal error. Try again later; quote the request ID to PowerPost support if it persists.',
};

export const powerPostProvider: Provider = {
	name: 'PowerPost',
	credentialType: CREDENTIAL_TYPE,

	baseUrl(credentials: ICredentialDataDecryptedObject): string {
		const raw = typeof credentials.baseUrl === 'string' && credentials.baseUrl.trim() !== '' ? credentials.baseUrl : DEFAULT_BASE_URL;
		return raw.trim().replace(/\/+$/, '');
	},

	secrets(credentials: ICredentialDataDecryptedObject): string[] {
		return typeof credentials.apiKey === 'string' ? [credentials.apiKey] : [];
	},

	readError(body: unknown) {
		const root = body && typeof body === 'object' ? (body as IDataObject) : {};
		const error = root.error && typeof root.error === 'object' ? (root.error as IDataObject) : undefined;
		if (!error) return {};
		const { code, message, retryAfter, ...details } = error;
		const after = retryAfter ?? root.retryAfter;
		return {
			code: typeof code === 'string' ? code : undefined,
			message: typeof message === 'string' ? message : undefined,
			retryAfterSeconds: after !== undefined && after !== null && after !== '' && Number.isFinite(Number(after)) ? Number(after) : undefined,
			details: Object.keys(details).length ? (details as IDataObject) : undefined,
		};
	},

	explain(failure: Failure, call: HttpCall) {
		const requestId = failure.requestId ? ` Request ID: ${failure.requestId}.` : '';
		const endpoint = `${call.method} ${call.path}`;
		const transport = explainTransportFailure('PowerPost', failure, call, {
			html: 'This is usually a login page or proxy in front of the API: check that the Base URL in the credential ends with /api/v1.',
			checkResult: 'for example with Post → Get',
		});
		if (transport) return transport;
		const status = failure.status ?? 0;
		const code = failure.code ?? (status === 401 ? 'INVALID_API_KEY' : status === 404 ? 'NOT_FOUND' : status >= 500 ? 'INTERNAL_ERROR' : undefined);
		let hint = (code && CODE_HINTS[code]) ?? '';
		if (code === 'INSUFFICIENT_SCOPE' || (status === 403 && /scope/i.test(failure.apiMessage ?? ''))) {
			const named = typeof failure.details?.scope === 'string' ? failure.details.scope : /\b([a-z]+:[a-z]+)\b/.exec(failure.apiMessage ?? '')?.[1];
			const scope = named ?? scopeFor(call.method, call.path);
			hint = scope
				? `The API key lacks the "${scope}" scope. Keys made with the ${presetsWith(scope).join(' or ')} preset have it: create such a key in PowerPost under Settings → API.`
				: 'The API key lacks a scope this endpoint needs. Create a key with the Full access preset in PowerPost under Settings → API.';
		}
		if (status === 400 && /workspace/i.test(failure.apiMessage ?? '')) {
			hint = 'Set the Workspace ID in the credential (PowerPost → Settings → Workspaces → copy).';
		}
		if (status === 429 && failure.rateLimit) return explainRateLimit(failure.rateLimit, requestId);
		if (status === 429 && !hint) hint = CODE_HINTS.RATE_LIMIT_EXCEEDED;
		if (failure.notResent) {
			hint += ' The request was not sent again: PowerPost may have carried it out, and repeating it could create or publish twice. Check the result before running it again.';
		}
		const apiMessage = failure.apiMessage ?? `HTTP ${status}`;
		return {
			message: `PowerPost: ${apiMessage}${code ? ` [${code}]` : ''}`,
			description: `${hint}${requestId}`.trim() || `${endpoint} answered HTTP ${status}.${requestId}`,
		};
	},
};

/**
 * A 429 that ended the call: whether the node waited, the wait PowerPost asked for, and when to retry,
 * all in the message (an AI agent calling the node as a tool sees only the message).
 */
function explainRateLimit(rateLimit: RateLimitOutcome, requestId: string): { message: string; description: string } {
	const asked = formatDuration(rateLimit.askedMs);
	if (!rateLimit.waitedAsAsked) {
		return {
			message: `PowerPost: rate limit exceeded [RATE_LIMIT_EXCEEDED]. PowerPost asks to wait ${asked}, longer than the ${formatDuration(rateLimit.maxWaitMs)} this node waits, so it did not wait. Retry after ${rateLimit.retryAt}.`,
			description: `Nothing was carried out: PowerPost refuses a rate-limited request before doing anything. Run the node again after ${rateLimit.retryAt}, or spread the calls out (for example with a Wait node or fewer items per run).${requestId}`,
		};
	}
	return {
		message: `PowerPost: rate limit exceeded [RATE_LIMIT_EXCEEDED]. Still exceeded after the node waited ${rateLimit.waits} times as long as PowerPost asked. Retry after ${rateLimit.retryAt}.`,
		description: `Nothing was carried out by the last request: PowerPost refuses a rate-limited request before doing anything. Other calls with the same API key are probably using up the limit; run the node again after ${rateLimit.retryAt}, or spread the calls out.${requestId}`,
	};
}

/** 900000 → "15 min"; 930000 → "16 min (930 s)"; 2050 → "2 s". */
function formatDuration(ms: number): string {
	const seconds = Math.round(ms / 1000);
	if (seconds < 120) return `${seconds} s`;
	const minutes = Math.round(seconds / 60);
	const exact = minutes * 60 === seconds ? '' : ` (${seconds} s)`;
	if (minutes < 120) return `${minutes} min${exact}`;
	return `${Math.round(minutes / 6) / 10} h${exact}`;
}

/** The one request path of the PowerPost nodes: returns the parsed JSON body. */
export async function powerPostRequest<T = IDataObject>(ctx: RequestContext, call: HttpCall): Promise<T> {
	const result = await sendRequest<T>(ctx, powerPostProvider, call);
	return result.body;
}

/** The same, with status, headers and request id. */
export async function powerPostRequestFull<T = IDataObject>(ctx: RequestContext, call: HttpCall): Promise<HttpResult<T>> {
	return await sendRequest<T>(ctx, powerPostProvider, call);
}
