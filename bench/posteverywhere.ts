/**
 * PostEverywhere figures (`BENCH_ONLY=posteverywhere npm run bench`):
 * Media → Upload of a 500 MB video in n8n's filesystem binary mode: peak RSS increase while the
 *    upload node runs, PostEverywhere (three steps, streamed PUT to the presigned host) beside
 *    PowerPost's streamed multipart upload, each in a fresh child process (bench/uploadChild.ts).
 * The PostEverywhere Trigger's figures: bench/posteverywhereTrigger.ts (`BENCH_ONLY=pe-trigger`).
 */
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { startPostEverywhereSandbox } from '../sandbox/posteverywhere/server';
import { startSandbox } from '../sandbox/server';
import type { UploadFigure } from './upload';
import { MB, runChild, writeFile } from './upload';

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

const f = (value: number | undefined, digits = 2) => (value === undefined || Number.isNaN(value) ? '–' : value.toFixed(digits));

export function postEverywhereSection(upload: UploadFigure[]): string[] {
	return [
		'## 5. PostEverywhere (upload memory)',
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
		'The PostEverywhere Trigger\'s figures: section 6 (`BENCH_ONLY=pe-trigger npm run bench`).',
	];
}
