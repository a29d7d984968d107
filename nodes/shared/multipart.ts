import { randomBytes } from 'crypto';

/**
 * A multipart/form-data body written by hand, so a large file can be streamed part by part: text
 * fields first, then one file part, with an exact Content-Length.
 */

/** 1 MB = 1,048,576 bytes. */
export const MB = 1024 * 1024;

/** "12.3 MB" */
export function formatSize(bytes: number): string {
	if (bytes < 1024) return `${bytes} bytes`;
	if (bytes < MB) return `${(bytes / 1024).toFixed(1)} KB`;
	return `${(bytes / MB).toFixed(1)} MB`;
}

/** A header-safe quoted file name, plus an RFC 5987 `filename*` when it is not plain ASCII. */
function dispositionFileName(fileName: string): string {
	const clean = fileName.replace(/[\r\n"\\]/g, '_');
	const ascii = clean.replace(/[^\x20-\x7e]/g, '_');
	if (ascii === clean) return `filename="${clean}"`;
	const encoded = encodeURIComponent(clean).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
	return `filename="${ascii}"; filename*=UTF-8''${encoded}`;
}

export interface MultipartFrame {
	contentType: string;
	/** Everything before the file's bytes: the text fields and the file part's headers. */
	head: Buffer;
	/** Everything after the file's bytes. */
	tail: Buffer;
	/** Exact body length for a file of `fileSize` bytes. */
	contentLength: number;
}

/** The parts around the file's bytes; `fields` go first, in order, so the server reads them before the file arrives. */
export function multipartFrameOf(options: {
	fields: Array<[string, string]>;
	fileField: string;
	fileName: string;
	mimeType: string;
	fileSize: number;
	boundaryPrefix: string;
	boundary?: string;
}): MultipartFrame {
	const boundary = options.boundary ?? `----${options.boundaryPrefix}${randomBytes(12).toString('hex')}`;
	const fields = options.fields.map(([name, value]) => `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`).join('');
	const head = Buffer.from(
		fields +
			`--${boundary}\r\nContent-Disposition: form-data; name="${options.fileField}"; ${dispositionFileName(options.fileName)}\r\n` +
			`Content-Type: ${options.mimeType}\r\n\r\n`,
		'utf8',
	);
	const tail = Buffer.from(`\r\n--${boundary}--\r\n`, 'utf8');
	return {
		contentType: `multipart/form-data; boundary=${boundary}`,
		head,
		tail,
		contentLength: head.length + options.fileSize + tail.length,
	};
}

/**
 * The file's chunks as they are read, checked against the announced size: a wrong Content-Length
 * would make the request hang or be rejected, so a file of another size ends the upload with an error.
 */
export async function* exactChunks(file: AsyncIterable<Buffer | string>, fileSize: number): AsyncGenerator<Buffer> {
	let sent = 0;
	for await (const chunk of file) {
		const buffer = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
		sent += buffer.length;
		if (sent > fileSize) break;
		yield buffer;
	}
	if (sent !== fileSize) {
		throw new Error(`The binary file changed while it was read: expected ${fileSize} bytes, read ${sent > fileSize ? 'more' : sent}`);
	}
}

/** The whole body as a sequence of chunks: head, the file's chunks as they are read, tail. */
export async function* multipartChunks(frame: MultipartFrame, file: AsyncIterable<Buffer | string>, fileSize: number): AsyncGenerator<Buffer> {
	yield frame.head;
	yield* exactChunks(file, fileSize);
	yield frame.tail;
}

/** The whole body in one buffer, decoding base64 file data straight into it (a single copy of the file). */
export function multipartBuffer(frame: MultipartFrame, base64: string, fileSize: number): Buffer {
	const body = Buffer.allocUnsafe(frame.contentLength);
	frame.head.copy(body, 0);
	const written = body.write(base64, frame.head.length, fileSize, 'base64');
	if (written !== fileSize) throw new Error(`The binary data decoded to ${written} bytes, expected ${fileSize}`);
	frame.tail.copy(body, frame.head.length + fileSize);
	return body;
}
