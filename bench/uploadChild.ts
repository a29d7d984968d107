/**
 * One upload in a fresh process (so peaks of the variants do not mix): `node --import tsx
 * bench/uploadChild.ts <streamed|peer> <file> <baseUrl> <apiKey> <workspaceId> <sinkUrl>`.
 * Reports its RSS before the upload and its high-water mark after it over IPC; the parent also
 * samples /proc/<pid>/status every 20 ms.
 */
import { readFileSync } from 'node:fs';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { runNode } from '../test/harness';
import { PeerStyleUpload } from './peerUpload';

const [variant, file, baseUrl, apiKey, workspaceId, sinkUrl] = process.argv.slice(2);
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
			binaryMode: 'filesystem',
		});
	}
	return await runNode({ nodeClass: PeerStyleUpload, parameters: { url: sinkUrl }, input, binaryMode: 'filesystem' });
}

async function main() {
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
	send({ phase: 'end', ms: Date.now() - started, hwm: vm('VmHWM:'), ok: !error, error, output: result?.outputs?.[0]?.[0]?.json });
	process.exit(0);
}

main().catch((e: unknown) => {
	send({ phase: 'end', ok: false, error: String(e) });
	process.exit(1);
});
