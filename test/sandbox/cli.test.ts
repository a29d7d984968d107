// `npm run sandbox` entry point: starts, prints URL/keys/workspaces, serves, stops on SIGTERM.
import { startCli } from './cli-helper';

test('cli prints base URL, keys, workspaces and a credential hint, and serves the API', async () => {
	const cli = await startCli('sandbox/cli.ts', ['--port', '0', '--quiet']);
	try {
		for (const s of ['pp_live_sk_sandbox_full', 'pp_live_sk_sandbox_draft', 'pp_live_sk_sandbox_read', 'pp_live_sk_sandbox_nocredits', 'ws_sandbox_primary', 'ws_sandbox_secondary', 'ws_sandbox_foreign', 'Workspace ID:'])
			expect(cli.out).toContain(s);
		const res = await fetch(`${cli.url}/account/credits`, { headers: { 'x-api-key': 'pp_live_sk_sandbox_full' } });
		expect(await res.json()).toEqual({ balance: 1000 });
	} finally {
		await cli.stop();
	}
}, 30_000);
