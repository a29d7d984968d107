import { startPostEverywhereSandbox, type PostEverywhereSandboxOptions, type PostEverywhereSandbox } from '../../../sandbox/posteverywhere/server';

/** One sandbox per describe block (fresh state before each test); `set` receives it. */
export function withSandbox(opts: PostEverywhereSandboxOptions, set: (sb: PostEverywhereSandbox) => void): void {
	let sb: PostEverywhereSandbox | undefined;
	beforeAll(async () => {
		sb = await startPostEverywhereSandbox(opts);
		set(sb);
	});
	afterAll(() => sb?.stop());
	beforeEach(() => sb?.reset());
}

export interface Res {
	status: number;
	headers: Headers;
	// eslint-disable-next-line @typescript-eslint/no-explicit-any
	body: any;
	text: string;
}

export type Api = (method: string, path: string, body?: unknown, headers?: Record<string, string>) => Promise<Res>;

async function read(res: Response): Promise<Res> {
	const text = await res.text();
	let body: unknown;
	try {
		body = JSON.parse(text);
	} catch {
		body = undefined;
	}
	return { status: res.status, headers: res.headers, body, text };
}

/** A JSON client for the sandbox API with a Bearer key (null = no Authorization header). */
export function api(sb: PostEverywhereSandbox, key: string | null = sb.keys.full): Api {
	return async (method, path, body, headers = {}) => {
		const h: Record<string, string> = { ...headers };
		if (key !== null) h.Authorization = `Bearer ${key}`;
		if (body !== undefined) h['Content-Type'] = 'application/json';
		return read(await fetch(sb.url + path, { method, headers: h, body: body === undefined ? undefined : JSON.stringify(body) }));
	};
}

export async function raw(url: string, init: RequestInit): Promise<Res> {
	return read(await fetch(url, init));
}

/** The documented error envelope (§1): data null, error {code, message, retryable}, meta.request_id. */
export function expectError(res: Res, status: number, code: string, message?: RegExp | string): void {
	expect({ status: res.status, code: res.body?.error?.code }).toEqual({ status, code });
	expect(res.body.data).toBeNull();
	expect(typeof res.body.error.message).toBe('string');
	expect(typeof res.body.error.retryable).toBe('boolean');
	expect(res.body.meta.request_id).toMatch(/^req_/);
	if (message !== undefined) expect(res.body.error.message).toMatch(message);
}

/** Create a post and return its data. */
export async function createPost(call: Api, body: Record<string, unknown>) {
	const r = await call('POST', '/posts', body);
	if (r.status !== 201) throw new Error(`create failed: ${r.status} ${r.text}`);
	return r.body.data;
}

/** Upload bytes through the three steps; returns the step-1 and complete answers. */
export async function uploadMedia(sb: PostEverywhereSandbox, file: { data: Buffer; filename: string; contentType: string }) {
	const call = api(sb);
	const step1 = await call('POST', '/media/upload', { filename: file.filename, content_type: file.contentType, size: file.data.length });
	if (step1.status !== 201) throw new Error(`step 1 failed: ${step1.text}`);
	const u = step1.body.data;
	let put: Res;
	if (u.upload_method.method === 'PUT') put = await raw(u.upload_url, { method: 'PUT', headers: u.upload_method.headers, body: file.data });
	else {
		const form = new FormData();
		form.append(u.upload_method.field_name, new Blob([file.data], { type: file.contentType }), file.filename);
		put = await raw(u.upload_url, { method: 'POST', body: form });
	}
	if (put.status !== 200) throw new Error(`step 2 failed: ${put.status} ${put.text}`);
	const done = await call('POST', `/media/${u.media_id}/complete`);
	return { step1: u, complete: done };
}

export const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');
export const future = (sb: PostEverywhereSandbox, ms: number) => new Date(sb.now() + ms).toISOString();
