import type { MultipartFrame } from '../../../shared/multipart';
import { MB, multipartFrameOf } from '../../../shared/multipart';

export { formatSize, MB, multipartBuffer, multipartChunks } from '../../../shared/multipart';
export type { MultipartFrame } from '../../../shared/multipart';

/**
 * Contract §5: what `POST /media/upload` accepts, and the multipart/form-data body it takes
 * (fields `type` and `file`), written by hand so a large file can be streamed part by part.
 */

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

/** The parts around the file's bytes. The `type` field goes first, so the server knows the kind before the file arrives. */
export function multipartFrame(options: { type: MediaKind; fileName: string; mimeType: string; fileSize: number; boundary?: string }): MultipartFrame {
	return multipartFrameOf({ ...options, fields: [['type', options.type]], fileField: 'file', boundaryPrefix: 'n8nPowerPost' });
}
