/** Bench 2: requests per PowerPost Trigger poll, idle and with k new results, at several sizes of post history. */
import type { IDataObject } from 'n8n-workflow';

import { startSandbox } from '../sandbox/server';
import type { Sandbox } from '../sandbox/server';
import { runPoll } from '../test/harness';

export interface TriggerFigure {
	history: number;
	activationRequests: number;
	/** Mean over the idle polls. */
	idleRequests: number;
	idleMax: number;
	/** k new results → requests of the poll that picked them up, and the events it emitted. */
	withNew: Array<{ k: number; requests: number; events: number }>;
}

async function api(sb: Sandbox, method: string, path: string, body?: unknown): Promise<Record<string, any>> {
	const response = await fetch(sb.url + path, {
		method,
		headers: { 'x-api-key': sb.keys.full, 'X-Workspace-Id': sb.workspaces.primary, ...(body ? { 'Content-Type': 'application/json' } : {}) },
		body: body ? JSON.stringify(body) : undefined,
	});
	return (await response.json()) as Record<string, any>;
}

export async function benchTrigger(histories: number[], ks: number[], log: (line: string) => void): Promise<TriggerFigure[]> {
	const figures: TriggerFigure[] = [];
	for (const history of histories) {
		const sb = await startSandbox({ rateLimit: false, timing: { publishQueue: 10, publishItem: 10 } });
		try {
			sb.seedPosts(history);
			const credentials = { powerPostApi: { apiKey: sb.keys.full, workspaceId: sb.workspaces.primary, baseUrl: sb.url } };
			const parameters = { events: ['itemPosted', 'itemFailed', 'postFinished'], filters: {}, options: {} };
			let staticData: IDataObject = {};
			const poll = async () => {
				const before = sb.requests.length;
				const result = await runPoll({ nodeType: 'powerPostTrigger', parameters, credentials, staticData });
				if (result.error) throw new Error(`poll failed: ${result.error.message}`);
				staticData = result.staticData;
				return { requests: sb.requests.length - before, events: result.items?.[0]?.length ?? 0 };
			};
			const activation = await poll();
			const idle: number[] = [];
			for (let i = 0; i < 5; i++) idle.push((await poll()).requests);
			const withNew: TriggerFigure['withNew'] = [];
			for (const k of ks) {
				const ids: string[] = [];
				for (let i = 0; i < k; i++) {
					const post = await api(sb, 'POST', '/posts', { items: [{ post_type: 'x-post', content: `Bench post ${i}` }] });
					await api(sb, 'POST', `/posts/${post.post_id}/publish`);
					ids.push(post.post_id as string);
				}
				const end = Date.now() + 30_000;
				while (Date.now() < end && !ids.every((id) => ['published', 'failed'].includes(sb.state.posts.get(id)?.status ?? ''))) {
					await new Promise((resolve) => setTimeout(resolve, 20));
				}
				withNew.push({ k, ...(await poll()) });
				idle.push((await poll()).requests);
			}
			const figure = {
				history,
				activationRequests: activation.requests,
				idleRequests: idle.reduce((a, b) => a + b, 0) / idle.length,
				idleMax: Math.max(...idle),
				withNew,
			};
			log(`trigger: ${JSON.stringify(figure)}`);
			figures.push(figure);
		} finally {
			await sb.close();
		}
	}
	return figures;
}
