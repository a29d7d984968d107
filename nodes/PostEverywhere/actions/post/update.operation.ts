import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { locatorValue } from '../../../shared/locator';
import type { OperationResult } from '../../../shared/router';
import { Checker } from '../../../shared/validation';
import { accountIds, dateTime, idPath, mediaIds, postLocator } from '../common';
import { sendRepeatable } from '../lostAnswer';
import { readPlatformContent } from './platformContent';

/**
 * Contract §4.4 `PATCH /posts/{post_id}`: change a draft or scheduled post. Only the fields set are
 * sent; a published or publishing post answers 409.
 */
const properties: INodeProperties[] = [
	postLocator({}),
	{
		displayName: 'Update Fields',
		name: 'updateFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		options: [
			{
				displayName: 'Account IDs',
				name: 'accountIds',
				type: 'string',
				default: '',
				description: 'Comma-separated account IDs; replaces the targets (accounts already published to cannot be removed)',
			},
			{ displayName: 'Content', name: 'content', type: 'string', typeOptions: { rows: 4 }, default: '', description: 'New text' },
			{ displayName: 'Media IDs', name: 'mediaIds', type: 'string', default: '', description: 'Comma-separated media IDs; replaces the whole media set' },
			{ displayName: 'Platform Content (JSON)', name: 'platformContent', type: 'json', default: '{}', description: 'Per-platform overrides, as in Create' },
			{
				displayName: 'Scheduled For',
				name: 'scheduledFor',
				type: 'dateTime',
				default: '',
				description: 'New time (future); a time without an offset is read in the workflow\'s time zone',
			},
			{ displayName: 'Time Zone Label', name: 'timezone', type: 'string', default: '', description: 'IANA time zone stored for display' },
		],
	},
];

export const description = updateDisplayOptions({ show: { resource: ['post'], operation: ['update'] } }, properties);

export function buildPatch(ctx: IExecuteFunctions, check: Checker, fields: IDataObject): IDataObject {
	const body: IDataObject = {};
	if (fields.content !== undefined) body.content = check.requiredText('Content', fields.content, { max: 63206 });
	if (fields.accountIds !== undefined) body.account_ids = accountIds(check, 'Account IDs', fields.accountIds, { min: 1 });
	if (fields.mediaIds !== undefined) body.media_ids = mediaIds(check, 'Media IDs', fields.mediaIds);
	if (fields.platformContent !== undefined) {
		const platformContent = readPlatformContent(check, fields.platformContent);
		if (platformContent) body.platform_content = platformContent;
	}
	if (fields.scheduledFor !== undefined && fields.scheduledFor !== '') body.scheduled_for = dateTime(ctx, check, 'Scheduled For', fields.scheduledFor);
	if (fields.timezone) body.timezone = check.text('Time Zone Label', fields.timezone, { max: 64 });
	if (Object.keys(body).length === 0) check.fail('Update Fields', 'no field to change was set', 'at least one of Content, Account IDs, Media IDs, Platform Content, Scheduled For, Time Zone Label');
	return body;
}

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<OperationResult> {
	const check = new Checker(this.getNode(), itemIndex);
	const postId = locatorValue(this, 'postId', 'Post', itemIndex, { max: 100 });
	const body = buildPatch(this, check, this.getNodeParameter('updateFields', itemIndex, {}) as IDataObject);
	return await sendRepeatable(this, { method: 'PATCH', path: `/posts/${idPath(postId)}`, body, itemIndex });
}
