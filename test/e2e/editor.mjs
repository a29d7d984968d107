#!/usr/bin/env node
// Editor check in a real browser: headless Chromium (Debian's chromium, driven by playwright-core)
// opens the n8n 2.x editor with our packed package installed, and does what a user does:
//
//   1. signs in through the sign-in form (owner set up by the driver over REST),
//   2. creates a workflow, finds "PowerPost" in the node creator (trigger view: our description,
//      3 trigger events and 22 actions), adds the trigger "On item posted",
//   3. checks the trigger's panel (credential preselected, Poll Times, Events) → trigger.png,
//   4. opens the credential form of the imported credential (API Key, Workspace ID, Base URL and
//      n8n's automatic connection test against the sandbox) → credential.png, and the empty form
//      of a new PowerPost API credential → credential-new.png,
//   5. adds every action of the PowerPost node (every resource and operation of our node
//      description) from the node creator, one after another, and for each parameter panel checks
//      that Resource and Operation show the right values and that every required field of the
//      operation (the description's required parameters visible with default values) is shown
//      → <resource>-<operation>.png,
//   6. saves, and reads the workflow back through the public API (1 trigger + one node per
//      operation, each with its resource/operation),
//   7. opens every shipped example (examples/*.json), runs it with "Execute workflow" when it starts
//      with a Manual Trigger, and checks that no node shows an issue afterwards: no issue icon on the
//      canvas and no red parameter issue in any node's panel (e.g. "The value … is not supported!"
//      when an expression gives a multi-options parameter text instead of a list) → example-<name>.png,
//   8. fails on any console error or page error not listed as harmless in lib-browser.mjs.
//
// Screenshots: test-artifacts/editor/. Prints the checks and "N passed, N failed"; exit 1 on failure.
//
//   npm run test:e2e:editor [-- --no-build] [-- --keep] [-- --deadline-min 15] [-- --examples-only]

import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { createUserFolder, freePort, packPackage, REPO_DIR, sandboxCredential, startSandboxProcess, SANDBOX_CREDENTIAL_NAME } from '../../scripts/n8n-driver.mjs';
import { listExamples, prepareExampleWorkflow } from '../../scripts/examples.mjs';
import { provision } from '../../scripts/n8n-runtime.mjs';
import { classifyConsole, ensureChromium, LAUNCH_ARGS } from './lib-browser.mjs';
import { artifactsDir, createHarness, ensureBuilt, parseCommonArgs, startServerRetry } from './lib-harness.mjs';

const args = parseCommonArgs(process.argv.slice(2), { deadlineMin: 15 });
const h = createHarness('e2e:editor', { deadlineMin: args.deadlineMin });
const { log } = h;
const require = createRequire(import.meta.url);
const OUT = artifactsDir('editor');
const UI_TIMEOUT = 20000;

// ---------- our node description ----------

function loadDescriptions() {
	const { PowerPost } = require(path.join(REPO_DIR, 'dist/nodes/PowerPost/PowerPost.node.js'));
	const { PowerPostTrigger } = require(path.join(REPO_DIR, 'dist/nodes/PowerPostTrigger/PowerPostTrigger.node.js'));
	const { PowerPostApi } = require(path.join(REPO_DIR, 'dist/credentials/PowerPostApi.credentials.js'));
	return { node: new PowerPost().description, trigger: new PowerPostTrigger().description, credential: new PowerPostApi() };
}

/** Is a property shown for these parameter values? (show/hide with plain value lists, as our node uses) */
function isShown(prop, values) {
	const { show, hide } = prop.displayOptions ?? {};
	const val = (name) => values[name];
	for (const [name, allowed] of Object.entries(show ?? {})) {
		if (name.startsWith('@') || name.includes('/')) continue;
		if (!Array.isArray(allowed) || !allowed.includes(val(name))) return false;
	}
	for (const [name, blocked] of Object.entries(hide ?? {})) {
		if (name.startsWith('@') || name.includes('/')) continue;
		if (Array.isArray(blocked) && blocked.includes(val(name))) return false;
	}
	return true;
}

/** Every resource/operation with its labels and the parameters visible with default values. */
function operationsOf(desc) {
	const props = desc.properties;
	const resource = props.find((p) => p.name === 'resource');
	const ops = [];
	for (const r of resource.options) {
		const opProp = props.find((p) => p.name === 'operation' && p.displayOptions?.show?.resource?.includes(r.value));
		for (const o of opProp?.options ?? []) {
			// parameter values as a new node has them: defaults, then resource/operation
			const values = { resource: r.value, operation: o.value };
			// resolve defaults in a few rounds (a shown parameter's default can show others)
			for (let round = 0; round < 4; round++) {
				for (const p of props) {
					if (p.name in values && (p.name === 'resource' || p.name === 'operation')) continue;
					if (isShown(p, values) && !(p.name in values)) values[p.name] = p.default;
				}
			}
			const visible = props.filter((p) => p.name !== 'resource' && p.name !== 'operation' && isShown(p, values) && p.type !== 'hidden');
			ops.push({
				resource: r.value,
				resourceName: r.name,
				operation: o.value,
				operationName: o.name,
				action: o.action ?? `${o.name} ${r.name}`,
				visible: visible.filter((p) => p.type !== 'notice' && p.type !== 'callout').map((p) => p.name),
				required: visible.filter((p) => p.required && p.type !== 'notice' && p.type !== 'callout').map((p) => ({ name: p.name, displayName: p.displayName, type: p.type })),
			});
		}
	}
	return ops;
}

// ---------- page helpers ----------

const tid = (id) => `[data-test-id="${id}"]`;

async function shot(page, name) {
	const file = path.join(OUT, `${name}.png`);
	await page.screenshot({ path: file });
	return path.relative(REPO_DIR, file);
}

/** Text shown by a select-like parameter input (Resource, Operation, ...). */
async function inputText(ndv, name) {
	const el = ndv.locator(tid(`parameter-input-${name}`)).first();
	if (!(await el.count())) return null;
	const value = await el
		.locator('input')
		.first()
		.inputValue()
		.catch(() => '');
	const text = (await el.innerText().catch(() => '')).trim();
	return [value, text].filter(Boolean).join(' ').trim();
}

async function openNodeCreatorSearch(page, opener) {
	await page.locator(opener).first().click();
	const search = page.locator(tid('node-creator-search-bar'));
	await search.waitFor({ state: 'visible', timeout: UI_TIMEOUT });
	await search.fill('PowerPost');
	const item = page.locator(`${tid('node-creator-item-name')}:text-is("PowerPost")`).first();
	await item.waitFor({ state: 'visible', timeout: UI_TIMEOUT });
	return item;
}

async function closeNdv(page) {
	await page.locator(tid('ndv-close-button')).first().click();
	await page.locator(tid('ndv')).first().waitFor({ state: 'hidden', timeout: UI_TIMEOUT });
}

async function closeCredentialModal(page) {
	const modal = page.locator(tid('editCredential-modal')).first();
	const close = modal.locator('button[aria-label="Close"], .el-dialog__headerbtn').first();
	if (await close.count()) await close.click();
	else await page.keyboard.press('Escape');
	await modal.waitFor({ state: 'hidden', timeout: UI_TIMEOUT });
}

/** Check the credential form in the open modal: labels and inputs for every credential property. */
async function checkCredentialForm(page, credDesc, label, { expectTested }) {
	const modal = page.locator(tid('editCredential-modal')).first();
	await modal.waitFor({ state: 'visible', timeout: UI_TIMEOUT });
	await modal.locator(tid('parameter-input-apiKey')).first().waitFor({ state: 'visible', timeout: UI_TIMEOUT });
	const text = await modal.innerText();
	const missing = [];
	for (const p of credDesc.properties) {
		const input = modal.locator(tid(`parameter-input-${p.name}`)).first();
		const visible = (await input.count()) && (await input.isVisible());
		if (!visible || !text.includes(p.displayName)) missing.push(p.displayName);
	}
	h.check(
		`${label}: fields ${credDesc.properties.map((p) => p.displayName).join(', ')}`,
		missing.length === 0,
		missing.length ? `missing ${missing.join(', ')}` : `credential type "${credDesc.displayName}" shown: ${text.includes(credDesc.displayName)}`,
	);
	if (expectTested) {
		// n8n tests a saved credential when its form opens (our credential's test: GET /account/credits)
		const ok = modal.locator(tid('credentials-config-container-test-success')).first();
		const tested = await ok
			.waitFor({ state: 'visible', timeout: 15000 })
			.then(() => true)
			.catch(() => false);
		const msg = tested ? (await ok.innerText()).replace(/\s+/g, ' ').trim() : (await modal.innerText()).replace(/\s+/g, ' ').slice(0, 300);
		h.check(`${label}: connection test against the sandbox`, tested, msg);
	}
}

/** Nodes without outgoing main connections (the ends of the workflow), sticky notes left out. */
function lastNodes(wf) {
	const nodes = wf.nodes.filter((n) => n.type !== 'n8n-nodes-base.stickyNote');
	return nodes.filter((n) => !(wf.connections[n.name]?.main ?? []).some((out) => out?.length)).map((n) => n.name);
}

/**
 * Open an example, run it (Manual Trigger workflows), then look for issues: issue icons on the
 * canvas, and red parameter issues in each node's panel (expressions are resolved against the run).
 */
async function checkExample(page, srv, sb, { file, workflow }) {
	const name = path.basename(file, '.json');
	const t = Date.now();
	const canvasNode = (n) => page.locator(`${tid('canvas-node')}[data-node-name="${n.replace(/"/g, '\\"')}"]`).first();
	try {
		await sb.reset();
		await page.goto(`${srv.url}/workflow/${workflow.id}`, { waitUntil: 'domcontentloaded', timeout: 90000 });
		const nodes = workflow.nodes.filter((n) => n.type !== 'n8n-nodes-base.stickyNote');
		await canvasNode(nodes[0].name).waitFor({ state: 'visible', timeout: 90000 });
		let ran = 'not run (starts with a trigger: activate it)';
		if (nodes.some((n) => n.type === 'n8n-nodes-base.manualTrigger')) {
			await page.locator(tid('execute-workflow-button')).first().click();
			const ends = lastNodes(workflow);
			for (const n of ends) {
				// a run ends with a status icon on the last node: success, or an error issue
				await canvasNode(n)
					.locator(`${tid('canvas-node-status-success')}, ${tid('node-issues')}`)
					.first()
					.waitFor({ state: 'visible', timeout: 150000 });
			}
			ran = `ran in ${((Date.now() - t) / 1000).toFixed(0)} s`;
		}
		const issues = [];
		const icons = await page.locator(`${tid('canvas-node')}:has(${tid('node-issues')})`).evaluateAll((els) => els.map((e) => e.getAttribute('data-node-name')));
		for (const n of icons) issues.push(`${n}: issue icon on the canvas`);
		const ndv = page.locator(tid('ndv')).first();
		for (const node of nodes) {
			await canvasNode(node.name).dblclick();
			await ndv.waitFor({ state: 'visible', timeout: UI_TIMEOUT });
			await ndv.locator(tid('node-parameters')).first().waitFor({ state: 'visible', timeout: UI_TIMEOUT });
			await page.waitForTimeout(1500); // expressions resolve asynchronously; issues follow them
			const found = await ndv.locator(tid('parameter-issues')).evaluateAll((els) =>
				els
					.filter((e) => e.offsetParent !== null)
					.map((e) => {
						const item = e.closest('[data-test-id="parameter-item"]');
						const input = item?.querySelector('[data-test-id^="parameter-input-"]');
						const label = item?.querySelector('label')?.textContent?.trim();
						return label || input?.getAttribute('data-test-id')?.replace('parameter-input-', '') || '?';
					}),
			);
			for (const label of found) issues.push(`${node.name}: red issue on "${label}"`);
			if (found.length) await shot(page, `example-${name}-${node.name.replace(/\W+/g, '-')}`);
			await closeNdv(page);
		}
		const file2 = await shot(page, `example-${name}`);
		h.check(`example ${name}: no node issues after opening${ran.startsWith('ran') ? ' and running' : ''}`, issues.length === 0, issues.join('; ') || `${nodes.length} nodes checked, ${ran} → ${file2}`);
	} catch (e) {
		await shot(page, `example-${name}-failed`).catch(() => {});
		h.check(`example ${name}: no node issues after opening and running`, false, e.message.split('\n')[0]);
		await page.keyboard.press('Escape').catch(() => {});
	}
}

// ---------- main ----------

async function main() {
	const chromium = ensureChromium(log);
	if (!chromium.ok) {
		h.skipFail('editor check in headless Chromium', chromium.reason);
		return;
	}
	if (chromium.installed) log(`chromium installed with apt-get in ${(chromium.ms / 1000).toFixed(0)} s`);
	let playwright;
	try {
		playwright = await import('playwright-core');
	} catch (e) {
		h.skipFail('editor check in headless Chromium', `playwright-core is not installed (npm install): ${e.message}`);
		return;
	}
	await ensureBuilt(args, log);
	const desc = loadDescriptions();
	const ops = operationsOf(desc.node);
	log(`our node: ${ops.length} operations in ${new Set(ops.map((o) => o.resource)).size} resources`);

	log('n8n 2: provisioning (reused when ready)');
	await provision('2', { log: (l) => log(l) });
	const pkg = await packPackage();
	const sb = await startSandboxProcess();
	h.onCleanup(() => sb.stop());
	const uf = await createUserFolder('2');
	h.onCleanup(() => uf.cleanup({ keep: args.keep }));
	await uf.installPackage(pkg);
	const cred = sandboxCredential(sb);
	await uf.importCredentials([cred]);
	const examples = (await listExamples()).map((f) => prepareExampleWorkflow(f, cred));
	await uf.importWorkflows(examples.map((e) => e.workflow));
	const srv = await startServerRetry(uf, freePort, log);

	for (const f of fs.readdirSync(OUT)) if (f.endsWith('.png')) fs.rmSync(path.join(OUT, f));

	const browser = await playwright.chromium.launch({ executablePath: chromium.path, args: LAUNCH_ARGS, headless: true });
	h.onCleanup(() => browser.close());
	const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
	context.setDefaultTimeout(UI_TIMEOUT);
	const page = await context.newPage();
	const consoleErrors = [];
	const harmless = new Map();
	page.on('console', (m) => {
		if (m.type() !== 'error') return;
		const msg = { text: m.text(), url: m.location()?.url ?? '' };
		const why = classifyConsole(msg);
		if (why) harmless.set(why, (harmless.get(why) ?? 0) + 1);
		else consoleErrors.push(`console.error: ${msg.text.slice(0, 300)}${msg.url ? ` (${msg.url})` : ''}`);
	});
	page.on('pageerror', (e) => consoleErrors.push(`page error: ${String(e?.message ?? e).slice(0, 300)}`));
	// leaving an example after its run: n8n asks "leave without saving?" (beforeunload); leave
	page.on('dialog', (d) => (d.type() === 'beforeunload' ? d.accept() : d.dismiss()).catch(() => {}));

	// 1) sign in through the form
	let t = Date.now();
	await page.goto(`${srv.url}/signin`, { waitUntil: 'domcontentloaded' });
	await page.locator('input[name="emailOrLdapLoginId"]').fill(srv.email);
	await page.locator('input[name="password"]').fill(srv.password);
	await page.locator(tid('form-submit-button')).click();
	const signedIn = await page
		.waitForURL((u) => !u.pathname.startsWith('/signin'), { timeout: 30000 })
		.then(() => true)
		.catch(() => false);
	h.check('sign in through the form', signedIn, `${page.url()} (${((Date.now() - t) / 1000).toFixed(1)} s)`);
	if (!signedIn) {
		await shot(page, 'signin-failed');
		return;
	}

	// 7) every shipped example, after a run in the editor, shows no node issue (done first: the
	//    workflow built below does not need the sandbox's state)
	for (const ex of examples) await checkExample(page, srv, sb, ex);
	if (args.rest?.includes('--examples-only')) return checkConsole(consoleErrors, harmless, ops);

	// 2) new workflow; the node creator lists our node with its triggers and actions
	t = Date.now();
	await page.goto(`${srv.url}/workflow/new`, { waitUntil: 'domcontentloaded' });
	await page.locator(tid('canvas-plus-button')).first().waitFor({ state: 'visible', timeout: 30000 });
	const item = await openNodeCreatorSearch(page, tid('canvas-plus-button'));
	const entry = (await page.locator(tid('item-iterator-item')).filter({ has: item }).first().innerText().catch(() => '')).replace(/\s+/g, ' ');
	h.check('node creator: "PowerPost" found by search (trigger view)', entry.includes(desc.trigger.description.slice(0, 40)), entry.slice(0, 140));
	await item.click();
	const panelText = (await page.locator(tid('node-creator')).first().innerText()).replace(/\s+/g, ' ');
	const triggersN = /Triggers \((\d+)\)/.exec(panelText)?.[1];
	const actionsN = /Actions \((\d+)\)/.exec(panelText)?.[1];
	const eventCount = desc.trigger.properties.find((p) => p.name === 'events').options.length;
	h.check(
		'node creator: our triggers and actions listed',
		Number(triggersN) === eventCount && Number(actionsN) === ops.length,
		`Triggers (${triggersN}) expected ${eventCount}; Actions (${actionsN}) expected ${ops.length}`,
	);
	await shot(page, 'node-creator');

	// 3) add the trigger ("On item posted")
	await page.locator(`${tid('node-creator-item-name')}:text-is("On item posted")`).first().click();
	const ndv = page.locator(tid('ndv')).first();
	await ndv.waitFor({ state: 'visible', timeout: UI_TIMEOUT });
	await ndv.locator(tid('parameter-input-events')).first().waitFor({ state: 'visible', timeout: UI_TIMEOUT });
	const trigText = `${(await ndv.innerText()).replace(/\s+/g, ' ')} ${await inputText(ndv, 'mode')}`;
	const credShown = (await ndv.locator(tid('node-credentials-select')).first().innerText().catch(() => '')).trim() ||
		(await ndv.locator(`${tid('node-credentials-select')} input`).first().inputValue().catch(() => ''));
	h.check(
		'trigger panel: credential, Poll Times and Events shown',
		(await ndv.locator(tid('fixed-collection-pollTimes')).count()) > 0 && /Every Minute/.test(trigText) && /Item Posted/.test(trigText) && credShown.includes(SANDBOX_CREDENTIAL_NAME),
		`credential "${credShown}", ${/Every Minute/.test(trigText) ? 'Every Minute' : 'no poll mode'}, events ${/Item Posted/.test(trigText) ? '"Item Posted"' : 'missing'}; ${await shot(page, 'trigger')}`,
	);

	// 4) credential forms: the saved credential (with n8n's automatic test), then a new one
	await ndv.locator(tid('credential-edit-button')).first().click();
	await checkCredentialForm(page, desc.credential, 'credential form (saved)', { expectTested: true });
	await shot(page, 'credential');
	await closeCredentialModal(page);
	try {
		await ndv.locator(tid('node-credentials-select')).first().click();
		await page.locator(tid('node-credentials-select-item-new')).first().click();
		await checkCredentialForm(page, desc.credential, 'credential form (new)', { expectTested: false });
		await shot(page, 'credential-new');
		await closeCredentialModal(page);
	} catch (e) {
		await shot(page, 'credential-new-failed');
		h.check('credential form (new): opened', false, e.message.split('\n')[0]);
		await page.keyboard.press('Escape');
	}
	if (await ndv.isVisible()) await closeNdv(page);
	log(`trigger and credential checks done (${((Date.now() - t) / 1000).toFixed(1)} s)`);

	// 5) every action of the PowerPost node
	t = Date.now();
	const panelFailures = [];
	const requiredFailures = [];
	for (const op of ops) {
		const label = `${op.resource}-${op.operation}`;
		try {
			// the canvas "+" (top right; n8n connects the new node after the last selected one). The
			// output handle's "+" of the last node works too but soon lies outside the viewport.
			const nodeItem = await openNodeCreatorSearch(page, tid('node-creator-plus-button'));
			await nodeItem.click();
			await page.locator(`${tid('node-creator-item-name')}:text-is("${op.action}")`).first().click();
			await ndv.waitFor({ state: 'visible', timeout: UI_TIMEOUT });
			await ndv.locator(tid('parameter-input-operation')).first().waitFor({ state: 'visible', timeout: UI_TIMEOUT });
			await page.waitForTimeout(300); // let dependent parameters render
			const res = await inputText(ndv, 'resource');
			const oper = await inputText(ndv, 'operation');
			const shown = await ndv.locator(`${tid('node-parameters')} ${tid('parameter-item')}`).evaluateAll((els) =>
				els.filter((e) => e.offsetParent !== null).length,
			);
			const missing = [];
			for (const r of op.required) {
				const sel = [`parameter-input-${r.name}`, `fixed-collection-${r.name}`, `resource-locator-${r.name}`].map(tid).join(', ');
				const loc = ndv.locator(sel).first();
				if (!((await loc.count()) && (await loc.isVisible()))) missing.push(r.displayName);
			}
			const file = await shot(page, label);
			const okLabels = (res ?? '').includes(op.resourceName) && (oper ?? '').includes(op.operationName);
			const okParams = !(op.required.length && shown <= 2) && missing.length === 0;
			if (!okLabels) panelFailures.push(`${label}: Resource "${res}" / Operation "${oper}"`);
			if (!okParams) requiredFailures.push(`${label}: ${shown - 2} parameter(s) shown besides Resource/Operation${missing.length ? `, required not shown: ${missing.join(', ')}` : ''}`);
			log(
				`${okLabels && okParams ? 'ok  ' : 'FAIL'} ${label.padEnd(26)} "${op.action}": ${shown} parameter(s) shown, required [${op.required.map((r) => r.name).join(', ')}] → ${file}`,
			);
			await closeNdv(page);
		} catch (e) {
			await shot(page, `${label}-failed`).catch(() => {});
			panelFailures.push(`${label}: ${e.message.split('\n')[0]}`);
			log(`FAIL ${label}: ${e.message.split('\n')[0]}`);
			await page.keyboard.press('Escape').catch(() => {});
			if (await ndv.isVisible().catch(() => false)) await closeNdv(page).catch(() => {});
		}
	}
	h.check(`every operation opens its panel with its Resource and Operation (${ops.length})`, panelFailures.length === 0, panelFailures.join('; ') || `${((Date.now() - t) / 1000).toFixed(0)} s`);
	h.check('every operation shows its required fields', requiredFailures.length === 0, requiredFailures.join('; ') || `${ops.filter((o) => o.required.length).length} operations with required fields`);

	// 6) save and read the workflow back
	const m = /\/workflow\/([A-Za-z0-9]+)/.exec(page.url());
	await page.keyboard.press('Control+s').catch(() => {});
	await page.waitForTimeout(2500);
	await page.locator(tid('tidy-up-button')).first().click().catch(() => {});
	await page.waitForTimeout(500);
	await page.locator(tid('zoom-to-fit')).first().click().catch(() => {});
	await page.waitForTimeout(500);
	await shot(page, 'canvas');
	if (!m) h.check('workflow saved with all nodes', false, `no workflow id in ${page.url()}`);
	else {
		const wf = await srv.api('GET', `/api/v1/workflows/${m[1]}`).catch((e) => ({ error: e.message }));
		const nodes = wf.nodes ?? [];
		const trig = nodes.filter((n) => n.type === 'n8n-nodes-powerpost.powerPostTrigger');
		// n8n leaves out parameters that have their default value: fill them in from the description
		const props = desc.node.properties;
		const pairOf = (params = {}) => {
			const r = params.resource ?? props.find((p) => p.name === 'resource').default;
			const o = params.operation ?? props.find((p) => p.name === 'operation' && p.displayOptions?.show?.resource?.includes(r))?.default;
			return `${r}-${o}`;
		};
		const pairs = new Set(nodes.filter((n) => n.type === 'n8n-nodes-powerpost.powerPost').map((n) => pairOf(n.parameters)));
		const absent = ops.map((o) => `${o.resource}-${o.operation}`).filter((k) => !pairs.has(k));
		h.check(
			'workflow saved with the trigger and one node per operation',
			trig.length === 1 && absent.length === 0,
			wf.error ?? `${m[1]}: ${trig.length} trigger, ${pairs.size} PowerPost operations${absent.length ? `; missing ${absent.join(', ')}` : ''}`,
		);
	}

	// 8) console
	checkConsole(consoleErrors, harmless, ops);
}

function checkConsole(consoleErrors, harmless, ops) {
	const harmlessNote = [...harmless].map(([why, n]) => `${n}× ${why}`).join('; ');
	h.check('no console errors', consoleErrors.length === 0, consoleErrors.length ? consoleErrors.slice(0, 8).join(' | ') : `ignored as harmless: ${harmlessNote || 'none'}`);
	fs.writeFileSync(path.join(OUT, 'report.json'), JSON.stringify({ operations: ops, consoleErrors, harmless: Object.fromEntries(harmless), results: h.results }, null, 2));
	log(`screenshots in ${path.relative(REPO_DIR, OUT)}/`);
}

main()
	.catch((e) => h.check('editor check ran to the end', false, e?.stack?.split('\n').slice(0, 4).join(' | ') ?? String(e)))
	.finally(() => h.finish());
