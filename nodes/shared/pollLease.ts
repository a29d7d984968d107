/**
 * One poll at a time per trigger node. n8n starts a poll on every tick of its schedule without
 * waiting for the previous one; a poll that is still running (slow answers, rate limits) would
 * otherwise run side by side with the next one and both would emit the same results.
 *
 * The lease lives in this module, so it covers every poll of the process (n8n runs a workflow's
 * polls in the process that activated it). It expires on its own, so a poll that never returns
 * cannot block the trigger for longer than its lease.
 */
const leases = new Map<string, { token: number; until: number }>();
let counter = 0;

/** A token when the lease was free (or expired), undefined when another poll holds it. */
export function acquireLease(key: string, now: number, durationMs: number): number | undefined {
	const held = leases.get(key);
	if (held && held.until > now) return undefined;
	const token = ++counter;
	leases.set(key, { token, until: now + durationMs });
	return token;
}

/** Frees the lease, unless it expired meanwhile and another poll took it. */
export function releaseLease(key: string, token: number): void {
	if (leases.get(key)?.token === token) leases.delete(key);
}
