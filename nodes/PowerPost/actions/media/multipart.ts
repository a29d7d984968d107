import { randomBytes } from 'crypto';

/**
 * Contract §5: what `POST /media/upload` accepts, and the multipart/form-data body it takes
 * (fields `type` and `file`), written by hand so a large file can be streamed part by part.
 */

/** 1 MB = 1,048,576 bytes, as the sandbox reads "10 MB" / "500 MB" (the contract does not say). */
export const MB = 1024 * 1024;

export const UPLOAD_RULES = {
	image: { maxBytes: 10 * MB, mimeTypes: ['image/jpeg', 'image/png', 'image/webp'], formats: 'JPEG, PNG, WebP', limit: '10 MB' },
	video: { maxBytes: 500 * MB, mimeTypes: ['video/mp4', 'video/quicktime', 'video/webm'], formats: 'MP4, MOV, WebM', limit: '500 MB' },
} as const;

export type MediaKind = keyof typeof UPLOAD_RULES;

const EXTENSION_MIME: Record<string, string> = {
	jpg: 'image/jpeg',
	jpeg: 'image/jpeg',
	png: 'image/png',
	webp: 'image/webp',
	mp4: 'video/mp4',
	m4v: 'video/mp4',
	mov: 'video/quicktime',
	qt: 'video/quicktime',
	webm: 'video/webm',
};

/** The file's MIME type: the declared one (normalized), or from the file name when it is missing or generic. */
export function resolveMimeType(declared: string | undefined, fileName: string | undefined, extension?: string): string | undefined {
	let mime = (declared ?? '').toLowerCase().split(';')[0].trim();
	if (mime === 'image/jpg' || mime === 'image/pjpeg') mime = 'image/jpeg';
	if (mime && mime !== 'application/octet-stream' && mime !== 'binary/octet-stream') return mime;
	const ext = (extension || (fileName ?? '').split('.').pop() || '').toLowerCase().replace(/^\./, '');
	return EXTENSION_MIME[ext] ?? (mime || undefined);
}

/** image or video, from a MIME type. */
export function kindOf(mimeType: string | undefined): MediaKind | undefined {
	if (mimeType?.startsWith('image/')) return 'image';
	if (mimeType?.startsWith('video/')) return 'video';
	return undefined;
}

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
	/** Everything before the file's bytes: the `type` field and the file part's headers. */
	head: Buffer;
	/** Everything after the file's bytes. */
	tail: Buffer;
	/** Exact body length for a file of `fileSize` bytes. */
	contentLength: number;
}

/** The parts around the file's bytes. The `type` field goes first, so the server knows the kind before the file arrives. */
export function multipartFrame(options: { type: MediaKind; fileName: string; mimeType: string; fileSize: number; boundary?: string }): MultipartFrame {
	const boundary = options.boundary ?? `----n8nPowerPost${randomBytes(12).toString('hex')}`;
	const head = Buffer.from(
		`--${boundary}\r\nContent-Disposition: form-data; name="type"\r\n\r\n${options.type}\r\n` +
			`--${boundary}\r\nContent-Disposition: form-data; name="file"; ${dispositionFileName(options.fileName)}\r\n` +
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
 * The whole body as a sequence of chunks: head, the file's chunks as they are read, tail. Fails
 * (ending the upload) when the file is not exactly the announced size, since a wrong
 * Content-Length would make the request hang or be rejected.
 */
export async function* multipartChunks(frame: MultipartFrame, file: AsyncIterable<Buffer | string>, fileSize: number): AsyncGenerator<Buffer> {
	yield frame.head;
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
