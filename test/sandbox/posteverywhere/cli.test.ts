// `npm run sandbox:posteverywhere` entry point: starts with a profile, prints URLs and keys, serves, stops on SIGTERM.
import { startCli } from '../cli-helper';

test('cli prints base URL, upload host, profile, keys and accounts, and serves the API', async () => {
	const cli = await startCli('sandbox/posteverywhere/cli.ts', ['--port', '0', '--upload-port', '0', '--profile', 'strict', '--switch', 'localWebhookUrls', '--timing', 'publishAttempt=50', '--quiet']);
	try {
		expect(cli.out).toMatch(/Upload host:\s+http:\/\/127\.0\.0\.1:\d+/);
		expect(cli.out).toMatch(/Profile:\s+strict\s+\(switches on: localWebhookUrls\)/);
		for (const s of ['pe_live_5a4db0c0000000000000000000000001', 'pe_live_5a4db0c0000000000000000000000002', 'instagram 2280', 'expired 2290']) expect(cli.out).toContain(s);
		const res = await fetch(`${cli.url}/me`, { headers: { Authorization: 'Bearer pe_live_5a4db0c0000000000000000000000001' } });
		expect(res.status).toBe(200);
		expect(res.headers.get('x-request-id')).toBeNull(); // strict: request id only in the body
		expect(((await res.json()) as { data: { scopes: string[] } }).data.scopes).toEqual(['read', 'write', 'ai']);
		const info = (await (await fetch(cli.url.replace('/api/v1', '/__sandbox/info'))).json()) as { timing: { publishAttempt: number }; switches: Record<string, boolean> };
		expect(info.timing.publishAttempt).toBe(50);
		expect(info.switches).toMatchObject({ localWebhookUrls: true, requestIdHeader: false });
	} finally {
		await cli.stop();
	}
}, 30_000);
