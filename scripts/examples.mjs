// Shared by the demo and the e2e runner: find examples/*.json and make them importable.

import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { normalizeWorkflow, REPO_DIR } from './n8n-driver.mjs';

// POWERPOST_EXAMPLES_DIR points the demo and the e2e runner at another folder (for trying things out)
export const EXAMPLES_DIR = process.env.POWERPOST_EXAMPLES_DIR ? path.resolve(process.env.POWERPOST_EXAMPLES_DIR) : path.join(REPO_DIR, 'examples');
const NOT_WORKFLOWS = new Set(['expectations.json', 'package.json']);

/** Absolute paths of examples/*.json workflows (sorted; expectations.json excluded). */
export async function listExamples(dir = EXAMPLES_DIR) {
	if (!fs.existsSync(dir)) return [];
	return (await fsp.readdir(dir))
		.filter((f) => f.endsWith('.json') && !NOT_WORKFLOWS.has(f) && !f.startsWith('.'))
		.sort()
		.map((f) => path.join(dir, f));
}

/** examples/expectations.json ({} when missing). */
export function readExpectations(dir = EXAMPLES_DIR) {
	const f = path.join(dir, 'expectations.json');
	if (!fs.existsSync(f)) return {};
	return JSON.parse(fs.readFileSync(f, 'utf8'));
}

/**
 * Read an example and point every PowerPost credential reference at the imported credential
 * (import:workflow keeps ids as written; n8n does not resolve credentials by name on import).
 * Returns { file, workflow }.
 */
export function prepareExampleWorkflow(file, credential) {
	const wf = normalizeWorkflow(JSON.parse(fs.readFileSync(file, 'utf8')), file);
	if (credential) {
		for (const node of wf.nodes ?? []) {
			if (!node.credentials) continue;
			for (const type of Object.keys(node.credentials)) {
				if (type === credential.type) node.credentials[type] = { id: credential.id, name: credential.name };
			}
		}
	}
	return { file, workflow: wf };
}
