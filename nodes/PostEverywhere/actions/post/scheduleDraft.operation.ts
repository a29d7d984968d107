import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { actOnce } from '../../../shared/actOnce';
import { locatorValue } from '../../../shared/locator';
import type { OperationResult } from '../../../shared/router';
import { Checker } from '../../../shared/validation';
import { readWaitSettings, waitProperties } from '../../../shared/waitParameters';
import { peRequest } from '../../transport';
import { accountIds, compact, dateTime, idPath, postLocator } from '../common';
import { publishWait, waitForPublish } from './common';

/**
 * Contract §4.8 `POST /posts/{post_id}/schedule`: publish a draft now or at a time. Only drafts can
 * be scheduled (409 otherwise). After a lost answer the post is read first: no longer a draft means
 * the call was taken; still a draft means it was not, and it is sent once more.
 */
const WAIT = publishWait('scheduleDraft', { when: ['now'] });

const properties: INodeProperties[] = [
	postLocator({}, 'The draft post (`post_id`)'),
	{
		displayName: 'When',
		name: 'when',
		type: 'options',
		default: 'now',
		options: [
			{ name: 'Publish Now', value: 'now' },
			{ name: 'At a Time', value: 'at' },
		],
	},
	{
		displayName: 'Scheduled For',
		name: 'scheduledFor',
		type: 'dateTime',
		default: '',
		required: true,
		displayOptions: { show: { when: ['at'] } },
		description: 'When to publish; a time without an offset is read in the workflow\'s time zone',
	},
	{
		displayName: 'Account IDs',
		name: 'accountIds',
		type: 'string',
		default: '',
		description: 'Comma-separated account IDs to publish to instead of the draft\'s own',
	},
	...waitProperties(WAIT),
];

export const description = updateDisplayOptions({ show: { resource: ['post'], operation: ['scheduleDraft'] } }, properties);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<OperationResult> {
	const check = new Checker(this.getNode(), itemIndex);
	const postId = locatorValue(this, 'postId', 'Post', itemIndex, { max: 100 });
	const when = check.oneOf('When', this.getNodeParameter('when', itemIndex, 'now'), ['now', 'at']);
	const body = compact({
		publish_now: when === 'now' ? true : undefined,
		scheduled_for: when === 'at' ? dateTime(this, check, 'Scheduled For', this.getNodeParameter('scheduledFor', itemIndex, '')) : undefined,
		account_ids: accountIds(check, 'Account IDs', this.getNodeParameter('accountIds', itemIndex, '')),
	});
	const settings = readWaitSettings(this, itemIndex, check, WAIT);
	const path = `/posts/${idPath(postId)}`;

	const { value, recoveredAfter } = await actOnce<IDataObject>({
		send: async () => await peRequest(this, { method: 'POST', path: `${path}/schedule`, body, itemIndex }),
		recover: async () => {
			const post = await peRequest(this, { method: 'GET', path, itemIndex });
			return post.status === 'draft' ? 'resend' : { done: post };
		},
	});
	const output: IDataObject = { ...value };
	if (recoveredAfter) output.recovered_after = recoveredAfter;
	if (when !== 'now' || !settings.wait) return output;
	return { ...output, ...(await waitForPublish(this, postId, settings, itemIndex)) };
}
