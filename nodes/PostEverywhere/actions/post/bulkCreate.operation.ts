import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import type { OperationResult } from '../../../shared/router';
import { Checker } from '../../../shared/validation';
import { attempt, describeFailure } from '../../../shared/actOnce';
import type { HttpCall } from '../../../shared/http';
import { failureError, sendRequest } from '../../../shared/http';
import { postEverywhereProvider, unwrap } from '../../transport';
import { accountIds, dateTime, jsonValue, mediaIds } from '../common';
import { isLostAnswer, outcomeUnknown } from '../lostAnswer';
import { postIdOf } from './common';
import { findCreatedPosts, newestPost } from './create.operation';
import { readPlatformContent } from './platformContent';

/**
 * Contract §4.9 `POST /posts/bulk`: up to 50 posts in one call (one rate-limit hit). Items are
 * validated and created independently: 201 all created, 207 some, 422 none. The answer is mapped
 * to one output item per post (`ok`, `post` or `error`). The POST is never resent: after a lost
 * answer the posts created since the newest one before are matched to the requested ones.
 */
const MAX = 50;

const properties: INodeProperties[] = [
	{
		displayName: 'Posts (JSON)',
		name: 'posts',
		type: 'json',
		default: '[\n  {"content": "First post", "account_ids": [2280], "scheduled_for": "2026-12-01T09:30"}\n]',
		required: true,
		description:
			'A JSON array of up to 50 posts, each like Post → Create\'s body: content, account_ids, scheduled_for (a time without an offset is read in the workflow\'s time zone), media_ids, platform_content, draft, use_queue, campaign_id, timezone',
	},
];

export const description = updateDisplayOptions({ show: { resource: ['post'], operation: ['bulkCreate'] } }, properties);

const FIELDS = ['content', 'account_ids', 'scheduled_for', 'timezone', 'media_ids', 'platform_content', 'draft', 'use_queue', 'campaign_id'];

/** Every post of the array checked before anything is sent; times converted to UTC. */
export function readBulkPosts(ctx: IExecuteFunctions, check: Checker, value: unknown): IDataObject[] {
	const parsed = jsonValue(check, 'Posts (JSON)', value);
	if (!Array.isArray(parsed)) check.fail('Posts (JSON)', 'must be a JSON array of posts', `1 to ${MAX} post objects`);
	if (parsed.length === 0 || parsed.length > MAX) check.fail('Posts (JSON)', `has ${parsed.length} posts`, `1 to ${MAX} posts per call`);
	return parsed.map((entry: unknown, index: number) => {
		const at = `Posts (JSON) → [${index}]`;
		if (!entry || typeof entry !== 'object' || Array.isArray(entry)) check.fail(at, 'is not an object', 'an object with content, account_ids, …');
		const post = entry as IDataObject;
		const unknown = Object.keys(post).filter((key) => !FIELDS.includes(key));
		if (unknown.length) check.fail(at, `"${unknown[0]}" is not a field of a post`, FIELDS.join(', '));
		const out: IDataObject = { ...post };
		const draft = post.draft === true;
		out.account_ids = accountIds(check, `${at}.account_ids`, post.account_ids, { min: draft ? 0 : 1 });
		if (post.content !== undefined) out.content = check.text(`${at}.content`, post.content, { max: 63206 });
		if (post.media_ids !== undefined) out.media_ids = mediaIds(check, `${at}.media_ids`, post.media_ids);
		if (post.platform_content !== undefined) out.platform_content = readPlatformContent(check, post.platform_content);
		if (post.scheduled_for !== undefined && post.scheduled_for !== null && post.scheduled_for !== '') {
			out.scheduled_for = dateTime(ctx, check, `${at}.scheduled_for`, post.scheduled_for);
		}
		for (const key of Object.keys(out)) if (out[key] === undefined) delete out[key];
		return out;
	});
}

/** One output item per post of the answer (`results[]`), in request order. */
export function perPost(body: IDataObject, httpStatus: number): IDataObject[] {
	const results = Array.isArray(body.results) ? (body.results as IDataObject[]) : [];
	return results.map((result) => ({ ...result, http_status: httpStatus, summary: body.summary }));
}

/**
 * After a lost answer (the bulk call is never resent): the posts created since the newest one before
 * it are matched one to one to the requested posts. Every post found: the outcome is known, one item
 * per post as a direct answer gives. Otherwise some may have been refused (422/207) or the list
 * lags: "Outcome unknown", naming the posts found and the rows not found.
 */
async function recoverBulk(ctx: IExecuteFunctions, call: HttpCall, posts: IDataObject[], before: IDataObject | undefined, lost: unknown): Promise<IDataObject[]> {
	const found = await findCreatedPosts(ctx, posts, before, call.itemIndex ?? 0);
	const recoveredAfter = describeFailure(lost);
	if (found.every((post) => post !== undefined)) {
		const summary = { total: posts.length, succeeded: posts.length, failed: 0 };
		return found.map((post, index) => ({ index, ok: true, post, http_status: null, summary, recovered_after: recoveredAfter }));
	}
	const made = found.flatMap((post, index) => (post ? [`row ${index} → post ${postIdOf(post)}`] : []));
	const missing = found.flatMap((post, index) => (post ? [] : [index]));
	throw outcomeUnknown(ctx, call, lost, {
		what: `Bulk Create of ${posts.length} post(s)`,
		seen: made.length
			? `the posts created since then match ${made.length} of them (${made.join(', ')}), not row(s) ${missing.join(', ')}`
			: 'no post created since then matches any of them',
		check: `Check Post → Get Many (Created After ${String(before?.created_at ?? 'the time of this run')}) for row(s) ${missing.join(', ')}: a row not there was refused or not processed; send only those again.`,
	});
}

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<OperationResult> {
	const check = new Checker(this.getNode(), itemIndex);
	const posts = readBulkPosts(this, check, this.getNodeParameter('posts', itemIndex));
	const call: HttpCall = { method: 'POST', path: '/posts/bulk', body: { posts }, itemIndex, acceptStatuses: [422], repeatable: false };
	const before = await newestPost(this, itemIndex);
	// The whole envelope: a 422 for the request as a whole has no per-post results, only an error.
	const sent = await attempt(async () => await sendRequest<unknown>(this, { ...postEverywhereProvider, unwrap: undefined }, call));
	if ('error' in sent) {
		if (!isLostAnswer(sent.error)) throw sent.error;
		return await recoverBulk(this, call, posts, before, sent.error);
	}
	const answer = sent.value;
	const body = unwrap(answer.body) as IDataObject | null;
	if (answer.status === 422 && !Array.isArray(body?.results)) {
		const apiError = postEverywhereProvider.readError(answer.body);
		throw failureError(this.getNode(), postEverywhereProvider, call, {
			kind: 'http',
			status: answer.status,
			code: apiError.code,
			apiMessage: apiError.message ?? 'Unprocessable request (no per-post results)',
			details: apiError.details,
			requestId: answer.requestId,
			ambiguous: false,
			notResent: false,
			attempts: answer.attempts,
		});
	}
	if (!body || !Array.isArray(body.results)) return body ?? {};
	return perPost(body, answer.status);
}
