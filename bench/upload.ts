/** Bench 1: peak RSS increase of one upload, streamed (our node) vs base64 data URI in JSON (peers), each in a fresh child process. */
import { fork } from 'node:child_process';
import { createWriteStream, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';

import { startSandbox } from '../sandbox/server';

export const MB = 1_000_000;

export interface UploadFigure {
	variant: 'streamed' | 'peer';
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

async function writeFile(file: string, size: number): Promise<void> {
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

async function runChild(variant: 'streamed' | 'peer', file: string, size: number, args: string[]): Promise<UploadFigure> {
	const child = fork(path.join(__dirname, 'uploadChild.ts'), [variant, file, ...args], {
		execArgv: ['--import', 'tsx', '--expose-gc', '--max-old-space-size=8192'],
		stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
	});
	let stderr = '';
	child.stderr?.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-2000)));
	let peak = 0;
	let samples = 0;
	let sampling: NodeJS.Timeout | undefined;
	const figure: UploadFigure = { variant, sizeBytes: size, ok: false, samples: 0 };
	let baseline = 0;
	let hwmBefore = 0;
	await new Promise<void>((resolve) => {
		child.on('message', (message: Record<string, any>) => {
			if (message.phase === 'start') {
				baseline = message.baseline;
				hwmBefore = message.hwmBefore;
				peak = rssOf(child.pid!);
				sampling = setInterval(() => {
					peak = Math.max(peak, rssOf(child.pid!));
					samples++;
				}, 20);
			}
			if (message.phase === 'end') {
				if (sampling) clearInterval(sampling);
				figure.ok = message.ok;
				figure.error = message.error;
				figure.seconds = message.ms !== undefined ? message.ms / 1000 : undefined;
				if (message.hwm) figure.hwmIncreaseMb = Math.max(0, message.hwm - Math.max(baseline, hwmBefore)) / 1024 / 1024;
			}
		});
		child.on('exit', () => {
			if (sampling) clearInterval(sampling);
			if (!figure.ok && !figure.error) figure.error = `child exited: ${stderr.trim().split('\n').slice(-3).join(' ')}`;
			resolve();
		});
	});
	figure.baselineMb = baseline / 1024 / 1024;
	figure.sampledPeakIncreaseMb = Math.max(0, peak - baseline) / 1024 / 1024;
	figure.ratio = (Math.max(0, peak - baseline)) / size;
	figure.samples = samples;
	return figure;
}

export async function benchUpload(sizes: number[], log: (line: string) => void): Promise<UploadFigure[]> {
	const sb = await startSandbox({ rateLimit: false, tickMs: 0 });
	const sink = await startSink();
	const figures: UploadFigure[] = [];
	try {
		for (const size of sizes) {
			const file = path.join(tmpdir(), `bench-upload-${size}.mp4`);
			log(`upload: writing a ${size / MB} MB MP4-typed file`);
			await writeFile(file, size);
			for (const variant of ['streamed', 'peer'] as const) {
				log(`upload: ${variant}, ${size / MB} MB`);
				const figure = await runChild(variant, file, size, [sb.url, sb.keys.full, sb.workspaces.primary, sink.url]);
				log(`  -> ${JSON.stringify(figure)}`);
				figures.push(figure);
			}
			rmSync(file, { force: true });
		}
	} finally {
		await sink.close();
		await sb.close();
	}
	return figures;
}
