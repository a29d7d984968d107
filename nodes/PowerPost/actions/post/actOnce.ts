import type { IDataObject, IExecuteFunctions, JsonObject } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import type { Failure, HttpCall } from '../../../shared/http';
import { failureError, failureOf } from '../../../shared/http';
import { isCancelled, waitMs } from '../../../shared/wait';
import { powerPostProvider, powerPostRequest } from '../../transport';
import { attempt, describeFailure } from '../../../shared/actOnce';
import { getPost } from './common';

/**
 * Publish, Schedule and Cancel Publish change a post's state with a POST that must take effect at
 * most once, and whose outcome must be reported exactly, also when its answer is lost (a dropped
 * connection, a timeout, a 5xx after the server may have acted).
 *
 * The post is read before the POST. When the answer is lost, the outcome follows from what the
 * post was before this node acted and from what was asked:
 * - the post was in a state the action does not apply to: PowerPost refused it, so the node gives
 *   PowerPost's own error (same code, HTTP status and message shape as a direct answer);
 * - the post now shows what was asked (status, and the same `scheduled_at` as an instant): success;
 * - the post still shows the state before: a lagging read or nothing happened. It is read again a
 *   few times, then the POST is sent once more; PowerPost refuses a second application (409), so
 *   this cannot act twice. After a 409 the reads go on until they show the outcome (after another
 *   refusal, one more read decides whether the first POST took effect);
 * - nothing conclusive within the bounded reads: an "outcome unknown" error naming the post and what
 *   to check. Never a success that did not happen, never a failure for an action that did.
 */

/** Waits between the reads after a lost answer (about 5 s in all). */
export const REREAD_DELAYS_MS = [500, 1000, 1500, 2000];
/** Reads showing the old state before the POST is sent once more. */
const READS_BEFORE_RESEND = 3;

/** PowerPost's answer for a request it refuses: what a direct answer would have carried. */
export interface Refusal {
	status: number;
	code: string;
	message: string;
}

export interface PostAction {
	/** For messages: "Publish", "Schedule", "Cancel Publish". */
	name: string;
	postId: string;
	itemIndex: number;
	/** The POST, without sending it (for errors built from it). */
	call: HttpCall;
	/** PowerPost's refusal for a post in this state, or undefined when the action applies to it. */
	refusal: (post: IDataObject) => Refusal | undefined;
	/** True when the post shows what was asked. */
	reached: (post: IDataObject) => boolean;
	/** What a successful outcome looks like on the post, for the "outcome unknown" message ("status scheduled for …"). */
	expected: string;
}

export interface ActOutcome {
	/** PowerPost's answer to the POST, when one came. */
	response?: IDataObject;
	/** The post as read, when the outcome was established by reading it. */
	post?: IDataObject;
	/** After what the first answer was lost ("http-502", "network", "timeout"). */
	recoveredAfter?: string;
}

export async function actOnce(ctx: IExecuteFunctions, action: PostAction): Promise<ActOutcome> {
	const before = await readPost(ctx, action);
	const send = async () => await powerPostRequest(ctx, action.call);
	const first = await attempt(send);
	if ('value' in first) return { response: first.value };
	if (!failureOf(first.error)?.ambiguous) throw first.error;
	return await resolveLostAnswer(ctx, action, before, first.error, send);
}

async function resolveLostAnswer(
	ctx: IExecuteFunctions,
	action: PostAction,
	before: IDataObject | undefined,
	lost: unknown,
	send: () => Promise<IDataObject>,
): Promise<ActOutcome> {
	const recoveredAfter = describeFailure(lost);
	const refusedBefore = before && action.refusal(before);
	if (refusedBefore) throw refusedError(ctx, action, refusedBefore, `was ${describePost(before)} before this node acted`, recoveredAfter);

	let resent = false;
	let last: IDataObject | undefined;
	for (let read = 0; read <= REREAD_DELAYS_MS.length; read++) {
		if (read > 0) await waitMs(ctx, REREAD_DELAYS_MS[read - 1], action.itemIndex);
		const post = await readPost(ctx, action);
		if (!post) continue;
		last = post;
		if (action.reached(post)) {
			// Without the state before, "already so before this node acted" cannot be ruled out.
			if (!before) break;
			return { post, recoveredAfter };
		}
		const refusedNow = action.refusal(post);
		// Neither what was asked nor the state before: the action did not take effect, and PowerPost
		// refuses it for the state the post is in now.
		if (refusedNow) throw refusedError(ctx, action, refusedNow, `was ${describePost(before)} before this node acted and is now ${describePost(post)}`, recoveredAfter);
		if (resent || read + 1 < READS_BEFORE_RESEND) continue;
		resent = true;
		const second = await attempt(send);
		if ('value' in second) return { response: second.value, recoveredAfter };
		const failure = failureOf(second.error);
		// Lost again, or refused because the post has moved on (the first POST took effect and the
		// reads lag): the reads decide.
		if (failure?.ambiguous || failure?.status === 409) continue;
		// Another refusal (a server may answer a state conflict with 400): one more read tells whether
		// the first POST took effect after all; if not, the refusal is the answer.
		const check = await readPost(ctx, action);
		if (check && action.reached(check)) return { post: check, recoveredAfter };
		throw second.error;
	}
	throw outcomeUnknown(ctx, action, last, before, lost, recoveredAfter);
}

/** The post, or undefined when it cannot be read (the outcome is then decided without it). */
async function readPost(ctx: IExecuteFunctions, action: PostAction): Promise<IDataObject | undefined> {
	const read = await attempt(async () => await getPost(ctx, action.postId, action.itemIndex));
	if ('value' in read) return read.value;
	if (isCancelled(ctx)) throw read.error;
	return undefined;
}

function lostWhat(action: PostAction, recoveredAfter: string): string {
	return `PowerPost's answer to ${action.call.method} ${action.call.path} was lost (${recoveredAfter})`;
}

/** "scheduled for 2026-12-02T09:00:00Z", "draft". */
function describePost(post: IDataObject | undefined): string {
	if (!post) return 'unknown (it could not be read)';
	const status = String(post.status);
	return status === 'scheduled' && typeof post.scheduled_at === 'string' ? `scheduled for ${post.scheduled_at}` : status;
}

/** PowerPost's own refusal, established from the post's state: the error a direct answer gives. */
function refusedError(ctx: IExecuteFunctions, action: PostAction, refusal: Refusal, postWas: string, recoveredAfter: string): NodeApiError {
	const failure: Failure = {
		kind: 'http',
		status: refusal.status,
		code: refusal.code,
		apiMessage: refusal.message,
		ambiguous: false,
		notResent: false,
		attempts: 1,
	};
	const error = failureError(ctx.getNode(), powerPostProvider, { ...action.call, itemIndex: action.itemIndex }, failure);
	error.description = `${error.description ?? ''} ${lostWhat(action, recoveredAfter)}. The post ${postWas}, a state PowerPost refuses this request for: nothing was changed.`.trim();
	return error;
}

function outcomeUnknown(
	ctx: IExecuteFunctions,
	action: PostAction,
	last: IDataObject | undefined,
	before: IDataObject | undefined,
	lost: unknown,
	recoveredAfter: string,
): NodeApiError {
	const seen = last ? `the post reads as ${describePost(last)}` : 'the post could not be read';
	const message = `Outcome unknown: ${action.name} of post ${action.postId}. ${lostWhat(action, recoveredAfter)} and ${seen}. Check the post with Post → Get: ${action.expected} means it worked.`;
	const totalSeconds = Math.round(REREAD_DELAYS_MS.reduce((sum, ms) => sum + ms, 0) / 1000);
	const description = before
		? `The post was ${describePost(before)} before this node acted. It was read ${REREAD_DELAYS_MS.length + 1} times over about ${totalSeconds} s without showing the outcome. Check it before running the node again: if it is still ${String(before.status)}, running the node again is safe.`
		: 'The post could not be read before this node acted, so it cannot be told whether it was already so. Check the post before running the node again.';
	const error = new NodeApiError(ctx.getNode(), { message, code: 'OUTCOME_UNKNOWN' } as JsonObject, { message, description, itemIndex: action.itemIndex });
	const failure = failureOf(lost);
	error.context.failure = {
		kind: failure?.kind ?? 'network',
		status: failure?.status ?? null,
		code: 'OUTCOME_UNKNOWN',
		requestId: failure?.requestId ?? null,
		ambiguous: true,
		notResent: true,
		attempts: failure?.attempts ?? 1,
		postId: action.postId,
		postStatus: last ? String(last.status) : null,
	};
	return error;
}
