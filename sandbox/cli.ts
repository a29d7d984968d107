// `npm run sandbox` — start the PowerPost sandbox on 127.0.0.1 and keep it running until Ctrl-C.
// Port: --port <n> | --port=<n> | env POWERPOST_SANDBOX_PORT | 4010.
import { isProfileName, PROFILE_ENV, PROFILE_NAMES } from './profiles';
import { startSandbox } from './server';

/** --profile strict | --profile=strict | env POWERPOST_SANDBOX_PROFILE | generous. */
function parseProfile(argv: string[]): string {
	for (let i = 0; i < argv.length; i++) {
		const a = argv[i];
		if (a === '--profile' && argv[i + 1]) return argv[i + 1];
		if (a.startsWith('--profile=')) return a.slice('--profile='.length);
	}
	return process.env[PROFILE_ENV] ?? 'generous';
}

function parsePort(argv: string[]): number {
	for (let i = 0; i < argv.length; i++) {
		const a = argv[i];
		if (a === '--port' && argv[i + 1]) return Number(argv[i + 1]);
		if (a.startsWith('--port=')) return Number(a.slice('--port='.length));
	}
	if (process.env.POWERPOST_SANDBOX_PORT) return Number(process.env.POWERPOST_SANDBOX_PORT);
	return 4010;
}

async function main() {
	const port = parsePort(process.argv.slice(2));
	if (!Number.isInteger(port) || port < 0 || port > 65535) {
		console.error(`Invalid port: ${port}`);
		process.exit(2);
	}
	const profile = parseProfile(process.argv.slice(2));
	if (!isProfileName(profile)) {
		console.error(`Invalid profile: ${profile} (use ${PROFILE_NAMES.join(' or ')})`);
		process.exit(2);
	}
	const quiet = process.argv.includes('--quiet');
	let sb: Awaited<ReturnType<typeof startSandbox>>;
	try {
		sb = await startSandbox({ port, profile, log: quiet ? undefined : (line) => console.log(`[sandbox] ${line}`) });
	} catch (err) {
		const code = (err as NodeJS.ErrnoException).code;
		if (code !== 'EADDRINUSE' && code !== 'EACCES') throw err;
		console.error(
			[
				code === 'EADDRINUSE'
					? `Port ${port} on 127.0.0.1 is already in use (another sandbox or program is listening there).`
					: `Port ${port} on 127.0.0.1 cannot be used by this user (${code}).`,
				'Choose another port:',
				'  npm run sandbox -- --port 4011',
				'  npm run sandbox -- --port 0          (any free port; the URL is printed)',
				'  POWERPOST_SANDBOX_PORT=4011 npm run sandbox',
			].join('\n'),
		);
		process.exit(2);
	}
	const lines = [
		'PowerPost sandbox is running (dev/test only; data is in memory).',
		'',
		`  Base URL:        ${sb.url}`,
		`  Control API:     ${sb.origin}/__sandbox/info`,
		`  Profile:         ${sb.profile}${sb.profile === 'strict' ? ' (only what the contract documents)' : ' (adds the behaviours listed in sandbox/ASSUMPTIONS.md, "Switches")'}`,
		'',
		'  API keys:',
		`    full access    ${sb.keys.full}`,
		`    draft only     ${sb.keys.draftOnly}`,
		`    read only      ${sb.keys.readOnly}`,
		`    no credits     ${sb.keys.noCredits}`,
		'',
		'  Workspaces:',
		`    primary        ${sb.workspaces.primary}   (all 6 platforms connected)`,
		`    secondary      ${sb.workspaces.secondary} (instagram + x connected)`,
		`    foreign        ${sb.workspaces.foreign}   (another account's: 403)`,
		'',
		'  n8n credential "PowerPost API":',
		`    API Key:       ${sb.keys.full}`,
		`    Base URL:      ${sb.url}`,
		`    Workspace ID:  ${sb.workspaces.primary}`,
		'',
		'  Steering: a prompt containing [fail] fails the job, [partial] fails the last image;',
		'  a post item whose content contains [fail] fails at publish (PLATFORM_ERROR).',
		'  Press Ctrl-C to stop.',
	];
	console.log(lines.join('\n'));
	const stop = () => {
		void sb.close().then(() => process.exit(0));
	};
	process.on('SIGINT', stop);
	process.on('SIGTERM', stop);
}

void main().catch((err: unknown) => {
	console.error(err);
	process.exit(1);
});
