import type { Sandbox } from '../../sandbox/server';

export interface ApiResponse {
	status: number;
	headers: Headers;
	// eslint-disable-next-line @typescript-eslint/no-explicit-any
	body: any;
	text: string;
}

export type Caller = (method: string, path: string, body?: unknown, headers?: Record<string, string>) => Promise<ApiResponse>;

/** A tiny JSON client bound to a key and workspace (null = no X-Workspace-Id header). */
export function client(sb: Sandbox, key: string | null = sb.keys.full, workspace: string | null = sb.workspaces.primary): Caller {
	return async (method, path, body, headers = {}) => {
		const h: Record<string, string> = { ...headers };
		if (key !== null) h['x-api-key'] = key;
		if (workspace !== null) h['X-Workspace-Id'] = workspace;
		if (body !== undefined) h['Content-Type'] = 'application/json';
		const res = await fetch(sb.url + path, { method, headers: h, body: body === undefined ? undefined : JSON.stringify(body) });
		const text = await res.text();
		let json: unknown;
		try {
			json = JSON.parse(text);
		} catch {
			json = undefined;
		}
		return { status: res.status, headers: res.headers, body: json, text };
	};
}

export function expectError(res: ApiResponse, status: number, code: string, messageIncludes?: string | RegExp): void {
	expect({ status: res.status, code: res.body?.error?.code }).toEqual({ status, code });
	expect(typeof res.body.error.message).toBe('string');
	if (messageIncludes !== undefined) expect(res.body.error.message).toMatch(messageIncludes);
}

/** Build a multipart/form-data body in memory (small files only). */
export function multipart(parts: { name: string; value: string | Buffer; filename?: string; contentType?: string }[]) {
	const boundary = `----sandboxtest${Math.random().toString(16).slice(2)}`;
	const chunks: Buffer[] = [];
	for (const p of parts) {
		let head = `--${boundary}\r\nContent-Disposition: form-data; name="${p.name}"`;
		if (p.filename !== undefined) head += `; filename="${p.filename}"`;
		head += '\r\n';
		if (p.contentType) head += `Content-Type: ${p.contentType}\r\n`;
		head += '\r\n';
		chunks.push(Buffer.from(head), Buffer.isBuffer(p.value) ? p.value : Buffer.from(p.value), Buffer.from('\r\n'));
	}
	chunks.push(Buffer.from(`--${boundary}--\r\n`));
	return { body: Buffer.concat(chunks), contentType: `multipart/form-data; boundary=${boundary}` };
}

export async function upload(
	sb: Sandbox,
	file: { data: Buffer; filename: string; contentType: string },
	type: string | null,
	key = sb.keys.full,
	workspace = sb.workspaces.primary,
): Promise<ApiResponse> {
	const parts: Parameters<typeof multipart>[0] = [];
	if (type !== null) parts.push({ name: 'type', value: type });
	parts.push({ name: 'file', value: file.data, filename: file.filename, contentType: file.contentType });
	const mp = multipart(parts);
	const res = await fetch(`${sb.url}/media/upload`, {
		method: 'POST',
		headers: { 'x-api-key': key, 'X-Workspace-Id': workspace, 'Content-Type': mp.contentType },
		body: mp.body,
	});
	const text = await res.text();
	let json: unknown;
	try {
		json = JSON.parse(text);
	} catch {
		json = undefined;
	}
	return { status: res.status, headers: res.headers, body: json, text };
}

export const PNG = Buffer.from(
	'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==',
	'base64',
);
