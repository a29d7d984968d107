/**
 * `npm run build` writes n8n's lazy-load metadata (dist/known/*.json, dist/types/*.json) from
 * package.json's `n8n` entries and checks it against the built code. Here: a build into a scratch
 * folder, then n8n-core's real loaders on it, then the check catching stale metadata.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

import { LazyPackageDirectoryLoader, PackageDirectoryLoader } from 'n8n-core';

import { installLogCapture } from '../harness/logs';

// n8n-core's loaders log through n8n's logger ("Lazy-loading nodes …"): captured, not printed
installLogCapture();

const REPO = path.resolve(__dirname, '..', '..');
// inside the repo (gitignored), so the built files resolve n8n-workflow as in an installed package
const OUT = path.join(REPO, 'test-artifacts', `metadata-${process.pid}`);
const pkg = JSON.parse(readFileSync(path.join(REPO, 'package.json'), 'utf8')) as {
	n8n: { nodes: string[]; credentials: string[] };
};

const buildScript = (...args: string[]) =>
	spawnSync(process.execPath, [path.join(REPO, 'scripts', 'build.mjs'), ...args], { cwd: REPO, encoding: 'utf8' });
const readDist = (file: string) => JSON.parse(readFileSync(path.join(OUT, 'dist', file), 'utf8'));

beforeAll(() => {
	const r = buildScript('--out', OUT, '--no-typecheck');
	if (r.status !== 0) throw new Error(`build failed: ${r.stderr || r.stdout}`);
}, 120_000);

afterAll(() => rmSync(OUT, { recursive: true, force: true }));

test('the build writes the four metadata files, one entry per package.json registration', () => {
	const knownNodes = readDist('known/nodes.json') as Record<string, { sourcePath: string }>;
	const knownCredentials = readDist('known/credentials.json') as Record<string, { sourcePath: string; supportedNodes: string[] }>;
	expect(Object.values(knownNodes).map((n) => n.sourcePath).sort()).toEqual([...pkg.n8n.nodes].sort());
	expect(Object.values(knownCredentials).map((c) => c.sourcePath).sort()).toEqual([...pkg.n8n.credentials].sort());
	expect(knownCredentials.powerPostApi.supportedNodes).toEqual(expect.arrayContaining(['powerPost', 'powerPostTrigger']));
	const types = readDist('types/nodes.json') as Array<{ name: string; codex?: { categories?: string[] } }>;
	expect(types.map((t) => t.name).sort()).toEqual(Object.keys(knownNodes).sort());
	// every node carries its codex inline in its description (n8n's verified catalog reads it there)
	for (const t of types) expect(t.codex?.categories?.length).toBeGreaterThan(0);
	expect(existsSync(path.join(OUT, 'dist', 'nodes', 'PowerPost', 'PowerPost.node.json'))).toBe(false);
	expect(readDist('types/credentials.json').map((c: { name: string }) => c.name)).toEqual(Object.keys(knownCredentials));
});

test("n8n's lazy loader reads no node file at start and then serves the same descriptions as a full load", async () => {
	const lazy = new LazyPackageDirectoryLoader(OUT);
	await lazy.loadAll();
	expect(lazy.isLazyLoaded).toBe(true);
	expect(Object.keys(lazy.nodeTypes)).toEqual([]);
	expect(Object.keys(lazy.credentialTypes)).toEqual([]);

	const eager = new PackageDirectoryLoader(OUT);
	await eager.loadAll();
	const json = (x: unknown) => JSON.parse(JSON.stringify(x));
	expect(json(lazy.types.nodes)).toEqual(json(eager.types.nodes.map(({ __loadOptionsMethods, ...rest }) => rest)));
	for (const name of Object.keys(lazy.known.nodes)) {
		const node = lazy.getNode(name).type as { description: { name: string; properties: unknown[] }; execute?: unknown; poll?: unknown; webhook?: unknown };
		expect(node.description.name).toBe(name);
		expect(typeof (node.execute ?? node.poll ?? node.webhook)).toBe('function');
	}
	for (const name of Object.keys(lazy.known.credentials)) expect(lazy.getCredential(name).type.name).toBe(name);
}, 60_000);

test('the check fails on metadata that no longer matches the code, naming the file', () => {
	const file = path.join(OUT, 'dist', 'types', 'nodes.json');
	const original = readFileSync(file, 'utf8');
	try {
		const types = JSON.parse(original) as Array<{ properties: unknown[] }>;
		types[0].properties.pop();
		writeFileSync(file, JSON.stringify(types));
		const r = buildScript('--verify', OUT);
		expect(r.status).toBe(1);
		expect(r.stderr).toContain('dist/types/nodes.json does not match the built code at /0/properties');
	} finally {
		writeFileSync(file, original);
	}
	rmSync(path.join(OUT, 'dist', 'known', 'credentials.json'));
	const r = buildScript('--verify', OUT);
	expect(r.status).toBe(1);
	expect(r.stderr).toContain('dist/known/credentials.json is missing');
}, 60_000);
