import type { IDataObject } from 'n8n-workflow';

/**
 * Provider-neutral state for polling triggers, kept in workflow static data
 * (`this.getWorkflowStaticData('node')`), which is the only thing that survives an n8n restart.
 *
 * The pattern every poll follows:
 *   1. `loadPollState` gives a private deep copy of the stored state (or undefined on the first
 *      activation, or when the stored version is unknown and cannot be migrated);
 *   2. the poll works on that copy only; if it throws, static data is untouched, so the next poll
 *      starts from exactly the same place (nothing lost, nothing emitted twice);
 *   3. `commitPollState` writes the new state as the very last step before returning the events.
 */

interface Envelope {
	version: number;
	state: unknown;
}

/** A JSON copy: detached from n8n's observable static-data object, and free of undefined values. */
function copyJson<T>(value: T): T {
	return JSON.parse(JSON.stringify(value)) as T;
}

export interface LoadOptions<T> {
	/** Turns an older stored version into the current shape; return undefined to start fresh. */
	migrate?: (storedVersion: number, state: unknown) => T | undefined;
}

/** The state stored under `key`, as a private copy; undefined when there is none yet. */
export function loadPollState<T>(
	staticData: IDataObject,
	key: string,
	version: number,
	options: LoadOptions<T> = {},
): T | undefined {
	const stored = staticData[key] as Envelope | undefined;
	if (!stored || typeof stored !== 'object' || typeof stored.version !== 'number' || stored.state === undefined) {
		return undefined;
	}
	if (stored.version === version) return copyJson(stored.state as T);
	return options.migrate ? options.migrate(stored.version, copyJson(stored.state)) : undefined;
}

/** Stores `state` under `key`. Call it only after everything the poll needed has succeeded. */
export function commitPollState<T>(staticData: IDataObject, key: string, version: number, state: T): void {
	staticData[key] = copyJson({ version, state }) as unknown as IDataObject;
}
