/**
 * `npm run bench`: the four benchmarks of issue 6, measured side by side in one run. Prints one
 * table with ratios and writes bench/results.md. Not part of CI (it takes several minutes and
 * installs the peers from npm). `BENCH_ONLY=upload,trigger,batch,load,posteverywhere,pe-trigger` runs a subset.
 */
import { execSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { benchBatch } from './batch';
import type { BatchFigure } from './batch';
import { benchLoad, packOurs } from './load';
import type { LoadFigure } from './load';
import { benchTrigger, benchTriggerState } from './trigger';
import type { StateFigure, TriggerFigure } from './trigger';
import { benchUpload, MB } from './upload';
import { benchPostEverywhereUpload, postEverywhereSection } from './posteverywhere';
import { benchPeTrigger, benchPeTriggerState, peTriggerSection } from './posteverywhereTrigger';
import type { UploadFigure } from './upload';

const ROOT = path.join(__dirname, '..');
const only = (process.env.BENCH_ONLY ?? 'upload,trigger,batch,load,posteverywhere,pe-trigger').split(',');
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
		'## 1. Upload memory per binary-data mode (Media → Upload)',
		'',
		"Each upload runs in a fresh child process after a warm-up upload, inside n8n-core's real WorkflowExecute (test/harness): a start node first puts the file into n8n's binary store in the given mode, as a download would, then the upload node reads it from there. RSS is sampled every 20 ms from `/proc/<pid>/status`. **Upload node** = peak RSS while the upload node runs minus RSS just before it (what the upload itself costs); **whole run** = peak over the run's baseline, including n8n storing the file; VmHWM = the kernel's high-water mark for the whole run. Modes: `default` keeps the file in the item as base64 (n8n 1.x default); `filesystem` is n8n's file store (2.x default); `database` is n8n 2.x's own `DatabaseManager` (from the installed n8n 2.41.1) on its TypeORM repository over a real PostgreSQL 15 (the queue-mode default). \"Peer style\" is the same file from the same store sent the way the peer nodes do it: read whole into memory, turned into a base64 data URI, sent in a JSON body (to a local sink in the same run). \"n8n's read alone\" opens the same stream our node opens (`getBinaryStream`) and drops the bytes: the cost of the mode itself, the floor for any node.",
		'',
		'| File | Mode | Variant | Result | Time (s) | Upload node: peak RSS increase (MB) | Copies of the file (node increase / size) | Whole run, sampled (MB) | Whole run, VmHWM (MB) |',
		'|---|---|---|---|---|---|---|---|---|',
	];
	for (const x of figures) {
		const result = x.ok ? (x.variant === 'read' ? 'read' : 'uploaded') : `failed${x.failedIn === 'store' ? ' in n8n storing the file' : ''}: ${String(x.error).slice(0, 120)}`;
		const node = x.nodePeakIncreaseMb;
		lines.push(
			`| ${x.sizeBytes / MB} MB | ${x.mode} | ${x.variant === 'streamed' ? 'PowerPost node' : x.variant === 'read' ? "n8n's read alone (floor)" : 'peer style (base64 in JSON)'} | ${result} | ${f(x.seconds, 1)} | ${f(node, 0)} | ${node === undefined ? '–' : f((node * 1024 * 1024) / x.sizeBytes, 2)} | ${f(x.sampledPeakIncreaseMb, 0)} | ${f(x.hwmIncreaseMb, 0)} |`,
		);
	}
	lines.push(
		'',
		'Why some modes hold the file in memory, and how many copies our node adds:',
		'',
		"- `filesystem`: n8n's `getBinaryStream` reads the file from disk in chunks; the node sends the chunks as they come (multipart built around the stream, exact `Content-Length`, redirects off). Nothing holds the file.",
		"- `default` (in memory): the file already sits in the item as a base64 string (n8n's choice in this mode). Sending bytes needs them decoded once: the node decodes the base64 straight into the one request-body buffer (multipart head + file + tail, `Buffer.write(…, 'base64')`), so one copy, the same as n8n's read alone. The peer style makes a data URI string of it and a JSON body around it: several more. A file whose base64 is longer than V8's longest string (2^29 − 24 characters, about 384 MiB of data) cannot be held in this mode at all: n8n fails while storing it, before any node runs.",
		"- `database`: n8n's `DatabaseManager.getAsStream` reads the whole row (`getAsBuffer`) and wraps the buffer in a stream; the PostgreSQL driver receives `bytea` as hex text (2 characters per byte) and decodes it. Those copies are made inside n8n and the driver before a node gets the stream (the floor row shows them); the node adds none of its own (its row equals the floor). Because the hex text must fit in one V8 string, n8n cannot read back a file larger than about 256 MiB from PostgreSQL, whatever its 1,024 MiB cap says: the 500 MB row fails in n8n, for every node.",
	);
	return lines;
}

function triggerSection(figures: TriggerFigure[], states: StateFigure[]): string[] {
	const ks = figures[0]?.withNew.map((w) => w.k) ?? [];
	const lines = [
		'## 2. Trigger cost (requests per poll) and state size',
		'',
		`Measured ${new Date().toISOString()} (\`BENCH_ONLY=trigger npm run bench\`). Per sandbox profile: *strict* answers only what the contract documents (\`GET /posts\` newest created first, no \`updated_at\`), *generous* adds the switches of sandbox/ASSUMPTIONS.md (the trigger detects the \`updated_at\` order and takes its fast path). History seeded with \`seedPosts(n)\`; "tracked" = drafts and scheduled posts the trigger watches. Idle = mean over 20 idle polls plus one after each k-batch (max in brackets). k new results = k posts of one item, published and finished between two polls.`,
		'',
		`| Profile | History | Tracked | Activation poll | Idle poll (max) | ${ks.map((k) => `k = ${k}: requests (events)`).join(' | ')} | Generous idle ≤ 2 |`,
		`|---|---|---|---|---|${ks.map(() => '---').join('|')}|---|`,
	];
	for (const x of figures) {
		lines.push(
			`| ${x.profile} | ${x.history} | ${x.tracked} | ${x.activationRequests} | ${f(x.idleRequests)} (${x.idleMax}) | ${x.withNew.map((w) => `${w.requests} (${w.events})`).join(' | ')} | ${x.profile === 'generous' ? (x.idleRequests <= 2 ? 'met' : 'MISSED') : ''} |`,
		);
	}
	lines.push(
		'',
		'Static data (JSON bytes, as n8n stores it) over one simulated day: posts of 2 items published throughout, a poll every 5 minutes, 10 drafts and 5 scheduled posts waiting all day, 1,000 posts of history.',
		'',
		'| Profile | Results / day | Events emitted (expected) | Polls | Largest (bytes) | At the end (bytes) |',
		'|---|---|---|---|---|---|',
	);
	for (const x of states) lines.push(`| ${x.profile} | ${x.resultsPerDay} | ${x.emitted} (${(x.resultsPerDay / 2) * 3}) | ${x.polls} | ${x.maxBytes} | ${x.endBytes} |`);
	return lines;
}

/** A subset run replaces only its own sections and summary rows in results.md. */
function splice(file: string, sections: string[][], rows: Array<[string, string, string, string]>, prefixes: string[]): void {
	const old = readFileSync(file, 'utf8');
	let md = old;
	for (const section of sections) {
		const heading = section[0].slice(0, section[0].indexOf('.') + 1);
		const start = md.indexOf(`${heading}`);
		if (start < 0) {
			md = `${md.replace(/\n*$/, '\n\n')}${section.join('\n')}\n`;
			continue;
		}
		const end = md.indexOf('\n## ', start + 1);
		md = md.slice(0, start) + section.join('\n') + '\n' + (end < 0 ? '' : md.slice(end));
	}
	const lines = md.split('\n');
	const kept = lines.filter((line) => !prefixes.some((prefix) => line.startsWith(`| ${prefix}`)));
	const at = kept.findIndex((line) => line === '|---|---|---|---|');
	kept.splice(at + 1, 0, ...rows.map((r) => `| ${r.join(' | ')} |`));
	writeFileSync(file, kept.join('\n'));
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
		'| Package | Version | Node files | Package size (KB) | Installed incl. deps beyond n8n-workflow (KB) | Cold require (ms) | Own require (ms) | n8n loader at start (ms) | Loaded lazily | Package files required at start |',
		'|---|---|---|---|---|---|---|---|---|---|',
	];
	for (const x of figures) {
		if (!x.installed || x.coldMs === undefined) {
			lines.push(`| ${x.name} | – | – | – | – | skipped: ${x.error} | | | | |`);
			continue;
		}
		lines.push(`| ${x.name} | ${x.version} | ${x.nodeFiles} | ${f(x.packageBytes! / 1024, 0)} | ${f(x.installedBytes! / 1024, 0)} | ${f(x.coldMs, 1)} | ${f(x.ownMs, 1)} | ${f(x.n8nLoaderMs, 1)} | ${x.lazy ? 'yes' : 'no'} | ${x.filesRequiredAtStart ?? '–'} |`);
	}
	const fastestLoader = peers.length ? Math.min(...peers.map((x) => x.n8nLoaderMs ?? Infinity)) : undefined;
	if (ours?.n8nLoaderMs !== undefined && fastestLoader !== undefined) {
		lines.push(
			'',
			`n8n's loader at start (LazyPackageDirectoryLoader.loadAll, what n8n 2.x runs for each installed community package; n8n-core and n8n-workflow already loaded and the loader warmed up on another package, as n8n has loaded its own packages first): ours / fastest peer ${f(ours.n8nLoaderMs / fastestLoader)}. Target (ours the lowest): ${ours.n8nLoaderMs <= fastestLoader ? 'met' : 'MISSED'}. The require figures below it are what n8n pays on first use of a node instead.`,
		);
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
		// PostgreSQL for the database mode (Debian package, installed when missing, like the queue e2e)
		const queue = (await import('../scripts/queue.mjs' as string)) as {
			ensureQueueServices: (log: (l: string) => void) => Promise<unknown>;
			startPostgres: (o: { log: (l: string) => void }) => Promise<{ host: string; port: number; user: string; database: string; stop: () => Promise<void> }>;
		};
		await queue.ensureQueueServices(log);
		const pg = await queue.startPostgres({ log });
		let upload: UploadFigure[];
		try {
			upload = await benchUpload(
				[
					{ mode: 'filesystem', size: 500 * MB },
					{ mode: 'default', size: 500 * MB },
					{ mode: 'database', size: 500 * MB },
					{ mode: 'default', size: 300 * MB },
					{ mode: 'database', size: 250 * MB },
				],
				log,
				{ host: pg.host, port: pg.port, user: pg.user, database: pg.database },
			);
		} finally {
			await pg.stop();
		}
		sections.push(uploadSection(upload));
		for (const x of upload) {
			if (x.variant !== 'streamed') continue;
			const peer = upload.find((p) => p.variant === 'peer' && p.mode === x.mode && p.sizeBytes === x.sizeBytes);
			const floor = upload.find((p) => p.variant === 'read' && p.mode === x.mode && p.sizeBytes === x.sizeBytes);
			const show = (y?: UploadFigure) => (!y ? '–' : y.ok ? `${f(y.nodePeakIncreaseMb, 0)} MB (${f(((y.nodePeakIncreaseMb ?? NaN) * 1024 * 1024) / y.sizeBytes, 2)} copies)` : `failed${y.failedIn === 'store' ? ' (n8n could not store the file)' : ''}`);
			const target = x.mode === 'filesystem' ? '< 64 MB' : `≤ n8n's read alone + 1 copy (floor: ${show(floor)})`;
			summary.push([`Upload ${x.sizeBytes / MB} MB, ${x.mode} mode: RSS increase during the upload node`, show(x), show(peer), target]);
		}
	}
	let powerPostTrigger: { trigger: TriggerFigure[]; states: StateFigure[] } | undefined;
	if (only.includes('trigger')) {
		const trigger = await benchTrigger([10, 1000, 10000], [1, 10, 50], log);
		const states = await benchTriggerState([100, 5000], log);
		powerPostTrigger = { trigger, states };
		sections.push(triggerSection(trigger, states));
		for (const x of trigger) {
			summary.push([
				`Trigger (${x.profile}), ${x.history} posts${x.tracked ? `, ${x.tracked} tracked` : ''}: requests per idle poll (max) / k=1,10,50`,
				`${f(x.idleRequests)} (${x.idleMax}) / ${x.withNew.map((w) => w.requests).join(', ')}`,
				'',
				x.profile === 'generous' ? 'idle ≤ 2' : '1 + tracked lists',
			]);
		}
		for (const x of states) summary.push([`Trigger (${x.profile}) static data at ${x.resultsPerDay} results/day: largest bytes`, String(x.maxBytes), '', '']);
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
		const fastestLoader = [...peers].sort((a, b) => (a.n8nLoaderMs ?? Infinity) - (b.n8nLoaderMs ?? Infinity))[0];
		summary.push(["n8n's loader at start (ms): ours / fastest peer", `${f(ours?.n8nLoaderMs, 1)} (${ours?.lazy ? 'lazy' : 'eager'}, ${ours?.filesRequiredAtStart ?? '–'} files required)`, fastestLoader ? `${f(fastestLoader.n8nLoaderMs, 1)} (${fastestLoader.name})` : '–', `ratio ${fastestLoader?.n8nLoaderMs && ours?.n8nLoaderMs !== undefined ? f(ours.n8nLoaderMs / fastestLoader.n8nLoaderMs) : '–'} ≤ 1`]);
		summary.push(['Installed size (KB): ours / smallest peer', f((ours?.installedBytes ?? NaN) / 1024, 0), peers.length ? f(Math.min(...peers.map((x) => x.installedBytes!)) / 1024, 0) : '–', '']);
		const skipped = load.filter((x) => !x.installed).map((x) => `${x.name} (${x.error})`);
		if (skipped.length) summary.push(['Peers skipped (did not install)', skipped.join('; '), '', '']);
	}

	if (only.includes('posteverywhere')) {
		const peUpload = await benchPostEverywhereUpload(500 * MB, log);
		sections.push(postEverywhereSection(peUpload));
		const pe = peUpload.find((x) => x.variant === 'posteverywhere');
		const pp = peUpload.find((x) => x.variant === 'streamed');
		const mb = (x?: UploadFigure) => (!x ? '–' : x.ok ? `${f(x.nodePeakIncreaseMb, 0)} MB` : 'failed');
		summary.push(['PostEverywhere upload 500 MB, filesystem mode: RSS increase during the upload node (beside PowerPost)', mb(pe), `PowerPost: ${mb(pp)}`, '< 64 MB']);
	}
	if (only.includes('pe-trigger')) {
		const pe = await benchPeTrigger([10, 1000, 10000], [1, 10, 50], log);
		const peStates = await benchPeTriggerState([100, 5000], log);
		// PowerPost's trigger under the same steps, in the same run (side by side)
		const pp = powerPostTrigger?.trigger ?? (await benchTrigger([10, 1000, 10000], [1, 10, 50], log));
		const ppStates = powerPostTrigger?.states ?? (await benchTriggerState([100, 5000], log));
		sections.push(peTriggerSection(pe, peStates, pp, ppStates));
		for (const x of pe) {
			const y = pp.find((z) => z.profile === x.profile && z.history === x.history && z.tracked === 0);
			summary.push([`PostEverywhere Trigger (${x.profile}), ${x.history} posts: requests per idle poll (max) / k=1,10,50`, `${f(x.idleRequests)} (${x.idleMax}) / ${x.withNew.map((w) => w.requests).join(', ')}`, y ? `PowerPost: ${f(y.idleRequests)} (${y.idleMax}) / ${y.withNew.map((w) => w.requests).join(', ')}` : '', x.profile === 'generous' ? 'idle ≤ 2' : '']);
		}
		for (const x of peStates) summary.push([`PostEverywhere Trigger (${x.profile}) static data at ${x.resultsPerDay} results/day: largest bytes`, String(x.maxBytes), `PowerPost: ${ppStates.find((y) => y.profile === x.profile && y.resultsPerDay === x.resultsPerDay)?.maxBytes ?? '–'}`, '']);
		for (const x of peStates) summary.push([`PostEverywhere Trigger (${x.profile}) static data at ${x.resultsPerDay} results/day: after 30 days of 5% failures (computed)`, String(x.after30Days), '', '']);
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
	if (only.length >= 4 && ['upload', 'trigger', 'batch', 'load'].every((key) => only.includes(key))) writeFileSync(path.join(__dirname, 'results.md'), md);
	else if (only.length === 1 && only[0] === 'trigger') splice(path.join(__dirname, 'results.md'), sections, summary, ['Trigger']);
	else if (only.length === 1 && only[0] === 'posteverywhere') splice(path.join(__dirname, 'results.md'), sections, summary, ['PostEverywhere upload']);
	else if (only.length === 1 && only[0] === 'pe-trigger') splice(path.join(__dirname, 'results.md'), sections, summary, ['PostEverywhere Trigger']);
	else process.stdout.write(`\n${md}\n`);
}

main().then(
	() => process.exit(0),
	(error: unknown) => {
		process.stderr.write(`${String((error as Error)?.stack ?? error)}\n`);
		process.exit(1);
	},
);
