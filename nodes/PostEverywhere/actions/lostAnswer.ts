import type { IDataObject, IExecuteFunctions, JsonObject } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import { attempt, describeFailure } from '../../shared/actOnce';
import type { Failure, HttpCall } from '../../shared/http';
import { failureError, failureOf } from '../../shared/http';
import { isCancelled, waitMs } from '../../shared/wait';
import { peRequest, postEverywhereProvider } from '../transport';

/**
 * What the PostEverywhere node reports when the answer to a request that changes something is lost
 * (a dropped connection, a timeout, a 5xx after the server may have acted). The outcome follows from
 * what the resource was before this node acted and from what was asked:
 * - a definite success, when a read shows what was asked (and it was not so before);
 * - PostEverywhere's own error, when the state before made the request impossible;
 * - otherwise "Outcome unknown", naming the resource and what to check.
 * A request is sent a second time only when PostEverywhere refuses a second application itself
 * (scheduling a draft: 409 once it is no longer a draft; completing an upload), never a create.
 */

/** Waits between the reads after a lost answer (about 5 s in all): a lagging read gets a few chances. */
export const REREAD_DELAYS_MS = [500, 1000, 1500, 2000];
/** Reads that show the old state before a request PostEverywhere refuses twice is sent once more. */
const READS_BEFORE_RESEND = 3;

/** The reads after a lost answer: `read` is called at once, then after each delay, until it says stop. */
export async function rereads(ctx: IExecuteFunctions, itemIndex: number, read: (index: number) => Promise<boolean>): Promise<void> {
	for (let index = 0; index <= REREAD_DELAYS_MS.length; index++) {
		if (index > 0) await waitMs(ctx, REREAD_DELAYS_MS[index - 1], itemIndex);
		if (await read(index)) return;
	}
}

/** A read that may fail (the outcome is then decided without it); a cancelled execution still stops. */
export async function tryRead<T>(ctx: IExecuteFunctions, read: () => Promise<T>): Promise<T | undefined> {
	const result = await attempt(read);
	if ('value' in result) return result.value;
	if (isCancelled(ctx)) throw result.error;
	return undefined;
}

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
	const error = new NodeApiError(ctx.getNode(), { message, code: 'OUTCOME_UNKNOWN' } as JsonObject, { message, description, itemIndex: call.itemIndex });
	const failure = failureOf(lost);
	error.context.failure = {
		kind: failure?.kind ?? 'network',
		status: failure?.status ?? null,
		code: 'OUTCOME_UNKNOWN',
		requestId: failure?.requestId ?? null,
		ambiguous: true,
		notResent: true,
		attempts: failure?.attempts ?? 1,
	};
	return error;
}

/** Sends a request that is never repeated; a lost answer becomes "Outcome unknown" with what to check. */
export async function sendOnce<T = IDataObject>(ctx: IExecuteFunctions, call: HttpCall, unknown: Unknown): Promise<T> {
	const sent = await attempt(async () => await peRequest<T>(ctx, { ...call, repeatable: false }));
	if ('value' in sent) return sent.value;
	if (!isLostAnswer(sent.error)) throw sent.error;
	throw outcomeUnknown(ctx, call, sent.error, unknown);
}

/** PostEverywhere's refusal for a resource in a given state: what a direct answer would carry. */
export interface Refusal {
	status: number;
	code: string;
	message: string;
}

/** PostEverywhere's own refusal, established from the state: the same error a direct answer gives. */
export function refusedError(ctx: IExecuteFunctions, call: HttpCall, refusal: Refusal, stateWas: string, lost: unknown): NodeApiError {
	const failure: Failure = { kind: 'http', status: refusal.status, code: refusal.code, apiMessage: refusal.message, ambiguous: false, notResent: false, attempts: 1 };
	const error = failureError(ctx.getNode(), postEverywhereProvider, call, failure);
	error.description =
		`${error.description ?? ''} PostEverywhere's answer to ${call.method} ${call.path} was lost (${describeFailure(lost)}). ${stateWas}, a state PostEverywhere refuses this request for: nothing was changed.`.trim();
	return error;
}

/** A request that moves a resource from one state to another, and that PostEverywhere refuses to apply twice. */
export interface Transition {
	/** "Schedule Draft of post 550e…" */
	what: string;
	call: HttpCall;
	/** Reads the resource now (undefined when it cannot be read). */
	read: () => Promise<IDataObject | undefined>;
	/** The resource before this node acted (undefined when it could not be read). */
	before: IDataObject | undefined;
	/** PostEverywhere's refusal for a resource in this state, or undefined when the request applies. */
	refusal: (state: IDataObject) => Refusal | undefined;
	/** True when the resource shows what was asked. */
	reached: (state: IDataObject) => boolean;
	/** "draft", "scheduled for 2026-12-02T09:00:00Z". */
	describe: (state: IDataObject) => string;
	/** What to check, and what means it worked ("Check the post with Post → Get: status scheduled for … means it worked."). */
	check: string;
}

export interface TransitionOutcome {
	/** PostEverywhere's answer, when one came. */
	response?: IDataObject;
	/** The resource as read, when the outcome was established by reading it. */
	state?: IDataObject;
	recoveredAfter?: string;
}

/**
 * Sends a transition once; after a lost answer decides from the state before and re-reads:
 * refused before → the API's error; reached → success; still as before after a few reads → sent
 * once more (PostEverywhere refuses a second application, so this cannot act twice; a refusal then
 * hands the decision back to the reads); nothing conclusive → "Outcome unknown".
 */
export async function transition(ctx: IExecuteFunctions, action: Transition): Promise<TransitionOutcome> {
	const send = async () => await peRequest(ctx, { ...action.call, repeatable: false });
	const first = await attempt(send);
	if ('value' in first) return { response: first.value };
	if (!isLostAnswer(first.error)) throw first.error;
	const lost = first.error;
	const recoveredAfter = describeFailure(lost);
	const refusedBefore = action.before && action.refusal(action.before);
	if (refusedBefore) throw refusedError(ctx, action.call, refusedBefore, `It was ${action.describe(action.before!)} before this node acted`, lost);

	let resent = false;
	let last: IDataObject | undefined;
	let outcome: TransitionOutcome | undefined;
	let refused: NodeApiError | undefined;
	await rereads(ctx, action.call.itemIndex ?? 0, async (index) => {
		const state = await action.read();
		if (!state) return false;
		last = state;
		if (action.reached(state)) {
			// Without the state before, "already so before this node acted" cannot be ruled out.
			if (action.before) outcome = { state, recoveredAfter };
			return true;
		}
		const refusedNow = action.refusal(state);
		if (refusedNow) {
			refused = refusedError(ctx, action.call, refusedNow, `It was ${action.before ? action.describe(action.before) : 'unknown'} before this node acted and is now ${action.describe(state)}`, lost);
			return true;
		}
		if (resent || index + 1 < READS_BEFORE_RESEND) return false;
		resent = true;
		const second = await attempt(send);
		if ('value' in second) {
			outcome = { response: second.value, recoveredAfter };
			return true;
		}
		const failure = failureOf(second.error);
		// Lost again, or refused because the resource has moved on (the first request took effect and
		// the reads lag): the reads decide.
		if (failure?.ambiguous || failure?.status === 409) return false;
		// Another refusal: one more read tells whether the first request took effect after all.
		const check = await action.read();
		if (check && action.reached(check)) outcome = { state: check, recoveredAfter };
		else refused = second.error as NodeApiError;
		return true;
	});
	if (outcome) return outcome;
	if (refused) throw refused;
	throw outcomeUnknown(ctx, action.call, lost, {
		what: action.what,
		seen: last ? `it reads as ${action.describe(last)}${action.before ? ` (before this node acted: ${action.describe(action.before)})` : ''}` : 'it could not be read',
		check: action.check,
	});
}
