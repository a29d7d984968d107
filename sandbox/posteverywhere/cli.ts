// `npm run sandbox:posteverywhere` — start the PostEverywhere sandbox on 127.0.0.1 until Ctrl-C.
// --port N (env POSTEVERYWHERE_SANDBOX_PORT, default 4020), --upload-port N (default 4021),
// --profile strict|generous (env POSTEVERYWHERE_SANDBOX_PROFILE, default generous),
// --switch <name>[=true|false] (repeatable), --timing <name>=<ms> (repeatable), --no-rate-limit, --quiet.
import { isProfileName } from '../core/profiles';
import { DEFAULT_TIMING, type SwitchName, type Timing } from './constants';
import { startPostEverywhereSandbox, SWITCHES } from './server';

function all(argv: string[], name: string): string[] {
	const out: string[] = [];
	for (let i = 0; i < argv.length; i++) {
		if (argv[i] === `--${name}` && argv[i + 1] !== undefined) out.push(argv[++i]);
		else if (argv[i].startsWith(`--${name}=`)) out.push(argv[i].slice(name.length + 3));
	}
	return out;
}

function fail(message: string): never {
	console.error(message);
	process.exit(2);
}

function switchesOf(argv: string[]): Partial<Record<SwitchName, boolean>> {
	const out: Partial<Record<SwitchName, boolean>> = {};
	for (const s of all(argv, 'switch')) {
		const [name, value = 'true'] = s.split('=');
		if (!(name in SWITCHES)) fail(`Unknown switch: ${name} (known: ${Object.keys(SWITCHES).join(', ')})`);
		if (value !== 'true' && value !== 'false') fail(`--switch ${name}=${value}: use true or false`);
		out[name as SwitchName] = value === 'true';
	}
	return out;
}

function timingOf(argv: string[]): Partial<Timing> {
	const out: Partial<Timing> = {};
	for (const t of all(argv, 'timing')) {
		const [name, value] = t.split('=');
		if (!(name in DEFAULT_TIMING)) fail(`Unknown timing: ${name} (known: ${Object.keys(DEFAULT_TIMING).join(', ')})`);
		const n = Number(value);
		if (!Number.isFinite(n) || n < 0) fail(`--timing ${name}=${value}: use a number of ms`);
		out[name as keyof Timing] = n;
	}
	return out;
}

function arg(argv: string[], name: string): string | undefined {
	for (let i = 0; i < argv.length; i++) {
		if (argv[i] === `--${name}` && argv[i + 1] !== undefined) return argv[i + 1];
		if (argv[i].startsWith(`--${name}=`)) return argv[i].slice(name.length + 3);
	}
	return undefined;
}

function port(v: string | undefined, fallback: number): number {
	const n = v === undefined ? fallback : Number(v);
	if (!Number.isInteger(n) || n < 0 || n > 65535) fail(`Invalid port: ${v}`);
	return n;
}

async function main() {
	const argv = process.argv.slice(2);
	const profile = arg(argv, 'profile') ?? process.env.POSTEVERYWHERE_SANDBOX_PROFILE ?? 'generous';
	if (!isProfileName(profile)) fail(`Invalid profile: ${profile} (strict or generous)`);
	const quiet = argv.includes('--quiet');
	const sb = await startPostEverywhereSandbox({
		port: port(arg(argv, 'port') ?? process.env.POSTEVERYWHERE_SANDBOX_PORT, 4020),
		uploadPort: port(arg(argv, 'upload-port'), 4021),
		profile,
		switches: switchesOf(argv),
		timing: timingOf(argv),
		rateLimit: !argv.includes('--no-rate-limit'),
		log: quiet ? undefined : (line) => console.log(`[sandbox] ${line}`),
	});
	const on = Object.entries(sb.switches)
		.filter(([, v]) => v)
		.map(([k]) => k);
	console.log(
		[
			'PostEverywhere sandbox is running (dev/test only; data is in memory).',
			'',
			`  Base URL:        ${sb.url}`,
			`  Upload host:     ${sb.uploadOrigin}   (presigned upload_url targets; refuses Authorization headers)`,
			`  Control API:     ${sb.origin}/__sandbox/info`,
			`  Profile:         ${sb.profile}   (switches on: ${on.length ? on.join(', ') : 'none'})`,
			'',
			'  API keys (Authorization: Bearer <key>):',
			`    full (read, write, ai)   ${sb.keys.full}`,
			`    no ai scope              ${sb.keys.noAi}`,
			`    read only                ${sb.keys.readOnly}`,
			`    revoked (401)            ${sb.keys.revoked}`,
			'',
			`  Accounts: ${Object.entries(sb.accounts)
				.map(([k, v]) => `${k} ${v}`)
				.join(', ')}`,
			'',
			'  n8n credential "PostEverywhere API":',
			`    API Key:   ${sb.keys.full}`,
			`    Base URL:  ${sb.url}`,
			'',
			'  Steering: content with [fail] fails every attempt, [fail:<platform>] one platform,',
			'  [flaky] fails the first attempt only, [fail-once] fails until a manual retry.',
			'  Press Ctrl-C to stop.',
		].join('\n'),
	);
	const stop = () => void sb.stop().then(() => process.exit(0));
	process.on('SIGINT', stop);
	process.on('SIGTERM', stop);
}

void main().catch((err: unknown) => {
	console.error(err);
	process.exit(1);
});
