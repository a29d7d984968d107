/**
 * `npm run bench`: the four benchmarks of issue 6, measured side by side in one run. Prints one
 * table with ratios and writes bench/results.md. Not part of CI (it takes several minutes and
 * installs the peers from npm). `BENCH_ONLY=upload,trigger,batch,load` runs a subset.
 */
import { execSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { benchBatch } from './batch';
import type { BatchFigure } from './batch';
import { benchLoad, packOurs } from './load';
import type { LoadFigure } from './load';
import { benchTrigger } from './trigger';
import type { TriggerFigure } from './trigger';
import { benchUpload, MB } from './upload';
import type { UploadFigure } from './upload';

const ROOT = path.join(__dirname, '..');
const only = (process.env.BENCH_ONLY ?? 'upload,trigger,batch,load').split(',');
const log = (line: string) => process.stderr.write(`${line}\n`);
const f = (n: number | undefined, digits = 2) => (n === undefined || !Number.isFinite(n) ? '–' : n.toFixed(digits));
const PEERS = ['@blotato/n8n-nodes-blotato', 'n8n-nodes-upload-post', 'n8n-nodes-postfast', 'n8n-nodes-posteverywhere'];

function machine(): string[] {
	const version = (name: string) => (require(`${name}/package.json`) as { version: string }).version;
	return [
		`- Date: ${new Date().toISOString()}`,
		`- CPU: ${os.cpus()[0]?.model ?? 'unknown'}, nproc ${execSync('nproc').toString().trim()}`,
		`- Memory: ${(os.totalmem() / 1024 ** 3).toFixed(1)} GiB`,
		`- OS: ${os.type()} ${os.release()}`,
		`- Node ${process.version}, n8n-core ${version('n8n-core')}, n8n-workflow ${version('n8n-workflow')}`,
	];
}

function uploadSection(figures: UploadFigure[]): string[] {
	const lines = [
		'## 1. Upload memory (Media → Upload, n8n filesystem binary mode)',
		'',
		'Each upload runs in a fresh child process after a warm-up upload; RSS is sampled every 20 ms from `/proc/<pid>/status` and cross-checked with the kernel high-water mark (VmHWM). "Peer style" is the same file from the same binary store sent the way the peer nodes do it: the whole file read into memory, turned into a base64 data URI and sent in a JSON body (to a local sink in the same run).',
		'',
		'| File | Variant | Result | Time (s) | Peak RSS increase (MB, sampled) | Peak increase (MB, VmHWM) | Increase / file size | Target |',
		'|---|---|---|---|---|---|---|---|',
	];
	for (const x of figures) {
		const target = x.variant === 'streamed' ? `< 64 MB: ${(x.sampledPeakIncreaseMb ?? Infinity) < 64 && (x.hwmIncreaseMb ?? Infinity) < 64 ? 'met' : 'MISSED'}` : '';
		lines.push(
			`| ${x.sizeBytes / MB} MB | ${x.variant === 'streamed' ? 'PowerPost node (streamed multipart)' : 'peer style (base64 data URI in JSON)'} | ${x.ok ? 'uploaded' : `failed: ${x.error}`} | ${f(x.seconds, 1)} | ${f(x.sampledPeakIncreaseMb, 0)} | ${f(x.hwmIncreaseMb, 0)} | ${f(x.ratio, 3)} | ${target} |`,
		);
	}
	return lines;
}

function triggerSection(figures: TriggerFigure[]): string[] {
	const ks = figures[0]?.withNew.map((w) => w.k) ?? [];
	const lines = [
		'## 2. Trigger cost (requests per poll)',
		'',
		'History seeded with `seedPosts(n)`; idle = mean over 5 idle polls plus one after each k-batch (max in brackets). k new results = k posts of one item, published and finished between two polls.',
		'',
		`| History | Activation poll | Idle poll (max) | ${ks.map((k) => `k = ${k}: requests (events)`).join(' | ')} | Idle ≤ 2 |`,
		`|---|---|---|${ks.map(() => '---').join('|')}|---|`,
	];
	for (const x of figures) {
		lines.push(
			`| ${x.history} | ${x.activationRequests} | ${f(x.idleRequests)} (${x.idleMax}) | ${x.withNew.map((w) => `${w.requests} (${w.events})`).join(' | ')} | ${x.idleMax <= 2 ? 'met' : 'MISSED'} |`,
		);
	}
	return lines;
}

function batchSection(x: BatchFigure): string[] {
	const windows = Math.ceil(x.items / x.limit);
	const idealSeconds = ((windows - 1) * x.windowMs) / 1000;
	return [
		'## 3. Batch throughput (Calendar → Create, 1,000 items)',
		'',
		`Sandbox limit: fixed window of ${x.limit} requests per ${x.windowMs / 1000} s per key (= ${x.perMinute}/min); the run starts at the beginning of a window. A client that never waits longer than needed finishes ${windows} windows, its last request about ${idealSeconds} s after the start (rate / limit ≈ ${f(x.items / idealSeconds / (x.perMinute / 60))} over that span).`,
		'',
		'| Items | Time (s) | Achieved rate (/min) | Rate / limit | Failed items | Requests | Answered 429 | Share 429 | Targets (≥ 0.95, 0, ≤ 1%) |',
		'|---|---|---|---|---|---|---|---|---|',
		`| ${x.items} | ${f(x.seconds, 1)} | ${f(x.achievedPerMinute, 0)} | ${f(x.ratio)} | ${x.failedItems} | ${x.requests} | ${x.answered429} | ${f(x.share429 * 100)}% | ${[x.ratio >= 0.95, x.failedItems === 0, x.share429 <= 0.01].map((ok) => (ok ? 'met' : 'MISSED')).join(', ')} |`,
	];
}

function loadSection(figures: LoadFigure[]): string[] {
	const installed = figures.filter((x) => x.installed && x.coldMs !== undefined);
	const peers = installed.filter((x) => x.name !== 'n8n-nodes-powerpost');
	const fastest = peers.length ? Math.min(...peers.map((x) => x.coldMs!)) : undefined;
	const fastestOwn = peers.length ? Math.min(...peers.map((x) => x.ownMs!)) : undefined;
	const ours = figures.find((x) => x.name === 'n8n-nodes-powerpost');
	const lines = [
		'## 4. Load cost (installed from npm / our `npm pack`, each in its own temp dir with n8n-workflow)',
		'',
		'Cold = median ms to `require` every file in the package\'s `n8n.nodes`, in a fresh `node` process, n8n-workflow loaded inside the timing. Own = the same with n8n-workflow loaded before the clock starts (the package\'s own cost). Ratio = ours / fastest peer (below 1 is faster).',
		'',
		'| Package | Version | Node files | Package size (KB) | Installed incl. deps beyond n8n-workflow (KB) | Cold require (ms) | Own require (ms) |',
		'|---|---|---|---|---|---|---|',
	];
	for (const x of figures) {
		if (!x.installed || x.coldMs === undefined) {
			lines.push(`| ${x.name} | – | – | – | – | skipped: ${x.error} | |`);
			continue;
		}
		lines.push(`| ${x.name} | ${x.version} | ${x.nodeFiles} | ${f(x.packageBytes! / 1024, 0)} | ${f(x.installedBytes! / 1024, 0)} | ${f(x.coldMs, 1)} | ${f(x.ownMs, 1)} |`);
	}
	if (ours?.coldMs !== undefined && fastest !== undefined) {
		lines.push(
			'',
			`Ours / fastest peer: cold ${f(ours.coldMs / fastest)}, own ${f(ours.ownMs! / fastestOwn!)}. Target (no slower than the fastest peer, cold): ${ours.coldMs <= fastest ? 'met' : 'MISSED'}.`,
		);
	}
	return lines;
}

async function main() {
	const sections: string[][] = [];
	const summary: Array<[string, string, string, string]> = [];

	if (only.includes('upload')) {
		const upload = await benchUpload([500 * MB, 300 * MB], log);
		sections.push(uploadSection(upload));
		const s500 = upload.find((x) => x.variant === 'streamed' && x.sizeBytes === 500 * MB);
		const p500 = upload.find((x) => x.variant === 'peer' && x.sizeBytes === 500 * MB);
		const s300 = upload.find((x) => x.variant === 'streamed' && x.sizeBytes === 300 * MB);
		const p300 = upload.find((x) => x.variant === 'peer' && x.sizeBytes === 300 * MB);
		summary.push(['Upload 500 MB: peak RSS increase / file size', f(s500?.ratio, 3), p500?.ok ? f(p500.ratio, 3) : `failed (${f(p500?.ratio, 2)} at failure)`, '≤ 0.13 (< 64 MB)']);
		summary.push(['Upload 300 MB: peak RSS increase / file size', f(s300?.ratio, 3), p300?.ok ? f(p300.ratio, 3) : 'failed', '']);
	}
	if (only.includes('trigger')) {
		const trigger = await benchTrigger([10, 1000, 10000], [1, 10, 50], log);
		sections.push(triggerSection(trigger));
		for (const x of trigger) summary.push([`Trigger, ${x.history} posts: requests per idle poll (max) / k=1,10,50`, `${f(x.idleRequests)} (${x.idleMax}) / ${x.withNew.map((w) => w.requests).join(', ')}`, '', 'idle ≤ 2']);
	}
	if (only.includes('batch')) {
		const batch = await benchBatch(1000, 100, 12_000, log);
		sections.push(batchSection(batch));
		summary.push(['Batch 1,000 × Calendar → Create: rate / limit', f(batch.ratio), '', '≥ 0.95']);
		summary.push(['  failed items / share answered 429', `${batch.failedItems} / ${f(batch.share429 * 100)}%`, '', '0 / ≤ 1%']);
	}
	if (only.includes('load')) {
		const tgz = packOurs(ROOT, log);
		const version = (require('n8n-workflow/package.json') as { version: string }).version;
		const load = benchLoad(
			[{ name: 'n8n-nodes-powerpost', spec: tgz }, ...PEERS.map((name) => ({ name, spec: name }))],
			version,
			7,
			log,
		);
		sections.push(loadSection(load));
		const ours = load.find((x) => x.name === 'n8n-nodes-powerpost');
		const peers = load.filter((x) => x.name !== 'n8n-nodes-powerpost' && x.coldMs !== undefined);
		const fastest = peers.sort((a, b) => a.coldMs! - b.coldMs!)[0];
		summary.push(['Cold require (ms): ours / fastest peer', `${f(ours?.coldMs, 1)}`, fastest ? `${f(fastest.coldMs, 1)} (${fastest.name})` : '–', `ratio ${fastest && ours?.coldMs ? f(ours.coldMs / fastest.coldMs!) : '–'} ≤ 1`]);
		summary.push(['Installed size (KB): ours / smallest peer', f((ours?.installedBytes ?? NaN) / 1024, 0), peers.length ? f(Math.min(...peers.map((x) => x.installedBytes!)) / 1024, 0) : '–', '']);
		const skipped = load.filter((x) => !x.installed).map((x) => `${x.name} (${x.error})`);
		if (skipped.length) summary.push(['Peers skipped (did not install)', skipped.join('; '), '', '']);
	}

	const width = Math.max(...summary.map((r) => r[0].length));
	const table = [
		`${'Figure'.padEnd(width)} | Ours | Peers | Target`,
		...summary.map(([name, ours, peers, target]) => `${name.padEnd(width)} | ${ours} | ${peers} | ${target}`),
	];
	process.stdout.write(`\n=== Benchmarks ===\n${table.join('\n')}\n`);

	const md = [
		'# Benchmarks',
		'',
		'Written by `npm run bench` (bench/run.ts). Ratios are measured side by side in one run on the machine below; absolute times vary between machines and runs.',
		'',
		...machine(),
		'',
		'## Summary',
		'',
		'| Figure | Ours | Peers | Target |',
		'|---|---|---|---|',
		...summary.map((r) => `| ${r.join(' | ')} |`),
		'',
		...sections.flatMap((s) => [...s, '']),
	].join('\n');
	if (only.length === 4) writeFileSync(path.join(__dirname, 'results.md'), md);
	else process.stdout.write(`\n${md}\n`);
}

main().then(
	() => process.exit(0),
	(error: unknown) => {
		process.stderr.write(`${String((error as Error)?.stack ?? error)}\n`);
		process.exit(1);
	},
);
