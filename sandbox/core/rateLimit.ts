// Rate limits per API key. A bucket (e.g. "all endpoints", "POST /posts") has one or more windows
// (per minute, hour, day); a request counts in every window of every bucket it uses and is refused
// when any of them is full. Windows roll (a slot frees when the oldest hit leaves the window) unless
// `fixed` (counts reset at every multiple of windowMs). Runs on the sandbox clock.

export interface RateWindow {
	limit: number;
	windowMs: number;
	/** fixed window aligned to multiples of windowMs instead of a rolling one */
	fixed?: boolean;
}

export type RateBuckets = Record<string, RateWindow[]>;

export interface RateVerdict {
	ok: boolean;
	/** whole seconds until the full window frees a slot (only when !ok) */
	retryAfter?: number;
	/** the bucket that refused (only when !ok) */
	bucket?: string;
	/** X-RateLimit-Limit / -Remaining / -Reset (unix seconds) of the tightest window that applied */
	headers: Record<string, string>;
}

export class RateLimiter {
	/** key -> bucket -> window index -> ascending hit times */
	private hits = new Map<string, Map<string, number[][]>>();

	constructor(private readonly buckets: RateBuckets) {}

	reset(): void {
		this.hits.clear();
	}

	private log(key: string, bucket: string): number[][] {
		let perKey = this.hits.get(key);
		if (!perKey) this.hits.set(key, (perKey = new Map()));
		let perBucket = perKey.get(bucket);
		if (!perBucket) perKey.set(bucket, (perBucket = this.buckets[bucket].map(() => [])));
		return perBucket;
	}

	/**
	 * Check (and, when allowed and `count`, record) one request of `key` against `bucketNames`.
	 * Without a key (unauthenticated) only the headers of the first bucket are computed.
	 */
	check(key: string | null, bucketNames: string[], now: number, count = true): RateVerdict {
		let tightest: { remaining: number; limit: number; reset: number; windowMs: number } | undefined;
		const consider = (limit: number, used: number, reset: number, windowMs: number) => {
			const remaining = Math.max(0, limit - used);
			if (!tightest || remaining < tightest.remaining || (remaining === tightest.remaining && windowMs < tightest.windowMs))
				tightest = { remaining, limit, reset, windowMs };
		};
		const headersOf = (): Record<string, string> =>
			tightest
				? {
						'X-RateLimit-Limit': String(tightest.limit),
						'X-RateLimit-Remaining': String(tightest.remaining),
						'X-RateLimit-Reset': String(tightest.reset),
					}
				: {};

		if (key === null) {
			const first = bucketNames.find((b) => this.buckets[b]?.length);
			if (first) {
				const w = this.buckets[first][0];
				const end = w.fixed ? Math.floor(now / w.windowMs) * w.windowMs + w.windowMs : now + w.windowMs;
				consider(w.limit, 0, Math.ceil(end / 1000), w.windowMs);
			}
			return { ok: true, headers: headersOf() };
		}

		const logs = bucketNames.filter((b) => this.buckets[b]).map((b) => ({ b, windows: this.buckets[b], log: this.log(key, b) }));
		// prune and look for a full window
		/** hits still in the window, and when a slot frees (rolling) or the window ends (fixed) */
		const start = (w: RateWindow) => (w.fixed ? Math.floor(now / w.windowMs) * w.windowMs : now - w.windowMs + 1);
		for (const { b, windows, log } of logs) {
			windows.forEach((w, i) => {
				const arr = log[i];
				while (arr.length && (arr[0] < start(w) || (w.fixed && arr[0] > now))) arr.shift();
			});
			for (let i = 0; i < windows.length; i++) {
				const w = windows[i];
				const arr = log[i];
				if (arr.length >= w.limit) {
					const frees = w.fixed ? start(w) + w.windowMs : arr[arr.length - w.limit] + w.windowMs;
					consider(w.limit, arr.length, Math.ceil(frees / 1000), w.windowMs);
					return { ok: false, retryAfter: Math.max(1, Math.ceil((frees - now) / 1000)), bucket: b, headers: headersOf() };
				}
			}
		}
		for (const { windows, log } of logs) {
			windows.forEach((w, i) => {
				const arr = log[i];
				if (count) arr.push(now);
				const reset = w.fixed ? start(w) + w.windowMs : arr.length ? arr[0] + w.windowMs : now + w.windowMs;
				consider(w.limit, arr.length, Math.ceil(reset / 1000), w.windowMs);
			});
		}
		return { ok: true, headers: headersOf() };
	}
}
