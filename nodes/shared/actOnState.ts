import type { IDataObject, NodeApiError } from 'n8n-workflow';

import { attempt, describeFailure, outcomeUnknownError } from './actOnce';
import type { Failure, HttpCall, Provider } from './http';
import { failureError, failureOf } from './http';
import type { CancellableContext } from './wait';
import { isCancelled, waitMs } from './wait';

/**
 * The act-once protocol for a request that changes a resource's state (publish, schedule, cancel a
 * post), for APIs that refuse a second application with 409. Its outcome is reported exactly, also
 * when its answer is lost (a dropped connection, a timeout, a 5xx after the server may have acted).
 *
 * The resource is read before the request. When the answer is lost, the outcome follows from what
 * the resource was before this node acted and from what was asked:
 * - it was in a state the action does not apply to: the provider refused it, so the node gives the
 *   provider's own error (same code, HTTP status and message shape as a direct answer);
 * - it now shows what was asked: success;
 * - it still shows the state before: a lagging read or nothing happened. It is read again a few
 *   times, then the request is sent once more; the provider refuses a second application (409), so
 *   this cannot act twice. After a 409 the reads go on until they show the outcome (after another
 *   refusal, one more read decides whether the first request took effect);
 * - nothing conclusive within the bounded reads: an "outcome unknown" error naming the resource and
 *   what to check. Never a success that did not happen, never a failure for an action that did.
 */

/** Waits between the reads after a lost answer (about 5 s in all). */
export const REREAD_DELAYS_MS = [500, 1000, 1500, 2000];
/** Reads showing the old state before the request is sent once more. */
const READS_BEFORE_RESEND = 3;

/** The provider's answer for a request it refuses: what a direct answer would have carried. */
export interface Refusal {
	status: number;
	code: string;
	message: string;
}

/** The resource an action changes, and how to read and name it. */
export interface ActedResource {
	provider: Provider;
	/** For messages and the error context: "post" (context keys `postId`, `postStatus`). */
	noun: string;
	id: string;
	/** Where the user checks it: "Post → Get". */
	checkWith: string;
	/** Reads the resource (one request). */
	read: () => Promise<IDataObject>;
	/** Its status ("draft"). */
	status: (state: IDataObject) => string;
	/** Its state for messages ("scheduled for 2026-12-02T09:00:00Z"); the status by default. */
	describe?: (state: IDataObject) => string;
}

export interface StateAction {
	/** For messages: "Publish", "Schedule", "Cancel Publish". */
	name: string;
	itemIndex: number;
	/** The request, for messages and errors built from it. */
	call: HttpCall;
	/** Sends the request once. */
	send: () => Promise<IDataObject>;
	/** The provider's refusal for a resource in this state, or undefined when the action applies to it. */
	refusal: (state: IDataObject) => Refusal | undefined;
	/** True when the resource shows what was asked. */
	reached: (state: IDataObject) => boolean;
	/** What a successful outcome looks like on the resource, for the "outcome unknown" message ("status draft"). */
	expected: string;
}

export interface StateOutcome {
	/** The provider's answer to the request, when one came. */
	response?: IDataObject;
	/** The resource as read, when the outcome was established by reading it. */
	state?: IDataObject;
	/** After what the first answer was lost ("http-502", "network", "timeout"). */
	recoveredAfter?: string;
}

export async function actOnState(ctx: CancellableContext, resource: ActedResource, action: StateAction): Promise<StateOutcome> {
	const before = await tryRead(ctx, resource.read);
	const first = await attempt(action.send);
	if ('value' in first) return { response: first.value };
	if (!failureOf(first.error)?.ambiguous) throw first.error;
	return await new Run(ctx, resource, action).resolveLostAnswer(before, first.error);
}

/** The reads after a lost answer: `read` is called at once, then after each delay, until it says stop. */
export async function rereads(ctx: CancellableContext, itemIndex: number, read: (index: number) => Promise<boolean>): Promise<void> {
	for (let index = 0; index <= REREAD_DELAYS_MS.length; index++) {
		if (index > 0) await waitMs(ctx, REREAD_DELAYS_MS[index - 1], itemIndex);
		if (await read(index)) return;
	}
}

/** A read that may fail (the outcome is then decided without it); a cancelled execution still stops. */
export async function tryRead<T>(ctx: CancellableContext, read: () => Promise<T>): Promise<T | undefined> {
	const result = await attempt(read);
	if ('value' in result) return result.value;
	if (isCancelled(ctx)) throw result.error;
	return undefined;
}

class Run {
	constructor(
		private readonly ctx: CancellableContext,
		private readonly resource: ActedResource,
		private readonly action: StateAction,
	) {}

	async resolveLostAnswer(before: IDataObject | undefined, lost: unknown): Promise<StateOutcome> {
		const { action } = this;
		const recoveredAfter = describeFailure(lost);
		const refusedBefore = before && action.refusal(before);
		if (refusedBefore) throw this.refusedError(refusedBefore, `was ${this.describe(before)} before this node acted`, recoveredAfter);

		let resent = false;
		let last: IDataObject | undefined;
		let outcome: StateOutcome | undefined;
		let refused: unknown;
		await rereads(this.ctx, action.itemIndex, async (index) => {
			const state = await this.read();
			if (!state) return false;
			last = state;
			if (action.reached(state)) {
				// Without the state before, "already so before this node acted" cannot be ruled out.
				if (before) outcome = { state, recoveredAfter };
				return true;
			}
			const refusedNow = action.refusal(state);
			// Neither what was asked nor the state before: the action did not take effect, and the
			// provider refuses it for the state the resource is in now.
			if (refusedNow) {
				refused = this.refusedError(refusedNow, `was ${this.describe(before)} before this node acted and is now ${this.describe(state)}`, recoveredAfter);
				return true;
			}
			if (resent || index + 1 < READS_BEFORE_RESEND) return false;
			resent = true;
			const second = await attempt(action.send);
			if ('value' in second) {
				outcome = { response: second.value, recoveredAfter };
				return true;
			}
			const failure = failureOf(second.error);
			// Lost again, or refused because the resource has moved on (the first request took effect
			// and the reads lag): the reads decide.
			if (failure?.ambiguous || failure?.status === 409) return false;
			// Another refusal (a server may answer a state conflict with 400): one more read tells whether
			// the first request took effect after all; if not, the refusal is the answer.
			const check = await this.read();
			if (check && action.reached(check)) outcome = { state: check, recoveredAfter };
			else refused = second.error;
			return true;
		});
		if (outcome) return outcome;
		if (refused) throw refused;
		throw this.outcomeUnknown(last, before, lost, recoveredAfter);
	}

	/** The resource, or undefined when it cannot be read (the outcome is then decided without it). */
	async read(): Promise<IDataObject | undefined> {
		return await tryRead(this.ctx, this.resource.read);
	}

	private describe(state: IDataObject | undefined): string {
		if (!state) return 'unknown (it could not be read)';
		return (this.resource.describe ?? this.resource.status)(state);
	}

	private lostWhat(recoveredAfter: string): string {
		const { call } = this.action;
		return `${this.resource.provider.name}'s answer to ${call.method} ${call.path} was lost (${recoveredAfter})`;
	}

	/** The provider's own refusal, established from the resource's state: the error a direct answer gives. */
	private refusedError(refusal: Refusal, stateWas: string, recoveredAfter: string): NodeApiError {
		const { provider, noun } = this.resource;
		const failure: Failure = {
			kind: 'http',
			status: refusal.status,
			code: refusal.code,
			apiMessage: refusal.message,
			ambiguous: false,
			notResent: false,
			attempts: 1,
		};
		const error = failureError(this.ctx.getNode(), provider, { ...this.action.call, itemIndex: this.action.itemIndex }, failure);
		error.description =
			`${error.description ?? ''} ${this.lostWhat(recoveredAfter)}. The ${noun} ${stateWas}, a state ${provider.name} refuses this request for: nothing was changed.`.trim();
		return error;
	}

	private outcomeUnknown(last: IDataObject | undefined, before: IDataObject | undefined, lost: unknown, recoveredAfter: string): NodeApiError {
		const { action, resource } = this;
		const { noun, id } = resource;
		const seen = last ? `the ${noun} reads as ${this.describe(last)}` : `the ${noun} could not be read`;
		const message = `Outcome unknown: ${action.name} of ${noun} ${id}. ${this.lostWhat(recoveredAfter)} and ${seen}. Check the ${noun} with ${resource.checkWith}: ${action.expected} means it worked.`;
		const totalSeconds = Math.round(REREAD_DELAYS_MS.reduce((sum, ms) => sum + ms, 0) / 1000);
		const description = before
			? `The ${noun} was ${this.describe(before)} before this node acted. It was read ${REREAD_DELAYS_MS.length + 1} times over about ${totalSeconds} s without showing the outcome. Check it before running the node again: if it is still ${resource.status(before)}, running the node again is safe.`
			: `The ${noun} could not be read before this node acted, so it cannot be told whether it was already so. Check the ${noun} before running the node again.`;
		return outcomeUnknownError(this.ctx.getNode(), lost, { message, description, itemIndex: action.itemIndex }, {
			[`${noun}Id`]: id,
			[`${noun}Status`]: last ? resource.status(last) : null,
		});
	}
}
