/**
 * A tiny fault-injecting pass-through in front of the sandbox, for the trigger: it counts the
 * requests of one poll and fails the n-th (or every request from the n-th on), so a poll can be
 * made to fail at each of its steps. The sandbox's own faults match by path only and cannot pick
 * "the second page of GET /posts".
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export type ProxyFault = 'html' | 'malformed-json' | 'drop' | '503' | '429-long' | '500-persistent';

export interface FaultProxy {
	/** Base URL (with /api/v1) to give the node. */
	url: string;
	/** Fail request number `at` (1-based) of the next poll; persistent kinds fail every request from `at` on. */
	arm(at: number, kind: ProxyFault): void;
	/** Starts counting a new poll; returns whether the armed fault fired in the previous one. */
	reset(): { fired: number };
	close(): Promise<void>;
}

export async function startFaultProxy(target: string): Promise<FaultProxy> {
	const upstream = new URL(target);
	let count = 0;
	let fired = 0;
	let armed: { at: number; kind: ProxyFault } | undefined;

	const server = http.createServer((req, res) => {
		count++;
		const fault = armed && (count === armed.at || (armed.kind === '500-persistent' && count > armed.at)) ? armed.kind : undefined;
		if (fault) {
			fired++;
			req.resume();
			switch (fault) {
				case 'drop':
					req.socket.destroy();
					return;
				case 'html':
					res.writeHead(200, { 'Content-Type': 'text/html' });
					res.end('<!DOCTYPE html><html><body>Bad gateway</body></html>');
					return;
				case 'malformed-json':
					res.writeHead(200, { 'Content-Type': 'application/json' });
					res.end('{"data":[{"post_id":"x"');
					return;
				case '503':
				case '500-persistent':
					res.writeHead(fault === '503' ? 503 : 500, { 'Content-Type': 'application/json' });
					res.end(JSON.stringify({ error: { code: 'INTERNAL_ERROR', message: 'Proxy fault' } }));
					return;
				case '429-long':
					res.writeHead(429, { 'Content-Type': 'application/json' });
					res.end(JSON.stringify({ error: { code: 'RATE_LIMIT_EXCEEDED', message: 'Rate limit exceeded', retryAfter: 3600 } }));
					return;
			}
		}
		const forward = http.request(
			{ host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: req.headers },
			(answer) => {
				res.writeHead(answer.statusCode ?? 502, answer.headers);
				answer.pipe(res);
			},
		);
		forward.on('error', () => res.destroy());
		req.pipe(forward);
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as AddressInfo;
	return {
		url: `http://127.0.0.1:${port}${upstream.pathname.replace(/\/$/, '')}`,
		arm(at, kind) {
			armed = { at, kind };
		},
		reset() {
			const result = { fired };
			count = 0;
			fired = 0;
			armed = undefined;
			return result;
		},
		async close() {
			server.closeAllConnections();
			await new Promise<void>((resolve) => server.close(() => resolve()));
		},
	};
}
