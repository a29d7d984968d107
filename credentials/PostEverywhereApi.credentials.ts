import type {
	IAuthenticateGeneric,
	IAuthenticateRuleResponseCode,
	IAuthenticateRuleResponseSuccessBody,
	Icon,
	ICredentialTestRequest,
	ICredentialType,
	INodeProperties,
} from 'n8n-workflow';

/** How an HTML page starts: "<", possibly after a byte-order mark or white space. */
const HTML_FIRST_CHARACTERS = ['<', '\ufeff', ' ', '\n', '\r', '\t'];

const HTML_PAGE_MESSAGE =
	'PostEverywhere answered GET /me with an HTML page instead of JSON. The Base URL points at a web page or a proxy login, not the API: it must end with /api/v1 (https://app.posteverywhere.ai/api/v1, or the URL the sandbox prints).';

/**
 * What Test tells apart: a bad key (401), a key the plan or organization blocks (403), a Base URL
 * that is not the API (404, or a web page answering 200 HTML), an unreachable host (n8n's own
 * connection error). A key without the optional `ai` scope passes: it works for posts, accounts
 * and media, and the AI operations say "enable the ai scope" when they are refused (§2, §15.9).
 */
const TEST_RULES: Array<IAuthenticateRuleResponseCode | IAuthenticateRuleResponseSuccessBody> = [
	// A web page answers 200 with HTML: n8n hands the rules the body as text, so its first character tells.
	...HTML_FIRST_CHARACTERS.map((value) => ({
		type: 'responseSuccessBody' as const,
		properties: { key: '0', value, message: HTML_PAGE_MESSAGE },
	})),
	{
		type: 'responseCode',
		properties: {
			value: 401,
			message: 'The API key is not valid, revoked or expired (401). Create a key in PostEverywhere → Settings → Developers and paste it here.',
		},
	},
	{
		type: 'responseCode',
		properties: { value: 403, message: 'The key is valid but may not read this organization (403): it lacks read access, or the plan blocks the API.' },
	},
	{
		type: 'responseCode',
		properties: { value: 404, message: 'No PostEverywhere API answers at this Base URL (404). It should end with /api/v1.' },
	},
];

export class PostEverywhereApi implements ICredentialType {
	name = 'postEverywhereRestApi';

	displayName = 'PostEverywhere API';

	icon: Icon = { light: 'file:../nodes/PostEverywhere/posteverywhere.svg', dark: 'file:../nodes/PostEverywhere/posteverywhere.dark.svg' };

	documentationUrl = 'https://developers.posteverywhere.ai/authentication';

	properties: INodeProperties[] = [
		{
			displayName: 'API Key',
			name: 'apiKey',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			placeholder: 'pe_live_...',
			description:
				'A key from PostEverywhere → Settings → Developers (pe_live_…, shown once). Posts, accounts and media work with every key; the AI operations need a key with the optional "ai" scope.',
		},
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			default: 'https://app.posteverywhere.ai/api/v1',
			description: 'Keep the default for PostEverywhere. For the local sandbox (npm run sandbox:posteverywhere) use the URL it prints, such as http://127.0.0.1:4020/api/v1.',
		},
	];

	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: {
			headers: {
				Authorization: '=Bearer {{$credentials.apiKey.trim()}}',
			},
		},
	};

	// GET /me: free, needs only a valid key (contract §8); the official node tests the same way.
	test: ICredentialTestRequest = {
		request: {
			baseURL: '={{($credentials.baseUrl || "https://app.posteverywhere.ai/api/v1").trim().replace(/\\/+$/, "")}}',
			url: '/me',
		},
		// n8n checks both kinds of rule in one list (its type names one kind per list).
		rules: TEST_RULES as IAuthenticateRuleResponseCode[],
	};
}
