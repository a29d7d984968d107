import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { attempt, describeFailure } from '../../../shared/actOnce';
import type { HttpCall } from '../../../shared/http';
import type { OperationResult } from '../../../shared/router';
import { Checker } from '../../../shared/validation';
import { readWaitSettings, waitProperties } from '../../../shared/waitParameters';
import { peRequest } from '../../transport';
import { accountIds, compact, dateTime, entriesOf, mediaIds, numericId } from '../common';
import { isLostAnswer, outcomeUnknown, REREAD_DELAYS_MS, rereads, tryRead } from '../lostAnswer';
import { postIdOf, publishWait, waitForPublish } from './common';
import { readPlatformContent } from './platformContent';

/**
 * Contract §4.1 `POST /posts`: publish now, schedule, add to the queue, or save a draft. Publishing
 * now can wait for the result of every account (§14). The POST is sent once: the newest post is
 * noted before sending; after a lost answer the posts created since are read (§4.2
 * `created_after`, a few times for a list that lags). The matching post is the result; none:
 * "Outcome unknown" with what to check. It is never sent a second time.
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

/** The newest post before a create (server values: its id and `created_at`), the reference for finding ours after a lost answer. */
export async function newestPost(ctx: IExecuteFunctions, itemIndex: number): Promise<IDataObject | undefined> {
	const page = await peRequest<unknown>(ctx, { method: 'GET', path: '/posts', qs: { sort: 'created_at', order: 'desc', limit: 1 }, itemIndex });
	return entriesOf(page, 'posts')[0];
}

/**
 * After a lost answer: the posts created since `before` (compared as the server's own values, never
 * with n8n's clock), newest first, the newest 100. `undefined` when the list cannot be read.
 */
export async function postsCreatedSince(ctx: IExecuteFunctions, before: IDataObject | undefined, itemIndex: number): Promise<IDataObject[] | undefined> {
	const qs: IDataObject = { sort: 'created_at', order: 'desc', limit: 100 };
	if (before?.created_at) qs.created_after = before.created_at;
	const beforeId = before ? postIdOf(before) : undefined;
	const page = await tryRead(ctx, async () => await peRequest<unknown>(ctx, { method: 'GET', path: '/posts', qs, itemIndex }));
	return page === undefined ? undefined : entriesOf(page, 'posts').filter((post) => postIdOf(post) !== beforeId);
}

/**
 * Finds, one to one, a new post for each requested body (bounded re-reads for a list that lags).
 * Returns the posts found (undefined where none matched) and the last list read.
 */
export async function findCreatedPosts(
	ctx: IExecuteFunctions,
	bodies: IDataObject[],
	before: IDataObject | undefined,
	itemIndex: number,
	same: (post: IDataObject, body: IDataObject) => boolean = sameAsRequested,
): Promise<Array<IDataObject | undefined>> {
	let found: Array<IDataObject | undefined> = bodies.map(() => undefined);
	await rereads(ctx, itemIndex, async () => {
		const posts = await postsCreatedSince(ctx, before, itemIndex);
		if (!posts) return false;
		const used = new Set<string>();
		// Oldest first: posts of one request are created in order.
		const oldestFirst = [...posts].reverse();
		found = bodies.map((body) => {
			const match = oldestFirst.find((post) => !used.has(postIdOf(post)) && same(post, body));
			if (match) used.add(postIdOf(match));
			return match;
		});
		return found.every((post) => post !== undefined);
	});
	return found;
}

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<OperationResult> {
	const check = new Checker(this.getNode(), itemIndex);
	const body = buildCreateBody(this, check, itemIndex);
	const publishNow = !body.scheduled_for && !body.use_queue && !body.draft;
	const settings = readWaitSettings(this, itemIndex, check, WAIT);

	const before = await newestPost(this, itemIndex);
	const call: HttpCall = { method: 'POST', path: '/posts', body, itemIndex, repeatable: false };
	const sent = await attempt(async () => await peRequest(this, call));
	let created: IDataObject;
	let recoveredAfter: string | undefined;
	if ('value' in sent) created = sent.value;
	else if (!isLostAnswer(sent.error)) throw sent.error;
	else {
		// The answer was lost: the post is looked for, never created a second time.
		const [found] = await findCreatedPosts(this, [body], before, itemIndex);
		if (!found) {
			throw outcomeUnknown(this, call, sent.error, {
				what: 'Create post',
				seen: `no post created since then matches it (the list was read ${REREAD_DELAYS_MS.length + 1} times)`,
				check: `Check Post → Get Many (Created After ${String(before?.created_at ?? 'the time of this run')}) for a post with this content${body.scheduled_for ? ` scheduled for ${String(body.scheduled_for)}` : ''}: if it is there, it was created.`,
			});
		}
		created = found;
		recoveredAfter = describeFailure(sent.error);
	}
	const output: IDataObject = { ...created };
	if (recoveredAfter) output.recovered_after = recoveredAfter;
	if (!publishNow || !settings.wait) return output;
	return { ...output, ...(await waitForPublish(this, postIdOf(created), settings, itemIndex)) };
}
