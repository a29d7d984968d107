import { createHmac, timingSafeEqual } from 'crypto';

/**
 * Contract §13: `X-PostEverywhere-Signature: sha256=<hex HMAC-SHA256 of the raw body, key = the
 * webhook's secret>` and `X-PostEverywhere-Timestamp` (unix seconds), accepted within 300 s.
 * The comparison takes the same time whatever the signature's content.
 */
export const TIMESTAMP_WINDOW_SECONDS = 300;

export type SignatureVerdict = { ok: true } | { ok: false; reason: string };

export function verifySignature(input: { secret: string; rawBody: Buffer; signature?: string; timestamp?: string; nowMs: number }): SignatureVerdict {
	if (!input.signature) return { ok: false, reason: 'no X-PostEverywhere-Signature header' };
	const match = /^sha256=([0-9a-f]{64})$/i.exec(input.signature.trim());
	if (!match) return { ok: false, reason: 'the signature is not sha256=<64 hex digits>' };
	const expected = createHmac('sha256', input.secret).update(input.rawBody).digest();
	const given = Buffer.from(match[1], 'hex');
	if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { ok: false, reason: 'the signature does not match the body' };
	const seconds = Number(input.timestamp);
	if (!input.timestamp || !Number.isFinite(seconds)) return { ok: false, reason: 'no valid X-PostEverywhere-Timestamp header' };
	if (Math.abs(input.nowMs / 1000 - seconds) > TIMESTAMP_WINDOW_SECONDS) return { ok: false, reason: `the timestamp is more than ${TIMESTAMP_WINDOW_SECONDS} s away from now` };
	return { ok: true };
}

/** Whether a webhook URL is one PostEverywhere can reach in production: public HTTPS (§13). */
export function publicUrlProblem(url: string): string | undefined {
	let parsed: URL;
	try {
		parsed = new URL(url);
	} catch {
		return `"${url}" is not a URL`;
	}
	if (parsed.protocol !== 'https:') return `${parsed.protocol.replace(':', '')} URLs are refused by PostEverywhere; it delivers only to public HTTPS URLs`;
	const host = parsed.hostname.replace(/^\[|\]$/g, '');
	if (/^(localhost|127\.\d+\.\d+\.\d+|0\.0\.0\.0|::1|10\.\d+\.\d+\.\d+|192\.168\.\d+\.\d+|172\.(1[6-9]|2\d|3[01])\.\d+\.\d+|169\.254\.\d+\.\d+)$/i.test(host) || host.endsWith('.local')) {
		return `${host} is a local or private address that PostEverywhere cannot reach`;
	}
	return undefined;
}
