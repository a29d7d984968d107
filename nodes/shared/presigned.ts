import type { IHttpRequestMethods, IHttpRequestOptions, INode } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import { cancelledError, isCancelled, waitMs } from './wait';

/**
 * The call path for presigned URLs (object stores behind an API's upload step): another host, so
 * the request goes through n8n's plain `httpRequest` and never carries the credential. The body is
 * streamed with an exact Content-Length and without following redirects (which would buffer it).
 * A PUT of the same object is repeated after a network error or 5xx with a freshly opened stream;
 * a POST is not. The URL's query (its signature) never appears in an error.
 */
export interface PresignedContext {
	getNode(): INode;
	getExecutionCancelSignal?: () => AbortSignal | undefined;
	helpers: { httpRequest(options: IHttpRequestOptions): Promise<unknown> };
}

export interface PresignedCall {
	method: Extract<IHttpRequestMethods, 'PUT' | 'POST'>;
	url: string;
	/** Headers the upload step asked for (e.g. Content-Type); never an Authorization header. */
	headers?: Record<string, string>;
	body: { open: () => Promise<NodeJS.ReadableStream | Buffer>; contentType: string; contentLength: number };
	timeoutMs?: number;
	itemIndex?: number;
	/** Product name for messages ("PostEverywhere"). */
	provider: string;
}

const TRANSIENT_RETRIES = 2;

/** Where a presigned URL points, without its signature: `https://host/path`. */
export function describeUrl(url: string): string {
	try {
		const parsed = new URL(url);
		return `${parsed.origin}${parsed.pathname.replace(/\/[^/]{16,}$/, '/…')}`;
	} catch {
		return '(invalid URL)';
	}
}

export async function sendPresigned(ctx: PresignedContext, call: PresignedCall): Promise<{ status: number; body: unknown }> {
	const where = describeUrl(call.url);
	const headers: Record<string, string> = {};
	for (const [name, value] of Object.entries(call.headers ?? {})) if (!/^authorization$/i.test(name)) headers[name] = value;
	headers['Content-Type'] = call.body.contentType;
	headers['Content-Length'] = String(call.body.contentLength);
	for (let attempt = 1; ; attempt++) {
		if (isCancelled(ctx)) throw cancelledError(ctx, call.itemIndex);
		const options: IHttpRequestOptions = {
			method: call.method,
			url: call.url,
			headers,
			body: (await call.body.open()) as unknown as IHttpRequestOptions['body'],
			json: false,
			encoding: 'text',
			returnFullResponse: true,
			ignoreHttpStatusErrors: true,
			disableFollowRedirect: true,
			timeout: call.timeoutMs ?? 600_000,
		};
		let status: number;
		let body: unknown;
		try {
			const raw = (await ctx.helpers.httpRequest(options)) as { statusCode: number; body: unknown };
			status = raw.statusCode;
			body = raw.body;
		} catch (error) {
			if (isCancelled(ctx)) throw cancelledError(ctx, call.itemIndex);
			if (call.method === 'PUT' && attempt <= TRANSIENT_RETRIES) {
				await waitMs(ctx, 1000 * attempt, call.itemIndex);
				continue;
			}
			throw new NodeApiError(ctx.getNode(), { message: (error as Error).message ?? 'network error', url: where }, {
				message: `Sending the file to ${call.provider}'s storage failed: ${call.method} ${where}`,
				description: `No answer came from the upload host (${(error as Error).message ?? 'network error'}). The API key was not sent there. Run the upload again; it starts a new upload.`,
				itemIndex: call.itemIndex,
			});
		}
		if (status >= 200 && status < 300) return { status, body };
		if (status >= 500 && call.method === 'PUT' && attempt <= TRANSIENT_RETRIES) {
			await waitMs(ctx, 1000 * attempt, call.itemIndex);
			continue;
		}
		const sample = typeof body === 'string' ? body.slice(0, 200) : '';
		throw new NodeApiError(ctx.getNode(), { status, url: where, body: sample }, {
			message: `${call.provider}'s storage refused the file: HTTP ${status} from ${call.method} ${where}`,
			description:
				status === 403 || status === 410
					? 'The upload URL was refused or has expired (they are valid for a limited time). Run the upload again; it asks for a new URL.'
					: `The upload host answered: ${sample || `HTTP ${status}`}. Check the file's type and size.`,
			httpCode: String(status),
			itemIndex: call.itemIndex,
		});
	}
}
