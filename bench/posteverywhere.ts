/**
 * PostEverywhere figures (`BENCH_ONLY=posteverywhere npm run bench`):
 * 1. Media → Upload of a 500 MB video in n8n's filesystem binary mode: peak RSS increase while the
 *    upload node runs, PostEverywhere (three steps, streamed PUT to the presigned host) beside
 *    PowerPost's streamed multipart upload, each in a fresh child process (bench/uploadChild.ts).
 * 2. PostEverywhere Trigger: requests per idle poll and per poll with k new results, over a
 *    history of n posts, under the sandbox's strict and generous profiles.
 */
import { rmSync } from 'node:fs';
import type { IDataObject } from 'n8n-workflow';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { startPostEverywhereSandbox } from '../sandbox/posteverywhere/server';
import { startSandbox } from '../sandbox/server';
import { runPoll } from '../test/harness';
import type { UploadFigure } from './upload';
import { MB, runChild, writeFile } from './upload';

export interface PeTriggerFigure {
	profile: 'strict' | 'generous';
	history: number;
	idleRequests: number;
	withNew: Array<{ k: number; requests: number; events: number; expected: number }>;
}

export async function benchPostEverywhereUpload(size: number, log: (line: string) => void): Promise<UploadFigure[]> {
	const pe = await startPostEverywhereSandbox({ port: 'auto', uploadPort: 'auto', rateLimit: false, tickMs: 0 });
	const pp = await startSandbox({ rateLimit: false, tickMs: 0 });
	const file = path.join(tmpdir(), `bench-pe-upload-${size}.mp4`);
	const figures: UploadFigure[] = [];
	try {
		log(`posteverywhere: writing a ${size / MB} MB MP4-typed file`);
		await writeFile(file, size);
		for (const [variant, url, key, ws] of [
			['posteverywhere', pe.url, pe.keys.full, ''],
			['streamed', pp.url, pp.keys.full, pp.workspaces.primary],
		] as const) {
			log(`posteverywhere: ${variant} upload, filesystem mode`);
			const figure = await runChild(variant, 'filesystem', file, size, [url, key, ws, 'http://127.0.0.1:9/unused', 'null']);
			log(`  -> ${JSON.stringify(figure)}`);
			figures.push(figure);
		}
		const stored = pe.uploads().find((u) => u.method === 'PUT' && u.bytes === size);
		if (!stored) log('posteverywhere: WARNING the upload host did not record the whole file');
	} finally {
		rmSync(file, { force: true });
		await pe.stop();
		await pp.close();
	}
	return figures;
}

async function settle(pe: Awaited<ReturnType<typeof startPostEverywhereSandbox>>): Promise<void> {
	for (let i = 0; i < 200; i++) {
		pe.tick();
		const busy = [...pe.state.posts.values()].some((p: { status?: string }) => p.status === 'publishing');
		if (!busy) return;
		pe.advanceClock(200);
	}
}

export async function benchPostEverywhereTrigger(histories: number[], batches: number[], log: (line: string) => void): Promise<PeTriggerFigure[]> {
	const figures: PeTriggerFigure[] = [];
	for (const profile of ['strict', 'generous'] as const) {
		for (const history of histories) {
			const pe = await startPostEverywhereSandbox({ port: 'auto', uploadPort: 'auto', profile, rateLimit: false, tickMs: 0, timing: { publishQueue: 10, publishAttempt: 10 } });
			try {
				await pe.control('POST', '/seed-posts', { n: history });
				const credentials = { postEverywhereRestApi: { apiKey: pe.keys.full, baseUrl: pe.url } };
				let staticData: IDataObject | undefined;
				const poll = async () => {
					const before = pe.requests().length;
					const result = await runPoll({ nodeType: 'postEverywhereTrigger', parameters: { events: ['published', 'failed'] }, credentials, staticData });
					if (result.error) throw result.error;
					staticData = result.staticData;
					return { requests: pe.requests().length - before, events: result.items?.[0]?.length ?? 0 };
				};
				await poll();
				let idle = 0;
				for (let i = 0; i < 5; i++) idle += (await poll()).requests;
				const withNew: PeTriggerFigure['withNew'] = [];
				for (const k of batches) {
					for (let i = 0; i < k; i++) {
						await fetch(`${pe.url}/posts`, {
							method: 'POST',
							headers: { Authorization: `Bearer ${pe.keys.full}`, 'Content-Type': 'application/json' },
							body: JSON.stringify({ content: `bench ${k}-${i}`, account_ids: [pe.accounts.instagram] }),
						});
					}
					await settle(pe);
					const once = await poll();
					withNew.push({ k, requests: once.requests, events: once.events, expected: k });
				}
				const figure = { profile, history, idleRequests: idle / 5, withNew };
				log(`posteverywhere trigger: ${JSON.stringify(figure)}`);
				figures.push(figure);
			} finally {
				await pe.stop();
			}
		}
	}
	return figures;
}

const f = (value: number | undefined, digits = 2) => (value === undefined || Number.isNaN(value) ? '–' : value.toFixed(digits));

export function postEverywhereSection(upload: UploadFigure[], trigger: PeTriggerFigure[]): string[] {
	return [
		'## 5. PostEverywhere (upload memory, trigger cost)',
		'',
		`Measured ${new Date().toISOString()} (\`BENCH_ONLY=posteverywhere npm run bench\`). Upload: the same 500 MB file, n8n filesystem binary mode, each node in a fresh child process inside n8n-core's real WorkflowExecute; RSS sampled every 20 ms. PostEverywhere = step 1, a streamed PUT to the sandbox's presigned upload host (which counts and hashes, never buffers), step 3; PowerPost = its streamed multipart POST.`,
		'',
		'| Node | File | Upload node peak RSS increase | Copies of the file | Whole run (VmHWM) | Time (s) | Result |',
		'|---|---|---|---|---|---|---|',
		...upload.map(
			(x) =>
				`| Media → Upload (${x.variant === 'posteverywhere' ? 'PostEverywhere' : 'PowerPost'}) | ${x.sizeBytes / MB} MB | ${f(x.nodePeakIncreaseMb, 0)} MB | ${f(((x.nodePeakIncreaseMb ?? NaN) * 1024 * 1024) / x.sizeBytes)} | ${f(x.hwmIncreaseMb, 0)} MB | ${f(x.seconds, 1)} | ${x.ok ? 'uploaded' : `failed: ${String(x.error).slice(0, 100)}`} |`,
		),
		'',
		'Trigger: history seeded with `/seed-posts` (finished posts), one poll to activate, then 5 idle polls (mean), then k posts published to one account and settled between two polls. Requests counted at the sandbox.',
		'',
		'| Profile | History (posts) | Requests per idle poll | k new results: requests / events (expected) |',
		'|---|---|---|---|',
		...trigger.map((x) => `| ${x.profile} | ${x.history} | ${f(x.idleRequests)} | ${x.withNew.map((w) => `k=${w.k}: ${w.requests} / ${w.events} (${w.expected})`).join('; ')} |`),
	];
}
