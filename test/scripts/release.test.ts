// The release workflow's checks (scripts/release-check.mjs) as the workflow runs them, and the
// workflow file's order: nothing is published unless the tag matches and every check passed, and
// the published version's scan fails the release when the scanner's output reports a failure.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const REPO = path.resolve(__dirname, '..', '..');
const { name, version } = JSON.parse(readFileSync(path.join(REPO, 'package.json'), 'utf8')) as { name: string; version: string };

function check(...args: string[]) {
	const r = spawnSync(process.execPath, ['scripts/release-check.mjs', ...args], { cwd: REPO, encoding: 'utf8' });
	return { code: r.status, out: r.stdout + r.stderr };
}

function scanOutput(text: string) {
	const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'pp-scan-')), 'scan-output.txt');
	writeFileSync(file, text);
	return check('scan', file);
}

describe('release: tag and package.json version', () => {
	test('the tag of the package version passes (with or without v)', () => {
		expect(check('version', `v${version}`)).toMatchObject({ code: 0 });
		expect(check('version', version)).toMatchObject({ code: 0 });
	});

	test('another version fails and names both versions', () => {
		const r = check('version', 'v99.0.0');
		expect(r.code).toBe(1);
		expect(r.out).toContain(`tag "v99.0.0" says 99.0.0, package.json says ${version}`);
	});

	test('a tag that is not a version fails', () => {
		const r = check('version', 'nightly');
		expect(r.code).toBe(1);
		expect(r.out).toContain('is not a version tag like v1.2.3');
	});
});

describe('release: the community package scan output decides (the scanner exits 0 either way)', () => {
	test('the pass line for this exact version passes', () => {
		expect(scanOutput(`✅ Package ${name}@${version} has passed all security checks\n`)).toMatchObject({ code: 0 });
	});

	test('a failure report fails and shows the reason', () => {
		const r = scanOutput(`❌ Package ${name}@${version} has failed security checks\nReason: Package was not published with npm provenance.\n`);
		expect(r.code).toBe(1);
		expect(r.out).toContain('Package was not published with npm provenance');
	});

	test('a pass for another version, an analysis error or an empty output fail', () => {
		expect(scanOutput(`✅ Package ${name}@0.0.1 has passed all security checks\n`).code).toBe(1);
		expect(scanOutput('Analysis failed: Error: fetch failed\n').code).toBe(1);
		expect(scanOutput('').code).toBe(1);
	});
});

describe('release workflow file', () => {
	const yml = readFileSync(path.join(REPO, '.github', 'workflows', 'release.yml'), 'utf8');
	const at = (text: string) => {
		const i = yml.indexOf(text);
		if (i < 0) throw new Error(`release.yml lacks ${text}`);
		return i;
	};

	test('runs on version tags with an OIDC token for provenance', () => {
		expect(yml).toMatch(/on:\n\s+push:\n\s+tags: \['v\*'\]/);
		expect(yml).toMatch(/permissions:\n\s+contents: read\n\s+id-token: write/);
	});

	test('checks the version, builds, lints, tests and scans before publishing with provenance, then scans the published version', () => {
		const publish = at('run: npm publish --provenance');
		for (const before of ['run: node scripts/release-check.mjs version', 'run: npm run build', 'run: npm run lint', 'run: npm test', 'run: npm run scan']) expect(at(before)).toBeLessThan(publish);
		expect(at('@n8n/scan-community-package')).toBeGreaterThan(publish);
		expect(at('release-check.mjs scan scan-output.txt')).toBeGreaterThan(publish);
	});
});
