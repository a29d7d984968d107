// Delivers one webhook over real HTTP and reports what the receiver answered.

export interface DeliveryOutcome {
	ok: boolean;
	/** HTTP status, 0 when no answer (connection refused, timeout) */
	status: number;
	durationMs: number;
	error: string | null;
	/** first 2 KB of the receiver's answer */
	responseBody: string;
}

export async function deliver(url: string, body: string, headers: Record<string, string>, timeoutMs = 10_000): Promise<DeliveryOutcome> {
	const started = Date.now();
	try {
		const res = await fetch(url, {
			method: 'POST',
			headers: { 'Content-Type': 'application/json', ...headers },
			body,
			signal: AbortSignal.timeout(timeoutMs),
			redirect: 'manual',
		});
		const text = (await res.text()).slice(0, 2048);
		return { ok: res.status >= 200 && res.status < 300, status: res.status, durationMs: Date.now() - started, error: null, responseBody: text };
	} catch (err) {
		const cause = (err as { cause?: { code?: string } }).cause;
		return {
			ok: false,
			status: 0,
			durationMs: Date.now() - started,
			error: cause?.code ?? (err instanceof Error ? err.name : String(err)),
			responseBody: '',
		};
	}
}
