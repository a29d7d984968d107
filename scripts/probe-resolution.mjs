#!/usr/bin/env node
// Which copy of `n8n-workflow` (and zod) does a community package get inside a real n8n?
//
//   node scripts/probe-resolution.mjs [2|1|all]
//
// Installs a tiny probe package (n8n-nodes-ppprobe, one node that reports what `require` resolves)
// into a fresh user folder in three layouts and runs it with `n8n execute`:
//   packed    : extracted tarball in <userFolder>/.n8n/nodes/node_modules (what n8n's installer does)
//   npm-peer  : `npm install <tgz>` in .n8n/nodes (a manual CLI install; npm 7+ adds peer deps)
//   symlink   : symlink to a folder inside the work tree (what RUNTIME.md suggested)
// Results are written down in scripts/README.md.

import fsp from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createUserFolder, REPO_DIR } from './n8n-driver.mjs';
import { provision, runCapture } from './n8n-runtime.mjs';

const PROBE_JS = `
const fs = require('fs');
const path = require('path');
function pkgOf(id) {
  try {
    let d = path.dirname(require.resolve(id));
    while (!fs.existsSync(path.join(d, 'package.json')) || JSON.parse(fs.readFileSync(path.join(d, 'package.json'), 'utf8')).name !== id) {
      const up = path.dirname(d); if (up === d) return null; d = up;
    }
    return { dir: fs.realpathSync(d), version: JSON.parse(fs.readFileSync(path.join(d, 'package.json'), 'utf8')).version };
  } catch (e) { return { error: String(e.message).split('\\n')[0] }; }
}
const wf = require('n8n-workflow');
class PpProbe {
  constructor() {
    this.description = {
      displayName: 'PP Probe', name: 'ppProbe', group: ['transform'], version: 1,
      description: 'module resolution probe', defaults: { name: 'PP Probe' },
      inputs: ['main'], outputs: ['main'], properties: [],
    };
  }
  async execute() {
    const loaded = [...new Set(Object.keys(require.cache)
      .map((k) => { const m = /^(.*\\/node_modules\\/n8n-workflow)\\//.exec(k); return m && m[1]; })
      .filter(Boolean))];
    return [[{ json: {
      probeRealPath: fs.realpathSync(__filename),
      n8nWorkflow: pkgOf('n8n-workflow'),
      zod: pkgOf('zod'),
      luxon: pkgOf('luxon'),
      n8nWorkflowCopiesInProcess: loaded,
      nodeVersion: process.version,
    } }]];
  }
}
module.exports = { PpProbe };
`;

async function writeProbe(dir) {
	await fsp.mkdir(path.join(dir, 'dist'), { recursive: true });
	await fsp.writeFile(
		path.join(dir, 'package.json'),
		JSON.stringify(
			{
				name: 'n8n-nodes-ppprobe',
				version: '0.0.1',
				main: 'index.js',
				files: ['dist'],
				keywords: ['n8n-community-node-package'],
				n8n: { n8nNodesApiVersion: 1, nodes: ['dist/PpProbe.node.js'], credentials: [] },
				peerDependencies: { 'n8n-workflow': '*' },
			},
			null,
			2,
		),
	);
	await fsp.writeFile(path.join(dir, 'dist', 'PpProbe.node.js'), PROBE_JS);
}

const WF = {
	id: 'ppProbeWorkflow1',
	name: 'probe',
	nodes: [
		{ id: 'a', name: 'Start', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} },
		{ id: 'b', name: 'Probe', type: 'n8n-nodes-ppprobe.ppProbe', typeVersion: 1, position: [200, 0], parameters: {} },
	],
	connections: { Start: { main: [[{ node: 'Probe', type: 'main', index: 0 }]] } },
	settings: { executionOrder: 'v1' },
};

async function probe(version, layout, srcDir, tgz) {
	const uf = await createUserFolder(version);
	const nodesDir = path.join(uf.n8nDir, 'nodes');
	const target = path.join(nodesDir, 'node_modules', 'n8n-nodes-ppprobe');
	await fsp.mkdir(path.dirname(target), { recursive: true });
	if (layout === 'packed') {
		await runCapture('tar', ['-xzf', tgz, '-C', path.dirname(target)]);
		await fsp.rename(path.join(path.dirname(target), 'package'), target);
	} else if (layout === 'npm-peer') {
		await fsp.writeFile(path.join(nodesDir, 'package.json'), JSON.stringify({ name: 'installed-nodes', private: true }));
		const r = await runCapture('npm', ['install', '--ignore-scripts', '--no-audit', '--no-fund', tgz], {
			cwd: nodesDir,
			env: process.env,
			timeoutMs: 300000,
		});
		if (r.code !== 0) return { layout, error: `npm install failed: ${r.stderr.slice(-300)}` };
	} else {
		await fsp.symlink(srcDir, target);
	}
	await uf.importWorkflows([WF]);
	const r = await uf.executeWorkflow(WF.id);
	await uf.cleanup();
	if (!r.ok) return { layout, error: r.error, output: (r.stdout + r.stderr).split('\n').slice(-30).join('\n') };
	return { layout, ...r.summary.find((s) => s.node === 'Probe')?.firstItem };
}

async function main() {
	const arg = process.argv[2] ?? 'all';
	const versions = arg === 'all' ? ['2', '1'] : [arg];
	// source folder inside the work tree (for the symlink layout) and a tarball of it
	const inTree = path.join(REPO_DIR, 'test-artifacts', 'ppprobe');
	await fsp.rm(inTree, { recursive: true, force: true });
	await writeProbe(inTree);
	const tmp = await fsp.mkdtemp(path.join(os.tmpdir(), 'ppprobe-'));
	const p = await runCapture('npm', ['pack', '--ignore-scripts', '--pack-destination', tmp], { cwd: inTree, env: process.env });
	const tgz = path.join(tmp, p.stdout.trim().split('\n').pop());
	const rows = [];
	for (const v of versions) {
		await provision(v);
		for (const layout of ['packed', 'npm-peer', 'symlink']) {
			const r = await probe(v, layout, inTree, tgz);
			rows.push({ n8n: v, ...r });
			console.log(JSON.stringify({ n8n: v, ...r }, null, 2));
		}
	}
	console.log('\nsummary:');
	for (const r of rows)
		console.log(
			`n8n ${r.n8n}  ${r.layout.padEnd(8)}  n8n-workflow ${r.n8nWorkflow?.version ?? '-'} from ${r.n8nWorkflow?.dir ?? r.error}` +
				`  | copies loaded: ${r.n8nWorkflowCopiesInProcess?.length ?? '-'}  | zod ${r.zod?.version ?? r.zod?.error ?? '-'}`,
		);
	await fsp.rm(inTree, { recursive: true, force: true });
	await fsp.rm(tmp, { recursive: true, force: true });
}

main().catch((e) => {
	console.error(e);
	process.exit(1);
});
