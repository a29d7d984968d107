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
	'PowerPost answered GET /content/generations with an HTML page instead of JSON. The Base URL points at a web page or a proxy login, not the API: it must end with /api/v1 (https://powerpost.ai/api/v1, or the URL the sandbox prints).';

const TEST_RULES: Array<IAuthenticateRuleResponseCode | IAuthenticateRuleResponseSuccessBody> = [
	// A web page (a login page, a proxy, n8n's own editor) answers 200 with HTML: n8n hands the
	// rules the body as text, so its first character tells. Same message as the operations give.
	...HTML_FIRST_CHARACTERS.map((value) => ({
		type: 'responseSuccessBody' as const,
		properties: { key: '0', value, message: HTML_PAGE_MESSAGE },
	})),
	{
		type: 'responseCode',
		properties: { value: 401, message: 'The API key is not valid (401). Check it in PowerPost under Settings → API.' },
	},
	{
		type: 'responseCode',
		properties: {
			value: 403,
			message: 'The key works, but it has no access to this Workspace ID (403). Copy the ID from PowerPost → Settings → Workspaces.',
		},
	},
	{
		type: 'responseCode',
		properties: { value: 400, message: 'The Workspace ID is missing (400). Copy it from PowerPost → Settings → Workspaces.' },
	},
	{
		type: 'responseCode',
		properties: { value: 404, message: 'No PowerPost API answers at this Base URL (404). It should end with /api/v1.' },
	},
];

export class PowerPostApi implements ICredentialType {
	name = 'powerPostApi';

	displayName = 'PowerPost API';

	icon: Icon = { light: 'file:../nodes/PowerPost/powerpost.svg', dark: 'file:../nodes/PowerPost/powerpost.dark.svg' };

	documentationUrl = 'https://powerpost.ai/docs/authentication';

	properties: INodeProperties[] = [
		{
			displayName: 'API Key',
			name: 'apiKey',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			placeholder: 'pp_live_sk_...',
			description: 'Create a key in PowerPost under Settings → API. It is shown once. The key needs the scopes of the operations you use (the Full access preset has all of them).',
		},
		{
			displayName: 'Workspace ID',
			name: 'workspaceId',
			type: 'string',
			default: '',
			required: true,
			description: 'The workspace to work in: PowerPost → Settings → Workspaces → copy. Sent as the X-Workspace-Id header.',
		},
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			default: 'https://powerpost.ai/api/v1',
			description: 'Keep the default for PowerPost. For the local PowerPost sandbox (npm run sandbox) use the URL it prints, such as http://127.0.0.1:4010/api/v1.',
		},
	];

	// Trimmed: a key pasted with a trailing space or new line is sent as the key itself.
	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: {
			headers: {
				'x-api-key': '={{String($credentials.apiKey || "").trim()}}',
				'X-Workspace-Id': '={{String($credentials.workspaceId || "").trim()}}',
			},
		},
	};

	// A free read that needs both the key and the workspace header, and that every key preset may do.
	test: ICredentialTestRequest = {
		request: {
			baseURL: '={{String($credentials.baseUrl || "https://powerpost.ai/api/v1").trim().replace(/\\/+$/, "")}}',
			url: '/content/generations',
			qs: { limit: 1 },
		},
		// n8n checks both kinds of rule in one list (its type names one kind per list).
		rules: TEST_RULES as IAuthenticateRuleResponseCode[],
	};
}
