/**
 * Environment for running n8n-core in-process. Imported for its side effects by
 * `index.ts` *before* n8n-core is loaded, and by the jest `setupFiles` entry
 * (`setup.ts`), so n8n-core never writes to `~/.n8n`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

let created: string | undefined;

/** Give this process a fresh, throw-away N8N_USER_FOLDER (removed on exit). */
export function useFreshUserFolder(): string {
	created = mkdtempSync(path.join(tmpdir(), 'n8n-harness-'));
	process.env.N8N_USER_FOLDER = created;
	const dir = created;
	process.once('exit', () => {
		try {
			rmSync(dir, { recursive: true, force: true });
		} catch {
			// best effort
		}
	});
	return dir;
}

export function ensureHarnessEnv(): void {
	if (!process.env.N8N_USER_FOLDER) useFreshUserFolder();
	// Debug level so every logger call in n8n-core and in our nodes is captured
	// (the harness replaces the console transport, nothing is printed).
	process.env.N8N_LOG_LEVEL ??= 'debug';
	process.env.N8N_DIAGNOSTICS_ENABLED ??= 'false';
	process.env.N8N_VERSION_NOTIFICATIONS_ENABLED ??= 'false';
	// n8n-core's DirectoryLoader and a few helpers switch behaviour on NODE_ENV=test.
	process.env.NODE_ENV ??= 'test';
}

ensureHarnessEnv();
