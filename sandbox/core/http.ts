// Small HTTP helpers shared by sandbox servers (JSON in/out, listen/close on 127.0.0.1).
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export const MAX_JSON_BYTES = 1024 * 1024;

export type JsonRead = { kind: 'empty' } | { kind: 'json'; value: unknown } | { kind: 'invalid' } | { kind: 'too-large' };

export function readJson(req: IncomingMessage, max = MAX_JSON_BYTES): Promise<JsonRead> {
	return new Promise((resolve, reject) => {
		const chunks: Buffer[] = [];
		let size = 0;
		let tooLarge = false;
		req.on('data', (c: Buffer) => {
			size += c.length;
			if (size > max) tooLarge = true;
			else chunks.push(c);
		});
		req.on('end', () => {
			if (tooLarge) return resolve({ kind: 'too-large' });
			const text = Buffer.concat(chunks).toString('utf8');
			if (text.trim() === '') return resolve({ kind: 'empty' });
			try {
				resolve({ kind: 'json', value: JSON.parse(text) as unknown });
			} catch {
				resolve({ kind: 'invalid' });
			}
		});
		req.on('error', reject);
	});
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
	sendText(res, status, 'application/json; charset=utf-8', JSON.stringify(body), headers);
}

export function sendText(res: ServerResponse, status: number, contentType: string, text: string, headers: Record<string, string> = {}): void {
	if (res.destroyed || res.headersSent) return;
	res.writeHead(status, { 'Content-Type': contentType, 'Content-Length': String(Buffer.byteLength(text)), ...headers });
	res.end(text);
}

export async function listen(server: Server, port: number): Promise<number> {
	await new Promise<void>((resolve, reject) => {
		server.once('error', reject);
		server.listen(port, '127.0.0.1', () => {
			server.off('error', reject);
			resolve();
		});
	});
	return (server.address() as AddressInfo).port;
}

export function closeServer(server: Server): Promise<void> {
	return new Promise((resolve) => {
		server.close(() => resolve());
		server.closeAllConnections();
	});
}

/** `/posts/:post_id/results` -> a matcher returning the named params. */
export function compilePath(pattern: string): (path: string) => Record<string, string> | null {
	const names: string[] = [];
	const re = new RegExp(
		'^' +
			pattern.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/:([a-z_]+)/gi, (_m, n: string) => {
				names.push(n);
				return '([^/]+)';
			}) +
			'$',
	);
	return (path) => {
		const m = re.exec(path);
		if (!m) return null;
		const out: Record<string, string> = {};
		names.forEach((n, i) => {
			out[n] = decodeURIComponent(m[i + 1]);
		});
		return out;
	};
}
