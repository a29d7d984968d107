import type { Failure, HttpCall } from './http';

/**
 * The messages for failures that are the same for every provider: an answer that is not JSON (an
 * HTML page, a cut-off body), no answer (network error, timeout). `undefined` for an HTTP error,
 * which the provider explains with its own codes.
 */
export function explainTransportFailure(
	provider: string,
	failure: Failure,
	call: HttpCall,
	hints: {
		/** What to check when an HTML page came back ("…the Base URL in the credential ends with /api/v1."). */
		html: string;
		/** How to check a result before repeating ("for example with Post → Get"). */
		checkResult: string;
	},
): { message: string; description: string } | undefined {
	const requestId = failure.requestId ? ` Request ID: ${failure.requestId}.` : '';
	const endpoint = `${call.method} ${call.path}`;
	if (failure.kind === 'not-json') {
		const looksHtml = /html/i.test(failure.contentType ?? '') || /^\s*</.test(failure.sample ?? '');
		return {
			message: `${provider} answered ${endpoint} with ${looksHtml ? 'an HTML page' : 'a body that is not valid JSON'} instead of JSON`,
			description:
				(looksHtml ? hints.html : 'The answer was cut off or malformed.') +
				(failure.ambiguous ? ' The request may have been carried out; check its result before repeating it.' : '') +
				requestId,
		};
	}
	if (failure.kind === 'network' || failure.kind === 'timeout') {
		const what = failure.kind === 'timeout' ? 'timed out' : `failed (${failure.networkCode ?? 'connection error'})`;
		const notResent = failure.notResent
			? ` It was not sent again, because ${provider} may already have carried it out and repeating it could create or publish twice. Check the result (${hints.checkResult}) before running it again.`
			: failure.attempts > 1
				? ` It was tried ${failure.attempts} times.`
				: '';
		return {
			message: `The request to ${provider} ${what}: ${endpoint}`,
			description: `No answer came from ${provider}.${notResent} Check the Base URL in the credential and the network.`,
		};
	}
	return undefined;
}
