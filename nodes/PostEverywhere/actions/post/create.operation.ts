import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { actOnce } from '../../../shared/actOnce';
import type { OperationResult } from '../../../shared/router';
import { Checker } from '../../../shared/validation';
import { waitMs } from '../../../shared/wait';
import { readWaitSettings, waitProperties } from '../../../shared/waitParameters';
import { peRequest } from '../../transport';
import { accountIds, compact, dateTime, entriesOf, mediaIds, numericId } from '../common';
import { postIdOf, publishWait, waitForPublish } from './common';
import { readPlatformContent } from './platformContent';

/**
 * Contract §4.1 `POST /posts`: publish now, schedule, add to the queue, or save a draft. Publishing
 * now can wait for the result of every account (§14). The POST is sent at most once in effect:
 * the newest post is noted before sending; after a lost answer the posts created since are read
 * (§4.2 `created_after`), and only a post that is not among them is sent again.
 */
const MODES = ['publishNow', 'schedule', 'queue', 'draft'] as const;
const WAIT = publishWait('create', { mode: ['publishNow'] });

const properties: INodeProperties[] = [
	{
		displayName: 'Mode',
		name: 'mode',
		type: 'options',
		default: 'publishNow',
		options: [
			{ name: 'Publish Now', value: 'publishNow', description: 'Start publishing to every account at once' },
			{ name: 'Schedule', value: 'schedule', description: 'Publish at a future time' },
			{ name: 'Add to Queue', value: 'queue', description: 'Publish in the next free slot of the posting queue' },
			{ name: 'Save as Draft', value: 'draft', description: 'Keep it unpublished; publish later with Post → Schedule Draft' },
		],
	},
	{
		displayName: 'Account Names or IDs',
		name: 'accountIds',
		type: 'multiOptions',
		typeOptions: { loadOptionsMethod: 'getAccounts' },
		default: [],
		description:
			'The connected accounts to post to (IDs are numbers, e.g. 2280). Required unless saving a draft. Choose from the list, or specify IDs using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
	},
	{
		displayName: 'Content',
		name: 'content',
		type: 'string',
		typeOptions: { rows: 4 },
		default: '',
		description: 'The post text (X allows 280 characters, Instagram 2,200). Per-platform texts go in Platform Content.',
	},
	{
		displayName: 'Scheduled For',
		name: 'scheduledFor',
		type: 'dateTime',
		default: '',
		required: true,
		displayOptions: { show: { mode: ['schedule'] } },
		description: 'When to publish. A time without an offset is read in the workflow\'s time zone and sent in UTC.',
	},
	{
		displayName: 'Media IDs',
		name: 'mediaIds',
		type: 'string',
		default: '',
		placeholder: 'e.g. {{ $json.media_id }}',
		description: 'Comma-separated media IDs from Media → Upload, Upload From URL or AI → Generate Image',
	},
	{
		displayName: 'Additional Fields',
		name: 'additionalFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		options: [
			{
				displayName: 'Campaign ID',
				name: 'campaignId',
				type: 'number',
				default: 0,
				description: 'Tag the post with a campaign (its numeric ID)',
			},
			{
				displayName: 'Platform Content (JSON)',
				name: 'platformContent',
				type: 'json',
				default: '{}',
				description:
					'Per-platform overrides, e.g. {"x": {"content": "Short version"}, "youtube": {"settings": {"title": "My video", "privacyStatus": "unlisted"}}, "instagram": {"contentType": "Reels"}}',
			},
			{
				displayName: 'Time Zone Label',
				name: 'timezone',
				type: 'string',
				default: '',
				placeholder: 'e.g. Europe/Berlin',
				description: 'IANA time zone stored with the post for display; it does not change when the post is published',
			},
		],
	},
	...waitProperties(WAIT),
];

export const description = updateDisplayOptions({ show: { resource: ['post'], operation: ['create'] } }, properties);

/** The request body of one item, checked before anything is sent. */
export function buildCreateBody(ctx: IExecuteFunctions, check: Checker, itemIndex: number): IDataObject {
	const mode = check.oneOf('Mode', ctx.getNodeParameter('mode', itemIndex, 'publishNow'), MODES);
	const accounts = accountIds(check, 'Account Names or IDs', ctx.getNodeParameter('accountIds', itemIndex, []), { min: mode === 'draft' ? 0 : 1 });
	const content = check.text('Content', ctx.getNodeParameter('content', itemIndex, ''), { max: 63206 });
	const media = mediaIds(check, 'Media IDs', ctx.getNodeParameter('mediaIds', itemIndex, ''));
	const extra = ctx.getNodeParameter('additionalFields', itemIndex, {}) as IDataObject;
	const platformContent = readPlatformContent(check, extra.platformContent);
	if (!content && media.length === 0 && !platformContent) {
		check.fail('Content', 'is empty, and there are no media or platform content', 'a text, media IDs, or Platform Content');
	}
	const body: IDataObject = { content, account_ids: accounts, media_ids: media, platform_content: platformContent };
	if (mode === 'schedule') body.scheduled_for = dateTime(ctx, check, 'Scheduled For', ctx.getNodeParameter('scheduledFor', itemIndex, ''));
	if (mode === 'queue') body.use_queue = true;
	if (mode === 'draft') body.draft = true;
	if (extra.campaignId !== undefined && extra.campaignId !== 0 && extra.campaignId !== '') body.campaign_id = numericId(check, 'Campaign ID', extra.campaignId);
	if (extra.timezone) body.timezone = check.text('Time Zone Label', extra.timezone, { max: 64 });
	return compact(body);
}

/** Whether a listed post is the one this body would have created. */
export function sameAsRequested(post: IDataObject, body: IDataObject): boolean {
	const sameList = (a: unknown, b: unknown) => JSON.stringify([...((a as unknown[]) ?? [])].map(String).sort()) === JSON.stringify([...((b as unknown[]) ?? [])].map(String).sort());
	if (String(post.content ?? '') !== String(body.content ?? '')) return false;
	if (!sameList(post.account_ids, body.account_ids)) return false;
	if (!sameList(post.media_ids, body.media_ids)) return false;
	if (body.draft === true && post.status !== 'draft') return false;
	if (body.scheduled_for) {
		const asked = Date.parse(String(body.scheduled_for));
		if (Date.parse(String(post.scheduled_for ?? '')) !== asked) return false;
	}
	return true;
}

/** The newest post before this create (server values: its id and `created_at`), the reference for finding ours after a lost answer. */
async function newestPost(ctx: IExecuteFunctions, itemIndex: number): Promise<IDataObject | undefined> {
	const page = await peRequest<unknown>(ctx, { method: 'GET', path: '/posts', qs: { sort: 'created_at', order: 'desc', limit: 1 }, itemIndex });
	return entriesOf(page, 'posts')[0];
}

/**
 * After a lost answer: the post this create made, if it took effect. Only posts created at or after
 * the newest one before the create are candidates (compared as the server's own values, never with
 * n8n's clock); two reads, a second apart, for a list that lags.
 */
async function findCreated(ctx: IExecuteFunctions, body: IDataObject, before: IDataObject | undefined, itemIndex: number): Promise<IDataObject | undefined> {
	const qs: IDataObject = { sort: 'created_at', order: 'desc', limit: 100 };
	if (before?.created_at) qs.created_after = before.created_at;
	const beforeId = before ? String(before.post_id ?? before.id) : undefined;
	for (let read = 0; read < 2; read++) {
		if (read > 0) await waitMs(ctx, 1000, itemIndex);
		const page = await peRequest<unknown>(ctx, { method: 'GET', path: '/posts', qs, itemIndex });
		const found = entriesOf(page, 'posts').find((post) => String(post.post_id ?? post.id) !== beforeId && sameAsRequested(post, body));
		if (found) return found;
	}
	return undefined;
}

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<OperationResult> {
	const check = new Checker(this.getNode(), itemIndex);
	const body = buildCreateBody(this, check, itemIndex);
	const publishNow = !body.scheduled_for && !body.use_queue && !body.draft;
	const settings = readWaitSettings(this, itemIndex, check, WAIT);

	const before = await newestPost(this, itemIndex);
	const { value: created, recoveredAfter } = await actOnce<IDataObject>({
		send: async () => await peRequest(this, { method: 'POST', path: '/posts', body, itemIndex }),
		recover: async () => {
			const found = await findCreated(this, body, before, itemIndex);
			return found ? { done: found } : 'resend';
		},
	});
	const output: IDataObject = { ...created };
	if (recoveredAfter) output.recovered_after = recoveredAfter;
	if (!publishNow || !settings.wait) return output;
	return { ...output, ...(await waitForPublish(this, postIdOf(created), settings, itemIndex)) };
}
