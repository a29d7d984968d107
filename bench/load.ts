/**
 * Bench 4: cold `require` time and installed size of our packed package beside the published
 * peers, each installed from npm into its own temp dir next to n8n-workflow.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, statSync, lstatSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

export interface LoadFigure {
	name: string;
	version?: string;
	installed: boolean;
	error?: string;
	nodeFiles?: number;
	/** Bytes of the package's own directory. */
	packageBytes?: number;
	/** Bytes added to node_modules beyond n8n-workflow (the package and its dependencies). */
	installedBytes?: number;
	/** Median ms to require every node file, in a fresh process (n8n-workflow loaded inside the timing). */
	coldMs?: number;
	/** Median ms with n8n-workflow already loaded: the package's own cost. */
	ownMs?: number;
	runs?: number;
	/**
	 * Median ms of n8n's own loader at start on the package: `new LazyPackageDirectoryLoader(dir).loadAll()`
	 * (what n8n 2.x runs for every installed community package), in a fresh process with n8n-core and
	 * n8n-workflow already loaded and the loader warmed up on another package, as in a starting n8n.
	 */
	n8nLoaderMs?: number;
	/** Whether that loader took the lazy path (metadata present) or fell back to requiring every file. */
	lazy?: boolean;
	/** Files of the package in require.cache after the loader ran (0 = nothing required at start). */
	filesRequiredAtStart?: number;
}

const REPO_NODE_MODULES = path.join(__dirname, '..', 'node_modules');

/** A package with empty lazy-load metadata, for warming n8n's loader up (written once). */
const WARM_PACKAGE = path.join(tmpdir(), 'bench-load-warm-package');
function writeWarmPackage(): void {
	const write = (file: string, data: unknown) => {
		mkdirSync(path.dirname(path.join(WARM_PACKAGE, file)), { recursive: true });
		writeFileSync(path.join(WARM_PACKAGE, file), JSON.stringify(data));
	};
	write('package.json', { name: 'bench-load-warm', version: '1.0.0', n8n: { nodes: [], credentials: [] } });
	write('dist/known/nodes.json', {});
	write('dist/known/credentials.json', {});
	write('dist/types/nodes.json', []);
	write('dist/types/credentials.json', []);
}

/** n8n's loader on one package directory, in a fresh process: { ms, lazy, files }. */
function timeN8nLoader(dir: string, pkgDir: string): { ms: number; lazy: boolean; files: number } {
	writeWarmPackage();
	const script = `
		const { performance } = require('node:perf_hooks');
		const { LazyPackageDirectoryLoader } = require(${JSON.stringify(path.join(REPO_NODE_MODULES, 'n8n-core'))});
		const quiet = () => {};
		require(${JSON.stringify(path.join(REPO_NODE_MODULES, 'n8n-workflow'))}).LoggerProxy.init({ error: quiet, warn: quiet, info: quiet, debug: quiet });
		require('n8n-workflow');
		(async () => {
			// n8n has loaded its own packages (lazily) before any community package: warm the loader
			// machinery on a package of its own kind, so only the package under test is timed
			const warm = new LazyPackageDirectoryLoader(${JSON.stringify(WARM_PACKAGE)});
			await warm.loadAll();
			if (!warm.isLazyLoaded) throw new Error('warm-up package did not load lazily');
			const t0 = performance.now();
			const loader = new LazyPackageDirectoryLoader(${JSON.stringify(pkgDir)});
			await loader.loadAll();
			const ms = performance.now() - t0;
			const files = Object.keys(require.cache).filter((f) => f.startsWith(${JSON.stringify(pkgDir + path.sep)})).length;
			process.stdout.write(JSON.stringify({ ms, lazy: !!loader.isLazyLoaded, files }));
		})();
	`;
	const out = spawnSync(process.execPath, ['-e', script], { cwd: dir, encoding: 'utf8', env: { ...process.env, NODE_OPTIONS: '', N8N_USER_FOLDER: dir } });
	if (out.status !== 0) throw new Error(out.stderr.split('\n').slice(0, 3).join(' '));
	return JSON.parse(out.stdout.trim().split('\n').pop()!) as { ms: number; lazy: boolean; files: number };
}

function du(dir: string): number {
	let total = 0;
	const walk = (p: string) => {
		const st = lstatSync(p);
		if (st.isSymbolicLink()) return;
		if (st.isDirectory()) for (const entry of readdirSync(p)) walk(path.join(p, entry));
		else total += st.size;
	};
	try {
		walk(dir);
	} catch {
		// missing
	}
	return total;
}

function npmInstall(dir: string, specs: string[]): void {
	writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'bench-load', version: '1.0.0', private: true }));
	execFileSync('npm', ['install', '--ignore-scripts', '--no-audit', '--no-fund', '--loglevel=error', ...specs], { cwd: dir, stdio: 'pipe', timeout: 300_000 });
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

/** Times the require of the node files in a fresh process; `preload` loads n8n-workflow before the clock starts. */
function timeRequire(dir: string, files: string[], preload: boolean): number {
	const script = `
		const { performance } = require('node:perf_hooks');
		${preload ? "require('n8n-workflow');" : ''}
		const t0 = performance.now();
		for (const f of ${JSON.stringify(files)}) require(f);
		process.stdout.write(String(performance.now() - t0));
	`;
	const out = spawnSync(process.execPath, ['-e', script], { cwd: dir, encoding: 'utf8', env: { ...process.env, NODE_OPTIONS: '' } });
	if (out.status !== 0) throw new Error(out.stderr.split('\n').slice(0, 3).join(' '));
	return Number(out.stdout);
}

export function packOurs(root: string, log: (line: string) => void): string {
	log('load: npm run build');
	execFileSync('npm', ['run', 'build'], { cwd: root, stdio: 'pipe' });
	const dir = mkdtempSync(path.join(tmpdir(), 'bench-pack-'));
	const out = execFileSync('npm', ['pack', '--pack-destination', dir, '--loglevel=error'], { cwd: root, encoding: 'utf8' }).trim().split('\n').pop()!;
	return path.join(dir, out);
}

export function benchLoad(packages: Array<{ name: string; spec: string }>, workflowVersion: string, runs: number, log: (line: string) => void): LoadFigure[] {
	const baseDir = mkdtempSync(path.join(tmpdir(), 'bench-load-base-'));
	npmInstall(baseDir, [`n8n-workflow@${workflowVersion}`]);
	const baseBytes = du(path.join(baseDir, 'node_modules'));
	const figures: LoadFigure[] = [];
	for (const pkg of packages) {
		const figure: LoadFigure = { name: pkg.name, installed: false };
		figures.push(figure);
		const dir = mkdtempSync(path.join(tmpdir(), 'bench-load-'));
		try {
			log(`load: installing ${pkg.name}`);
			npmInstall(dir, [pkg.spec, `n8n-workflow@${workflowVersion}`]);
		} catch (error) {
			const text = String((error as { stderr?: Buffer }).stderr ?? error);
			figure.error = (/npm error (404.*|code \w+)/.exec(text)?.[1] ?? text.split('\n')[0]).slice(0, 160);
			log(`  -> not installed: ${figure.error}`);
			continue;
		}
		figure.installed = true;
		const pkgDir = path.join(dir, 'node_modules', pkg.name);
		const manifest = JSON.parse(readFileSync(path.join(pkgDir, 'package.json'), 'utf8')) as { version: string; n8n?: { nodes?: string[] } };
		figure.version = manifest.version;
		const files = (manifest.n8n?.nodes ?? []).map((f) => path.join(pkgDir, f));
		figure.nodeFiles = files.length;
		figure.packageBytes = du(pkgDir);
		figure.installedBytes = du(path.join(dir, 'node_modules')) - baseBytes;
		try {
			const cold: number[] = [];
			const own: number[] = [];
			for (let i = 0; i < runs; i++) {
				cold.push(timeRequire(dir, files, false));
				own.push(timeRequire(dir, files, true));
			}
			figure.coldMs = median(cold);
			figure.ownMs = median(own);
			figure.runs = runs;
			const loader = Array.from({ length: runs }, () => timeN8nLoader(dir, pkgDir));
			figure.n8nLoaderMs = median(loader.map((x) => x.ms));
			figure.lazy = loader[0].lazy;
			figure.filesRequiredAtStart = loader[0].files;
		} catch (error) {
			figure.error = `require failed: ${String((error as Error).message).slice(0, 160)}`;
		}
		log(`  -> ${JSON.stringify(figure)}`);
	}
	return figures;
}

export const sizeOf = (file: string) => statSync(file).size;
