import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { attempt, describeFailure } from '../../../shared/actOnce';
import { binarySize, isStored, openStoredStream, readUploadInput } from '../../../shared/binary';
import { exactChunks, formatSize, multipartBuffer, multipartChunks, multipartFrameOf } from '../../../shared/multipart';
import { actOnState } from '../../../shared/actOnState';
import type { HttpCall } from '../../../shared/http';
import { sendPresigned } from '../../../shared/presigned';
import type { OperationResult } from '../../../shared/router';
import { Checker } from '../../../shared/validation';
import { peRequest, postEverywhereProvider } from '../../transport';
import { entriesOf, idPath } from '../common';
import { isLostAnswer, tryRead } from '../lostAnswer';

/**
 * Contract §6.1, the three-step upload of a binary file from a previous node:
 * 1. `POST /media/upload` {filename, content_type, size} → `media_id`, `upload_url`, `upload_method`;
 * 2. the file streamed to `upload_url` as `upload_method` says (PUT with its Content-Type, or a
 *    multipart POST with field `field_name`), through n8n's plain HTTP helper: the API key never
 *    goes to that host;
 * 3. `POST /media/{media_id}/complete`.
 * Type and size are checked before anything is sent (images and documents 20 MB, videos 500 MB;
 * counted in decimal megabytes, the smaller reading, so a file we accept is never too large).
 */
const MB = 1_000_000;
const TYPES: Record<string, { kind: 'image' | 'video' | 'document'; ext: string }> = {
	'image/jpeg': { kind: 'image', ext: 'jpg' },
	'image/png': { kind: 'image', ext: 'png' },
	'image/gif': { kind: 'image', ext: 'gif' },
	'image/webp': { kind: 'image', ext: 'webp' },
	'image/heic': { kind: 'image', ext: 'heic' },
	'image/heif': { kind: 'image', ext: 'heif' },
	'video/mp4': { kind: 'video', ext: 'mp4' },
	'application/pdf': { kind: 'document', ext: 'pdf' },
};
const LIMITS = { image: 20 * MB, document: 20 * MB, video: 500 * MB };

const properties: INodeProperties[] = [
	{
		displayName: 'Input Binary Field',
		name: 'binaryPropertyName',
		type: 'string',
		default: 'data',
		required: true,
		hint: 'The name of the input binary field containing the file to upload',
		description: 'Binary property of the input item with the image, MP4 video or PDF (e.g. from Read/Write Files from Disk or HTTP Request)',
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			{ displayName: 'File Name', name: 'fileName', type: 'string', default: '', description: 'Name to store the file under, instead of the binary\'s own' },
			{
				displayName: 'MIME Type',
				name: 'mimeType',
				type: 'string',
				default: '',
				placeholder: 'e.g. video/mp4',
				description: 'Use this MIME type when the previous node set a wrong or generic one',
			},
			{
				displayName: 'Timeout (Seconds)',
				name: 'timeout',
				type: 'number',
				typeOptions: { minValue: 10, maxValue: 7200 },
				default: 600,
				description: 'Time allowed for sending the file. Raise it for large videos on slow connections.',
			},
		],
	},
];

export const description = updateDisplayOptions({ show: { resource: ['media'], operation: ['upload'] } }, properties);

export interface MediaPlan {
	contentType: string;
	kind: 'image' | 'video' | 'document';
	fileName: string;
	size: number;
}

const EXTENSIONS: Record<string, string> = { jpg: 'image/jpeg', jpeg: 'image/jpeg', png: 'image/png', gif: 'image/gif', webp: 'image/webp', heic: 'image/heic', heif: 'image/heif', mp4: 'video/mp4', m4v: 'video/mp4', pdf: 'application/pdf' };

/** Checks the file against §6.1 before anything is sent. */
export function planMedia(check: Checker, input: { mimeType?: string; fileName?: string; extension?: string; size: number; fileNameOverride?: unknown }): MediaPlan {
	const fileName = check.text('File Name', input.fileNameOverride, { max: 255 }) ?? input.fileName ?? '';
	let mime = (input.mimeType ?? '').toLowerCase().split(';')[0].trim();
	if (mime === 'image/jpg') mime = 'image/jpeg';
	if (!mime || mime === 'application/octet-stream') mime = EXTENSIONS[(input.extension || fileName.split('.').pop() || '').toLowerCase()] ?? mime;
	const type = TYPES[mime];
	if (!type) {
		check.fail('Input Binary Field', `the file's type ${mime ? `"${mime}"` : '(none)'} is not accepted by PostEverywhere`, `${Object.keys(TYPES).join(', ')}; set the MIME Type option if the previous node set a wrong one`);
	}
	if (input.size <= 0) check.fail('Input Binary Field', 'the file is empty (0 bytes)');
	const limit = LIMITS[type.kind];
	if (input.size > limit) {
		check.fail('Input Binary Field', `the file is ${formatSize(input.size)} (${input.size} bytes), over the ${limit / MB} MB limit for ${type.kind}s`, `${type.kind}s up to ${limit / MB} MB (${limit} bytes)`);
	}
	const name = (fileName || `upload.${type.ext}`).slice(0, 255);
	return { contentType: mime, kind: type.kind, fileName: name, size: input.size };
}

function mediaStatusOf(media: IDataObject): string {
	return String(media.status ?? media.upload_status ?? media.media_status ?? '');
}

/**
 * Step 1, which only reserves an upload slot (no file, nothing published). Its answer carries the
 * one-time upload URL, so after a lost answer the slot cannot be used: the library is read for a
 * slot this request left (newer than the newest file before, still uploading, same name and size),
 * which is deleted, and step 1 is sent once more. A lagging list can hide such a slot: it stays
 * empty and unusable, and never becomes a second file.
 */
async function requestSlot(ctx: IExecuteFunctions, plan: MediaPlan, itemIndex: number): Promise<IDataObject> {
	const call: HttpCall = { method: 'POST', path: '/media/upload', body: { filename: plan.fileName, content_type: plan.contentType, size: plan.size }, itemIndex };
	const newest = async () => entriesOf(await peRequest<unknown>(ctx, { method: 'GET', path: '/media', qs: { limit: 1 }, itemIndex }), 'media')[0];
	const before = await newest();
	const first = await attempt(async () => await peRequest(ctx, call));
	if ('value' in first) return first.value;
	if (!isLostAnswer(first.error)) throw first.error;
	const page = await tryRead(ctx, async () => await peRequest<unknown>(ctx, { method: 'GET', path: '/media', qs: { limit: 20 }, itemIndex }));
	const library = page === undefined ? [] : entriesOf(page, 'media');
	const beforeAt = library.findIndex((media) => before && mediaIdOf(media) === mediaIdOf(before));
	const newer = beforeAt < 0 ? (before ? [] : library) : library.slice(0, beforeAt);
	const left = newer.filter(
		(media) =>
			mediaStatusOf(media) === 'uploading' &&
			String(media.original_name ?? media.filename ?? '') === plan.fileName &&
			(media.file_size === undefined || media.file_size === null || Number(media.file_size) === plan.size),
	);
	for (const media of left) await tryRead(ctx, async () => await peRequest(ctx, { method: 'DELETE', path: `/media/${idPath(mediaIdOf(media))}`, itemIndex }));
	const second = await peRequest(ctx, call);
	return { ...second, recovered_after: describeFailure(first.error) };
}

function mediaIdOf(media: IDataObject): string {
	return String(media.media_id ?? media.id ?? '');
}

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<OperationResult> {
	const check = new Checker(this.getNode(), itemIndex);
	const { binary, options, timeout } = readUploadInput(this, check, itemIndex);
	const plan = planMedia(check, {
		mimeType: check.text('MIME Type', options.mimeType, { max: 200 }) ?? binary.mimeType,
		fileName: binary.fileName,
		extension: binary.fileExtension,
		size: await binarySize(this, binary),
		fileNameOverride: options.fileName,
	});

	// Step 1.
	const slot = await requestSlot(this, plan, itemIndex);
	const mediaId = String(slot.media_id ?? '');
	const method = (slot.upload_method ?? {}) as IDataObject;
	const verb = String(method.method ?? (plan.kind === 'image' ? 'POST' : 'PUT')).toUpperCase();
	if ((verb !== 'PUT' && verb !== 'POST') || typeof slot.upload_url !== 'string') {
		throw check.fail('Input Binary Field', `PostEverywhere asked for an upload this node does not know (${verb})`, 'PUT or multipart POST uploads');
	}

	// Step 2: streamed, without the API key.
	let body: Parameters<typeof sendPresigned>[1]['body'];
	if (verb === 'PUT') {
		body = {
			contentType: String(method.content_type ?? plan.contentType),
			contentLength: plan.size,
			open: async () =>
				isStored(binary) ? await openStoredStream(this, binary.id, (source) => exactChunks(source, plan.size)) : Buffer.from(binary.data, 'base64'),
		};
	} else {
		const frame = multipartFrameOf({
			fields: [],
			fileField: String(method.field_name ?? 'file'),
			fileName: plan.fileName,
			mimeType: plan.contentType,
			fileSize: plan.size,
			boundaryPrefix: 'n8nPostEverywhere',
		});
		body = {
			contentType: frame.contentType,
			contentLength: frame.contentLength,
			open: async () =>
				isStored(binary)
					? await openStoredStream(this, binary.id, (source) => multipartChunks(frame, source, plan.size))
					: multipartBuffer(frame, binary.data, plan.size),
		};
	}
	const headers = method.headers && typeof method.headers === 'object' ? (method.headers as Record<string, string>) : undefined;
	await sendPresigned(this, { method: verb, url: slot.upload_url, headers, body, timeoutMs: timeout * 1000, itemIndex, provider: 'PostEverywhere' });

	// Step 3: completing twice is refused or answered alike, so after a lost answer it may be sent once more.
	const path = `/media/${idPath(mediaId)}`;
	const call: HttpCall = { method: 'POST', path: `${path}/complete`, body: {}, itemIndex, repeatable: false };
	const { response, state, recoveredAfter } = await actOnState(
		this,
		{
			provider: postEverywhereProvider,
			noun: 'media',
			id: mediaId,
			checkWith: 'Media → Get',
			read: async () => await peRequest(this, { method: 'GET', path, itemIndex }),
			status: (media) => mediaStatusOf(media) || 'unknown',
		},
		{
			name: 'Complete Upload',
			itemIndex,
			call,
			send: async () => await peRequest(this, call),
			refusal: () => undefined,
			reached: (media) => !['uploading', ''].includes(mediaStatusOf(media)),
			expected: 'status ready or processing',
		},
	);
	const value: IDataObject = response ?? { ...state, media_id: mediaId, status: mediaStatusOf(state ?? {}) };
	const lost = [slot.recovered_after && `step 1: ${String(slot.recovered_after)}`, recoveredAfter && `step 3: ${recoveredAfter}`].filter(Boolean);
	if (lost.length) value.recovered_after = lost.join(', ');
	return value;
}
