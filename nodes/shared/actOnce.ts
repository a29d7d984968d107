import type { IDataObject, INode, JsonObject } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import { failureOf } from './http';

/**
 * The act-once protocol for a request that must not take effect twice (create, publish, schedule,
 * retry). When its answer is lost after the server may have acted (dropped connection, timeout,
 * 5xx), the state is read first: if it shows the action took effect, that is the result; if it
 * shows the action surely did not happen, the request is sent once more; otherwise the first
 * error is passed on (it says the request was not resent and what to check).
 *
 * For a request that changes a resource's state and that the API refuses a second time (409), the
 * stricter protocol is `actOnState` (./actOnState): read before, bounded re-reads, one resend.
 */

/** Runs a call and hands back its value or its error (so callers decide outside a catch block). */
export async function attempt<T>(call: () => Promise<T>): Promise<{ value: T } | { error: unknown }> {
	try {
		return { value: await call() };
	} catch (error) {
		return { error };
	}
}

/** How the first attempt of a non-repeatable request ended, when the server may have acted on it. */
export function describeFailure(error: unknown): string {
	const failure = failureOf(error);
	if (!failure) return 'error';
	if (failure.kind === 'http') return `http-${failure.status ?? 'error'}`;
	return failure.kind;
}

/**
 * The "Outcome unknown" error after a lost answer that could not be resolved: nothing was resent,
 * the message says what to check. Its context carries the lost answer's failure as code
 * OUTCOME_UNKNOWN, plus `extra` (the resource's id and status as last read, when known).
 */
export function outcomeUnknownError(
	node: INode,
	lost: unknown,
	text: { message: string; description: string; itemIndex?: number },
	extra: IDataObject = {},
): NodeApiError {
	const { message, description, itemIndex } = text;
	const error = new NodeApiError(node, { message, code: 'OUTCOME_UNKNOWN' } as JsonObject, { message, description, itemIndex });
	const failure = failureOf(lost);
	error.context.failure = {
		kind: failure?.kind ?? 'network',
		status: failure?.status ?? null,
		code: 'OUTCOME_UNKNOWN',
		requestId: failure?.requestId ?? null,
		ambiguous: true,
		notResent: true,
		attempts: failure?.attempts ?? 1,
		...extra,
	};
	return error;
}

export type Recovery<T> = { done: T } | 'resend' | 'unknown';

export async function actOnce<T>(options: {
	send: () => Promise<T>;
	/** Reads the state after a lost answer and says what happened. */
	recover: () => Promise<Recovery<T>>;
}): Promise<{ value: T; recoveredAfter?: string }> {
	const first = await attempt(options.send);
	if ('value' in first) return { value: first.value };
	if (!failureOf(first.error)?.ambiguous) throw first.error;
	const recoveredAfter = describeFailure(first.error);
	const state = await options.recover();
	if (state === 'unknown') throw first.error;
	if (state !== 'resend') return { value: state.done, recoveredAfter };
	const second = await options.send();
	return { value: second, recoveredAfter };
}
