/**
 * Bench 1: peak RSS increase of one upload per n8n binary-data mode (default = in memory,
 * filesystem, database = n8n's DatabaseManager on PostgreSQL), streamed (our node) vs base64 data
 * URI in JSON (peers), each in a fresh child process.
 */
import { fork } from 'node:child_process';
import { createWriteStream, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';

import { startSandbox } from '../sandbox/server';

export const MB = 1_000_000;

export type Mode = 'default' | 'filesystem' | 'database';

export interface UploadFigure {
	/** read = n8n's own read of the stored file and nothing else: the floor for any node in that mode */
	variant: 'streamed' | 'peer' | 'read' | 'posteverywhere';
	mode: Mode;
	/** 'store' = n8n itself failed to put the file into its binary store, before the upload node ran. */
	failedIn?: 'store' | 'upload';
	/** Peak RSS inside the upload node's own run minus RSS just before it (20 ms samples). */
	nodePeakIncreaseMb?: number;
	sizeBytes: number;
	ok: boolean;
	error?: string;
	seconds?: number;
	baselineMb?: number;
	/** Peak RSS increase over the baseline, from 20 ms samples of /proc/<pid>/status. */
	sampledPeakIncreaseMb?: number;
	/** The same from the kernel's high-water mark (VmHWM), which no sample can miss. */
	hwmIncreaseMb?: number;
	ratio?: number;
	samples: number;
}

export async function writeFile(file: string, size: number): Promise<void> {
	const chunk = randomBytes(1024 * 1024);
	const out = createWriteStream(file);
	let left = size;
	while (left > 0) {
		const part = left >= chunk.length ? chunk : chunk.subarray(0, left);
		left -= part.length;
		if (!out.write(part)) await new Promise<void>((resolve) => out.once('drain', () => resolve()));
	}
	await new Promise<void>((resolve, reject) => out.end((error?: Error | null) => (error ? reject(error) : resolve())));
}

/** A sink for the peer-style JSON upload: reads and discards the body, answers like an upload API. */
async function startSink(): Promise<{ url: string; close: () => Promise<void>; received: () => number }> {
	let received = 0;
	const server = http.createServer((req, res) => {
		req.on('data', (chunk: Buffer) => (received += chunk.length));
		req.on('end', () => {
			res.writeHead(200, { 'Content-Type': 'application/json' });
			res.end(JSON.stringify({ media_id: 'sink-1', type: 'video' }));
		});
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	return {
		url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/upload`,
		received: () => received,
		close: async () => {
			server.closeAllConnections();
			await new Promise<void>((resolve) => server.close(() => resolve()));
		},
	};
}

const rssOf = (pid: number): number => {
	try {
		const line = readFileSync(`/proc/${pid}/status`, 'utf8').split('\n').find((l) => l.startsWith('VmRSS:'));
		return Number(/(\d+) kB/.exec(line ?? '')?.[1] ?? 0) * 1024;
	} catch {
		return 0;
	}
};

export async function runChild(variant: UploadFigure['variant'], mode: Mode, file: string, size: number, args: string[]): Promise<UploadFigure> {
	const child = fork(path.join(__dirname, 'uploadChild.ts'), [variant, mode, file, ...args], {
		execArgv: ['--import', 'tsx', '--expose-gc', '--max-old-space-size=8192'],
		stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
	});
	let stderr = '';
	child.stderr?.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-2000)));
	let peak = 0;
	let samples = 0;
	const timeline: Array<[number, number]> = [];
	let sampling: NodeJS.Timeout | undefined;
	const figure: UploadFigure = { variant, mode, sizeBytes: size, ok: false, samples: 0 };
	let baseline = 0;
	let hwmBefore = 0;
	await new Promise<void>((resolve) => {
		child.on('message', (message: Record<string, any>) => {
			if (message.phase === 'start') {
				baseline = message.baseline;
				hwmBefore = message.hwmBefore;
				peak = rssOf(child.pid!);
				sampling = setInterval(() => {
					const rss = rssOf(child.pid!);
					timeline.push([Date.now(), rss]);
					peak = Math.max(peak, rss);
					samples++;
				}, 20);
			}
			if (message.phase === 'end') {
				if (sampling) clearInterval(sampling);
				figure.ok = message.ok;
				figure.error = message.error;
				figure.failedIn = message.failedIn;
				if (message.window) {
					const { start, ms } = message.window as { start: number; ms: number };
					const before = [...timeline].reverse().find(([t]) => t <= start)?.[1] ?? baseline;
					const inside = timeline.filter(([t]) => t >= start && t <= start + ms + 40).map(([, v]) => v);
					if (inside.length) figure.nodePeakIncreaseMb = Math.max(0, Math.max(...inside) - before) / 1024 / 1024;
				}
				figure.seconds = message.ms !== undefined ? message.ms / 1000 : undefined;
				if (message.hwm) figure.hwmIncreaseMb = Math.max(0, message.hwm - Math.max(baseline, hwmBefore)) / 1024 / 1024;
			}
		});
		child.on('exit', () => {
			if (sampling) clearInterval(sampling);
			if (!figure.ok && !figure.error) {
				// an uncaught error killed the process (e.g. inside n8n's store or the database driver): name it
				const cause = stderr.split('\n').find((l) => /^\s*(\w*Error|Cannot |FATAL)/.test(l))?.trim();
				figure.error = `the process died: ${cause ?? stderr.trim().split('\n').slice(-3).join(' ')}`;
			}
			resolve();
		});
	});
	figure.baselineMb = baseline / 1024 / 1024;
	figure.sampledPeakIncreaseMb = Math.max(0, peak - baseline) / 1024 / 1024;
	figure.ratio = (Math.max(0, peak - baseline)) / size;
	figure.samples = samples;
	return figure;
}

/** One streamed and one peer-style upload per (mode, size); `pg` is needed for the database mode. */
export async function benchUpload(plan: Array<{ mode: Mode; size: number }>, log: (line: string) => void, pg?: unknown): Promise<UploadFigure[]> {
	const sb = await startSandbox({ rateLimit: false, tickMs: 0 });
	const sink = await startSink();
	const figures: UploadFigure[] = [];
	try {
		for (const size of [...new Set(plan.map((p) => p.size))]) {
			const file = path.join(tmpdir(), `bench-upload-${size}.mp4`);
			log(`upload: writing a ${size / MB} MB MP4-typed file`);
			await writeFile(file, size);
			for (const { mode } of plan.filter((p) => p.size === size)) {
				for (const variant of ['read', 'streamed', 'peer'] as const) {
					log(`upload: ${variant}, ${mode} mode, ${size / MB} MB`);
					const figure = await runChild(variant, mode, file, size, [sb.url, sb.keys.full, sb.workspaces.primary, sink.url, JSON.stringify(pg ?? null)]);
					log(`  -> ${JSON.stringify(figure)}`);
					figures.push(figure);
				}
			}
			rmSync(file, { force: true });
		}
	} finally {
		await sink.close();
		await sb.close();
	}
	return figures;
}
