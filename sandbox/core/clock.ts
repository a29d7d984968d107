// Virtual clock of a sandbox: real time plus an offset that tests move (advance, set, skew).
// Everything the sandbox schedules (publishing, retries, expiries, rate windows) runs on it.

export interface VirtualClock {
	now(): number;
	/** move forward (or back, with a negative value) by ms */
	advance(ms: number): void;
	/** jump to an absolute epoch ms (may step back in time) */
	set(ms: number): void;
	/** keep running in real time, but `ms` ahead of (positive) or behind (negative) the machine clock */
	skew(ms: number): void;
	/** current offset from the machine clock in ms */
	offset(): number;
	/** called after every change (the sandbox processes what became due) */
	onChange(listener: () => void): void;
	reset(): void;
}

export function createClock(): VirtualClock {
	let offset = 0;
	const listeners: (() => void)[] = [];
	const changed = () => {
		for (const l of listeners) l();
	};
	return {
		now: () => Date.now() + offset,
		advance(ms) {
			offset += ms;
			changed();
		},
		set(ms) {
			offset = ms - Date.now();
			changed();
		},
		skew(ms) {
			offset = ms;
			changed();
		},
		offset: () => offset,
		onChange(listener) {
			listeners.push(listener);
		},
		reset() {
			offset = 0;
		},
	};
}

export const iso = (ms: number) => new Date(ms).toISOString();
