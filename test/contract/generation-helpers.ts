// Shared by the contract tests of Media, Caption, Image and Video.
import type { Sandbox } from '../../sandbox/server';
import type { RunNodeResult } from '../harness';

export type Credentials = { powerPostApi: { apiKey: string; workspaceId: string; baseUrl: string } };

export function credsFor(sb: Sandbox, key: string = sb.keys.full, workspace: string = sb.workspaces.primary): Credentials {
	return { powerPostApi: { apiKey: key, workspaceId: workspace, baseUrl: sb.url } };
}

/** How many requests the sandbox saw for a method + path pattern. */
export function countRequests(sb: Sandbox, method: string, path: RegExp | string): number {
	return sb.requests.filter((r) => r.method === method && (typeof path === 'string' ? r.path === path : path.test(r.path))).length;
}

/** No API key of the sandbox appears in the outputs, the error or the logs of a run. */
export function expectNoSecrets(sb: Sandbox, result: RunNodeResult): void {
	const error = result.error as (Error & { description?: unknown; context?: unknown }) | undefined;
	const text = [
		JSON.stringify(result.outputs),
		error?.message ?? '',
		typeof error?.description === 'string' ? error.description : '',
		JSON.stringify(error?.context ?? {}),
		result.logs.join('\n'),
	].join('\n');
	for (const key of [sb.keys.full, sb.keys.draftOnly, sb.keys.readOnly, sb.keys.noCredits]) expect(text).not.toContain(key);
}

/** The message and description of a failed run, for assertions. */
export function errorText(result: RunNodeResult): string {
	const error = result.error as (Error & { description?: unknown }) | undefined;
	expect(result.status).toBe('error');
	return `${error?.message ?? ''}\n${typeof error?.description === 'string' ? error.description : ''}`;
}

export const PNG = Buffer.from(
	'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==',
	'base64',
);
