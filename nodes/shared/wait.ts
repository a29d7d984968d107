import type { IDataObject, INode } from 'n8n-workflow';
import { NodeOperationError, sleep } from 'n8n-workflow';

/** Anything that can tell whether the current execution was cancelled. */
export interface CancellableContext {
	getNode(): INode;
	getExecutionCancelSignal?: () => AbortSignal | undefined;
}

/** Longest single sleep: a cancelled execution stops waiting within this time. */
const SLICE_MS = 200;

export function isCancelled(ctx: CancellableContext): boolean {
	return ctx.getExecutionCancelSignal?.()?.aborted === true;
}

export function cancelledError(ctx: CancellableContext, itemIndex?: number): NodeOperationError {
	return new NodeOperationError(ctx.getNode(), 'The execution was cancelled while waiting', {
		itemIndex,
		description: 'Nothing further was sent after the cancellation.',
	});
}

/**
 * Waits `ms` milliseconds with n8n-workflow's `sleep`, in short slices, and stops with an error as
 * soon as the execution is cancelled.
 */
export async function waitMs(ctx: CancellableContext, ms: number, itemIndex?: number): Promise<void> {
	const end = Date.now() + Math.max(0, ms);
	for (;;) {
		if (isCancelled(ctx)) throw cancelledError(ctx, itemIndex);
		const left = end - Date.now();
		if (left <= 0) return;
		await sleep(Math.min(left, SLICE_MS));
	}
}

export interface WaitForJobOptions<T> {
	/** Reads the job's current state (one request). */
	fetch: () => Promise<T>;
	/** True when the state will not change any more. */
	isFinal: (state: T) => boolean;
	/** Time between two reads. */
	intervalMs: number;
	/** Give up after this long (measured from the start of the wait). */
	timeoutMs: number;
	/** Wait before the first read (defaults to the interval). */
	firstDelayMs?: number;
	/** What is being waited for, for the timeout message ("caption generation 123"). */
	what: string;
	/** Product name for the timeout message ("PowerPost"). */
	provider: string;
	/** Short summary of a state for messages ("status processing"). */
	describe: (state: T) => string;
	itemIndex?: number;
}

export interface WaitResult<T> {
	state: T;
	polls: number;
	waitedMs: number;
}

/**
 * Polls a job until it reaches a final state, the timeout passes, or the execution is cancelled.
 * A timeout is an error that names the job, its last state and how to continue.
 */
export async function waitForJob<T>(ctx: CancellableContext, options: WaitForJobOptions<T>): Promise<WaitResult<T>> {
	const started = Date.now();
	const deadline = started + options.timeoutMs;
	let polls = 0;
	await waitMs(ctx, Math.min(options.firstDelayMs ?? options.intervalMs, options.timeoutMs), options.itemIndex);
	for (;;) {
		const state = await options.fetch();
		polls++;
		if (options.isFinal(state)) return { state, polls, waitedMs: Date.now() - started };
		const left = deadline - Date.now();
		if (left <= 0) {
			throw new NodeOperationError(
				ctx.getNode(),
				`Timed out after ${Math.round((Date.now() - started) / 1000)} s waiting for ${options.what} (${options.describe(state)})`,
				{
					itemIndex: options.itemIndex,
					description:
						`The job is still running at ${options.provider} and was not cancelled. Read it again later with the Get operation and its ID, or raise "Timeout" in the options.`,
				},
			);
		}
		await waitMs(ctx, Math.min(options.intervalMs, left), options.itemIndex);
	}
}

/** Small helper used by callers that need a plain object view of a state. */
export function asObject(value: unknown): IDataObject {
	return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as IDataObject) : {};
}
