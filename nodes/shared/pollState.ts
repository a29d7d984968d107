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
 *
 * `SeenEvents` is the dedup part: a set of event keys, each with the time of its event, plus a
 * `floor`. Every event older than the floor counts as seen. Pruning drops the oldest keys and
 * raises the floor past them, so the set stays bounded while "seen" never shrinks.
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

/** Serialised form of `SeenEvents`. */
export interface SeenData {
	/** Event key → time of the event (ms since epoch, in the provider's clock). */
	keys: Record<string, number>;
	/** Events older than this count as seen; null = no floor yet. */
	floor: number | null;
}

export interface PruneOptions {
	/** Keys of events older than this time are dropped (the floor rises past them). */
	olderThan?: number;
	/** At most this many keys are kept; the oldest go first. */
	maxKeys?: number;
	/** Keys that must survive pruning (for example, those of jobs still running). */
	keep?: (key: string) => boolean;
}

export class SeenEvents {
	private readonly keys: Map<string, number>;

	private floorAt: number | null;

	constructor(data?: SeenData) {
		this.keys = new Map(Object.entries(data?.keys ?? {}).filter(([, at]) => typeof at === 'number' && Number.isFinite(at)));
		this.floorAt = typeof data?.floor === 'number' && Number.isFinite(data.floor) ? data.floor : null;
	}

	get floor(): number | null {
		return this.floorAt;
	}

	get size(): number {
		return this.keys.size;
	}

	/** Whether the key was recorded (regardless of the floor). */
	has(key: string): boolean {
		return this.keys.has(key);
	}

	/** True when the event was neither recorded nor older than the floor. Without a time, only the key decides. */
	isNew(key: string, at?: number): boolean {
		if (this.keys.has(key)) return false;
		if (at !== undefined && Number.isFinite(at) && this.floorAt !== null && at < this.floorAt) return false;
		return true;
	}

	add(key: string, at: number): void {
		const known = this.keys.get(key);
		this.keys.set(key, known === undefined ? at : Math.max(known, at));
	}

	/** Raises the floor (never lowers it). */
	raiseFloor(at: number): void {
		if (Number.isFinite(at) && (this.floorAt === null || at > this.floorAt)) this.floorAt = at;
	}

	/** Drops old keys, raising the floor past every dropped key, so a dropped event still counts as seen. */
	prune(options: PruneOptions): number {
		const keep = options.keep ?? (() => false);
		const candidates = [...this.keys.entries()].filter(([key]) => !keep(key)).sort((a, b) => a[1] - b[1]);
		const overCap = options.maxKeys === undefined ? 0 : Math.max(0, this.keys.size - options.maxKeys);
		let dropped = 0;
		for (const [key, at] of candidates) {
			const tooOld = options.olderThan !== undefined && at < options.olderThan;
			if (!tooOld && dropped >= overCap) break;
			this.keys.delete(key);
			this.raiseFloor(at + 1);
			dropped++;
		}
		// Kept keys may hold the set above the cap; they are few and become prunable once their job ends.
		return dropped;
	}

	toJSON(): SeenData {
		return { keys: Object.fromEntries(this.keys), floor: this.floorAt };
	}
}
