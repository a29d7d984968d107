/**
 * A credentials helper for in-process runs. It follows what n8n's CLI
 * `CredentialsHelper` does at execution time, without a database:
 * - `getDecrypted` returns the test-provided data with the credential type's
 *   property defaults applied (n8n's `applyDefaultsAndOverwrites`) and `=`
 *   expressions in the data resolved;
 * - `authenticate` runs an `authenticate` function, or applies a `generic`
 *   block by resolving `={{$credentials.x}}` expressions with n8n-workflow's
 *   own expression engine and merging the result into headers / qs / body / auth;
 * - `getParentTypes` -> [] and `preAuthentication` -> undefined (no OAuth, no
 *   expirable tokens in this package).
 */
import './env'; // before n8n-core loads
import { Credentials } from 'n8n-core';
import {
	ICredentialsHelper,
	isExpression,
	NodeHelpers,
	UnexpectedError,
	Workflow,
} from 'n8n-workflow';
import type {
	ICredentialDataDecryptedObject,
	ICredentialType,
	IHttpRequestHelper,
	IHttpRequestOptions,
	INode,
	INodeCredentialsDetails,
	INodeParameters,
	INodeProperties,
	INodeType,
	INodeTypes,
	IRequestOptionsSimplified,
	IVersionedNodeType,
	IWorkflowExecuteAdditionalData,
	IWorkflowDataProxyAdditionalKeys,
	WorkflowExecuteMode,
} from 'n8n-workflow';

export interface HarnessCredentials {
	[credentialType: string]: Record<string, unknown>;
}

export interface CredentialTypeRegistry {
	get(name: string): ICredentialType | undefined;
	/** Full node type names allowed to use the credential (n8n's `supportedNodes`). */
	supportedNodes(name: string): string[];
}

const MOCK_NODE: INode = {
	id: 'harness-credential-node',
	name: 'Harness credential resolver',
	type: 'harness.credentialResolver',
	typeVersion: 1,
	position: [0, 0],
	parameters: {},
};

const MOCK_NODE_TYPES: INodeTypes = {
	getByName: () => ({ description: { properties: [] } }) as unknown as INodeType,
	getByNameAndVersion: () => ({ description: { properties: [] } }) as unknown as INodeType,
	getKnownTypes: () => ({}),
} as unknown as INodeTypes;

function mockWorkflow(): Workflow {
	return new Workflow({
		id: 'harness-credentials',
		nodes: [MOCK_NODE],
		connections: {},
		active: false,
		nodeTypes: MOCK_NODE_TYPES,
	});
}

/** Resolve one value of an authenticate block the way n8n's CredentialsHelper.resolveValue does. */
export function resolveCredentialValue(
	value: unknown,
	credentials: ICredentialDataDecryptedObject,
	workflow?: Workflow,
	node?: INode,
): string {
	if (typeof value !== 'string' || !isExpression(value)) return value === undefined ? '' : String(value);
	const wf = workflow ?? mockWorkflow();
	const n = node ?? MOCK_NODE;
	const resolved = wf.expression.getSimpleParameterValue(
		n,
		value,
		'internal',
		{ $credentials: credentials } as IWorkflowDataProxyAdditionalKeys,
		undefined,
		'',
	);
	if (!resolved) return '';
	return String(resolved);
}

/** Apply an ICredentialType.authenticate (function or generic block) to request options. */
export async function applyAuthenticate(
	credentialType: ICredentialType,
	credentials: ICredentialDataDecryptedObject,
	requestOptions: IHttpRequestOptions | IRequestOptionsSimplified,
	workflow?: Workflow,
	node?: INode,
): Promise<IHttpRequestOptions> {
	const { authenticate } = credentialType;
	if (!authenticate) return requestOptions as IHttpRequestOptions;
	if (typeof authenticate === 'function') {
		return await authenticate(credentials, requestOptions as IHttpRequestOptions);
	}
	if (requestOptions.headers === undefined) requestOptions.headers = {};
	if (authenticate.type === 'generic') {
		const target = requestOptions as unknown as Record<string, Record<string, unknown> | undefined>;
		for (const [outerKey, outerValue] of Object.entries(authenticate.properties)) {
			for (const [key, value] of Object.entries(outerValue as Record<string, unknown>)) {
				const keyResolved = resolveCredentialValue(key, credentials, workflow, node);
				const valueResolved = resolveCredentialValue(value, credentials, workflow, node);
				if (!target[outerKey]) target[outerKey] = {};
				(target[outerKey] as Record<string, unknown>)[keyResolved] = valueResolved;
			}
		}
	}
	return requestOptions as IHttpRequestOptions;
}

/** n8n's applyDefaultsAndOverwrites (without overwrites) + expression resolution of the data. */
export function applyCredentialDefaults(
	credentialType: ICredentialType,
	data: Record<string, unknown>,
): ICredentialDataDecryptedObject {
	const properties: INodeProperties[] = credentialType.properties ?? [];
	let decrypted = (NodeHelpers.getNodeParameters(
		properties,
		data as INodeParameters,
		true,
		false,
		null,
		null,
	) ?? {}) as ICredentialDataDecryptedObject;
	// keep values the type does not declare (n8n keeps them too, e.g. oauthTokenData)
	for (const [key, value] of Object.entries(data)) {
		if (!(key in decrypted)) decrypted[key] = value as ICredentialDataDecryptedObject[string];
	}
	const hasExpression = Object.values(decrypted).some((v) => typeof v === 'string' && isExpression(v));
	if (hasExpression) {
		const workflow = mockWorkflow();
		decrypted = workflow.expression.getComplexParameterValue(
			MOCK_NODE,
			decrypted as INodeParameters,
			'internal',
			{} as IWorkflowDataProxyAdditionalKeys,
			undefined,
			undefined,
			decrypted,
		) as ICredentialDataDecryptedObject;
	}
	return decrypted;
}

export class HarnessCredentialsHelper extends ICredentialsHelper {
	/** Every credential update a node asked for (n8n would persist these). */
	readonly updates: Array<{ type: string; data: ICredentialDataDecryptedObject }> = [];

	constructor(
		private readonly registry: CredentialTypeRegistry,
		private readonly data: HarnessCredentials,
	) {
		super();
	}

	private type(name: string): ICredentialType {
		const type = this.registry.get(name);
		if (!type) {
			throw new UnexpectedError(`Unknown credential type "${name}" (not in package.json n8n.credentials nor passed as a credential class)`);
		}
		return type;
	}

	getParentTypes(_name: string): string[] {
		return [];
	}

	isCredentialUsableByNode(credentialType: string, nodeType: string): boolean {
		const typeDef = this.registry.get(credentialType);
		if (!typeDef?.restrictToSupportedNodes) return true;
		return this.registry.supportedNodes(credentialType).includes(nodeType);
	}

	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		typeName: string,
		requestOptions: IHttpRequestOptions | IRequestOptionsSimplified,
		workflow?: Workflow,
		node?: INode,
	): Promise<IHttpRequestOptions> {
		return await applyAuthenticate(this.type(typeName), credentials, requestOptions, workflow, node);
	}

	async preAuthentication(
		_helpers: IHttpRequestHelper,
		_credentials: ICredentialDataDecryptedObject,
		_typeName: string,
		_node: INode,
		_credentialsExpired: boolean,
	): Promise<ICredentialDataDecryptedObject | undefined> {
		return undefined;
	}

	async runPreAuthentication(
		_helpers: IHttpRequestHelper,
		_credentials: ICredentialDataDecryptedObject,
		_typeName: string,
	): Promise<ICredentialDataDecryptedObject | undefined> {
		return undefined;
	}

	async getCredentials(nodeCredentials: INodeCredentialsDetails, type: string): Promise<Credentials> {
		return new Credentials({ id: nodeCredentials.id ?? null, name: nodeCredentials.name }, type, '');
	}

	async getDecrypted(
		_additionalData: IWorkflowExecuteAdditionalData,
		nodeCredentials: INodeCredentialsDetails,
		type: string,
		_mode: WorkflowExecuteMode,
		_executeData?: unknown,
		raw?: boolean,
	): Promise<ICredentialDataDecryptedObject> {
		const data = this.data[type];
		if (data === undefined) {
			// same wording as n8n's CredentialNotFoundError
			throw new UnexpectedError(
				`Credential with ID "${nodeCredentials.id ?? ''}" does not exist for type "${type}".`,
			);
		}
		const copy = structuredClone(data);
		if (raw) return copy as ICredentialDataDecryptedObject;
		return applyCredentialDefaults(this.type(type), copy);
	}

	async updateCredentials(
		_nodeCredentials: INodeCredentialsDetails,
		type: string,
		data: ICredentialDataDecryptedObject,
	): Promise<void> {
		this.updates.push({ type, data });
	}

	async updateCredentialsOauthTokenData(
		_nodeCredentials: INodeCredentialsDetails,
		type: string,
		data: ICredentialDataDecryptedObject,
	): Promise<void> {
		this.updates.push({ type, data });
	}

	getCredentialsProperties(type: string): INodeProperties[] {
		return this.type(type).properties;
	}
}

export type AnyNodeType = INodeType | IVersionedNodeType;
