#!/usr/bin/env node
// The README's install commands, as written, in a temporary HOME, then a real n8n that uses that
// HOME's ~/.n8n (N8N_USER_FOLDER = that HOME) loads the nodes and runs them against the sandbox:
//
//   install-tarball: the README block (build, npm pack into ~, npm install --legacy-peer-deps of the
//                    tarball in ~/.n8n/nodes); then one n8n-workflow only (n8n's own), and the
//                    flagship example runs with node type n8n-nodes-powerpost.powerPost,
//   install-custom:  the README block (build, pack, extract into ~/n8n-custom/n8n-nodes-powerpost);
//                    n8n started with N8N_CUSTOM_EXTENSIONS=~/n8n-custom runs Account → Get Credits
//                    with node type CUSTOM.powerPost.
//
//   npm run test:e2e:install [-- --n8n 2|1] [-- --keep] [-- --deadline-min 15]
//
// The blocks are the fenced code blocks right after the `<!-- e2e: install-… -->` lines in README.md.

import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createUserFolder, normalizeWorkflow, sandboxCredential, startSandboxProcess } from '../../scripts/n8n-driver.mjs';
import { provision } from '../../scripts/n8n-runtime.mjs';
import { prepareExampleWorkflow } from '../../scripts/examples.mjs';
import { createHarness, parseCommonArgs, REPO_DIR } from './lib-harness.mjs';

const args = parseCommonArgs(process.argv.slice(2), { deadlineMin: 15 });
const version = args.rest?.includes('--n8n') ? args.rest[args.rest.indexOf('--n8n') + 1] : '2';
const h = createHarness(`e2e:install n8n${version}`, { deadlineMin: args.deadlineMin });
const { log } = h;

/** The fenced block after `<!-- e2e: <name> … -->` in the README. */
export function readmeBlock(readme, name) {
	const marker = readme.indexOf(`<!-- e2e: ${name}`);
	if (marker < 0) throw new Error(`README.md has no <!-- e2e: ${name} --> block`);
	const m = /```(?:sh|bash)\n([\s\S]*?)```/.exec(readme.slice(marker));
	if (!m) throw new Error(`no fenced sh block after <!-- e2e: ${name} -->`);
	return m[1];
}

/** Run a README block with bash in the repository, HOME = home, without npm's run-script variables. */
function runBlock(block, home) {
	const env = { ...process.env, HOME: home };
	for (const k of Object.keys(env)) if (k.startsWith('npm_') || k === 'INIT_CWD') delete env[k];
	delete env.N8N_USER_FOLDER;
	return new Promise((resolve) => {
		const c = spawn('bash', ['-euo', 'pipefail', '-c', block], { cwd: REPO_DIR, env, stdio: ['ignore', 'pipe', 'pipe'] });
		let out = '';
		c.stdout.on('data', (d) => (out += d));
		c.stderr.on('data', (d) => (out += d));
		c.on('close', (code) => resolve({ code, out }));
	});
}

const PP = (prefix) => `${prefix}.powerPost`;

function creditsWorkflow(type) {
	return normalizeWorkflow({
		name: 'install check: Get Credits',
		nodes: [
			{ id: 'a1', name: 'Start', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} },
			{
				id: 'a2',
				name: 'Credits',
				type,
				typeVersion: 1,
				position: [220, 0],
				parameters: { resource: 'account', operation: 'getCredits' },
				credentials: { powerPostApi: { id: 'ppSandboxCred001', name: 'PowerPost Sandbox' } },
			},
		],
		connections: { Start: { main: [[{ node: 'Credits', type: 'main', index: 0 }]] } },
	});
}

async function route(name, sb, readme) {
	const home = fs.mkdtempSync(path.join(os.tmpdir(), `pp-${name}-home-`));
	h.onCleanup(() => (args.keep ? log(`kept ${home}`) : fs.rmSync(home, { recursive: true, force: true })));
	const block = readmeBlock(readme, name);
	log(`${name}: running the README block in HOME=${home}:\n${block.trim().replace(/^/gm, '    $ ')}`);
	const t = Date.now();
	const r = await runBlock(block, home);
	h.check(`${name}: README commands succeed as written`, r.code === 0, r.code === 0 ? `${((Date.now() - t) / 1000).toFixed(0)} s` : `exit ${r.code}: ${r.out.slice(-1500)}`);
	if (r.code !== 0) return;

	const custom = name === 'install-custom';
	const customDir = path.join(home, 'n8n-custom');
	const uf = await createUserFolder(version, { dir: home, extraEnv: custom ? { N8N_CUSTOM_EXTENSIONS: customDir } : {} });
	const cred = sandboxCredential(sb);
	await uf.importCredentials([cred]);
	await sb.reset();

	if (!custom) {
		const nodesDir = path.join(home, '.n8n', 'nodes', 'node_modules');
		const installed = fs.readdirSync(nodesDir).filter((d) => !d.startsWith('.'));
		h.check(
			`${name}: only our package in ~/.n8n/nodes (no second n8n-workflow)`,
			installed.length === 1 && installed[0] === 'n8n-nodes-powerpost',
			`node_modules: ${installed.join(', ')}`,
		);
		const flagship = prepareExampleWorkflow(path.join(REPO_DIR, 'examples', '01-idea-to-everywhere.json'), cred).workflow;
		const [{ id }] = await uf.importWorkflows([flagship]);
		const run = await uf.executeWorkflow(id);
		const results = run.summary.find((s) => s.node === 'Results');
		const rows = run.result?.data?.resultData?.runData?.Results?.[0]?.data?.main?.[0] ?? [];
		h.check(
			`${name}: n8n ${version} loads ${PP('n8n-nodes-powerpost')} and runs the flagship example`,
			run.ok && rows.length === 4 && rows.every((i) => i.json.status === 'posted'),
			run.ok ? `Results: ${results?.items} items, ${rows.map((i) => `${i.json.platform} ${i.json.status}`).join(', ')} (${(run.ms / 1000).toFixed(0)} s)` : run.error,
		);
	} else {
		const [{ id }] = await uf.importWorkflows([creditsWorkflow(PP('CUSTOM'))]);
		const run = await uf.executeWorkflow(id);
		const credits = run.summary.find((s) => s.node === 'Credits');
		h.check(
			`${name}: n8n ${version} with N8N_CUSTOM_EXTENSIONS loads ${PP('CUSTOM')} and runs Get Credits`,
			run.ok && typeof credits?.firstItem?.balance === 'number',
			run.ok ? `balance ${credits?.firstItem?.balance} (${(run.ms / 1000).toFixed(0)} s)` : run.error,
		);
	}
}

async function main() {
	const readme = fs.readFileSync(path.join(REPO_DIR, 'README.md'), 'utf8');
	log(`n8n ${version}: provisioning (reused when ready)`);
	await provision(version, { log: (l) => log(l) });
	const sb = await startSandboxProcess();
	h.onCleanup(() => sb.stop());
	await route('install-tarball', sb, readme);
	await route('install-custom', sb, readme);
}

main()
	.catch((e) => h.check('install check ran to the end', false, e?.stack?.split('\n').slice(0, 4).join(' | ') ?? String(e)))
	.finally(() => h.finish());
