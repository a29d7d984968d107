import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { locatorValue } from '../../shared/locator';
import { waitForJob } from '../../shared/wait';
import type { WaitDefaults as EngineWaitDefaults, WaitSettings } from '../../shared/waitParameters';
import { readWaitSettings, waitProperties as engineWaitProperties } from '../../shared/waitParameters';
import { powerPostRequest } from '../transport';

/**
 * What the asynchronous generation jobs (captions §6, images §7, videos §8) have in common: the
 * "Wait for Completion" parameters, polling the job until it is final, and a failed job as an error.
 */

/** The wait parameters of a PowerPost job: the engine's, with the provider's name in their texts. */
export type WaitDefaults = Omit<EngineWaitDefaults, 'provider'>;

/** "Wait for Completion" and its "Wait Options" collection for one operation. */
export function waitProperties(defaults: WaitDefaults): INodeProperties[] {
	return engineWaitProperties({ ...defaults, provider: 'PowerPost' });
}

export { readWaitSettings };
export type { WaitSettings };

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
		provider: 'PowerPost',
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

export interface GenerationJob {
	/** `POST` path that starts the job (`/images/generate`). */
	submitPath: string;
	body: IDataObject;
	/** Field of the submit response holding the job's ID (`image_generation_id`). */
	idField: string;
	/** `GET` path of the job, below which its ID goes (`/images/generations`). */
	statusPath: string;
	/** For messages: "image generation". */
	what: string;
	settings: WaitSettings;
	/** Whether a final state is a failure to report as an error (default: status `failed`). */
	isFailure?: (state: IDataObject) => boolean;
	/** The output for a finished job. */
	output: (state: IDataObject) => IDataObject;
}

/**
 * Starts a generation job, and unless the user chose not to wait, polls it to a final state:
 * a failure becomes an error with the job's code, a success the job's output with the balance.
 * The submit is a POST: the engine never resends it after the server may have acted on it.
 */
export async function runGeneration(ctx: IExecuteFunctions, itemIndex: number, job: GenerationJob): Promise<IDataObject> {
	const submitted = await powerPostRequest(ctx, { method: 'POST', path: job.submitPath, body: job.body, itemIndex });
	if (!job.settings.wait) return submitted;
	const id = String(submitted[job.idField] ?? '');
	const state = await pollGeneration(ctx, { path: `${job.statusPath}/${idPath(id)}`, what: `${job.what} ${id}`, settings: job.settings, itemIndex });
	const failed = job.isFailure ? job.isFailure(state) : state.status === 'failed';
	if (failed) throw jobFailedError(ctx, job.what, id, state, itemIndex);
	return withRemainingCredits(job.output(state), submitted, state);
}

/** The "… Generation ID" parameter of a Get operation, for IDs that have no list endpoint to pick from. */
export function generationIdProperty(options: { resource: string; name: string; displayName: string; idField: string; from: string }): INodeProperties {
	return {
		displayName: options.displayName,
		name: options.name,
		type: 'string',
		default: '',
		required: true,
		displayOptions: { show: { resource: [options.resource], operation: ['get'] } },
		placeholder: `e.g. {{ $json.${options.idField} }}`,
		description: `The ID returned by ${options.from}`,
	};
}

/** Get operation of a generation: reads the ID parameter (plain or resource locator) and `GET`s the job. */
export async function readGeneration(
	ctx: IExecuteFunctions,
	itemIndex: number,
	options: { parameter: string; field: string; statusPath: string; output: (state: IDataObject) => IDataObject },
): Promise<IDataObject> {
	const id = locatorValue(ctx, options.parameter, options.field, itemIndex, { max: 200 });
	const state = await powerPostRequest(ctx, { method: 'GET', path: `${options.statusPath}/${idPath(id)}`, itemIndex });
	return options.output(state);
}


/** Path segment for an ID typed by the user. */
export function idPath(id: string): string {
	return encodeURIComponent(id);
}
