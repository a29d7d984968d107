#!/usr/bin/env node
// E2E: the PowerPost credential's Test button in a real n8n 2.x (REST /rest/credentials/test, what
// the editor calls), issue 10:
//   1. Base URL = that n8n's own editor page (200 HTML): fails at once with the operations' message
//      "PowerPost answered GET /content/generations with an HTML page instead of JSON";
//   2. the sandbox with a key pasted with white space around it: passes (the key is sent trimmed);
//   3. the sandbox with a wrong key: the 401 rule's message.
// Prints how long each test took (no timed assertion: machines are shared).
//
//   npm run test:e2e:credential [-- --no-build] [--keep]

import { createUserFolder, freePort, packPackage, startSandboxProcess } from '../../scripts/n8n-driver.mjs';
import { provision } from '../../scripts/n8n-runtime.mjs';
import { createHarness, ensureBuilt, parseCommonArgs, startServerRetry } from './lib-harness.mjs';

const args = parseCommonArgs(process.argv.slice(2), { deadlineMin: 10 });
const h = createHarness('e2e-credential', { deadlineMin: args.deadlineMin });
const { log } = h;

/** Saves a credential, then runs its test as the editor's Test button does; returns the answer and the test's time. */
async function testCredential(srv, data) {
	const name = `PowerPost probe ${Date.now()}`;
	const created = await srv.rest('POST', '/rest/credentials', { name, type: 'powerPostApi', data });
	const id = created.json?.data?.id ?? created.json?.id;
	const t0 = Date.now();
	const answer = await srv.rest('POST', '/rest/credentials/test', { credentials: { id, name, type: 'powerPostApi', data } });
	return { ...(answer.json?.data ?? answer.json ?? {}), ms: Date.now() - t0 };
}

async function main() {
	await ensureBuilt(args, log);
	await provision('2', { log: (l) => log(l) });
	const pkg = await packPackage();
	const sb = await startSandboxProcess();
	h.onCleanup(() => sb.stop());
	const uf = await createUserFolder('2');
	h.onCleanup(() => uf.cleanup({ keep: args.keep }));
	await uf.installPackage(pkg);
	const srv = await startServerRetry(uf, freePort, log);
	h.onCleanup(() => srv.stop());

	const { keys, workspaces, url: sandboxUrl } = sb;

	const html = await testCredential(srv, { apiKey: keys.full, workspaceId: workspaces.primary, baseUrl: `${srv.url}/` });
	log(`Base URL = n8n's editor page: ${html.status} in ${html.ms} ms: ${html.message}`);
	h.check(
		'Base URL at a web page (n8n itself): fails with the "HTML page instead of JSON" message',
		html.status === 'Error' && /^PowerPost answered GET \/content\/generations with an HTML page instead of JSON\./.test(html.message ?? ''),
		`${html.status}: ${html.message} (${html.ms} ms)`,
	);

	const padded = await testCredential(srv, { apiKey: `  ${keys.full} \n`, workspaceId: ` ${workspaces.primary} `, baseUrl: sandboxUrl });
	h.check('a key and workspace pasted with white space pass the test', padded.status === 'OK', `${padded.status}: ${padded.message} (${padded.ms} ms)`);

	const wrong = await testCredential(srv, { apiKey: 'pp_live_sk_not_a_real_key_123', workspaceId: workspaces.primary, baseUrl: sandboxUrl });
	h.check('a wrong key: the 401 message', wrong.status === 'Error' && /API key is not valid \(401\)/.test(wrong.message ?? ''), `${wrong.status}: ${wrong.message} (${wrong.ms} ms)`);
	h.check('the API key is in no test answer', ![html, padded, wrong].some((r) => JSON.stringify(r).includes(keys.full)), '');
}

main()
	.catch((error) => h.check('credential e2e ran to the end', false, error?.stack ?? String(error)))
	.finally(() => h.finish());
