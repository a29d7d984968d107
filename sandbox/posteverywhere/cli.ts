// `npm run sandbox:posteverywhere` — start the PostEverywhere sandbox on 127.0.0.1 until Ctrl-C.
// --port N (env POSTEVERYWHERE_SANDBOX_PORT, default 4020), --upload-port N (default 4021),
// --profile strict|generous (env POSTEVERYWHERE_SANDBOX_PROFILE, default generous), --quiet.
import { isProfileName } from '../core/profiles';
import { startPostEverywhereSandbox } from './server';

function arg(argv: string[], name: string): string | undefined {
	for (let i = 0; i < argv.length; i++) {
		if (argv[i] === `--${name}` && argv[i + 1] !== undefined) return argv[i + 1];
		if (argv[i].startsWith(`--${name}=`)) return argv[i].slice(name.length + 3);
	}
	return undefined;
}

function port(v: string | undefined, fallback: number): number {
	const n = v === undefined ? fallback : Number(v);
	if (!Number.isInteger(n) || n < 0 || n > 65535) {
		console.error(`Invalid port: ${v}`);
		process.exit(2);
	}
	return n;
}

async function main() {
	const argv = process.argv.slice(2);
	const profile = arg(argv, 'profile') ?? process.env.POSTEVERYWHERE_SANDBOX_PROFILE ?? 'generous';
	if (!isProfileName(profile)) {
		console.error(`Invalid profile: ${profile} (strict or generous)`);
		process.exit(2);
	}
	const quiet = argv.includes('--quiet');
	const sb = await startPostEverywhereSandbox({
		port: port(arg(argv, 'port') ?? process.env.POSTEVERYWHERE_SANDBOX_PORT, 4020),
		uploadPort: port(arg(argv, 'upload-port'), 4021),
		profile,
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
