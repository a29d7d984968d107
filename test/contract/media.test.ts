// Contract §5: Media → Upload against the sandbox, through n8n-core's real execution (harness).
import { createHash } from 'node:crypto';
import { createWriteStream, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { startSandbox, type Sandbox } from '../../sandbox/server';
import { runNode } from '../harness';
import { countRequests, credsFor, errorText, expectNoSecrets, PNG } from './generation-helpers';

let sb: Sandbox;
let dir: string;
beforeAll(async () => {
	sb = await startSandbox({ tickMs: 0, rateLimit: false });
	dir = mkdtempSync(path.join(tmpdir(), 'pp-media-'));
});
afterAll(async () => {
	await sb.close();
	rmSync(dir, { recursive: true, force: true });
});
beforeEach(() => sb.reset());

const MB = 1024 * 1024;
const uploads = () => countRequests(sb, 'POST', '/media/upload');
const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');
const mediaRecord = (id: string) => sb.state.media.get(id);

function upload(parameters: Record<string, unknown>, input: Parameters<typeof runNode>[0]['input'], extra: Partial<Parameters<typeof runNode>[0]> = {}) {
	return runNode({
		nodeType: 'powerPost',
		parameters: { resource: 'media', operation: 'upload', ...parameters },
		credentials: credsFor(sb),
		input,
		...extra,
	});
}

describe('Media → Upload: a 200 MB video in filesystem mode (runs first, on a fresh process)', () => {
	test('is streamed with bounded memory and arrives byte for byte', async () => {
		const size = 200 * MB;
		const file = path.join(dir, 'large.mp4');
		const hash = createHash('sha256');
		// One reused 1 MB buffer, each write awaited, so making the file leaves no garbage behind.
		const out = createWriteStream(file);
		const chunk = Buffer.alloc(MB);
		for (let written = 0; written < size; written += MB) {
			chunk.fill(written / MB);
			chunk.writeUInt32BE(written, 0);
			hash.update(chunk);
			await new Promise<void>((resolve, reject) => out.write(chunk, (error) => (error ? reject(error) : resolve())));
		}
		await new Promise<void>((resolve) => out.end(resolve));
		const expected = hash.digest('hex');

		const memory = () => process.memoryUsage();
		const before = memory();
		let peakRss = before.rss;
		let peakBuffers = before.arrayBuffers;
		const sampler = setInterval(() => {
			const now = memory();
			peakRss = Math.max(peakRss, now.rss);
			peakBuffers = Math.max(peakBuffers, now.arrayBuffers);
		}, 10);
		let r: Awaited<ReturnType<typeof upload>>;
		try {
			r = await upload({}, [{ json: {}, binary: { data: { filePath: file, mimeType: 'video/mp4', fileName: 'large.mp4' } } }], {
				binaryMode: 'filesystem',
			});
		} finally {
			clearInterval(sampler);
		}
		const rssMb = Math.round((peakRss - before.rss) / MB);
		const buffersMb = Math.round((peakBuffers - before.arrayBuffers) / MB);

		expect(r.status).toBe('success');
		const media = r.outputs[0][0].json;
		expect(media).toMatchObject({ type: 'video', file_size: size, mime_type: 'video/mp4' });
		expect(mediaRecord(media.media_id as string)?.sha256).toBe(expected);
		expect(uploads()).toBe(1);
		// Loose bounds (noisy machines): a buffered upload would hold at least the file's 200 MB at once.
		expect(rssMb).toBeLessThan(150);
		expect(buffersMb).toBeLessThan(100);
	}, 120_000);
});

describe('Media → Upload: happy paths', () => {
	test('an in-memory PNG uploads as an image; the output is the media object and the bytes arrive intact', async () => {
		const r = await upload({}, [{ json: {}, binary: { data: { data: PNG, mimeType: 'image/png', fileName: 'dot.png' } } }]);
		expect(r.status).toBe('success');
		const media = r.outputs[0][0].json;
		expect(media).toEqual({
			media_id: expect.any(String),
			type: 'image',
			file_name: 'dot.png',
			file_size: PNG.length,
			mime_type: 'image/png',
			created_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
		});
		expect(mediaRecord(media.media_id as string)?.sha256).toBe(sha256(PNG));
		expect(r.outputs[0][0].pairedItem).toEqual({ item: 0 });
		expectNoSecrets(sb, r);
	});

	test('a video in filesystem mode is streamed from the binary store, type detected from the MIME type, property chosen by name', async () => {
		const video = Buffer.alloc(3 * MB + 17);
		for (let i = 0; i < video.length; i += 4096) video[i] = i % 251;
		const file = path.join(dir, 'clip.mp4');
		writeFileSync(file, video);
		const r = await upload(
			{ binaryPropertyName: 'movie' },
			[{ json: {}, binary: { movie: { filePath: file, mimeType: 'video/mp4', fileName: 'clip.mp4' } } }],
			{ binaryMode: 'filesystem' },
		);
		expect(r.status).toBe('success');
		const media = r.outputs[0][0].json;
		expect(media).toMatchObject({ type: 'video', file_name: 'clip.mp4', file_size: video.length, mime_type: 'video/mp4' });
		expect(mediaRecord(media.media_id as string)?.sha256).toBe(sha256(video));
		expect(uploads()).toBe(1);
	});

	test('a generic MIME type is resolved from the file extension (.mov → video/quicktime); a non-ASCII file name survives', async () => {
		const r = await upload({}, [
			{ json: {}, binary: { data: { data: Buffer.alloc(2048, 7), mimeType: 'application/octet-stream', fileName: 'Été à Zürich.mov' } } },
		]);
		expect(r.status).toBe('success');
		expect(r.outputs[0][0].json).toMatchObject({ type: 'video', mime_type: 'video/quicktime', file_name: 'Été à Zürich.mov' });
	});

	test('options: file name and MIME type override the binary\'s own', async () => {
		const r = await upload({ options: { fileName: 'cover.webp', mimeType: 'image/webp' } }, [
			{ json: {}, binary: { data: { data: PNG, mimeType: 'text/plain', fileName: 'x.txt' } } },
		]);
		expect(r.status).toBe('success');
		expect(r.outputs[0][0].json).toMatchObject({ type: 'image', mime_type: 'image/webp', file_name: 'cover.webp' });
	});

	test('several items: one upload each, paired with its item', async () => {
		const r = await upload({}, [
			{ json: { n: 1 }, binary: { data: { data: PNG, mimeType: 'image/png', fileName: 'a.png' } } },
			{ json: { n: 2 }, binary: { data: { data: Buffer.alloc(100, 1), mimeType: 'video/webm', fileName: 'b.webm' } } },
		]);
		expect(r.status).toBe('success');
		expect(r.outputs[0].map((item) => [item.json.type, item.json.file_name, item.pairedItem])).toEqual([
			['image', 'a.png', { item: 0 }],
			['video', 'b.webm', { item: 1 }],
		]);
	});
});

describe('Media → Upload: bad input fails before any byte is sent', () => {
	test('a missing binary property names it and lists the properties the item has', async () => {
		const r = await upload({ binaryPropertyName: 'data' }, [
			{ json: {}, binary: { photo: { data: PNG, mimeType: 'image/png', fileName: 'a.png' }, thumb: { data: PNG, mimeType: 'image/png' } } },
		]);
		const text = errorText(r);
		expect(text).toContain('Input Binary Field');
		expect(text).toContain('"data"');
		expect(text).toContain('"photo", "thumb"');
		expect(uploads()).toBe(0);
	});

	test('a JSON-only item says there is no binary data at all', async () => {
		const r = await upload({}, [{ json: { media: 'not a file' } }]);
		expect(errorText(r)).toMatch(/no binary data, only JSON/);
		expect(uploads()).toBe(0);
	});

	test('an image over 10 MB (filesystem mode, size from the store\'s metadata) is refused with its size and the limit', async () => {
		const file = path.join(dir, 'big.jpg');
		writeFileSync(file, Buffer.alloc(10 * MB + 1));
		const r = await upload({}, [{ json: {}, binary: { data: { filePath: file, mimeType: 'image/jpeg', fileName: 'big.jpg' } } }], {
			binaryMode: 'filesystem',
		});
		const text = errorText(r);
		expect(text).toContain('10.0 MB');
		expect(text).toMatch(/over PowerPost's 10 MB limit for images/);
		expect(uploads()).toBe(0);
	});

	test('exactly 10 MB is still accepted', async () => {
		const r = await upload({}, [{ json: {}, binary: { data: { data: Buffer.alloc(10 * MB, 3), mimeType: 'image/png', fileName: 'max.png' } } }]);
		expect(r.status).toBe('success');
		expect(r.outputs[0][0].json.file_size).toBe(10 * MB);
	});

	test('an unsupported format (GIF) is refused, listing the accepted ones', async () => {
		const r = await upload({}, [{ json: {}, binary: { data: { data: Buffer.from('GIF89a'), mimeType: 'image/gif', fileName: 'a.gif' } } }]);
		const text = errorText(r);
		expect(text).toContain('"image/gif"');
		expect(text).toContain('JPEG, PNG, WebP');
		expect(uploads()).toBe(0);
	});

	test('Media Type forced to Image for an MP4 is refused, naming the field', async () => {
		const r = await upload({ mediaType: 'image' }, [{ json: {}, binary: { data: { data: Buffer.alloc(10), mimeType: 'video/mp4', fileName: 'a.mp4' } } }]);
		const text = errorText(r);
		expect(text).toMatch(/^Media Type: /);
		expect(text).toContain('not an accepted image format');
		expect(uploads()).toBe(0);
	});

	test('an empty file is refused', async () => {
		const r = await upload({}, [{ json: {}, binary: { data: { data: Buffer.alloc(0), mimeType: 'image/png', fileName: 'e.png' } } }]);
		expect(errorText(r)).toContain('empty');
		expect(uploads()).toBe(0);
	});

	test('with Continue On Fail the bad item becomes an error item, paired with it, and the good one uploads', async () => {
		const r = await upload(
			{},
			[{ json: {} }, { json: {}, binary: { data: { data: PNG, mimeType: 'image/png', fileName: 'ok.png' } } }],
			{ onError: 'continueRegularOutput' },
		);
		expect(r.status).toBe('success');
		const [bad, good] = r.outputs[0];
		expect(bad.json.error).toMatch(/no binary data/);
		expect(bad.pairedItem).toEqual({ item: 0 });
		expect(good.json).toMatchObject({ type: 'image', file_name: 'ok.png' });
		expect(good.pairedItem).toEqual({ item: 1 });
		expect(uploads()).toBe(1);
	});
});

describe('Media → Upload: documented API errors', () => {
	const one = () => [{ json: {}, binary: { data: { data: PNG, mimeType: 'image/png', fileName: 'a.png' } } }];

	test('403 INSUFFICIENT_SCOPE with a read-only key names the media:write scope', async () => {
		const r = await upload({}, one(), { credentials: credsFor(sb, sb.keys.readOnly) });
		const text = errorText(r);
		expect(text).toContain('INSUFFICIENT_SCOPE');
		expect(text).toContain('media:write');
		expectNoSecrets(sb, r);
	});

	test('401 for an unknown key, without echoing the key', async () => {
		const r = await upload({}, one(), { credentials: credsFor(sb, 'pp_live_sk_not_a_real_key_123') });
		const text = errorText(r);
		expect(text).toContain('INVALID_API_KEY');
		expect(text).not.toContain('pp_live_sk_not_a_real_key_123');
	});

	test('413 FILE_TOO_LARGE from PowerPost is explained', async () => {
		sb.faults.add({ method: 'POST', path: '/media/upload', kind: 'status', status: 413, times: 1 });
		const r = await upload({}, one());
		const text = errorText(r);
		expect(text).toContain('FILE_TOO_LARGE');
		expect(text).toMatch(/images up to 10 MB, videos up to 500 MB/);
		expect(uploads()).toBe(1);
	});

	test('413 STORAGE_QUOTA_EXCEEDED when the account storage is full', async () => {
		const small = await startSandbox({ tickMs: 0, rateLimit: false, storageQuotaBytes: 50 });
		try {
			const r = await runNode({
				nodeType: 'powerPost',
				parameters: { resource: 'media', operation: 'upload' },
				credentials: credsFor(small),
				input: [{ json: {}, binary: { data: { data: Buffer.alloc(100, 1), mimeType: 'image/png', fileName: 'a.png' } } }],
			});
			expect(errorText(r)).toContain('STORAGE_QUOTA_EXCEEDED');
		} finally {
			await small.close();
		}
	});

	test('a connection dropped after the upload reached PowerPost is not sent again', async () => {
		sb.faults.add({ method: 'POST', path: '/media/upload', kind: 'drop-after', times: 1 });
		const r = await upload({}, one());
		expect(errorText(r)).toMatch(/not sent again/);
		expect(uploads()).toBe(1);
	});

	test('a 503 on the upload is not retried (a POST may have been carried out)', async () => {
		sb.faults.add({ method: 'POST', path: '/media/upload', kind: 'status', status: 503, times: 1 });
		const r = await upload({}, one());
		expect(r.status).toBe('error');
		expect(uploads()).toBe(1);
	});
});

