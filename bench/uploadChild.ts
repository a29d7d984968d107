/**
 * One upload in a fresh process (so peaks of the variants do not mix): `node --import tsx
 * bench/uploadChild.ts <streamed|peer|read> <default|filesystem|database> <file> <baseUrl> <apiKey>
 * <workspaceId> <sinkUrl> [<postgres JSON>]`. The file is first put into n8n's binary store in that
 * mode (the Start node, as a download would), then the upload node reads it from there. Reports its
 * RSS before the run, the upload node's start time and duration (so the parent can take the peak
 * inside that window), and its high-water mark after the run, over IPC.
 */
import { readFileSync } from 'node:fs';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { Container } from '@n8n/di';
import { BinaryDataService } from 'n8n-core';

import { runNode } from '../test/harness';
import type { BinaryMode } from '../test/harness';
import { databaseManager } from './databaseStore';
import { PeerStyleUpload, StoreReadOnly } from './peerUpload';

const [variant, mode, file, baseUrl, apiKey, workspaceId, sinkUrl, pgJson] = process.argv.slice(2) as [string, BinaryMode, ...string[]];
const send = (message: Record<string, unknown>) => process.send?.(message);
const vm = (field: string) => Number(/(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8').split('\n').find((l) => l.startsWith(field)) ?? '')?.[1] ?? 0) * 1024;

async function upload(filePath: string) {
	const input = [{ json: {}, binary: { data: { filePath, mimeType: 'video/mp4', fileName: path.basename(filePath) } } }];
	if (variant === 'streamed') {
		return await runNode({
			nodeType: 'powerPost',
			parameters: { resource: 'media', operation: 'upload', binaryPropertyName: 'data', mediaType: 'auto', options: { timeout: 1800 } },
			credentials: { powerPostApi: { apiKey, workspaceId, baseUrl } },
			input,
			binaryMode: mode,
		});
	}
	if (variant === 'posteverywhere') {
		// baseUrl / apiKey are the PostEverywhere sandbox's here
		return await runNode({
			nodeType: 'postEverywhere',
			parameters: { resource: 'media', operation: 'upload', binaryPropertyName: 'data', options: { timeout: 1800 } },
			credentials: { postEverywhereRestApi: { apiKey, baseUrl } },
			input,
			binaryMode: mode,
		});
	}
	if (variant === 'read') return await runNode({ nodeClass: StoreReadOnly, parameters: {}, input, binaryMode: mode });
	return await runNode({ nodeClass: PeerStyleUpload, parameters: { url: sinkUrl }, input, binaryMode: mode });
}

async function main() {
	let close: (() => Promise<void>) | undefined;
	if (mode === 'database') {
		const db = await databaseManager(JSON.parse(pgJson));
		close = db.close;
		Container.get(BinaryDataService).setManager('database', db.manager as Parameters<BinaryDataService['setManager']>[1]);
	}
	// Warm up: load n8n-core and the node, and run one small upload, so the baseline holds all code.
	const small = path.join(mkdtempSync(path.join(tmpdir(), 'bench-warm-')), 'warm.mp4');
	writeFileSync(small, Buffer.alloc(64 * 1024, 7));
	const warm = await upload(small);
	if (warm.status !== 'success') throw new Error(`warm-up failed: ${warm.error?.message}`);
	(globalThis as { gc?: () => void }).gc?.();
	const baseline = process.memoryUsage().rss;
	send({ phase: 'start', baseline, hwmBefore: vm('VmHWM:') });
	const started = Date.now();
	let result: Awaited<ReturnType<typeof upload>> | undefined;
	let error: string | undefined;
	try {
		result = await upload(file);
		if (result.status !== 'success') error = result.error?.message ?? result.status;
	} catch (e) {
		error = String(e);
	}
	const task = result?.runData[result.nodeName]?.[0];
	const storeTask = result?.runData.Start?.[0];
	// a failure while n8n stored the file (Start node) is n8n's, before our node ran
	const failedIn = error ? (storeTask?.error ? 'store' : 'upload') : undefined;
	send({
		phase: 'end',
		ms: Date.now() - started,
		hwm: vm('VmHWM:'),
		ok: !error,
		error,
		failedIn,
		window: task ? { start: task.startTime, ms: task.executionTime } : undefined,
		output: result?.outputs?.[0]?.[0]?.json,
	});
	await close?.();
	process.exit(0);
}

main().catch((e: unknown) => {
	send({ phase: 'end', ok: false, error: String(e) });
	process.exit(1);
});
