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

/** The run failed before anything reached the sandbox, with a message naming the field (and what is allowed). */
export function expectRefusedBeforeSending(sb: Sandbox, result: RunNodeResult, message: RegExp, allowed: RegExp = /./): void {
	const text = errorText(result);
	expect(text).toMatch(message);
	expect(text).toMatch(allowed);
	expect(sb.requests).toHaveLength(0);
}

export const PNG = Buffer.from(
	'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==',
	'base64',
);

/**
 * Runs a list search ("From list" of a resource locator) of the PowerPost node the way the n8n
 * editor does: through n8n-core's LoadOptionsContext, with the harness credentials.
 */
export async function runListSearch(
	sb: Sandbox,
	method: string,
	options: { filter?: string; paginationToken?: string; key?: string; workspace?: string } = {},
): Promise<import('n8n-workflow').INodeListSearchResult> {
	const { getRegistry } = await import('../harness');
	const { HarnessCredentialsHelper } = await import('../harness/credentials-helper');
	const { LoadOptionsContext } = await import('n8n-core');
	const { Workflow } = await import('n8n-workflow');
	const registry = await getRegistry();
	const type = registry.fullName('powerPost');
	const node = {
		id: 'list-search-node',
		name: 'PowerPost',
		type,
		typeVersion: 1,
		position: [0, 0] as [number, number],
		parameters: {},
		credentials: { powerPostApi: { id: 'harness-powerPostApi', name: 'PowerPost (harness)' } },
	};
	const workflow = new Workflow({ id: 'listSearchWf', nodes: [node], connections: {}, active: false, nodeTypes: registry.nodeTypes });
	const credentialsHelper = new HarnessCredentialsHelper(registry, credsFor(sb, options.key, options.workspace));
	const additionalData = { credentialsHelper, userId: 'harness-user', variables: {}, restApiUrl: 'http://localhost:5678/rest' };
	const context = new LoadOptionsContext(workflow, workflow.getNode('PowerPost')!, additionalData as never, 'parameters');
	const nodeType = registry.nodeTypes.getByNameAndVersion(type, 1) as import('n8n-workflow').INodeType;
	const search = nodeType.methods?.listSearch?.[method];
	if (!search) throw new Error(`No list search ${method}`);
	return await search.call(context, options.filter, options.paginationToken);
}

/** Uploads a small file straight to the sandbox (test setup); returns its media id. */
export async function uploadMedia(sb: Sandbox, kind: 'image' | 'video', workspace: string = sb.workspaces.primary): Promise<string> {
	const boundary = 'setupboundary';
	const [mime, name, data] = kind === 'image' ? ['image/png', 'a.png', PNG] : ['video/mp4', 'v.mp4', Buffer.alloc(1000, 1)];
	const body = Buffer.concat([
		Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="type"\r\n\r\n${kind}\r\n`),
		Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${name}"\r\nContent-Type: ${mime}\r\n\r\n`),
		data,
		Buffer.from(`\r\n--${boundary}--\r\n`),
	]);
	const response = await fetch(`${sb.url}/media/upload`, {
		method: 'POST',
		headers: { 'x-api-key': sb.keys.full, 'X-Workspace-Id': workspace, 'Content-Type': `multipart/form-data; boundary=${boundary}` },
		body,
	});
	const json = (await response.json()) as Record<string, any>;
	if (response.status !== 200) throw new Error(`setup upload failed: ${JSON.stringify(json)}`);
	return json.media_id as string;
}

/** Fast poll options (seconds) for tests against a sandbox with small timings. */
export const FAST_WAIT = { pollInterval: 0.1, timeout: 10 };
