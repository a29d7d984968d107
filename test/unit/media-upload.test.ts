// Unit: multipart framing, MIME detection and the upload checks of Media → Upload (contract §5).
import busboy from 'busboy';
import { Readable } from 'node:stream';
import type { INode } from 'n8n-workflow';

import { planUpload } from '../../nodes/PowerPost/actions/media/upload.operation';
import {
	formatSize,
	kindOf,
	MB,
	multipartBuffer,
	multipartChunks,
	multipartFrame,
	resolveMimeType,
} from '../../nodes/PowerPost/actions/media/multipart';
import { Checker } from '../../nodes/shared/validation';

const node: INode = { id: '1', name: 'PowerPost', type: 'powerPost', typeVersion: 1, position: [0, 0], parameters: {} };
const check = () => new Checker(node, 0);

/** Parses a multipart body the way the sandbox does (busboy); returns fields and the file. */
async function parse(body: Buffer, contentType: string) {
	return await new Promise<{ fields: Record<string, string>; file?: { name: string; filename: string; mimeType: string; data: Buffer } }>(
		(resolve, reject) => {
			const fields: Record<string, string> = {};
			let file: { name: string; filename: string; mimeType: string; data: Buffer } | undefined;
			const bb = busboy({ headers: { 'content-type': contentType } });
			bb.on('field', (name: string, value: string) => {
				fields[name] = value;
			});
			bb.on('file', (name, stream, info) => {
				const chunks: Buffer[] = [];
				stream.on('data', (c: Buffer) => chunks.push(c));
				stream.on('end', () => (file = { name, filename: info.filename ?? '', mimeType: info.mimeType, data: Buffer.concat(chunks) }));
			});
			bb.on('close', () => resolve({ fields, file }));
			bb.on('error', reject);
			bb.end(body);
		},
	);
}

async function collect(iterable: AsyncIterable<Buffer>): Promise<Buffer> {
	const chunks: Buffer[] = [];
	for await (const chunk of iterable) chunks.push(chunk);
	return Buffer.concat(chunks);
}

describe('resolveMimeType / kindOf', () => {
	test.each([
		['image/png', 'a.png', 'image/png'],
		['IMAGE/JPG', 'a', 'image/jpeg'],
		['image/jpeg; charset=binary', 'a', 'image/jpeg'],
		['application/octet-stream', 'clip.MOV', 'video/quicktime'],
		['', 'clip.webm', 'video/webm'],
		[undefined, 'photo.jpeg', 'image/jpeg'],
		['application/octet-stream', 'noext', 'application/octet-stream'],
		[undefined, undefined, undefined],
		['image/gif', 'a.gif', 'image/gif'],
	])('%s + %s → %s', (declared, fileName, expected) => {
		expect(resolveMimeType(declared, fileName)).toBe(expected);
	});

	test('the binary\'s fileExtension is used when the name has none', () => {
		expect(resolveMimeType('application/octet-stream', 'upload', 'mp4')).toBe('video/mp4');
	});

	test('kind from the MIME type', () => {
		expect([kindOf('image/webp'), kindOf('video/mp4'), kindOf('application/pdf'), kindOf(undefined)]).toEqual(['image', 'video', undefined, undefined]);
	});

	test('sizes for messages', () => {
		expect([formatSize(500), formatSize(2048), formatSize(10 * MB + 1)]).toEqual(['500 bytes', '2.0 KB', '10.0 MB']);
	});
});

describe('multipart body', () => {
	const file = Buffer.from(Array.from({ length: 70_000 }, (_, i) => i % 256));

	test('streamed chunks form a body of exactly contentLength bytes that a multipart parser reads back', async () => {
		const frame = multipartFrame({ type: 'video', fileName: 'clip.mp4', mimeType: 'video/mp4', fileSize: file.length });
		const source = Readable.from([file.subarray(0, 1000), file.subarray(1000, 65_536), file.subarray(65_536)]);
		const body = await collect(multipartChunks(frame, source, file.length));
		expect(body.length).toBe(frame.contentLength);
		expect(frame.contentType).toMatch(/^multipart\/form-data; boundary=----n8nPowerPost[0-9a-f]{24}$/);
		const parsed = await parse(body, frame.contentType);
		expect(parsed.fields).toEqual({ type: 'video' });
		expect(parsed.file).toMatchObject({ name: 'file', filename: 'clip.mp4', mimeType: 'video/mp4' });
		expect(parsed.file!.data.equals(file)).toBe(true);
	});

	test('the type field comes before the file', () => {
		const frame = multipartFrame({ type: 'image', fileName: 'a.png', mimeType: 'image/png', fileSize: 1 });
		const head = frame.head.toString();
		expect(head.indexOf('name="type"')).toBeLessThan(head.indexOf('name="file"'));
	});

	test('the in-memory body decodes base64 straight into one buffer, identical to the streamed one', async () => {
		const frame = multipartFrame({ type: 'image', fileName: 'a.png', mimeType: 'image/png', fileSize: file.length, boundary: 'fixed' });
		const buffer = multipartBuffer(frame, file.toString('base64'), file.length);
		const streamed = await collect(multipartChunks(frame, Readable.from([file]), file.length));
		expect(buffer.equals(streamed)).toBe(true);
	});

	test('non-ASCII, quotes and line breaks in file names are safe; the UTF-8 name survives', async () => {
		const frame = multipartFrame({ type: 'image', fileName: 'Été "à"\r\nZürich.png', mimeType: 'image/png', fileSize: 3 });
		expect(frame.head.toString()).not.toMatch(/Été "à"/);
		const parsed = await parse(multipartBuffer(frame, Buffer.from('abc').toString('base64'), 3), frame.contentType);
		expect(parsed.file?.filename).toBe('Été _à___Zürich.png');
	});

	test('a file shorter or longer than announced ends the stream with an error (never a wrong Content-Length)', async () => {
		const frame = multipartFrame({ type: 'video', fileName: 'v.mp4', mimeType: 'video/mp4', fileSize: 10 });
		await expect(collect(multipartChunks(frame, Readable.from([Buffer.alloc(9)]), 10))).rejects.toThrow(/expected 10 bytes, read 9/);
		await expect(collect(multipartChunks(frame, Readable.from([Buffer.alloc(11)]), 10))).rejects.toThrow(/expected 10 bytes, read more/);
	});

	test('base64 that decodes to another size is refused', () => {
		const frame = multipartFrame({ type: 'image', fileName: 'a.png', mimeType: 'image/png', fileSize: 10 });
		expect(() => multipartBuffer(frame, Buffer.alloc(5).toString('base64'), 10)).toThrow(/decoded to 5 bytes, expected 10/);
	});
});

describe('planUpload (checked before any byte is sent)', () => {
	const base = { mediaType: 'auto', declaredMime: 'image/png', fileName: 'a.png', fileSize: 100 };

	test('auto detects the kind; names fall back to upload.<ext>', () => {
		expect(planUpload(check(), base)).toEqual({ type: 'image', mimeType: 'image/png', fileName: 'a.png', fileSize: 100 });
		expect(planUpload(check(), { ...base, declaredMime: 'video/quicktime', fileName: undefined })).toMatchObject({ type: 'video', fileName: 'upload.mov' });
		expect(planUpload(check(), { ...base, declaredMime: 'image/jpeg', fileName: '' }).fileName).toBe('upload.jpg');
	});

	test('limits: 10 MB for images, 500 MB for videos, inclusive', () => {
		expect(planUpload(check(), { ...base, fileSize: 10 * MB }).fileSize).toBe(10 * MB);
		expect(() => planUpload(check(), { ...base, fileSize: 10 * MB + 1 })).toThrow(/10\.0 MB, over PowerPost's 10 MB limit for images/);
		expect(planUpload(check(), { ...base, declaredMime: 'video/mp4', fileSize: 500 * MB }).type).toBe('video');
		expect(() => planUpload(check(), { ...base, declaredMime: 'video/mp4', fileSize: 500 * MB + 1 })).toThrow(/500 MB limit for videos/);
	});

	test('formats', () => {
		expect(() => planUpload(check(), { ...base, declaredMime: 'image/gif' })).toThrow(/"image\/gif" is not an accepted image format/);
		expect(() => planUpload(check(), { ...base, declaredMime: 'application/pdf', fileName: 'a.pdf' })).toThrow(/cannot tell .* whether the file is an image or a video/);
		expect(() => planUpload(check(), { ...base, mediaType: 'video' })).toThrow(/^Media Type: .* not an accepted video format/);
		expect(() => planUpload(check(), { ...base, mediaType: 'audio' })).toThrow(/^Media Type: "audio" is not a supported value/);
	});

	test('forcing the kind works with a generic MIME type and a known extension', () => {
		expect(planUpload(check(), { ...base, mediaType: 'video', declaredMime: 'application/octet-stream', fileName: 'x.mp4' })).toMatchObject({
			type: 'video',
			mimeType: 'video/mp4',
		});
	});

	test('the File Name option overrides the binary\'s name and also drives detection', () => {
		expect(planUpload(check(), { ...base, declaredMime: undefined, fileName: 'data', fileNameOverride: 'clip.webm' })).toMatchObject({
			type: 'video',
			mimeType: 'video/webm',
			fileName: 'clip.webm',
		});
	});

	test('an empty file', () => {
		expect(() => planUpload(check(), { ...base, fileSize: 0 })).toThrow(/empty/);
	});
});
