// Shared by the contract tests of Post, Analytics, Calendar, coverage and the flow test.
import type { Sandbox } from '../../sandbox/server';
import { runNode, type RunNodeResult } from '../harness';
import { credsFor } from './generation-helpers';

/** Sandbox timing small enough for tests: a publish of n items takes about 30 + n × 60 ms. */
export const FAST_TIMING = { caption: 80, image: 80, video: 150, publishItem: 60, publishQueue: 30 };

/** Poll options (seconds) small enough for the fast timing. */
export const FAST_POLL = { pollInterval: 0.1, timeout: 10 };

/** A resource-locator value "By ID". */
export const byId = (value: string) => ({ __rl: true, mode: 'id', value });

/** Calls the sandbox API directly (test setup, not the node under test). */
export async function api<T = Record<string, any>>(
	sb: Sandbox,
	method: string,
	path: string,
	body?: unknown,
	options: { key?: string; workspace?: string } = {},
): Promise<{ status: number; body: T }> {
	const response = await fetch(sb.url + path, {
		method,
		headers: {
			'x-api-key': options.key ?? sb.keys.full,
			'X-Workspace-Id': options.workspace ?? sb.workspaces.primary,
			...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
		},
		body: body === undefined ? undefined : JSON.stringify(body),
	});
	return { status: response.status, body: (await response.json()) as T };
}

/** Creates a draft through the API (setup), returns the post. */
export async function draft(
	sb: Sandbox,
	items: Array<Record<string, unknown>> = [{ post_type: 'x-post', content: 'Hello from the sandbox' }],
	workspace?: string,
): Promise<Record<string, any>> {
	const response = await api(sb, 'POST', '/posts', { items }, { workspace });
	if (response.status !== 200) throw new Error(`setup: create post failed ${response.status} ${JSON.stringify(response.body)}`);
	return response.body;
}

/** Polls the sandbox until a job reaches a final state (setup). */
export async function until<T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 5000): Promise<T> {
	const end = Date.now() + timeoutMs;
	for (;;) {
		const value = await read();
		if (done(value) || Date.now() > end) return value;
		await new Promise((resolve) => setTimeout(resolve, 20));
	}
}

/** A completed caption generation (setup). */
export async function completedCaption(sb: Sandbox, postTypes: string[], prompt = 'Autumn launch of our oat latte'): Promise<Record<string, any>> {
	const started = await api(sb, 'POST', '/content/generate', { prompt, post_types: postTypes, research_mode: 'regular' });
	if (started.status !== 200) throw new Error(`setup: generate failed ${JSON.stringify(started.body)}`);
	const id = started.body.generation_id as string;
	return (await until(
		async () => (await api(sb, 'GET', `/content/generations/${id}`)).body,
		(g) => g.status === 'completed' || g.status === 'failed',
	)) as Record<string, any>;
}

/** Generated image media ids (setup). */
export async function imageIds(sb: Sandbox, quantity = 1): Promise<string[]> {
	const started = await api(sb, 'POST', '/images/generate', { prompt: 'A cup of coffee on a desk', model: 'flux2-flex', size: 'square', quantity });
	if (started.status !== 200) throw new Error(`setup: image failed ${JSON.stringify(started.body)}`);
	const id = started.body.image_generation_id as string;
	const done = await until(
		async () => (await api(sb, 'GET', `/images/generations/${id}`)).body,
		(g) => g.status === 'completed' || g.status === 'failed',
	);
	return (done.images as Array<{ media_id: string }>).map((image) => image.media_id);
}

/** Runs one PowerPost operation through n8n-core (the node under test). */
export async function op(
	sb: Sandbox,
	resource: string,
	operation: string,
	parameters: Record<string, unknown>,
	extra: Partial<Parameters<typeof runNode>[0]> & { key?: string; workspace?: string } = {},
): Promise<RunNodeResult> {
	const { key, workspace, ...rest } = extra;
	return await runNode({
		nodeType: 'powerPost',
		parameters: { resource, operation, ...parameters },
		credentials: credsFor(sb, key, workspace),
		...rest,
	});
}

/** The JSON of the items of the main output. */
export const jsonOf = (result: RunNodeResult) => (result.outputs[0] ?? []).map((item) => item.json as Record<string, any>);
