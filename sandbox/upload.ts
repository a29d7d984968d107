// POST /media/upload: streaming multipart parsing. The file is never buffered: bytes are counted
// and hashed as they arrive and then discarded; only metadata (size, sha256) is kept.
import busboy from 'busboy';
import { createHash } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { EXTENSION_MIME, UPLOAD_LIMITS, MB } from './constants';
import { ApiError, validation } from './errors';
import type { Call, Engine, Result } from './engine';
import { iso } from './engine';

/** After a failure we keep draining (so the client can read our answer) up to this many extra bytes. */
const MAX_DRAIN_BYTES = 2048 * MB;

function mimeOf(declared: string | undefined, fileName: string): string {
	const m = (declared ?? '').toLowerCase().split(';')[0].trim();
	if (m && m !== 'application/octet-stream') return m === 'image/jpg' ? 'image/jpeg' : m;
	const ext = fileName.toLowerCase().split('.').pop() ?? '';
	return EXTENSION_MIME[ext] ?? (m || 'application/octet-stream');
}

export function handleUpload(engine: Engine, c: Call, req: IncomingMessage): Promise<Result> {
	const ct = req.headers['content-type'] ?? '';
	if (!/^multipart\/form-data/i.test(ct)) return Promise.reject(validation('Content-Type must be multipart/form-data with fields file and type'));
	let bb: busboy.Busboy;
	try {
		bb = busboy({ headers: req.headers, limits: { files: 2, fields: 20, parts: 30, fieldSize: 1024 } });
	} catch {
		return Promise.reject(validation('Malformed multipart/form-data request (missing boundary?)'));
	}
	const quota = engine.storageQuotaBytes;
	const used = engine.storageUsed(c.account);

	return new Promise<Result>((resolve, reject) => {
		let typeField: string | undefined;
		let failure: ApiError | undefined;
		let drained = 0;
		let fileCount = 0;
		let file: { name: string; mime: string; size: number; sha256: string } | undefined;
		let fileDone: Promise<void> = Promise.resolve();
		let settled = false;

		const finish = (err?: ApiError, res?: Result) => {
			if (settled) return;
			settled = true;
			req.unpipe(bb);
			if (err) reject(err);
			else resolve(res as Result);
		};

		bb.on('field', (name, value) => {
			if (name === 'type') typeField = value;
		});

		bb.on('file', (name, stream, info) => {
			if (name !== 'file') {
				stream.resume();
				return;
			}
			fileCount++;
			if (fileCount > 1) {
				failure ??= validation('Only one file may be uploaded per request');
				stream.resume();
				return;
			}
			const fileName = info.filename || 'upload';
			const mime = mimeOf(info.mimeType, fileName);
			const kind = mime.startsWith('image/') ? 'image' : mime.startsWith('video/') ? 'video' : null;
			const limit = kind ? UPLOAD_LIMITS[kind].maxBytes : UPLOAD_LIMITS.video.maxBytes;
			const hash = createHash('sha256');
			let size = 0;
			fileDone = new Promise<void>((done) => {
				stream.on('data', (chunk: Buffer) => {
					if (failure) {
						drained += chunk.length;
						if (drained > MAX_DRAIN_BYTES) {
							req.socket.destroy();
							finish(failure);
						}
						return;
					}
					size += chunk.length;
					if (size > limit) {
						failure = new ApiError(
							413,
							'FILE_TOO_LARGE',
							`file is larger than the ${limit / MB} MB limit for ${kind ?? 'this'} uploads`,
						);
						return;
					}
					if (used + size > quota) {
						failure = new ApiError(413, 'STORAGE_QUOTA_EXCEEDED', 'The account storage quota is used up');
						return;
					}
					hash.update(chunk);
				});
				stream.on('end', () => {
					file = { name: fileName, mime, size, sha256: hash.digest('hex') };
					done();
				});
				stream.on('error', () => done());
			});
		});

		bb.on('error', () => finish(validation('Malformed multipart/form-data body')));
		req.on('aborted', () => finish(validation('Upload aborted by the client')));

		bb.on('close', () => {
			void fileDone.then(() => {
				if (failure) return finish(failure);
				if (!file) return finish(validation('file is required (multipart field "file")'));
				if (typeField === undefined) return finish(validation('type is required (image or video)'));
				if (typeField !== 'image' && typeField !== 'video') return finish(validation('type must be one of: image, video'));
				const rule = UPLOAD_LIMITS[typeField];
				if (!(rule.mimes as readonly string[]).includes(file.mime))
					return finish(
						validation(`file mime type ${file.mime} is not allowed for type ${typeField} (allowed: ${rule.mimes.join(', ')})`),
					);
				if (file.size === 0) return finish(validation('file is empty'));
				if (file.size > rule.maxBytes)
					return finish(new ApiError(413, 'FILE_TOO_LARGE', `file is larger than the ${rule.maxBytes / MB} MB limit for ${typeField} uploads`));
				const m = engine.registerMedia({
					workspace: c.workspace,
					account: c.account,
					type: typeField,
					file_name: file.name,
					file_size: file.size,
					mime_type: file.mime,
					created_at: c.now,
					source: 'upload',
					sha256: file.sha256,
				});
				finish(undefined, {
					status: 200,
					body: {
						media_id: m.media_id,
						type: m.type,
						file_name: m.file_name,
						file_size: m.file_size,
						mime_type: m.mime_type,
						created_at: iso(m.created_at),
					},
				});
			});
		});

		req.pipe(bb);
	});
}
