import type { INodeProperties } from 'n8n-workflow';

import type { Resource } from '../../../shared/router';
import * as upload from './upload.operation';

const operation: INodeProperties = {
	displayName: 'Operation',
	name: 'operation',
	type: 'options',
	noDataExpression: true,
	displayOptions: { show: { resource: ['media'] } },
	options: [
		{
			name: 'Upload',
			value: 'upload',
			description:
				'Upload an image (JPEG, PNG, WebP, up to 10 MB) or video (MP4, MOV, WebM, up to 500 MB) from a binary field; outputs its media ID for captions, images, videos and posts. Docs: https://powerpost.ai/docs/api-reference/media-upload.',
			action: 'Upload a media file',
		},
	],
	default: 'upload',
};

export const media: Resource = {
	description: [operation, ...upload.description],
	operations: { upload },
};
