import type { IAuthenticateRuleResponseSuccessBody } from 'n8n-workflow';

/** How an HTML page starts: "<", possibly after a byte-order mark or white space. */
const HTML_FIRST_CHARACTERS = ['<', '\ufeff', ' ', '\n', '\r', '\t'];

/**
 * Credential-test rules that fail on a web page (a login page, a proxy, n8n's own editor) that
 * answers 200 with HTML: n8n hands the rules the body as text, so its first character tells.
 */
export function htmlPageRules(message: string): IAuthenticateRuleResponseSuccessBody[] {
	return HTML_FIRST_CHARACTERS.map((value) => ({ type: 'responseSuccessBody' as const, properties: { key: '0', value, message } }));
}
