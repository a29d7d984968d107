import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { binarySize, isStored, openStoredStream, readUploadInput } from '../../../shared/binary';
import type { HttpCall } from '../../../shared/http';
import { Checker } from '../../../shared/validation';
import { powerPostRequest } from '../../transport';
import type { OperationResult } from '../../../shared/router';
import type { MediaKind } from './multipart';
import { formatSize, kindOf, multipartBuffer, multipartChunks, multipartFrame, resolveMimeType, UPLOAD_RULES } from './multipart';

/**
 * Contract §5: `POST /media/upload` (multipart fields `file` and `type`). The file comes from a
 * binary property of the input item. Type and size are checked before any byte is sent. A file
 * in n8n's binary store (filesystem/S3/database mode) is streamed, so memory stays bounded for a
 * 500 MB video; an in-memory file is decoded once into the request body.
 */
const show = { resource: ['media'], operation: ['upload'] };

export const description: INodeProperties[] = [
	{
		displayName: 'Input Binary Field',
		name: 'binaryPropertyName',
		type: 'string',
		default: 'data',
		required: true,
		displayOptions: { show },
		hint: 'The name of the input binary field containing the file to upload',
		description: 'Name of the binary property of the input item that holds the image or video (e.g. from Read/Write Files from Disk or HTTP Request)',
	},
	{
		displayName: 'Media Type',
		name: 'mediaType',
		type: 'options',
		default: 'auto',
		displayOptions: { show },
		options: [
			{ name: 'Auto (From MIME Type)', value: 'auto', description: 'A file of type image/* uploads as an image, video/* as a video' },
			{ name: 'Image', value: 'image', description: 'JPEG, PNG or WebP, at most 10 MB' },
			{ name: 'Video', value: 'video', description: 'MP4, MOV or WebM, at most 500 MB' },
		],
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions: { show },
		options: [
			{
				displayName: 'File Name',
				name: 'fileName',
				type: 'string',
				default: '',
				description: 'Name to store the file under, instead of the binary\'s own file name',
			},
			{
				displayName: 'MIME Type',
				name: 'mimeType',
				type: 'string',
				default: '',
				placeholder: 'e.g. video/mp4',
				description: 'Use this MIME type instead of the binary\'s own, when the previous node set a wrong or generic one',
			},
			{
				displayName: 'Timeout (Seconds)',
				name: 'timeout',
				type: 'number',
				typeOptions: { minValue: 10, maxValue: 7200 },
				default: 600,
				description: 'Time allowed for sending the file and PowerPost\'s answer. Raise it for large videos on slow connections.',
			},
		],
	},
];

export interface UploadPlan {
	type: MediaKind;
	mimeType: string;
	fileName: string;
	fileSize: number;
}

/** Checks type and size against contract §5 before anything is sent. */
export function planUpload(
	check: Checker,
	input: { mediaType: unknown; declaredMime?: string; fileName?: string; extension?: string; fileSize: number; fileNameOverride?: unknown },
): UploadPlan {
	const choice = check.oneOf('Media Type', input.mediaType, ['auto', 'image', 'video'] as const);
	const fileName = check.text('File Name', input.fileNameOverride, { max: 255 }) ?? input.fileName ?? '';
	const mimeType = resolveMimeType(input.declaredMime, fileName, input.extension);
	const type = choice === 'auto' ? kindOf(mimeType) : choice;
	if (!type) {
		check.fail(
			'Media Type',
			`cannot tell from the MIME type ${mimeType ? `"${mimeType}"` : '(none)'} whether the file is an image or a video`,
			`${UPLOAD_RULES.image.formats} images, ${UPLOAD_RULES.video.formats} videos; set the MIME type option if the previous node set a wrong one`,
		);
	}
	const rules = UPLOAD_RULES[type];
	if (!mimeType || !(rules.mimeTypes as readonly string[]).includes(mimeType)) {
		check.fail(
			choice === 'auto' ? 'Input Binary Field' : 'Media Type',
			`the file's MIME type ${mimeType ? `"${mimeType}"` : '(none)'} is not an accepted ${type} format`,
			`${rules.formats} (${rules.mimeTypes.join(', ')})`,
		);
	}
	if (input.fileSize <= 0) check.fail('Input Binary Field', 'the file is empty (0 bytes)', `a file of 1 byte up to ${rules.limit}`);
	if (input.fileSize > rules.maxBytes) {
		check.fail('Input Binary Field', `the file is ${formatSize(input.fileSize)}, over PowerPost's ${rules.limit} limit for ${type}s`, `${type}s up to ${rules.limit}`);
	}
	const extension = mimeType.split('/')[1] === 'quicktime' ? 'mov' : mimeType.split('/')[1].replace('jpeg', 'jpg');
	return { type, mimeType, fileName: fileName || `upload.${extension}`, fileSize: input.fileSize };
}

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<OperationResult> {
	const check = new Checker(this.getNode(), itemIndex);
	const { binary, options, timeout } = readUploadInput(this, check, itemIndex);

	// Size first (from the binary store's metadata when the file is stored by ID), then the checks.
	const fileSize = await binarySize(this, binary);
	const plan = planUpload(check, {
		mediaType: this.getNodeParameter('mediaType', itemIndex, 'auto'),
		declaredMime: check.text('MIME Type', options.mimeType, { max: 200 }) ?? binary.mimeType,
		fileName: binary.fileName,
		extension: binary.fileExtension,
		fileSize,
		fileNameOverride: options.fileName,
	});
	const frame = multipartFrame(plan);

	let open: NonNullable<HttpCall['stream']>['open'];
	if (isStored(binary)) {
		const id = binary.id;
		open = async () => await openStoredStream(this, id, (source) => multipartChunks(frame, source, plan.fileSize));
	} else {
		let body: Buffer | undefined;
		open = async () => (body ??= multipartBuffer(frame, binary.data, plan.fileSize));
	}

	return await powerPostRequest(this, {
		method: 'POST',
		path: '/media/upload',
		stream: { open, contentType: frame.contentType, contentLength: frame.contentLength },
		timeoutMs: timeout * 1000,
		itemIndex,
	});
}
