// The request engine against a mocked transport: empty 2xx bodies, rate limits longer than the
// node waits, and an API key with white space that a server echoes back.
import type { IHttpRequestOptions, INode } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import { powerPostProvider } from '../../nodes/PowerPost/transport';
import type { HttpCall, RequestContext, RetryPolicy } from '../../nodes/shared/http';
import { defaultRetryPolicy, secretForms, sendRequest } from '../../nodes/shared/http';

const node: INode = { id: '1', name: 'PowerPost', type: 'n8n-nodes-powerpost.powerPost', typeVersion: 1, position: [0, 0], parameters: {} };

interface Answer {
	statusCode: number;
	body?: unknown;
	headers?: Record<string, string>;
}

/** A context whose transport answers the given answers in turn and records every request. */
function transport(answers: Answer[], apiKey = 'pp_live_sk_unit_key_123') {
	const requests: IHttpRequestOptions[] = [];
	const ctx: RequestContext = {
		getNode: () => node,
		getCredentials: async <T extends object>() => ({ apiKey, workspaceId: 'ws_1', baseUrl: 'http://api.test/api/v1' }) as unknown as T,
		helpers: {
			httpRequestWithAuthentication: async (_type: string, options: IHttpRequestOptions) => {
				requests.push(options);
				const answer = answers.shift();
				if (!answer) throw new Error('no answer left');
				return { statusCode: answer.statusCode, headers: answer.headers ?? {}, body: answer.body };
			},
		},
	};
	return { ctx, requests };
}

async function failureOfCall(ctx: RequestContext, call: HttpCall, policy?: RetryPolicy): Promise<NodeApiError> {
	try {
		await sendRequest(ctx, powerPostProvider, call, policy);
	} catch (error) {
		return error as NodeApiError;
	}
	throw new Error('the call succeeded');
}

describe('a 2xx without a body is success (contract §17.9)', () => {
	test.each([
		['DELETE', 204, ''],
		['DELETE', 200, ''],
		['POST', 204, undefined],
		['PATCH', 200, '  \n'],
		['GET', 204, Buffer.alloc(0)],
		['PUT', 202, null],
	])('%s answered %i with %j', async (method, statusCode, body) => {
		const { ctx, requests } = transport([{ statusCode, body }]);
		const result = await sendRequest(ctx, powerPostProvider, { method: method as HttpCall['method'], path: '/calendar/entries/e1' });
		expect(result).toMatchObject({ status: statusCode, body: {}, emptyBody: true, attempts: 1 });
		expect(requests).toHaveLength(1);
	});

	test('a 200 with a body that is not JSON is still an error', async () => {
		const { ctx } = transport([{ statusCode: 200, body: 'OK then', headers: { 'content-type': 'text/plain' } }]);
		const error = await failureOfCall(ctx, { method: 'DELETE', path: '/calendar/entries/e1' });
		expect(error.message).toBe('PowerPost answered DELETE /calendar/entries/e1 with a body that is not valid JSON instead of JSON');
	});
});

describe('rate limits', () => {
	const limited = (retryAfter: number) => ({
		statusCode: 429,
		body: JSON.stringify({ error: { code: 'RATE_LIMIT_EXCEEDED', message: `Rate limit exceeded. Retry after ${retryAfter} s`, retryAfter } }),
	});

	test('a wait over the 5-minute cap: not waited, and the message says so, with the wait asked and when to retry', async () => {
		const { ctx, requests } = transport([limited(900)]);
		const before = Date.now();
		const error = await failureOfCall(ctx, { method: 'GET', path: '/account/credits' });
		expect(requests).toHaveLength(1);
		expect(error.message).toMatch(/^PowerPost: rate limit exceeded \[RATE_LIMIT_EXCEEDED\]\. /);
		expect(error.message).toContain('PowerPost asks to wait 15 min, longer than the 5 min this node waits, so it did not wait.');
		const retryAt = /Retry after (\S+Z)\.$/.exec(error.message)?.[1];
		expect(retryAt).toBeDefined();
		const retryMs = Date.parse(retryAt!);
		expect(retryMs).toBeGreaterThanOrEqual(Math.floor(before / 1000) * 1000 + 900_000);
		expect(retryMs).toBeLessThanOrEqual(Date.now() + 901_000);
		expect(error.message).not.toMatch(/after waiting/);
		expect(error.description).toMatch(/^Nothing was carried out/);
		expect(error.httpCode).toBe('429');
		expect(error.context.failure).toMatchObject({ code: 'RATE_LIMIT_EXCEEDED', rateLimit: { waits: 0, waitedAsAsked: false, retryAt } });
	});

	test('still limited after every allowed wait: says how often it waited', async () => {
		const policy: RetryPolicy = { ...defaultRetryPolicy, rateLimitRetries: 2 };
		const { ctx, requests } = transport([limited(0), limited(0), limited(0)]);
		const error = await failureOfCall(ctx, { method: 'GET', path: '/account/credits' }, policy);
		expect(requests).toHaveLength(3);
		expect(error.message).toMatch(/Still exceeded after the node waited 2 times as long as PowerPost asked\. Retry after \S+Z\.$/);
	});
});

describe('an API key with white space', () => {
	const key = 'pp_live_sk_Ab+c/9=xyz';
	const pasted = `  ${key} \n`;

	test('secretForms covers the key as pasted, trimmed, URL-encoded, JSON-escaped and base64', () => {
		const forms = secretForms([pasted]);
		for (const form of [pasted, key, encodeURIComponent(key), Buffer.from(key).toString('base64'), JSON.stringify(pasted).slice(1, -1)]) {
			expect(forms).toContain(form);
		}
		// Longest first: a longer form is replaced before a shorter one inside it.
		expect(forms).toEqual([...forms].sort((a, b) => b.length - a.length));
	});

	test('a server that echoes the trimmed key: no form of it in message, description or the serialized error', async () => {
		const echo = `Invalid API key ${key} (${encodeURIComponent(key)}), header was "${JSON.stringify(pasted).slice(1, -1)}"`;
		const { ctx } = transport(
			[{ statusCode: 401, body: JSON.stringify({ error: { code: 'INVALID_API_KEY', message: echo, presented: key, b64: Buffer.from(key).toString('base64') } }) }],
			pasted,
		);
		const error = await failureOfCall(ctx, { method: 'GET', path: '/posts' });
		const everything = [error.message, error.description ?? '', JSON.stringify(error), JSON.stringify(error.context), JSON.stringify(error.cause ?? null), String(error.stack)].join('\n');
		for (const form of [key, encodeURIComponent(key), Buffer.from(key).toString('base64'), 'Ab+c/9=xyz']) {
			expect(everything).not.toContain(form);
		}
		expect(error.message).toBe('PowerPost: Invalid API key *** (***), header was "***" [INVALID_API_KEY]');
	});
});
