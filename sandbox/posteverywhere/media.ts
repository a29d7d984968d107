// §6 media: the three-step upload (step 2 goes to the presigned-upload host), upload-from-url,
// library list, get and delete.
import { randomBytes, randomUUID } from 'node:crypto';
import { iso } from '../core/clock';
import { SandboxError } from '../core/errors';
import { offsetPage } from '../core/paging';
import type { Call, Reply } from '../core/server';
import type { StoredObject, UploadSlot } from '../core/uploadHost';
import { UPLOAD_TYPES } from './constants';
import { err, type Engine } from './engine';
import { URL_IMPORT_LIMITS } from './limits';
import type { KeyRecord, MediaRecord } from './state';

type C = Call<KeyRecord>;
const ok = (data: unknown, status = 200): Reply => ({ status, data });
const EXPIRES_IN = 3600;

export function newMedia(e: Engine, fields: Partial<MediaRecord> & Pick<MediaRecord, 'type' | 'mime_type' | 'original_name' | 'source' | 'created_at'>): MediaRecord {
	const m: MediaRecord = {
		id: randomUUID(),
		file_size: 0,
		status: 'uploading',
		width: null,
		height: null,
		duration: null,
		source_url: null,
		token: null,
		expires_at: null,
		stored: null,
		completed: false,
		ready_at: null,
		ends: 'ready',
		...fields,
	};
	e.state.media.set(m.id, m);
	return m;
}

// ---------------------------------------------------------------------------------- step 1
export const upload = (e: Engine) => (c: C) => {
	const b = c.body as { filename: string; content_type: string; size: number; width?: number; height?: number; duration?: number };
	const contentType = b.content_type.toLowerCase();
	const type = UPLOAD_TYPES[contentType];
	if (!type) throw err.field('content_type', `must be one of: ${Object.keys(UPLOAD_TYPES).join(', ')}`);
	const max = e.maxBytes(type);
	if (b.size > max) throw err.field('size', `is ${b.size} bytes; ${type} uploads allow at most ${max} bytes`);
	const m = newMedia(e, {
		type,
		mime_type: contentType,
		file_size: b.size,
		original_name: b.filename,
		source: 'upload',
		width: b.width ?? null,
		height: b.height ?? null,
		duration: b.duration ?? null,
		token: randomBytes(24).toString('base64url'),
		expires_at: c.now + EXPIRES_IN * 1000,
		created_at: c.now,
	});
	const put = type !== 'image';
	return ok(
		{
			media_id: m.id,
			upload_url: e.uploadUrl(m.token as string),
			upload_method: put
				? { method: 'PUT', content_type: contentType, headers: { 'Content-Type': contentType } }
				: { method: 'POST', content_type: 'multipart/form-data', field_name: 'file' },
			provider: put ? 'r2' : 'cloudflare_images',
			expires_in: EXPIRES_IN,
			max_size: max,
			next_step: `${put ? 'PUT the file' : 'POST the file as multipart field "file"'} to upload_url without an Authorization header, then call POST /media/${m.id}/complete.`,
		},
		201,
	);
};

/** The presigned slot behind a token (for the upload host). */
export function slotFor(e: Engine, token: string): UploadSlot | undefined {
	const m = [...e.state.media.values()].find((x) => x.token === token && !x.completed);
	if (!m) return undefined;
	return {
		method: m.type === 'image' ? 'POST' : 'PUT',
		contentType: m.mime_type,
		fieldName: 'file',
		maxSize: e.maxBytes(m.type),
		expiresAt: m.expires_at as number,
	};
}

export function storeFor(e: Engine, token: string, obj: StoredObject): void {
	const m = [...e.state.media.values()].find((x) => x.token === token);
	if (m) m.stored = obj;
}

export const labelFor = (e: Engine, token: string) => [...e.state.media.values()].find((x) => x.token === token)?.id ?? 'unknown';

// ---------------------------------------------------------------------------------- step 3
function completeAnswer(e: Engine, m: MediaRecord) {
	return {
		media_id: m.id,
		media_ids: [m.id],
		status: m.status,
		type: m.type,
		width: m.width,
		height: m.height,
		duration: m.duration,
		size: m.stored?.size ?? m.file_size,
		content_type: m.mime_type,
		created_at: iso(m.created_at),
		next_step: m.status === 'ready' ? 'Use media_id in media_ids of POST /posts.' : `Poll GET /media/${m.id} until status is ready.`,
	};
}

export const complete = (e: Engine) => (c: C) => {
	const m = e.media(c.params.media_id);
	if (m.source !== 'upload') throw err.conflict('conflict', 'This media was not created by POST /media/upload');
	if (m.completed) {
		if (e.switches.idempotentComplete) return ok(completeAnswer(e, m));
		throw err.conflict('conflict', 'This upload was already completed');
	}
	if (!m.stored) throw err.validation(`No file was uploaded for media ${m.id}: send it to upload_url first (step 2)`);
	if (m.stored.size !== m.file_size)
		throw err.validation(`The uploaded object has ${m.stored.size} bytes but size was declared as ${m.file_size} in step 1`);
	m.completed = true;
	m.token = null;
	if (m.type === 'video') {
		m.status = 'processing';
		m.ready_at = c.now + e.timing.mediaProcessing;
	} else {
		m.status = 'ready';
		e.emit('media.uploaded', e.mediaEventData(m), c.now);
	}
	return ok(completeAnswer(e, m));
};

// ---------------------------------------------------------------------------------- from URL (§6.2)
const PRIVATE_HOST = /^(localhost|.*\.localhost|127\.\d+\.\d+\.\d+|10\.\d+\.\d+\.\d+|192\.168\.\d+\.\d+|172\.(1[6-9]|2\d|3[01])\.\d+\.\d+|169\.254\.\d+\.\d+|0\.0\.0\.0|\[::1?\]|\[f[cd][0-9a-f:]*\]|\[fe80:[0-9a-f:]*\])$/i;
export const isPrivateHost = (host: string) => PRIVATE_HOST.test(host);

const EXT_TYPES: Record<string, string> = {
	jpg: 'image/jpeg',
	jpeg: 'image/jpeg',
	png: 'image/png',
	gif: 'image/gif',
	webp: 'image/webp',
	heic: 'image/heic',
	heif: 'image/heif',
	mp4: 'video/mp4',
};

export const fromUrl = (e: Engine) => (c: C) => {
	const b = c.body as { url: string; filename?: string };
	const u = new URL(b.url);
	if (u.protocol !== 'https:') throw err.field('url', 'must be a public HTTPS URL');
	if (isPrivateHost(u.hostname)) throw err.field('url', 'must not point at a private, loopback or link-local host');
	const name = b.filename ?? decodeURIComponent(u.pathname.split('/').pop() || 'download');
	const ext = u.pathname.toLowerCase().split('.').pop() ?? '';
	const mime = EXT_TYPES[ext];
	const video = mime === 'video/mp4';
	if (!mime || (video && !e.switches.videoFromUrl))
		throw new SandboxError(415, 'unsupported_media_type', `The URL must point at an image (JPEG, PNG, GIF, WebP, HEIC, HEIF)${e.switches.videoFromUrl ? ' or an MP4 video' : ''}`);
	// the sandbox does not download: sizes are derived from the URL (sandbox-only)
	const size = video ? 48 * e.mega : 350_000 + (b.url.length % 1000);
	const limit = (video ? URL_IMPORT_LIMITS.video : URL_IMPORT_LIMITS.image) * e.mega;
	if (size > limit) throw err.field('url', `points at a file larger than ${limit} bytes`);
	const failing = b.url.includes('fail-import');
	const slow = video || failing || b.url.includes('slow-import');
	const m = newMedia(e, {
		type: video ? 'video' : 'image',
		mime_type: mime,
		file_size: size,
		original_name: name,
		source: 'url',
		source_url: b.url,
		width: video ? 1080 : 1200,
		height: video ? 1920 : 1200,
		duration: video ? 12 : null,
		status: slow ? 'uploading' : 'ready',
		ready_at: slow ? c.now + e.timing.mediaProcessing : null,
		ends: failing ? 'failed' : 'ready',
		completed: true,
		created_at: c.now,
	});
	if (m.status === 'ready') e.emit('media.uploaded', e.mediaEventData(m), c.now);
	return ok(
		{
			media_id: m.id,
			media_ids: [m.id],
			media_status: m.status,
			type: m.type,
			url: e.mediaUrl(m),
			filename: name,
			size,
			content_type: mime,
			source_url: b.url,
			next_step: m.status === 'ready' ? 'Use media_id in media_ids of POST /posts.' : `Poll GET /media/${m.id} until status is ready.`,
		},
		201,
	);
};

// ---------------------------------------------------------------------------------- library (§6.3)
export const list = (e: Engine) => (c: C) => {
	const q = c.query as { type?: string; limit?: number; offset?: number };
	const all = [...e.state.media.values()]
		.filter((m) => !q.type || m.type === q.type)
		.sort((a, b) => b.created_at - a.created_at || (a.id < b.id ? 1 : -1));
	const { items, pagination } = offsetPage(all, q.limit ?? 20, q.offset ?? 0, e.switches.listTotals);
	return ok({ media: items.map((m) => e.mediaItem(m)), pagination });
};

export const get = (e: Engine) => (c: C) => ok(e.mediaItem(e.media(c.params.media_id)));

export const remove = (e: Engine) => (c: C) => {
	const m = e.media(c.params.media_id);
	const users = [...e.state.posts.values()].filter((p) => (p.status === 'scheduled' || p.status === 'draft') && p.media_ids.includes(m.id));
	if (users.length && c.query.force !== true)
		throw err.conflict('media_in_use', `The media is used by ${users.length} draft or scheduled post(s); pass force=true to delete it anyway`);
	e.state.media.delete(m.id);
	for (const p of users) p.media_ids = p.media_ids.filter((id) => id !== m.id);
	e.emit('media.deleted', { media_id: m.id, type: m.type }, c.now);
	return ok({ deleted: true, id: m.id });
};
