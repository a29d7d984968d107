// Shared by the PostEverywhere contract tests: the node runs inside n8n-core's real WorkflowExecute
// (test/harness) against the PostEverywhere sandbox over HTTP.
import { startPostEverywhereSandbox, type PostEverywhereSandbox } from '../../../sandbox/posteverywhere/server';
import { runNode, type RunNodeResult } from '../../harness';

export type { PostEverywhereSandbox };

/** Sandbox-clock durations small enough for tests: a publish settles in about 100 ms. */
export const FAST_TIMING = { publishQueue: 30, publishAttempt: 50, retryDelay: 400, maxAttempts: 3, mediaProcessing: 100, webhookRetry: 200 };
/** Wait options (seconds) for the fast timing. */
export const FAST_WAIT = { pollInterval: 0.1, timeout: 20 };

export async function startSandbox(profile: 'strict' | 'generous' = 'generous', more: Parameters<typeof startPostEverywhereSandbox>[0] = {}): Promise<PostEverywhereSandbox> {
	return await startPostEverywhereSandbox({ port: 'auto', uploadPort: 'auto', profile, timing: FAST_TIMING, rateLimit: false, tickMs: 20, ...more });
}

export const credsFor = (sb: PostEverywhereSandbox, key: string = sb.keys.full) => ({ postEverywhereRestApi: { apiKey: key, baseUrl: sb.url } });

/** A resource-locator value "By ID". */
export const byId = (value: string | number) => ({ __rl: true, mode: 'id', value: String(value) });

/** Runs one PostEverywhere operation through n8n-core. */
export async function op(
	sb: PostEverywhereSandbox,
	resource: string,
	operation: string,
	parameters: Record<string, unknown>,
	extra: Partial<Parameters<typeof runNode>[0]> & { key?: string } = {},
): Promise<RunNodeResult> {
	const { key, ...rest } = extra;
	return await runNode({ nodeType: 'postEverywhere', parameters: { resource, operation, ...parameters }, credentials: credsFor(sb, key), ...rest });
}

export const jsonOf = (result: RunNodeResult) => (result.outputs[0] ?? []).map((item) => item.json as Record<string, any>);

/** The message and description of a failed run. */
export function errorText(result: RunNodeResult): string {
	const error = result.error as (Error & { description?: unknown }) | undefined;
	expect(result.status).toBe('error');
	return `${error?.message ?? ''}\n${typeof error?.description === 'string' ? error.description : ''}`;
}

/** API requests matching a method and path. */
export function calls(sb: PostEverywhereSandbox, method: string, path: RegExp | string) {
	return sb.requests().filter((r) => r.method === method && (typeof path === 'string' ? r.path === path : path.test(r.path)));
}

/** No sandbox key appears in the outputs, the error or the logs of a run. */
export function expectNoSecrets(sb: PostEverywhereSandbox, result: RunNodeResult): void {
	const error = result.error as (Error & { description?: unknown; context?: unknown }) | undefined;
	const text = [JSON.stringify(result.outputs), error?.message ?? '', String(error?.description ?? ''), JSON.stringify(error?.context ?? {}), result.logs.join('\n')].join('\n');
	for (const key of [sb.keys.full, sb.keys.noAi, sb.keys.readOnly, sb.keys.revoked]) expect(text).not.toContain(key);
}

/** Calls the sandbox API directly (test setup, not the node under test); returns the envelope's data. */
export async function api<T = Record<string, any>>(sb: PostEverywhereSandbox, method: string, path: string, body?: unknown): Promise<{ status: number; data: T }> {
	const response = await fetch(sb.url + path, {
		method,
		headers: { Authorization: `Bearer ${sb.keys.full}`, ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
		body: body === undefined ? undefined : JSON.stringify(body),
	});
	const json = (await response.json()) as { data: T };
	return { status: response.status, data: json.data };
}
