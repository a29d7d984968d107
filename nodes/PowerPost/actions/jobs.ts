import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { Checker } from '../../shared/validation';
import { waitForJob } from '../../shared/wait';
import { powerPostRequest } from '../transport';

/**
 * What the asynchronous generation jobs (captions §6, images §7, videos §8) have in common: the
 * "Wait for Completion" parameters, polling the job until it is final, and a failed job as an error.
 */

export interface WaitDefaults {
	/** Resource value the parameters are shown for. */
	resource: string;
	operation: string;
	intervalSeconds: number;
	timeoutSeconds: number;
	/** Wait before the first poll (contract §6.4: about 2 s for captions). */
	firstDelaySeconds?: number;
	/** What is waited for, in the parameter descriptions ("the captions"). */
	noun: string;
}

/** "Wait for Completion" and its "Wait Options" collection for one operation. */
export function waitProperties(defaults: WaitDefaults): INodeProperties[] {
	const show = { resource: [defaults.resource], operation: [defaults.operation] };
	return [
		{
			displayName: 'Wait for Completion',
			name: 'waitForCompletion',
			type: 'boolean',
			default: true,
			displayOptions: { show },
			description: `Whether to poll PowerPost until ${defaults.noun} are ready and output the finished result. When off, the node outputs the job ID at once; read it later with the Get operation.`,
		},
		{
			displayName: 'Wait Options',
			name: 'waitOptions',
			type: 'collection',
			placeholder: 'Add Option',
			default: {},
			displayOptions: { show: { ...show, waitForCompletion: [true] } },
			options: [
				{
					displayName: 'Poll Interval (Seconds)',
					name: 'pollInterval',
					type: 'number',
					typeOptions: { minValue: 1, maxValue: 300 },
					default: defaults.intervalSeconds,
					description: 'Time between two status checks',
				},
				{
					displayName: 'Timeout (Seconds)',
					name: 'timeout',
					type: 'number',
					typeOptions: { minValue: 1, maxValue: 3600 },
					default: defaults.timeoutSeconds,
					description: 'Give up waiting after this long. The job keeps running at PowerPost; read it later with the Get operation.',
				},
			],
		},
	];
}

export interface WaitSettings {
	wait: boolean;
	intervalMs: number;
	timeoutMs: number;
	firstDelayMs: number;
}

/** Reads and checks the wait parameters of one item. */
export function readWaitSettings(ctx: IExecuteFunctions, itemIndex: number, check: Checker, defaults: WaitDefaults): WaitSettings {
	const wait = check.boolean('Wait for Completion', ctx.getNodeParameter('waitForCompletion', itemIndex, true));
	const options = ctx.getNodeParameter('waitOptions', itemIndex, {}) as IDataObject;
	const interval = seconds(check, 'Poll Interval (Seconds)', options.pollInterval ?? defaults.intervalSeconds, 300);
	const timeout = seconds(check, 'Timeout (Seconds)', options.timeout ?? defaults.timeoutSeconds, 3600);
	const firstDelay = Math.min(defaults.firstDelaySeconds ?? defaults.intervalSeconds, interval);
	return { wait, intervalMs: interval * 1000, timeoutMs: timeout * 1000, firstDelayMs: firstDelay * 1000 };
}

function seconds(check: Checker, field: string, value: unknown, max: number): number {
	const number = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
	if (typeof number !== 'number' || !Number.isFinite(number) || number <= 0 || number > max) {
		check.fail(field, `${String(value)} is not a valid number of seconds`, `more than 0 and at most ${max}`);
	}
	return number;
}

/** Job states that will not change any more (contract §6.4, §17.18). */
export function isFinalStatus(state: IDataObject): boolean {
	return state.status === 'completed' || state.status === 'failed';
}

/** Polls `GET path` until the job is completed or failed. */
export async function pollGeneration(
	ctx: IExecuteFunctions,
	options: { path: string; what: string; settings: WaitSettings; itemIndex: number },
): Promise<IDataObject> {
	const { state } = await waitForJob<IDataObject>(ctx, {
		fetch: async () => await powerPostRequest(ctx, { method: 'GET', path: options.path, itemIndex: options.itemIndex }),
		isFinal: isFinalStatus,
		intervalMs: options.settings.intervalMs,
		timeoutMs: options.settings.timeoutMs,
		firstDelayMs: options.settings.firstDelayMs,
		what: options.what,
		describe: (state) => `status ${String(state.status ?? 'unknown')}`,
		itemIndex: options.itemIndex,
	});
	return state;
}

/** The `error` object of a failed job: `{ code, message }` (contract §6.3, §8.2). */
export function jobError(state: IDataObject): { code?: string; message?: string } {
	const error = state.error;
	if (error && typeof error === 'object' && !Array.isArray(error)) {
		const { code, message } = error as IDataObject;
		return { code: typeof code === 'string' ? code : undefined, message: typeof message === 'string' ? message : undefined };
	}
	return {};
}

/**
 * A failed job as an error. It carries the job's error code in `context.failure`, so with
 * "Continue On Fail" the router's error item has the same `code` as an API error would.
 */
export function jobFailedError(ctx: IExecuteFunctions, what: string, id: string, state: IDataObject, itemIndex: number): NodeOperationError {
	const { code, message } = jobError(state);
	const error = new NodeOperationError(ctx.getNode(), `PowerPost ${what} ${id} failed: ${message ?? 'no reason given'}${code ? ` [${code}]` : ''}`, {
		itemIndex,
		description: 'The job failed at PowerPost; its credits are refunded. Change the input (prompt, media) and run it again.',
	});
	error.context.failure = { kind: 'job', code: code ?? null, status: null, requestId: null, jobId: id };
	return error;
}

/**
 * Adds the balance after the job as `remaining_credits`: the submit response's balance, corrected
 * by what PowerPost refunded when the final job reports a lower `credits_used` (failed URL scrapes,
 * partial image failures). Left out when a refund happened that cannot be told from the job.
 */
export function withRemainingCredits(result: IDataObject, submitted: IDataObject, final: IDataObject): IDataObject {
	const remaining = submitted.remaining_credits;
	const charged = submitted.credits_used;
	if (typeof remaining !== 'number') return result;
	if (typeof final.credits_used === 'number' && typeof charged === 'number') {
		result.remaining_credits = remaining + Math.max(0, charged - final.credits_used);
	} else if (final.status === 'completed') {
		result.remaining_credits = remaining;
	}
	return result;
}

/** A resource locator's value (list or ID mode), checked as a non-empty ID. */
export function locatorId(ctx: IExecuteFunctions, check: Checker, name: string, field: string, itemIndex: number): string {
	const value = ctx.getNodeParameter(name, itemIndex, '', { extractValue: true });
	return check.requiredText(field, value, { max: 200 });
}

/** Path segment for an ID typed by the user. */
export function idPath(id: string): string {
	return encodeURIComponent(id);
}
