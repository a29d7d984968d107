// Start a sandbox CLI (tsx <script> <args>) and wait for its banner (Base URL ... Ctrl-C).
import { spawn } from 'node:child_process';
import path from 'node:path';

export async function startCli(script: string, args: string[]): Promise<{ out: string; url: string; stop(): Promise<void> }> {
	const root = path.resolve(__dirname, '../..');
	const child = spawn(process.execPath, [path.join(root, 'node_modules/tsx/dist/cli.mjs'), script, ...args], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
	const stop = async () => {
		if (child.exitCode !== null) return;
		const exited = new Promise((r) => child.once('exit', r));
		child.kill('SIGTERM');
		await exited;
	};
	let out = '';
	try {
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
		return { out, url, stop };
	} catch (err) {
		await stop();
		throw err;
	}
}
