// The transport's provider hooks (request id from the body, envelope unwrap, accepted statuses) and
// the presigned-URL path, against a mocked n8n transport: what is sent, and what comes back.
import type { IHttpRequestOptions, INode } from 'n8n-workflow';

import type { Provider, RequestContext } from '../../../nodes/shared/http';
import { failureOf, sendRequest } from '../../../nodes/shared/http';
import { sendPresigned } from '../../../nodes/shared/presigned';

const node: INode = { id: '1', name: 'Test', type: 'test', typeVersion: 1, position: [0, 0], parameters: {} };

const provider: Provider = {
	name: 'Acme',
	credentialType: 'acmeApi',
	baseUrl: () => 'https://api.acme.test/v1',
	secrets: () => ['sk_secret_key_1234'],
	readError: (body) => {
		const error = (body as { error?: { code?: string; message?: string } })?.error;
		return { code: error?.code, message: error?.message };
	},
	explain: (failure) => ({ message: `Acme: ${failure.apiMessage ?? failure.kind}`, description: `request ${failure.requestId ?? 'none'}` }),
	requestIdFromBody: (body) => (body as { meta?: { request_id?: string } })?.meta?.request_id,
	unwrap: (body) => (body as { data?: unknown }).data,
};

function context(answers: Array<{ statusCode: number; body: unknown; headers?: Record<string, string> }>) {
	const sent: IHttpRequestOptions[] = [];
	const ctx: RequestContext = {
		getNode: () => node,
		getCredentials: async <T extends object>() => ({ apiKey: 'sk_secret_key_1234' }) as unknown as T,
		helpers: {
			async httpRequestWithAuthentication(_type: string, options: IHttpRequestOptions) {
				sent.push(options);
				const answer = answers.shift();
				if (!answer) throw new Error('no more answers');
				return { headers: {}, ...answer, body: JSON.stringify(answer.body) };
			},
		},
	};
	return { ctx, sent };
}

test('a successful answer is unwrapped from its envelope, and its request id read from the body', async () => {
	const { ctx } = context([{ statusCode: 200, body: { data: { id: 7 }, error: null, meta: { request_id: 'req_body_1' } } }]);
	const result = await sendRequest(ctx, provider, { method: 'GET', path: '/things/7' });
	expect(result.body).toEqual({ id: 7 });
	expect(result.requestId).toBe('req_body_1');
});

test('an error names the request id from the body when no header carries it', async () => {
	const { ctx } = context([{ statusCode: 404, body: { data: null, error: { code: 'not_found', message: 'No such thing' }, meta: { request_id: 'req_body_2' } } }]);
	const error = await sendRequest(ctx, provider, { method: 'GET', path: '/things/8' }).catch((e: unknown) => e);
	expect(failureOf(error)?.requestId).toBe('req_body_2');
	expect((error as { description?: string }).description).toContain('req_body_2');
});

test('a status the call accepts is an answer, not an error (and only that one)', async () => {
	const mixed = { data: { summary: { failed: 2 }, results: [] }, error: null, meta: { request_id: 'r' } };
	const { ctx } = context([{ statusCode: 422, body: mixed }]);
	const result = await sendRequest(ctx, provider, { method: 'POST', path: '/bulk', body: {}, acceptStatuses: [422] });
	expect(result.status).toBe(422);
	expect(result.body).toEqual({ summary: { failed: 2 }, results: [] });
	const other = context([{ statusCode: 400, body: { error: { code: 'bad', message: 'Bad' } } }]);
	await expect(sendRequest(other.ctx, provider, { method: 'POST', path: '/bulk', body: {}, acceptStatuses: [422] })).rejects.toThrow('Acme: Bad');
});

describe('presigned uploads', () => {
	function presignedContext(statuses: number[]) {
		const plain: IHttpRequestOptions[] = [];
		const authenticated: unknown[] = [];
		const ctx = {
			getNode: () => node,
			helpers: {
				async httpRequest(options: IHttpRequestOptions) {
					plain.push(options);
					return { statusCode: statuses.shift() ?? 200, body: '' };
				},
				async httpRequestWithAuthentication(...args: unknown[]) {
					authenticated.push(args);
					return {};
				},
			},
		};
		return { ctx, plain, authenticated };
	}
	const body = (opened: { count: number }) => ({
		contentType: 'video/mp4',
		contentLength: 4,
		open: async () => {
			opened.count++;
			return Buffer.from('abcd');
		},
	});

	test('go through the plain HTTP helper, never with the credential or an Authorization header', async () => {
		const { ctx, plain, authenticated } = presignedContext([200]);
		const opened = { count: 0 };
		await sendPresigned(ctx, {
			method: 'PUT',
			url: 'https://uploads.acme.test/bucket/object?X-Signature=abcdef0123456789abcdef',
			headers: { 'Content-Type': 'video/mp4', Authorization: 'Bearer leaked' },
			body: body(opened),
			provider: 'Acme',
		});
		expect(authenticated).toHaveLength(0);
		expect(plain).toHaveLength(1);
		expect(Object.keys(plain[0].headers ?? {}).map((name) => name.toLowerCase())).not.toContain('authorization');
		expect(plain[0].headers?.['Content-Length']).toBe('4');
		expect(plain[0].disableFollowRedirect).toBe(true);
	});

	test('a PUT is repeated after a 5xx with a newly opened body; a refusal names the host but not the signature', async () => {
		const { ctx, plain } = presignedContext([503, 200]);
		const opened = { count: 0 };
		await sendPresigned(ctx, { method: 'PUT', url: 'https://uploads.acme.test/o', body: body(opened), provider: 'Acme' });
		expect(plain).toHaveLength(2);
		expect(opened.count).toBe(2);

		const refused = presignedContext([403]);
		const error = await sendPresigned(refused.ctx, {
			method: 'POST',
			url: 'https://uploads.acme.test/direct/tok_0123456789abcdefghij?sig=SECRETSIG',
			body: body({ count: 0 }),
			provider: 'Acme',
		}).catch((e: unknown) => e as Error);
		expect(refused.plain).toHaveLength(1);
		expect((error as Error).message).toContain('uploads.acme.test');
		expect(JSON.stringify(error)).not.toContain('SECRETSIG');
		expect(JSON.stringify(error)).not.toContain('tok_0123456789abcdefghij');
	});
});
