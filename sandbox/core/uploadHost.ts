// A second local host that plays a presigned object store (R2 / S3 / Cloudflare Images direct upload).
// It never sees an API key: any Authorization header is refused. It accepts a streamed PUT or a
// multipart POST, as the slot says, and never buffers the file: bytes are counted and hashed as they
// arrive and then dropped. Expiry runs on the sandbox clock.
import busboy from 'busboy';
import { createHash } from 'node:crypto';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { VirtualClock } from './clock';
import type { FaultList } from './faults';
import { closeServer, listen, sendText } from './http';

export interface UploadSlot {
	method: 'PUT' | 'POST';
	/** the Content-Type the PUT must carry (the multipart part may also be octet-stream or untyped) */
	contentType: string;
	/** multipart field name (POST) */
	fieldName?: string;
	maxSize: number;
	expiresAt: number;
}

export interface StoredObject {
	size: number;
	sha256: string;
	contentType: string;
	filename?: string;
}

export interface UploadRecord {
	method: string;
	/** the slot token is not recorded, only whether it was known */
	slot: string | null;
	status: number;
	bytes: number;
	sha256?: string;
	/** the request carried an Authorization header (always refused) */
	authorization: boolean;
	reason?: string;
	faulted?: string;
}

export interface UploadHostOptions {
	clock: VirtualClock;
	faults: FaultList;
	/** the slot for a token (the last path segment of the URL), or undefined */
	slot(token: string): UploadSlot | undefined;
	/** called when an object was stored completely; `token` names the slot */
	stored(token: string, obj: StoredObject): void;
	/** label under which the slot appears in the upload log (e.g. the media id) */
	label(token: string): string;
	log?: (line: string) => void;
	port?: number;
}

export interface UploadHost {
	origin: string;
	uploads: UploadRecord[];
	urlFor(token: string): string;
	close(): Promise<void>;
}

/** After a refusal we keep reading (so the client sees our answer) up to this many bytes. */
const MAX_DRAIN_BYTES = 2 * 1024 * 1024 * 1024;

const xmlError = (code: string, message: string) =>
	`<?xml version="1.0" encoding="UTF-8"?><Error><Code>${code}</Code><Message>${message}</Message></Error>`;

export async function startUploadHost(opts: UploadHostOptions): Promise<UploadHost> {
	const uploads: UploadRecord[] = [];

	function handle(req: IncomingMessage, res: ServerResponse) {
		const url = new URL(req.url ?? '/', 'http://127.0.0.1');
		const method = (req.method ?? 'GET').toUpperCase();
		const m = /^\/o\/([A-Za-z0-9_-]+)$/.exec(url.pathname);
		const token = m?.[1] ?? '';
		const slot = m ? opts.slot(token) : undefined;
		const rec: UploadRecord = {
			method,
			slot: slot ? opts.label(token) : null,
			status: 0,
			bytes: 0,
			authorization: req.headers.authorization !== undefined,
		};
		uploads.push(rec);
		let answered = false;
		const answer = (status: number, code: string, message: string, reason?: string) => {
			if (answered) return;
			answered = true;
			rec.status = status;
			if (reason) rec.reason = reason;
			opts.log?.(`upload ${method} ${status}${reason ? ` (${reason})` : ''}`);
			sendText(res, status, 'application/xml', xmlError(code, message));
		};
		/** answer at once, and keep reading (and dropping) the rest of the body so the client is not cut off mid-send */
		const refuse = (status: number, code: string, message: string, reason: string) => {
			let drained = 0;
			req.on('data', (c: Buffer) => {
				drained += c.length;
				if (drained > MAX_DRAIN_BYTES) req.socket.destroy();
			});
			req.resume();
			answer(status, code, message, reason);
		};

		const fault = opts.faults.take('upload', method, url.pathname);
		if (fault) {
			rec.faulted = fault.kind;
			if (fault.kind === 'drop-before') {
				req.socket.destroy();
				return;
			}
			if (fault.kind === 'status' && !fault.applied) return refuse(fault.status ?? 500, 'InternalError', 'Sandbox fault', 'fault');
		}
		const lose = fault && (fault.kind === 'drop-after' || fault.applied) ? fault : undefined;

		if (rec.authorization)
			return refuse(400, 'InvalidArgument', 'Only one auth mechanism allowed; presigned URLs must be used without an Authorization header', 'authorization header');
		if (!m || !slot) return refuse(404, 'NoSuchUpload', 'The upload URL is unknown or was already used', 'unknown slot');
		if (opts.clock.now() > slot.expiresAt) return refuse(403, 'AccessDenied', 'Request has expired', 'expired');
		if (method !== slot.method) return refuse(405, 'MethodNotAllowed', `This upload URL accepts ${slot.method} only`, 'method');

		const finish = (obj: StoredObject) => {
			opts.stored(token, obj);
			rec.sha256 = obj.sha256;
			if (lose) {
				rec.status = 200;
				if (lose.kind === 'drop-after') req.socket.destroy();
				else answer(lose.status ?? 500, 'InternalError', 'Sandbox fault after storing');
				return;
			}
			answered = true;
			rec.status = 200;
			opts.log?.(`upload ${method} 200 ${obj.size} bytes`);
			if (slot.method === 'PUT') {
				res.writeHead(200, { ETag: `"${obj.sha256.slice(0, 32)}"`, 'Content-Length': '0' });
				res.end();
			} else {
				const text = JSON.stringify({ success: true, result: { id: opts.label(token), filename: obj.filename ?? null, uploaded: new Date(opts.clock.now()).toISOString() }, errors: [], messages: [] });
				res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': String(Buffer.byteLength(text)) });
				res.end(text);
			}
		};

		/** count + hash a stream; refuse when it passes the slot's size */
		const measure = (stream: NodeJS.ReadableStream, onDone: (size: number, sha256: string) => void, onTooLarge: () => void) => {
			const hash = createHash('sha256');
			let size = 0;
			let over = false;
			stream.on('data', (chunk: Buffer) => {
				if (over) return;
				size += chunk.length;
				rec.bytes = size;
				if (size > slot.maxSize) {
					over = true;
					onTooLarge();
					return;
				}
				hash.update(chunk);
			});
			stream.on('end', () => {
				if (!over) onDone(size, hash.digest('hex'));
			});
		};

		if (slot.method === 'PUT') {
			const ct = (req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
			if (ct !== slot.contentType) return refuse(403, 'SignatureDoesNotMatch', `Content-Type must be ${slot.contentType} (the type declared in step 1)`, 'content-type');
			const declared = Number(req.headers['content-length']);
			if (Number.isFinite(declared) && declared > slot.maxSize) return refuse(413, 'EntityTooLarge', `The object is larger than ${slot.maxSize} bytes`, 'too large');
			measure(
				req,
				(size, sha256) => finish({ size, sha256, contentType: ct }),
				() => refuse(413, 'EntityTooLarge', `The object is larger than ${slot.maxSize} bytes`, 'too large'),
			);
			return;
		}

		// POST multipart/form-data
		let bb: busboy.Busboy;
		try {
			bb = busboy({ headers: req.headers, limits: { files: 1, fields: 20, fieldSize: 4096 } });
		} catch {
			return refuse(400, 'MalformedPOSTRequest', 'The body must be multipart/form-data', 'not multipart');
		}
		let seen = false;
		let result: StoredObject | undefined;
		let failure: [number, string, string, string] | undefined;
		bb.on('file', (name, stream, info) => {
			if (name !== (slot.fieldName ?? 'file') || seen) {
				failure ??= [400, 'MalformedPOSTRequest', `The file must be in the multipart field "${slot.fieldName ?? 'file'}"`, 'field name'];
				stream.resume();
				return;
			}
			seen = true;
			const partType = (info.mimeType ?? '').toLowerCase();
			if (partType && partType !== 'application/octet-stream' && partType !== slot.contentType) {
				failure = [403, 'SignatureDoesNotMatch', `The file part must be ${slot.contentType} (the type declared in step 1)`, 'content-type'];
				stream.resume();
				return;
			}
			measure(
				stream,
				(size, sha256) => {
					result = { size, sha256, contentType: slot.contentType, filename: info.filename };
				},
				() => {
					failure = [413, 'EntityTooLarge', `The object is larger than ${slot.maxSize} bytes`, 'too large'];
					stream.resume();
				},
			);
		});
		bb.on('error', () => answer(400, 'MalformedPOSTRequest', 'Malformed multipart body', 'malformed'));
		bb.on('close', () => {
			if (failure) return answer(...failure);
			if (!result) return answer(400, 'MalformedPOSTRequest', `No file in the multipart field "${slot.fieldName ?? 'file'}"`, 'no file');
			finish(result);
		});
		req.pipe(bb);
	}

	const server = http.createServer(handle);
	server.on('clientError', (_err, socket) => socket.destroy());
	const port = await listen(server, opts.port ?? 0);
	const origin = `http://127.0.0.1:${port}`;
	return {
		origin,
		uploads,
		urlFor: (token) => `${origin}/o/${token}`,
		close: () => closeServer(server),
	};
}
