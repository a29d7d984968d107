#!/usr/bin/env node
// `npm run build`: the published `dist`, derived from package.json's `n8n` section.
//
//   node scripts/build.mjs                  type-check, bundle, copy icons, write + verify metadata
//   node scripts/build.mjs --out <dir>      the same into <dir>/dist (with a copy of package.json)
//   node scripts/build.mjs --no-typecheck   skip `tsc --noEmit` (tests that only need the bundle)
//   node scripts/build.mjs --verify <dir>   only check <dir>/dist's metadata against its code
//
// 1. Entries: every `dist/<path>.js` in `n8n.nodes` and `n8n.credentials` is bundled from
//    `<path>.ts` (one esbuild bundle per node / credential; n8n-workflow and the libraries n8n
//    provides stay external). Registering a provider = one line in package.json.
// 2. Icons: the *.svg / *.png files next to each entry are copied beside its bundle.
// 3. Lazy-load metadata: n8n-core's own generator (bin `n8n-generate-metadata`, the one n8n's node
//    packages use) writes dist/known/{nodes,credentials}.json and dist/types/{nodes,credentials}.json.
//    n8n ≥ 1.x then reads those at start and requires a node file only when it is first used.
// 4. Verify: the metadata must equal what n8n's eager loader derives from the built code, and n8n's
//    lazy loader must accept it and resolve every node and credential. The build fails otherwise.
//
// Plain Node ESM; esbuild and n8n-core are devDependencies.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(path.join(REPO_DIR, 'package.json'));

export const METADATA_FILES = ['known/nodes.json', 'known/credentials.json', 'types/nodes.json', 'types/credentials.json'];
/** Libraries n8n provides to community nodes (verified-node rules): never bundled. */
const EXTERNAL = ['n8n-workflow', 'luxon', 'lodash', 'moment', 'p-limit', 'zod'];

/** package.json `n8n` entries → [{ kind, dist, source }]; throws naming an entry without a source. */
export function entries(pkgJson) {
	const list = [];
	for (const kind of ['nodes', 'credentials']) {
		for (const dist of pkgJson.n8n?.[kind] ?? []) {
			const m = /^(?:\.\/)?dist\/(.+)\.js$/.exec(dist);
			if (!m) throw new Error(`package.json n8n.${kind}: "${dist}" must be dist/<path>.js`);
			const source = `${m[1]}.ts`;
			if (!fs.existsSync(path.join(REPO_DIR, source)))
				throw new Error(`package.json n8n.${kind}: "${dist}" has no source ${source}`);
			list.push({ kind, dist, source });
		}
	}
	return list;
}

function run(cmd, args, opts = {}) {
	const r = spawnSync(cmd, args, { cwd: REPO_DIR, stdio: 'inherit', ...opts });
	if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (exit ${r.status ?? r.signal})`);
}

async function bundle(list, distDir) {
	const esbuild = require('esbuild');
	await esbuild.build({
		entryPoints: list.map((e) => path.join(REPO_DIR, e.source)),
		bundle: true,
		platform: 'node',
		format: 'cjs',
		target: 'node20',
		outbase: REPO_DIR,
		outdir: distDir,
		external: EXTERNAL,
		logLevel: 'warning',
	});
}

function copyIcons(list, distDir) {
	for (const e of list) {
		const srcDir = path.join(REPO_DIR, path.dirname(e.source));
		const outDir = path.join(distDir, path.dirname(e.source));
		for (const f of fs.readdirSync(srcDir)) {
			if (/\.(svg|png)$/i.test(f)) fs.copyFileSync(path.join(srcDir, f), path.join(outDir, f));
		}
	}
}

/** The built files require n8n-workflow: resolve it from the repo when building elsewhere (--out). */
const nodePathEnv = () => ({ ...process.env, NODE_PATH: path.join(REPO_DIR, 'node_modules') });

/** n8n-core's `n8n-generate-metadata` (writes into <packageDir>/dist from the built files). */
function generateMetadata(packageDir) {
	const bin = path.join(path.dirname(require.resolve('n8n-core/package.json')), 'bin', 'generate-metadata');
	const r = spawnSync(process.execPath, [bin], { cwd: packageDir, env: nodePathEnv(), encoding: 'utf8' });
	if (r.status !== 0) throw new Error(`n8n-generate-metadata failed:\n${r.stderr || r.stdout}`);
	// the generator also writes methods/*.json (load-options method names), which n8n never reads
	// for community packages; they are not shipped
	fs.rmSync(path.join(packageDir, 'dist', 'methods'), { recursive: true, force: true });
}

const roundTrip = (x) => JSON.parse(JSON.stringify(x));

/** First path where a and b differ ('' when equal). */
function firstDifference(a, b, at = '') {
	if (JSON.stringify(a) === JSON.stringify(b)) return '';
	if (a && b && typeof a === 'object' && typeof b === 'object') {
		for (const k of new Set([...Object.keys(a), ...Object.keys(b)])) {
			const d = firstDifference(a[k], b[k], `${at}/${k}`);
			if (d) return d;
		}
	}
	return `${at || '/'}: ${JSON.stringify(a)?.slice(0, 120)} ≠ ${JSON.stringify(b)?.slice(0, 120)}`;
}

/**
 * Checks <packageDir>/dist's metadata against its code. Returns a list of problems (empty = ok).
 * Loads n8n-core from the repo; resolves the package's own n8n-workflow through NODE_PATH.
 */
export async function verifyMetadata(packageDir) {
	const problems = [];
	for (const f of METADATA_FILES)
		if (!fs.existsSync(path.join(packageDir, 'dist', f))) problems.push(`dist/${f} is missing`);
	if (problems.length) return problems;
	const { PackageDirectoryLoader, LazyPackageDirectoryLoader } = require('n8n-core');
	const eager = new PackageDirectoryLoader(packageDir);
	await eager.loadAll();
	const lazy = new LazyPackageDirectoryLoader(packageDir);
	await lazy.loadAll();
	if (!lazy.isLazyLoaded) return ['n8n\'s LazyPackageDirectoryLoader did not accept the metadata (it fell back to loading every file)'];
	const read = (f) => JSON.parse(fs.readFileSync(path.join(packageDir, 'dist', f), 'utf8'));
	const expected = {
		'known/nodes.json': eager.known.nodes,
		'known/credentials.json': eager.known.credentials,
		'types/nodes.json': eager.types.nodes.map(({ __loadOptionsMethods, ...rest }) => rest),
		'types/credentials.json': Object.values(eager.credentialTypes).map(({ type }) => type),
	};
	for (const [f, want] of Object.entries(expected)) {
		const d = firstDifference(read(f), roundTrip(want));
		if (d) problems.push(`dist/${f} does not match the built code at ${d}`);
	}
	const pkg = JSON.parse(fs.readFileSync(path.join(packageDir, 'package.json'), 'utf8'));
	const declared = (pkg.n8n?.nodes ?? []).length;
	if (Object.keys(lazy.known.nodes).length !== declared)
		problems.push(`dist/known/nodes.json lists ${Object.keys(lazy.known.nodes).length} nodes, package.json declares ${declared}`);
	for (const [type, { sourcePath }] of Object.entries(lazy.known.nodes)) {
		try {
			const node = lazy.getNode(type).type;
			if (node.description.name !== type) problems.push(`${sourcePath} defines ${node.description.name}, not ${type}`);
		} catch (e) {
			problems.push(`node ${type} (${sourcePath}) does not load lazily: ${e.message}`);
		}
	}
	for (const [type, { sourcePath }] of Object.entries(lazy.known.credentials)) {
		try {
			const cred = lazy.getCredential(type).type;
			if (cred.name !== type) problems.push(`${sourcePath} defines ${cred.name}, not ${type}`);
		} catch (e) {
			problems.push(`credential ${type} (${sourcePath}) does not load lazily: ${e.message}`);
		}
	}
	return problems;
}

export async function build({ out = REPO_DIR, typecheck = true, log = (l) => console.log(l) } = {}) {
	const pkgJson = JSON.parse(fs.readFileSync(path.join(REPO_DIR, 'package.json'), 'utf8'));
	const list = entries(pkgJson);
	const distDir = path.join(out, 'dist');
	fs.rmSync(distDir, { recursive: true, force: true });
	if (out !== REPO_DIR) {
		fs.mkdirSync(out, { recursive: true });
		fs.copyFileSync(path.join(REPO_DIR, 'package.json'), path.join(out, 'package.json'));
	}
	if (typecheck) run(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', 'tsconfig.json', '--noEmit']);
	await bundle(list, distDir);
	copyIcons(list, distDir);
	generateMetadata(out);
	// a fresh process, as n8n loads the package: nothing of this build cached in require()
	run(process.execPath, [fileURLToPath(import.meta.url), '--verify', out], { env: nodePathEnv() });
	log(`built ${list.length} entries (${list.map((e) => path.basename(e.source, '.ts')).join(', ')}) + lazy-load metadata into ${path.relative(process.cwd(), distDir) || distDir}`);
}

async function main(argv) {
	const at = (flag) => {
		const i = argv.indexOf(flag);
		return i >= 0 ? path.resolve(argv[i + 1]) : undefined;
	};
	const verify = at('--verify');
	if (verify) {
		const problems = await verifyMetadata(verify);
		if (problems.length) {
			console.error(`metadata check failed:\n  ${problems.join('\n  ')}`);
			return 1;
		}
		console.log(`lazy-load metadata matches the built code (${verify})`);
		return 0;
	}
	await build({ out: at('--out') ?? REPO_DIR, typecheck: !argv.includes('--no-typecheck') });
	return 0;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
	main(process.argv.slice(2)).then(
		(code) => process.exit(code),
		(err) => {
			console.error(err?.message ?? String(err));
			process.exit(1);
		},
	);
}
