/**
 * Bench 3: 1,000 items through Calendar → Create against a sandbox with a fixed-window rate limit.
 * Achieved rate / limit, failed items, share of requests answered 429.
 */
import { startSandbox } from '../sandbox/server';
import { runNode } from '../test/harness';

export interface BatchFigure {
	items: number;
	limit: number;
	windowMs: number;
	perMinute: number;
	seconds: number;
	requests: number;
	answered429: number;
	share429: number;
	failedItems: number;
	achievedPerMinute: number;
	ratio: number;
}

export async function benchBatch(items: number, limit: number, windowMs: number, log: (line: string) => void): Promise<BatchFigure> {
	const sb = await startSandbox({ rateLimit: { limit, windowMs }, tickMs: 0 });
	try {
		// Start at the beginning of a window, so the first window is a full one.
		await new Promise((resolve) => setTimeout(resolve, windowMs - (sb.clock.now() % windowMs) + 5));
		const started = sb.clock.now();
		const result = await runNode({
			nodeType: 'powerPost',
			parameters: {
				resource: 'calendar',
				operation: 'create',
				title: "={{ 'Bench entry ' + $json.i }}",
				scheduledDate: '2026-12-01',
				additionalFields: {},
			},
			credentials: { powerPostApi: { apiKey: sb.keys.full, workspaceId: sb.workspaces.primary, baseUrl: sb.url } },
			input: Array.from({ length: items }, (_, i) => ({ json: { i } })),
			onError: 'continueRegularOutput',
			mode: 'trigger',
		});
		const last = Math.max(...sb.requests.map((r) => r.at));
		const seconds = (last - started) / 1000;
		const ok = (result.outputs[0] ?? []).filter((item) => typeof item.json.entry_id === 'string').length;
		const answered429 = sb.requests.filter((r) => r.status === 429).length;
		const perMinute = (limit * 60_000) / windowMs;
		// Rate over whole windows used: the requests of the last window may end early in it.
		const achievedPerMinute = (ok / seconds) * 60;
		const figure: BatchFigure = {
			items,
			limit,
			windowMs,
			perMinute,
			seconds,
			requests: sb.requests.length,
			answered429,
			share429: answered429 / sb.requests.length,
			failedItems: items - ok,
			achievedPerMinute,
			ratio: achievedPerMinute / perMinute,
		};
		log(`batch: ${JSON.stringify(figure)} status ${result.status} ${result.error?.message ?? ''}`);
		return figure;
	} finally {
		await sb.close();
	}
}
