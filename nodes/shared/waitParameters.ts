import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import type { Checker } from './validation';

/**
 * "Wait for Completion" for any asynchronous job of any provider: the parameters, and reading them
 * for one item.
 */

export interface WaitDefaults {
	/** Product name for the texts ("PowerPost"). */
	provider: string;
	/** Resource value the parameters are shown for. */
	resource: string;
	operation: string;
	intervalSeconds: number;
	timeoutSeconds: number;
	/** Wait before the first poll (contract §6.4: about 2 s for captions). */
	firstDelaySeconds?: number;
	/** What is waited for, in the parameter descriptions ("the captions"). */
	noun: string;
	/** Further conditions for showing the parameters (e.g. only for one publish mode). */
	extraShow?: Record<string, Array<string | boolean>>;
}

/** "Wait for Completion" and its "Wait Options" collection for one operation. */
export function waitProperties(defaults: WaitDefaults): INodeProperties[] {
	const show = { resource: [defaults.resource], operation: [defaults.operation], ...defaults.extraShow };
	const { intervalSeconds, timeoutSeconds } = defaults;
	return [
		{
			displayName: 'Wait for Completion',
			name: 'waitForCompletion',
			type: 'boolean',
			default: true,
			displayOptions: { show },
			description: `Whether to poll ${defaults.provider} until ${defaults.noun} are ready and output the finished result. When off, the node outputs the job ID at once; read it later with the Get operation.`,
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
					default: intervalSeconds,
					description: 'Time between two status checks',
				},
				{
					displayName: 'Timeout (Seconds)',
					name: 'timeout',
					type: 'number',
					typeOptions: { minValue: 1, maxValue: 3600 },
					default: timeoutSeconds,
					description: `Give up waiting after this long. The job keeps running at ${defaults.provider}; read it later with the Get operation.`,
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
export function readWaitSettings(
	ctx: IExecuteFunctions,
	itemIndex: number,
	check: Checker,
	defaults: Pick<WaitDefaults, 'intervalSeconds' | 'timeoutSeconds' | 'firstDelaySeconds'>,
): WaitSettings {
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

