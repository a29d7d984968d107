import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import type { StateAction, StateOutcome } from '../../../shared/actOnState';
import { actOnState } from '../../../shared/actOnState';
import { powerPostProvider, powerPostRequest } from '../../transport';
import { getPost } from './common';

export type { Refusal } from '../../../shared/actOnState';

/**
 * Publish, Schedule and Cancel Publish change a post's state with a POST that must take effect at
 * most once, and whose outcome must be reported exactly, also when its answer is lost. The engine's
 * act-once protocol (`actOnState`) does that: the post is read before the POST, and a lost answer is
 * resolved from the post before and after (PowerPost refuses a second application with 409).
 */

/** Publish, Schedule or Cancel Publish of one post: the engine's action, sent through PowerPost's transport. */
export type PostAction = Omit<StateAction, 'send'> & { postId: string };

/** PowerPost's answer to the POST (`response`), or the post as read (`post`) when the outcome was established by reading it. */
export type ActOutcome = Omit<StateOutcome, 'state'> & { post?: IDataObject };

/** "scheduled for 2026-12-02T09:00:00Z", "draft". */
function describePost(post: IDataObject): string {
	const status = String(post.status);
	return status === 'scheduled' && typeof post.scheduled_at === 'string' ? `scheduled for ${post.scheduled_at}` : status;
}

export async function actOnce(ctx: IExecuteFunctions, action: PostAction): Promise<ActOutcome> {
	const { postId, itemIndex, call } = action;
	const outcome = await actOnState(
		ctx,
		{
			provider: powerPostProvider,
			noun: 'post',
			id: postId,
			checkWith: 'Post → Get',
			read: async () => await getPost(ctx, postId, itemIndex),
			status: (post) => String(post.status),
			describe: describePost,
		},
		{ ...action, send: async () => await powerPostRequest(ctx, call) },
	);
	return { response: outcome.response, post: outcome.state, recoveredAfter: outcome.recoveredAfter };
}
