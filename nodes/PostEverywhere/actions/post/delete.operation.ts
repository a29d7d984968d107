import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { locatorValue } from '../../../shared/locator';
import type { OperationResult } from '../../../shared/router';
import { deleteExisting, idPath, postLocator } from '../common';

/**
 * Contract §4.5 `DELETE /posts/{post_id}`: a draft or scheduled post and its destinations. With
 * "Delete on Platforms: X" (`delete_on_platforms=x`) a published post is also removed from X.
 */
const properties: INodeProperties[] = [
	postLocator({}),
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			{
				displayName: 'Delete on Platforms',
				name: 'deleteOnPlatforms',
				type: 'multiOptions',
				options: [{ name: 'X', value: 'x' }],
				default: [],
				description: 'Also delete the published copies on these platforms (PostEverywhere supports X)',
			},
		],
	},
];

export const description = updateDisplayOptions({ show: { resource: ['post'], operation: ['delete'] } }, properties);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<OperationResult> {
	const postId = locatorValue(this, 'postId', 'Post', itemIndex, { max: 100 });
	const options = this.getNodeParameter('options', itemIndex, {}) as IDataObject;
	const platforms = Array.isArray(options.deleteOnPlatforms) ? (options.deleteOnPlatforms as string[]) : [];
	const qs = platforms.length ? { delete_on_platforms: platforms.join(',') } : undefined;
	return await deleteExisting(this, `/posts/${idPath(postId)}`, { post_id: postId }, itemIndex, qs);
}
