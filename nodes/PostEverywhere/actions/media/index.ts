import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { returnAllProperties } from '../../../shared/list';
import { locatorValue } from '../../../shared/locator';
import type { Operation, OperationResult, Resource } from '../../../shared/router';
import { Checker } from '../../../shared/validation';
import { peRequest } from '../../transport';
import { compact, deleteExisting, idPath, mediaLocator, offsetList } from '../common';
import * as upload from './upload.operation';
import * as uploadFromUrl from './uploadFromUrl.operation';

/** Contract §6: upload (three steps), upload from URL, the library (`GET /media`, offset pages), get, delete. */
const TYPES = ['image', 'video', 'document'] as const;

const getMany: Operation = {
	description: [
		...returnAllProperties.map((property) => ({ ...property, displayOptions: { show: { resource: ['media'], operation: ['getMany'], ...property.displayOptions?.show } } })),
		{
			displayName: 'Type',
			name: 'type',
			type: 'options',
			default: '',
			displayOptions: { show: { resource: ['media'], operation: ['getMany'] } },
			options: [
				{ name: 'All', value: '' },
				{ name: 'Document', value: 'document' },
				{ name: 'Image', value: 'image' },
				{ name: 'Video', value: 'video' },
			],
			description: 'Only files of this type',
		},
	],
	async execute(this: IExecuteFunctions, itemIndex: number): Promise<OperationResult> {
		const check = new Checker(this.getNode(), itemIndex);
		const type = this.getNodeParameter('type', itemIndex, '');
		const qs = compact({ type: type === '' ? undefined : check.oneOf('Type', type, TYPES) });
		return await offsetList(this, check, itemIndex, { path: '/media', key: 'media', qs });
	},
};

const get: Operation = {
	description: [mediaLocator({ resource: ['media'], operation: ['get'] })],
	async execute(this: IExecuteFunctions, itemIndex: number): Promise<OperationResult> {
		const id = locatorValue(this, 'mediaId', 'Media', itemIndex, { max: 100 });
		return await peRequest(this, { method: 'GET', path: `/media/${idPath(id)}`, itemIndex });
	},
};

const del: Operation = {
	description: [
		mediaLocator({ resource: ['media'], operation: ['delete'] }),
		{
			displayName: 'Force',
			name: 'force',
			type: 'boolean',
			default: false,
			displayOptions: { show: { resource: ['media'], operation: ['delete'] } },
			description: 'Whether to delete the file even when scheduled posts use it',
		},
	],
	async execute(this: IExecuteFunctions, itemIndex: number): Promise<OperationResult> {
		const check = new Checker(this.getNode(), itemIndex);
		const id = locatorValue(this, 'mediaId', 'Media', itemIndex, { max: 100 });
		const force = check.boolean('Force', this.getNodeParameter('force', itemIndex, false));
		return await deleteExisting(this, `/media/${idPath(id)}`, { id }, itemIndex, force ? { force: true } : undefined);
	},
};

const operation: INodeProperties = {
	displayName: 'Operation',
	name: 'operation',
	type: 'options',
	noDataExpression: true,
	displayOptions: { show: { resource: ['media'] } },
	options: [
		{ name: 'Delete', value: 'delete', description: 'Delete a file from the media library. Docs: https://developers.posteverywhere.ai/api.', action: 'Delete a media file' },
		{ name: 'Get', value: 'get', description: 'Read a file\'s details and status. Docs: https://developers.posteverywhere.ai/api.', action: 'Get a media file' },
		{ name: 'Get Many', value: 'getMany', description: 'List the media library, newest first. Docs: https://developers.posteverywhere.ai/api.', action: 'Get many media files' },
		{
			name: 'Upload',
			value: 'upload',
			description: 'Upload a binary image, MP4 video or PDF from a previous node (streamed; the key never goes to the storage host). Docs: https://developers.posteverywhere.ai/api.',
			action: 'Upload a file',
		},
		{
			name: 'Upload From URL',
			value: 'uploadFromUrl',
			description: 'Import an image (or MP4 video) from a public HTTPS URL, waiting until it is ready. Docs: https://developers.posteverywhere.ai/api.',
			action: 'Upload a file from a URL',
		},
	],
	default: 'upload',
};

export const media: Resource = {
	description: [operation, ...upload.description, ...uploadFromUrl.description, ...getMany.description, ...get.description, ...del.description],
	operations: { upload, uploadFromUrl, getMany, get, delete: del },
};
