/**
 * The failures a PostEverywhere Trigger emitted (or marked as seen), kept `horizon` ms behind the
 * cursor. A failure carries no time the dedup floor could compare, so each is remembered by the
 * first 8 characters (48 bits) of its 12-character state key, grouped by the UTC day of the post's
 * `updated_at` when it was read: `{ "<day number>": "<8 chars><8 chars>…" }`, 8 bytes a failure in
 * static data. A whole day goes once it ends more than `horizon` behind the cursor; over `maxKeys`
 * the oldest days go first.
 */
export type FailureData = Record<string, string>;

const DAY_MS = 24 * 3_600_000;
const WIDTH = 8;

export class FailureKeys {
	private readonly days = new Map<number, Set<string>>();

	private readonly all = new Set<string>();

	constructor(data?: FailureData) {
		for (const [day, joined] of Object.entries(data ?? {})) {
			if (!Number.isInteger(Number(day)) || typeof joined !== 'string') continue;
			for (let i = 0; i + WIDTH <= joined.length; i += WIDTH) this.put(Number(day), joined.slice(i, i + WIDTH));
		}
	}

	get size(): number {
		return this.all.size;
	}

	has(key: string): boolean {
		return this.all.has(key.slice(0, WIDTH));
	}

	/** Remembers a failure's key with the post's `updated_at` (ms). */
	add(key: string, at: number): void {
		if (!this.has(key)) this.put(Math.floor(at / DAY_MS), key.slice(0, WIDTH));
	}

	/** Drops the days that ended more than `horizon` before `cursor`, then the oldest days over `maxKeys`. */
	prune(cursor: number, horizon: number, maxKeys: number): void {
		const days = [...this.days.keys()].sort((a, b) => a - b);
		for (const day of days) {
			if ((day + 1) * DAY_MS >= cursor - horizon && this.all.size <= maxKeys) break;
			for (const short of this.days.get(day) ?? []) this.all.delete(short);
			this.days.delete(day);
		}
	}

	toJSON(): FailureData {
		return Object.fromEntries([...this.days].map(([day, keys]) => [String(day), [...keys].join('')]));
	}

	private put(day: number, short: string): void {
		const keys = this.days.get(day) ?? new Set<string>();
		keys.add(short);
		this.days.set(day, keys);
		this.all.add(short);
	}
}
