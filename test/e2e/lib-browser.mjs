// Headless Chromium for the editor check: find (or install) Debian's chromium, launch it through
// playwright-core, and sort console messages into harmless-known and real errors.

import { spawnSync } from 'node:child_process';
import fs from 'node:fs';

export const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

export const LAUNCH_ARGS = [
	'--headless',
	'--no-sandbox',
	'--disable-gpu',
	'--disable-quic',
	'--no-first-run',
	'--disable-background-networking',
	'--disable-component-update',
	'--disable-sync',
];

/**
 * /usr/bin/chromium, installed with apt-get when missing (CI: fresh Debian, root).
 * Returns { ok, path, installed, ms, reason }.
 */
export function ensureChromium(log = console.log) {
	if (fs.existsSync(CHROMIUM)) return { ok: true, path: CHROMIUM, installed: false, ms: 0 };
	const t0 = Date.now();
	const isRoot = process.getuid?.() === 0;
	const sudo = !isRoot && spawnSync('sudo', ['-n', 'true']).status === 0 ? ['sudo', '-n'] : [];
	if (!isRoot && !sudo.length) return { ok: false, reason: `${CHROMIUM} is missing and apt-get needs root (run: apt-get install -y chromium)` };
	const run = (args, timeoutMs) => {
		const [cmd, ...rest] = [...sudo, ...args];
		log(`${CHROMIUM} missing: ${args.join(' ')}`);
		const r = spawnSync(cmd, rest, {
			stdio: ['ignore', 'pipe', 'pipe'],
			env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
			timeout: timeoutMs,
			maxBuffer: 64 * 1024 * 1024,
		});
		return { ok: r.status === 0, out: `${r.stdout ?? ''}${r.stderr ?? ''}`, error: r.error };
	};
	const upd = run(['apt-get', 'update'], 300000);
	if (!upd.ok) return { ok: false, reason: `apt-get update failed: ${upd.error?.message ?? upd.out.trim().split('\n').slice(-3).join(' | ')}` };
	const inst = run(['apt-get', 'install', '-y', 'chromium'], 600000);
	if (!inst.ok || !fs.existsSync(CHROMIUM))
		return { ok: false, reason: `apt-get install chromium failed: ${inst.error?.message ?? inst.out.trim().split('\n').slice(-3).join(' | ')}` };
	return { ok: true, path: CHROMIUM, installed: true, ms: Date.now() - t0 };
}

/**
 * Console errors that are not ours and expected on an offline machine. Each: [why, test(msg)] where
 * msg = { text, url } (url = the resource or script location).
 */
export const HARMLESS_CONSOLE = [
	[
		'sign-in page asks GET /rest/login before anyone is logged in (401 by design)',
		(m) => /status of 401/.test(m.text) && /\/rest\/login$/.test(m.url),
	],
	[
		"editor asks for output schemas (/schemas/<node>/<version>/<resource>/<operation>.json); 404 for nodes that ship no __schema__ folder (optional, see report)",
		(m) => /status of 404/.test(m.text) && /\/schemas\/n8n-nodes-powerpost\.[^/]+\/[\d.]+(\/[^/]+){0,2}\.json$/.test(m.url),
	],
	[
		'editor looks up community package info on registry.npmjs.org (unreachable or intercepted offline)',
		(m) => /registry\.npmjs\.org\//.test(m.url) && /Failed to load resource/.test(m.text),
	],
	[
		'n8n cloud services (api.n8n.io, telemetry, templates, version checks) unreachable offline',
		(m) => /(^|\.|\/\/)(api|api-staging|telemetry|ph|templates|internal)\.n8n\.(io|cloud)|n8n\.io\//.test(`${m.url} ${m.text}`) && /Failed to load resource|ENOTFOUND|ERR_NAME_NOT_RESOLVED|ERR_CONNECTION|ERR_CERT|ERR_INTERNET_DISCONNECTED|Failed to fetch/i.test(m.text),
	],
	[
		"n8n's Code-node TypeScript worker cannot fetch its lib files offline (it loads them from cdn.jsdelivr.net / cdn.typescriptlang.org; typescript.worker-*.js): TS6231 'Library es20xx', TS2318 'Cannot find global type', logged by n8n's own bundle",
		(m) =>
			/error TS(6231|2318):/.test(m.text) &&
			/specified in compilerOptions|Cannot find global type/.test(m.text) &&
			/^https?:\/\/127\.0\.0\.1:\d+\/assets\/[\w.-]+\.js$/.test(m.url),
	],
	[
		'telemetry/analytics scripts blocked offline (rudderstack, posthog)',
		(m) => /rudderstack|rudderlabs|posthog|segment\.(io|com)/i.test(`${m.url} ${m.text}`),
	],
];

export function classifyConsole(msg) {
	for (const [why, test] of HARMLESS_CONSOLE) if (test(msg)) return why;
	return null;
}
