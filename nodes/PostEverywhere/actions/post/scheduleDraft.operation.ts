import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { actOnState } from '../../../shared/actOnState';
import type { HttpCall } from '../../../shared/http';
import { locatorValue } from '../../../shared/locator';
import type { OperationResult } from '../../../shared/router';
import { Checker } from '../../../shared/validation';
import { readWaitSettings, waitProperties } from '../../../shared/waitParameters';
import { peRequest, postEverywhereProvider } from '../../transport';
import { accountIds, compact, dateTime, idPath, postLocator } from '../common';
import { postIdOf, publishWait, waitForPublish } from './common';

/**
 * Contract §4.8 `POST /posts/{post_id}/schedule`: publish a draft now or at a time. Only drafts can
 * be scheduled (409 otherwise). The post is read first; after a lost answer it is read again
 * (the engine's actOnState): the asked time (or publishing, for Publish Now) means it was taken; not a draft
 * before means PostEverywhere's own 409; still a draft after a few reads: sent once more (a second
 * one is refused with 409, so it cannot act twice).
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

/** "draft", "scheduled for 2026-12-02T09:00:00Z". */
export function describePost(post: IDataObject): string {
	const status = String(post.status ?? 'unknown');
	return status === 'scheduled' && post.scheduled_for ? `scheduled for ${String(post.scheduled_for)}` : status;
}

/** Whether the post shows what Schedule Draft asked: the same instant, or publishing has begun (Publish Now), and the asked accounts. */
export function reachedSchedule(post: IDataObject, body: IDataObject): boolean {
	const status = String(post.status ?? '');
	if (status === 'draft' || status === '') return false;
	if (body.scheduled_for) {
		if (Date.parse(String(post.scheduled_for ?? '')) !== Date.parse(String(body.scheduled_for))) return false;
	} else if (status === 'scheduled') {
		return false;
	}
	if (Array.isArray(body.account_ids) && Array.isArray(post.account_ids)) {
		const sorted = (ids: unknown[]) => ids.map(Number).sort((a, b) => a - b).join(',');
		if (sorted(body.account_ids) !== sorted(post.account_ids)) return false;
	}
	return true;
}

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
	const asked = body.scheduled_for ? `scheduled for ${String(body.scheduled_for)}` : 'publishing or published';
	const call: HttpCall = { method: 'POST', path: `${path}/schedule`, body, itemIndex, repeatable: false };
	// The post is read before; a lost answer is resolved from it and from what was asked (engine's actOnState).
	const { response, state, recoveredAfter } = await actOnState(
		this,
		{
			provider: postEverywhereProvider,
			noun: 'post',
			id: postId,
			checkWith: 'Post → Get',
			read: async () => await peRequest(this, { method: 'GET', path, itemIndex }),
			status: (post) => String(post.status ?? 'unknown'),
			describe: describePost,
		},
		{
			name: 'Schedule Draft',
			itemIndex,
			call,
			send: async () => await peRequest(this, call),
			refusal: (post) => (post.status === 'draft' ? undefined : { status: 409, code: 'conflict', message: `Only drafts can be scheduled; post ${postId} is ${describePost(post)}` }),
			reached: (post) => reachedSchedule(post, body),
			expected: asked,
		},
	);
	const value = response ?? { ...state, post_id: postIdOf(state ?? {}) || postId };
	const output: IDataObject = { ...value };
	if (recoveredAfter) output.recovered_after = recoveredAfter;
	if (when !== 'now' || !settings.wait) return output;
	return { ...output, ...(await waitForPublish(this, postId, settings, itemIndex)) };
}
