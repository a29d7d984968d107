import type { IDataObject, IExecuteFunctions, NodeApiError } from 'n8n-workflow';

import { attempt, describeFailure, outcomeUnknownError } from '../../shared/actOnce';
import type { HttpCall } from '../../shared/http';
import { failureOf } from '../../shared/http';
import { peRequest } from '../transport';

/**
 * What the PostEverywhere node reports when the answer to a request that changes something is lost
 * (a dropped connection, a timeout, a 5xx after the server may have acted). The outcome follows from
 * what the resource was before this node acted and from what was asked:
 * - a definite success, when a read shows what was asked (and it was not so before);
 * - PostEverywhere's own error, when the state before made the request impossible;
 * - otherwise "Outcome unknown", naming the resource and what to check.
 * A request is sent a second time only when PostEverywhere refuses a second application itself
 * (scheduling a draft, completing an upload: the engine's `actOnState`), never a create.
 */

export { REREAD_DELAYS_MS, rereads, tryRead } from '../../shared/actOnState';

/** Whether an error is a lost answer (the server may have acted), as opposed to a direct refusal. */
export function isLostAnswer(error: unknown): boolean {
	return failureOf(error)?.ambiguous === true;
}

export interface Unknown {
	/** "Create post", "Bulk Create of 3 posts". */
	what: string;
	/** What the reads showed, if anything ("no new post matches it"). */
	seen?: string;
	/** What to check, and how ("Check Post → Get Many …"). */
	check: string;
}

/** An "Outcome unknown" error: no resend, what happened is not known, the message says what to check. */
export function outcomeUnknown(ctx: IExecuteFunctions, call: HttpCall, lost: unknown, unknown: Unknown): NodeApiError {
	const recoveredAfter = describeFailure(lost);
	const seen = unknown.seen ? ` and ${unknown.seen}` : '';
	const message = `Outcome unknown: ${unknown.what}. PostEverywhere's answer to ${call.method} ${call.path} was lost (${recoveredAfter})${seen}. ${unknown.check}`;
	const description =
		'The request was not sent again: PostEverywhere may have carried it out, and repeating it could act twice. ' +
		`${unknown.check} Run the node again only if it did not happen.`;
	return outcomeUnknownError(ctx.getNode(), lost, { message, description, itemIndex: call.itemIndex });
}

/** Sends a request that is never repeated; a lost answer becomes "Outcome unknown" with what to check. */
export async function sendOnce<T = IDataObject>(ctx: IExecuteFunctions, call: HttpCall, unknown: Unknown): Promise<T> {
	const sent = await attempt(async () => await peRequest<T>(ctx, { ...call, repeatable: false }));
	if ('value' in sent) return sent.value;
	if (!isLostAnswer(sent.error)) throw sent.error;
	throw outcomeUnknown(ctx, call, sent.error, unknown);
}

/**
 * A request that sending twice cannot change (PATCH, a dry run). The engine repeats it after a
 * dropped connection or a 5xx; an answer that is not JSON (a proxy's page, possibly after it took
 * effect) gets it sent once more here, so the user sees PostEverywhere's own answer.
 */
export async function sendRepeatable<T = IDataObject>(ctx: IExecuteFunctions, call: HttpCall): Promise<T> {
	const first = await attempt(async () => await peRequest<T>(ctx, call));
	if ('value' in first) return first.value;
	if (failureOf(first.error)?.kind !== 'not-json') throw first.error;
	return await peRequest<T>(ctx, call);
}
