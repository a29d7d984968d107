// `npm run sandbox` entry point: starts, prints URL/keys/workspaces, serves, stops on SIGTERM.
import { spawn } from 'node:child_process';
import path from 'node:path';

test('cli prints base URL, keys, workspaces and a credential hint, and serves the API', async () => {
	const root = path.resolve(__dirname, '../..');
	const child = spawn(process.execPath, [path.join(root, 'node_modules/tsx/dist/cli.mjs'), 'sandbox/cli.ts', '--port', '0', '--quiet'], {
		cwd: root,
		stdio: ['ignore', 'pipe', 'pipe'],
	});
	try {
		let out = '';
		const url = await new Promise<string>((resolve, reject) => {
			const timer = setTimeout(() => reject(new Error(`cli did not start: ${out}`)), 20_000);
			child.stdout.on('data', (d: Buffer) => {
				out += d.toString();
				const m = /Base URL:\s+(http:\/\/127\.0\.0\.1:\d+\/api\/v1)/.exec(out);
				if (m && out.includes('Ctrl-C')) {
					clearTimeout(timer);
					resolve(m[1]);
				}
			});
			child.on('exit', (code) => reject(new Error(`cli exited ${code}: ${out}`)));
		});
		for (const s of ['pp_live_sk_sandbox_full', 'pp_live_sk_sandbox_draft', 'pp_live_sk_sandbox_read', 'pp_live_sk_sandbox_nocredits', 'ws_sandbox_primary', 'ws_sandbox_secondary', 'ws_sandbox_foreign', 'Workspace ID:'])
			expect(out).toContain(s);
		const res = await fetch(`${url}/account/credits`, { headers: { 'x-api-key': 'pp_live_sk_sandbox_full' } });
		expect(await res.json()).toEqual({ balance: 1000 });
	} finally {
		const exited = new Promise((r) => child.once('exit', r));
		child.kill('SIGTERM');
		await exited;
	}
}, 30_000);
