/**
 * Bench 2: PowerPost Trigger, per sandbox profile (strict = contract only, generous = the switches
 * of sandbox/ASSUMPTIONS.md): requests per idle poll at several sizes of post history, requests of
 * the poll that picks up k new results, and the size of the node's static data at 100 and 5,000
 * results a day. Every poll runs through n8n-core's PollContext (harness runPoll) over real HTTP.
 */
import type { IDataObject } from 'n8n-workflow';

import { startSandbox } from '../sandbox/server';
import type { ProfileName, Sandbox } from '../sandbox/server';
import { runPoll } from '../test/harness';

export interface TriggerFigure {
	profile: ProfileName;
	history: number;
	/** Posts not final that the trigger watches (drafts, scheduled). */
	tracked: number;
	activationRequests: number;
	/** Mean over the idle polls. */
	idleRequests: number;
	idleMax: number;
	/** k new results → requests of the poll that picked them up, and the events it emitted. */
	withNew: Array<{ k: number; requests: number; events: number }>;
}

export interface StateFigure {
	profile: ProfileName;
	resultsPerDay: number;
	/** Results emitted over the simulated day (must equal the results produced). */
	emitted: number;
	polls: number;
	/** Static data as n8n stores it (JSON bytes): largest over the day, and at its end. */
	maxBytes: number;
	endBytes: number;
}

const MIN = 60_000;
const PARAMETERS = { events: ['itemPosted', 'itemFailed', 'postFinished'], filters: {}, options: {} };

async function api(sb: Sandbox, method: string, path: string, body?: unknown): Promise<Record<string, any>> {
	const response = await fetch(sb.url + path, {
		method,
		headers: { 'x-api-key': sb.keys.full, 'X-Workspace-Id': sb.workspaces.primary, ...(body ? { 'Content-Type': 'application/json' } : {}) },
		body: body ? JSON.stringify(body) : undefined,
	});
	return (await response.json()) as Record<string, any>;
}

/** One trigger polling the sandbox; static data kept between polls as n8n keeps it (JSON). */
function poller(sb: Sandbox, workflowId: string) {
	const credentials = { powerPostApi: { apiKey: sb.keys.full, workspaceId: sb.workspaces.primary, baseUrl: sb.url } };
	let staticData: IDataObject = {};
	return {
		get bytes() {
			return JSON.stringify(staticData).length;
		},
		async poll() {
			const before = sb.requests.length;
			const result = await runPoll({ nodeType: 'powerPostTrigger', parameters: PARAMETERS, credentials, staticData, workflowId });
			if (result.error) throw new Error(`poll failed: ${result.error.message}`);
			staticData = JSON.parse(JSON.stringify(result.staticData)) as IDataObject;
			return { requests: sb.requests.length - before, events: result.items?.[0]?.length ?? 0 };
		},
	};
}

async function publishNew(sb: Sandbox, k: number, items = 1): Promise<void> {
	const types = ['x-post', 'linkedin-post', 'facebook-post'];
	for (let i = 0; i < k; i++) {
		const post = await api(sb, 'POST', '/posts', { items: types.slice(0, items).map((t) => ({ post_type: t, content: `Bench post ${i}` })) });
		await api(sb, 'POST', `/posts/${post.post_id}/publish`);
	}
}

export async function benchTrigger(histories: number[], ks: number[], log: (line: string) => void): Promise<TriggerFigure[]> {
	const figures: TriggerFigure[] = [];
	for (const profile of ['strict', 'generous'] as ProfileName[]) {
		for (const [history, tracked] of [...histories.map((h) => [h, 0]), [histories[histories.length - 1], 8]]) {
			const sb = await startSandbox({ profile, rateLimit: false, tickMs: 0, initialCredits: 100_000_000, timing: { publishQueue: 10, publishItem: 10 } });
			try {
				sb.seedPosts(history);
				for (let i = 0; i < tracked; i++) {
					const post = await api(sb, 'POST', '/posts', { items: [{ post_type: 'x-post', content: `Waiting ${i}` }] });
					if (i % 3 === 0) await api(sb, 'POST', `/posts/${post.post_id}/schedule`, { scheduled_at: new Date(sb.clock.now() + 30 * 24 * 60 * MIN).toISOString() });
				}
				const trigger = poller(sb, `bench-${profile}-${history}-${tracked}`);
				const activation = await trigger.poll();
				const idle: number[] = [];
				for (let i = 0; i < 20; i++) {
					sb.clock.advance(MIN);
					idle.push((await trigger.poll()).requests);
				}
				const withNew: TriggerFigure['withNew'] = [];
				for (const k of ks) {
					await publishNew(sb, k);
					sb.clock.advance(MIN);
					withNew.push({ k, ...(await trigger.poll()) });
					sb.clock.advance(MIN);
					idle.push((await trigger.poll()).requests);
				}
				const figure: TriggerFigure = {
					profile,
					history,
					tracked,
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
	}
	return figures;
}

/**
 * A simulated day (sandbox clock) at `resultsPerDay` results: posts of 2 items published
 * throughout, a poll every 5 minutes, 10 drafts and 5 scheduled posts waiting all day.
 */
export async function benchTriggerState(resultsPerDay: number[], log: (line: string) => void): Promise<StateFigure[]> {
	const figures: StateFigure[] = [];
	for (const profile of ['strict', 'generous'] as ProfileName[]) {
		for (const perDay of resultsPerDay) {
			const sb = await startSandbox({ profile, rateLimit: false, tickMs: 0, initialCredits: 100_000_000, timing: { publishQueue: 10, publishItem: 10 } });
			try {
				sb.seedPosts(1000);
				for (let i = 0; i < 15; i++) {
					const post = await api(sb, 'POST', '/posts', { items: [{ post_type: 'x-post', content: `Waiting ${i}` }] });
					if (i % 3 === 0) await api(sb, 'POST', `/posts/${post.post_id}/schedule`, { scheduled_at: new Date(sb.clock.now() + 50 * 24 * 60 * MIN).toISOString() });
				}
				const trigger = poller(sb, `state-${profile}-${perDay}`);
				await trigger.poll();
				const polls = 288;
				const postsPerDay = perDay / 2;
				let made = 0;
				let emitted = 0;
				let maxBytes = trigger.bytes;
				for (let p = 1; p <= polls; p++) {
					const due = Math.round((postsPerDay * p) / polls);
					await publishNew(sb, due - made, 2);
					made = due;
					sb.clock.advance(5 * MIN);
					emitted += (await trigger.poll()).events;
					maxBytes = Math.max(maxBytes, trigger.bytes);
				}
				const figure: StateFigure = { profile, resultsPerDay: perDay, emitted, polls, maxBytes, endBytes: trigger.bytes };
				log(`trigger state: ${JSON.stringify(figure)}`);
				figures.push(figure);
			} finally {
				await sb.close();
			}
		}
	}
	return figures;
}
