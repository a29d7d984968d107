/**
 * In-process test harness: runs our nodes inside n8n-core's real
 * `WorkflowExecute` / `PollContext` / `RoutingNode`, so the real helpers
 * (httpRequestWithAuthentication + the credential's `authenticate`, binary data
 * helpers, continueOnFail / error outputs, pairedItem, timezone, cancellation)
 * are exercised. See test/unit/harness.test.ts for examples.
 */
import './env'; // must run before n8n-core is loaded (N8N_USER_FOLDER, log level)

import { Container } from '@n8n/di';
import {
	BinaryDataService,
	ExecuteContext,
	ExecutionLifecycleHooks,
	ExternalSecretsProxy,
	PollContext,
	RoutingNode,
	TriggersAndPollers,
	WorkflowExecute,
} from 'n8n-core';
import { createRunExecutionData, deepCopy, UnexpectedError, Workflow } from 'n8n-workflow';
import type {
	IBinaryData,
	IConnections,
	ICredentialsDecrypted,
	IDataObject,
	IExecuteData,
	INode,
	INodeCredentialTestResult,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
	INodeTypes,
	IRun,
	IRunData,
	IVersionedNodeType,
	IWorkflowBase,
	IWorkflowExecuteAdditionalData,
	IWorkflowSettings,
	WorkflowActivateMode,
	WorkflowExecuteMode,
} from 'n8n-workflow';

import {
	applyCredentialDefaults,
	HarnessCredentialsHelper,
	type HarnessCredentials,
} from './credentials-helper';
import { installLogCapture, logMark, logsSince } from './logs';
import { HarnessRegistry, type CredentialClass, type NodeClass } from './registry';
import {
	HARNESS_START_TYPE,
	HarnessStart,
	releaseInput,
	stageInput,
	type HarnessInputItem,
} from './start-node';

export type { HarnessCredentials } from './credentials-helper';
export type { HarnessBinaryInput, HarnessInputItem } from './start-node';
export { HARNESS_START_TYPE } from './start-node';
export { allLogs, clearLogs } from './logs';
export type { NodeClass, CredentialClass } from './registry';

/** 'database' needs a manager registered first: `Container.get(BinaryDataService).setManager('database', …)` (bench/databaseStore.ts). */
export type BinaryMode = 'default' | 'filesystem' | 'database';
export type OnErrorSetting = 'stopWorkflow' | 'continueRegularOutput' | 'continueErrorOutput';

export interface RunNodeOptions {
	/** Our node's name (`powerPost`) or full type (`n8n-nodes-powerpost.powerPost`). Optional when `nodeClass` is given. */
	nodeType?: string;
	/** Run a class that is not in package.json (test fixtures). It is loaded through n8n-core's loader like a package node. */
	nodeClass?: NodeClass;
	/** Extra credential classes for fixture nodes (package credentials are always available). */
	credentialClasses?: CredentialClass[];
	parameters: Record<string, unknown>;
	credentials?: HarnessCredentials;
	/** Items fed into the node by a preceding node. Default: one empty item. */
	input?: HarnessInputItem[];
	/** 'default' keeps binaries in memory (base64 in the item); 'filesystem' is n8n's filesystem mode (the n8n 2.x default). Default: 'default'. */
	binaryMode?: BinaryMode;
	onError?: OnErrorSetting;
	/** Workflow settings.timezone (what `this.getTimezone()` returns). */
	timezone?: string;
	/** Cancel the execution after N ms (like pressing "stop" in n8n). */
	abortAfterMs?: number;
	/** Node typeVersion. Default: the latest. */
	typeVersion?: number;
	/** Node name in the workflow. Default: description.defaults.name. */
	nodeName?: string;
	/** Execution mode. Default 'manual' (a test run from the editor); use 'trigger' / 'webhook' / 'integrated' for production-like runs. */
	mode?: WorkflowExecuteMode;
	/** Node settings that n8n stores on the node. */
	retryOnFail?: boolean;
	maxTries?: number;
	waitBetweenTries?: number;
	alwaysOutputData?: boolean;
	executeOnce?: boolean;
	/** Extra workflow settings. */
	settings?: IWorkflowSettings;
}

export type RunStatus = 'success' | 'error' | 'canceled';

export interface RunNodeResult {
	/** 'canceled' when the run was stopped (abortAfterMs). */
	status: RunStatus;
	/** Items per output index of the node under test (output 1 = error output with continueErrorOutput). */
	outputs: INodeExecutionData[][];
	/** The node's error (stopWorkflow) or the workflow error. */
	error?: Error & Record<string, unknown>;
	/** Everything n8n's logger printed during this run. */
	logs: string[];
	/** Full run data, for anything else (`runData[nodeName][0].executionStatus`, hints, metadata). */
	runData: IRunData;
	nodeName: string;
	/** Wall time of the execution in ms. */
	durationMs: number;
}

export interface RunWorkflowOptions {
	credentials?: HarnessCredentials;
	credentialClasses?: CredentialClass[];
	/** Extra node classes referenced by type in the workflow (use the returned `registerNodeClass` name). */
	nodeClasses?: NodeClass[];
	binaryMode?: BinaryMode;
	abortAfterMs?: number;
	mode?: WorkflowExecuteMode;
	/** Node to start from. Default: the harness start node if present, else the first node without incoming main connections. */
	startNodeName?: string;
	/** Items emitted by a harness start node (type HARNESS_START_TYPE) in the workflow. */
	input?: HarnessInputItem[];
	staticData?: IDataObject;
}

export interface RunWorkflowResult {
	status: RunStatus;
	runData: IRunData;
	/** Output (all output indexes) of the last node that ran. */
	lastNodeOutput: INodeExecutionData[][];
	lastNodeExecuted?: string;
	error?: Error & Record<string, unknown>;
	logs: string[];
	durationMs: number;
	run: IRun;
}

export interface RunPollOptions {
	nodeType?: string;
	nodeClass?: NodeClass;
	credentialClasses?: CredentialClass[];
	parameters: Record<string, unknown>;
	credentials?: HarnessCredentials;
	/** The node's static data (`this.getWorkflowStaticData('node')`) before the poll. */
	staticData?: IDataObject;
	/** Global static data (`getWorkflowStaticData('global')`) before the poll. */
	globalStaticData?: IDataObject;
	/** 'trigger' = an active workflow polling on schedule; 'manual' = "Fetch test event" in the editor. Default 'trigger'. */
	mode?: 'trigger' | 'manual';
	timezone?: string;
	binaryMode?: BinaryMode;
	typeVersion?: number;
	nodeName?: string;
	/** Workflow id (default: a new one per call). Polls of one trigger share it. */
	workflowId?: string;
}

export interface RunPollResult {
	/** What poll() returned (null = nothing new, n8n does not start an execution). */
	items: INodeExecutionData[][] | null;
	/** Node static data after the poll: feed it to the next runPoll. */
	staticData: IDataObject;
	globalStaticData: IDataObject;
	error?: Error & Record<string, unknown>;
	logs: string[];
}

// ---------------------------------------------------------------------------
// one-time environment
// ---------------------------------------------------------------------------

interface HarnessEnv {
	registry: HarnessRegistry;
	binaryData: BinaryDataService;
}

let envPromise: Promise<HarnessEnv> | undefined;

async function getEnv(): Promise<HarnessEnv> {
	envPromise ??= (async () => {
		installLogCapture();
		const binaryData = Container.get(BinaryDataService);
		await binaryData.init();
		const registry = new HarnessRegistry();
		registry.loadPackage();
		registry.registerNodeInstance(HARNESS_START_TYPE, new HarnessStart());
		return { registry, binaryData };
	})();
	return await envPromise;
}

/** The loaded node/credential registry (loads on first use). */
export async function getRegistry(): Promise<HarnessRegistry> {
	return (await getEnv()).registry;
}

function setBinaryMode(binaryData: BinaryDataService, mode: BinaryMode = 'default'): void {
	(binaryData as unknown as { mode: string }).mode = mode === 'filesystem' ? 'filesystem-v2' : mode;
}

/** Read the bytes of a binary property of an output item, in either binary mode. */
export async function readBinary(binary: IBinaryData): Promise<Buffer> {
	const { binaryData } = await getEnv();
	return await binaryData.getAsBuffer(binary);
}

let executionCounter = 0;

function latestVersion(type: INodeType | IVersionedNodeType): number {
	if ('nodeVersions' in type) return type.currentVersion;
	const v = type.description.version;
	return Array.isArray(v) ? Math.max(...v) : v;
}

function describe(type: INodeType | IVersionedNodeType, version?: number): INodeTypeDescription {
	if ('nodeVersions' in type) {
		return type.nodeVersions[version ?? type.currentVersion].description;
	}
	return type.description;
}

function nodeCredentials(
	description: INodeTypeDescription,
	credentials: HarnessCredentials | undefined,
): INode['credentials'] {
	const result: NonNullable<INode['credentials']> = {};
	const names = new Set([
		...(description.credentials ?? []).map((c) => c.name),
		...Object.keys(credentials ?? {}),
	]);
	for (const name of names) {
		if (credentials?.[name] === undefined) continue;
		result[name] = { id: `harness-${name}`, name: `${name} (harness)` };
	}
	return Object.keys(result).length ? result : undefined;
}

function buildAdditionalData(args: {
	credentialsHelper: HarnessCredentialsHelper;
	hooks?: ExecutionLifecycleHooks;
	executionId: string;
	workflowId: string;
	settings?: IWorkflowSettings;
}): IWorkflowExecuteAdditionalData {
	const base = 'http://localhost:5678';
	const additionalData: Partial<IWorkflowExecuteAdditionalData> = {
		credentialsHelper: args.credentialsHelper,
		hooks: args.hooks,
		executionId: args.executionId,
		workflowId: args.workflowId,
		userId: 'harness-user',
		currentNodeExecutionIndex: 0,
		restApiUrl: `${base}/rest`,
		instanceBaseUrl: `${base}/`,
		formBaseUrl: `${base}/form`,
		formWaitingBaseUrl: `${base}/form-waiting`,
		formTestBaseUrl: `${base}/form-test`,
		webhookBaseUrl: `${base}/webhook`,
		webhookWaitingBaseUrl: `${base}/webhook-waiting`,
		webhookTestBaseUrl: `${base}/webhook-test`,
		mcpBaseUrl: `${base}/mcp`,
		mcpTestBaseUrl: `${base}/mcp-test`,
		variables: {},
		externalSecretsProxy: new ExternalSecretsProxy(),
		workflowSettings: args.settings,
		executeWorkflow: async () => {
			throw new UnexpectedError('executeWorkflow (sub-workflows) is not available in the test harness');
		},
		getRunExecutionData: async () => undefined,
		getRuntimeCredential: async () => undefined,
		logAiEvent: () => {},
		setExecutionStatus: () => {},
		sendDataToUI: () => {},
	};
	return additionalData as IWorkflowExecuteAdditionalData;
}

function toError(value: unknown): (Error & Record<string, unknown>) | undefined {
	if (value === undefined || value === null) return undefined;
	return value as Error & Record<string, unknown>;
}

function statusOf(run: IRun): RunStatus {
	if (run.status === 'canceled') return 'canceled';
	if (run.status === 'success' && !run.data.resultData.error) return 'success';
	return 'error';
}

async function registerClasses(
	registry: HarnessRegistry,
	nodeClasses: NodeClass[] = [],
	credentialClasses: CredentialClass[] = [],
): Promise<string[]> {
	for (const cls of credentialClasses) registry.registerCredentialClass(cls);
	return nodeClasses.map((cls) => registry.registerNodeClass(cls));
}

/** Register a fixture node class and get its full type name, for use in runWorkflow nodes. */
export async function registerNodeClass(cls: NodeClass): Promise<string> {
	return (await getEnv()).registry.registerNodeClass(cls);
}

/** Register a fixture credential class; returns the credential type name. */
export async function registerCredentialClass(cls: CredentialClass): Promise<string> {
	return (await getEnv()).registry.registerCredentialClass(cls);
}

// ---------------------------------------------------------------------------
// workflows
// ---------------------------------------------------------------------------

async function execute(
	workflowData: { nodes: INode[]; connections: IConnections; settings?: IWorkflowSettings },
	opts: RunWorkflowOptions,
): Promise<RunWorkflowResult> {
	const env = await getEnv();
	await registerClasses(env.registry, opts.nodeClasses, opts.credentialClasses);
	setBinaryMode(env.binaryData, opts.binaryMode);
	const mark = logMark();
	const started = Date.now();

	const executionId = String(++executionCounter);
	const workflowId = `harnessWf${executionCounter}`;
	const mode = opts.mode ?? 'manual';
	const settings: IWorkflowSettings = { executionOrder: 'v1', ...(workflowData.settings ?? {}) };
	const nodes = structuredClone(workflowData.nodes);

	let inputKey: string | undefined;
	if (opts.input) {
		inputKey = stageInput(opts.input);
		for (const node of nodes) {
			if (node.type === HARNESS_START_TYPE) node.parameters = { ...node.parameters, inputKey };
		}
	}

	const workflow = new Workflow({
		id: workflowId,
		name: 'Harness workflow',
		nodes,
		connections: workflowData.connections,
		active: false,
		nodeTypes: env.registry.nodeTypes,
		settings,
		staticData: opts.staticData,
	});

	const startNode = pickStartNode(workflow, nodes, opts.startNodeName);
	const credentialsHelper = new HarnessCredentialsHelper(env.registry, opts.credentials ?? {});
	const workflowBase: IWorkflowBase = {
		id: workflowId,
		name: 'Harness workflow',
		active: false,
		isArchived: false,
		nodes,
		connections: workflowData.connections,
		settings,
		createdAt: new Date(),
		updatedAt: new Date(),
	} as IWorkflowBase;
	const hooks = new ExecutionLifecycleHooks(mode, executionId, workflowBase);
	let resolveRun!: (run: IRun) => void;
	let rejectRun!: (error: unknown) => void;
	const finished = {
		promise: new Promise<IRun>((resolve, reject) => {
			resolveRun = resolve;
			rejectRun = reject;
		}),
		resolve: (run: IRun) => resolveRun(run),
		reject: (error: unknown) => rejectRun(error),
	};
	hooks.addHandler('workflowExecuteAfter', (run) => finished.resolve(run));

	const additionalData = buildAdditionalData({
		credentialsHelper,
		hooks,
		executionId,
		workflowId,
		settings,
	});

	const runExecutionData = createRunExecutionData({
		executionData: {
			nodeExecutionStack: [{ node: startNode, data: { main: [[{ json: {} }]] }, source: null }],
		},
	});

	const workflowExecute = new WorkflowExecute(additionalData, mode, runExecutionData);
	const running = workflowExecute.processRunExecutionData(workflow);
	running.then(
		(run) => finished.resolve(run),
		(error: unknown) => finished.reject(error),
	);
	const timer =
		opts.abortAfterMs !== undefined ? setTimeout(() => running.cancel(), opts.abortAfterMs) : undefined;
	let run: IRun;
	try {
		run = await finished.promise;
	} finally {
		if (timer) clearTimeout(timer);
		if (inputKey) releaseInput(inputKey);
	}

	const { runData, lastNodeExecuted, error } = run.data.resultData;
	const last = lastNodeExecuted ? runData[lastNodeExecuted]?.at(-1) : undefined;
	return {
		status: statusOf(run),
		runData,
		lastNodeExecuted,
		lastNodeOutput: (last?.data?.main ?? []).map((items) => items ?? []),
		error: toError(error),
		logs: logsSince(mark),
		durationMs: Date.now() - started,
		run,
	};
}

function pickStartNode(workflow: Workflow, nodes: INode[], startNodeName?: string): INode {
	if (startNodeName) {
		const node = workflow.getNode(startNodeName);
		if (!node) throw new UnexpectedError(`Start node "${startNodeName}" is not in the workflow`);
		return node;
	}
	const enabled = nodes.filter((n) => !n.disabled);
	const harnessStart = enabled.find((n) => n.type === HARNESS_START_TYPE);
	if (harnessStart) return workflow.getNode(harnessStart.name)!;
	const withoutInputs = enabled.find(
		(n) => !(workflow.connectionsByDestinationNode[n.name]?.main ?? []).some((c) => c?.length),
	);
	if (!withoutInputs) throw new UnexpectedError('Could not find a start node; pass startNodeName');
	return workflow.getNode(withoutInputs.name)!;
}

/** Run a whole workflow (multi-node flows). Use HARNESS_START_TYPE as the first node to feed `input` items. */
export async function runWorkflow(
	workflow: { nodes: INode[]; connections: IConnections; settings?: IWorkflowSettings },
	opts: RunWorkflowOptions = {},
): Promise<RunWorkflowResult> {
	return await execute(workflow, opts);
}

async function resolveNodeUnderTest(opts: {
	nodeType?: string;
	nodeClass?: NodeClass;
	credentialClasses?: CredentialClass[];
	typeVersion?: number;
}): Promise<{ fullType: string; type: INodeType | IVersionedNodeType; version: number; description: INodeTypeDescription }> {
	const { registry } = await getEnv();
	await registerClasses(registry, [], opts.credentialClasses);
	let fullType: string;
	if (opts.nodeClass) fullType = registry.registerNodeClass(opts.nodeClass);
	else if (opts.nodeType) fullType = registry.fullName(opts.nodeType);
	else throw new UnexpectedError('runNode: pass nodeType or nodeClass');
	const type = registry.nodeTypes.getByName(fullType);
	const version = opts.typeVersion ?? latestVersion(type);
	return { fullType, type, version, description: describe(type, version) };
}

/** Run one node, fed by a start node emitting `input`, inside the real WorkflowExecute. */
export async function runNode(opts: RunNodeOptions): Promise<RunNodeResult> {
	const { fullType, version, description } = await resolveNodeUnderTest(opts);
	const nodeName = opts.nodeName ?? description.defaults?.name ?? description.displayName;
	const start: INode = {
		id: 'harness-start',
		name: nodeName === 'Start' ? 'Harness Start' : 'Start',
		type: HARNESS_START_TYPE,
		typeVersion: 1,
		position: [0, 0],
		parameters: {},
	};
	const node: INode = {
		id: 'harness-node-under-test',
		name: nodeName,
		type: fullType,
		typeVersion: version,
		position: [200, 0],
		parameters: structuredClone(opts.parameters) as INode['parameters'],
		credentials: nodeCredentials(description, opts.credentials),
		...(opts.onError ? { onError: opts.onError } : {}),
		...(opts.retryOnFail !== undefined ? { retryOnFail: opts.retryOnFail } : {}),
		...(opts.maxTries !== undefined ? { maxTries: opts.maxTries } : {}),
		...(opts.waitBetweenTries !== undefined ? { waitBetweenTries: opts.waitBetweenTries } : {}),
		...(opts.alwaysOutputData !== undefined ? { alwaysOutputData: opts.alwaysOutputData } : {}),
		...(opts.executeOnce !== undefined ? { executeOnce: opts.executeOnce } : {}),
	};
	const connections: IConnections = {
		[start.name]: { main: [[{ node: nodeName, type: 'main', index: 0 }]] },
	};
	const result = await execute(
		{
			nodes: [start, node],
			connections,
			settings: { ...(opts.settings ?? {}), ...(opts.timezone ? { timezone: opts.timezone } : {}) },
		},
		{
			credentials: opts.credentials,
			binaryMode: opts.binaryMode,
			abortAfterMs: opts.abortAfterMs,
			mode: opts.mode,
			input: opts.input ?? [{ json: {} }],
			startNodeName: start.name,
		},
	);
	const task = result.runData[nodeName]?.at(-1);
	const startTask = result.runData[start.name]?.at(-1);
	const error = toError(task?.error) ?? toError(startTask?.error) ?? result.error;
	return {
		status: result.status,
		outputs: (task?.data?.main ?? []).map((items) => items ?? []),
		error,
		logs: result.logs,
		runData: result.runData,
		nodeName,
		durationMs: result.durationMs,
	};
}

// ---------------------------------------------------------------------------
// polling
// ---------------------------------------------------------------------------

/**
 * Call the node's poll() through n8n-core's real PollContext (the way
 * TriggersAndPollers runs it), with workflow static data like n8n keeps it.
 */
export async function runPoll(opts: RunPollOptions): Promise<RunPollResult> {
	const env = await getEnv();
	setBinaryMode(env.binaryData, opts.binaryMode);
	const { fullType, version, description } = await resolveNodeUnderTest(opts);
	const mark = logMark();
	const mode = opts.mode ?? 'trigger';
	const nodeName = opts.nodeName ?? description.defaults?.name ?? description.displayName;
	const node: INode = {
		id: 'harness-poll-node',
		name: nodeName,
		type: fullType,
		typeVersion: version,
		position: [0, 0],
		parameters: structuredClone(opts.parameters) as INode['parameters'],
		credentials: nodeCredentials(description, opts.credentials),
	};
	const executionId = String(++executionCounter);
	const workflowId = opts.workflowId ?? `harnessWf${executionCounter}`;
	const staticData: IDataObject = {};
	if (opts.globalStaticData) staticData.global = structuredClone(opts.globalStaticData);
	if (opts.staticData) staticData[`node:${nodeName}`] = structuredClone(opts.staticData);
	const settings: IWorkflowSettings = opts.timezone ? { timezone: opts.timezone } : {};
	const workflow = new Workflow({
		id: workflowId,
		name: 'Harness poll workflow',
		nodes: [node],
		connections: {},
		active: mode === 'trigger',
		nodeTypes: env.registry.nodeTypes,
		settings,
		staticData,
	});
	const credentialsHelper = new HarnessCredentialsHelper(env.registry, opts.credentials ?? {});
	const additionalData = buildAdditionalData({ credentialsHelper, executionId, workflowId, settings });
	const activation: WorkflowActivateMode = mode === 'manual' ? 'manual' : 'activate';
	const emitted: INodeExecutionData[][][] = [];
	const context = new PollContext(
		workflow,
		workflow.getNode(nodeName)!,
		additionalData,
		mode,
		activation,
		(data) => emitted.push(data),
		() => {},
	);
	let items: INodeExecutionData[][] | null = null;
	let error: (Error & Record<string, unknown>) | undefined;
	try {
		items = await Container.get(TriggersAndPollers).runPollFunction(workflow, workflow.getNode(nodeName)!, context);
	} catch (e) {
		error = toError(e);
	}
	const data = workflow.staticData as IDataObject;
	return {
		items,
		staticData: deepCopy((data[`node:${nodeName}`] as IDataObject | undefined) ?? {}),
		globalStaticData: deepCopy((data.global as IDataObject | undefined) ?? {}),
		error,
		logs: logsSince(mark),
	};
}

// ---------------------------------------------------------------------------
// credential test
// ---------------------------------------------------------------------------

/**
 * Perform a credential type's `test` request the way n8n's CredentialsTester
 * does: the request runs through n8n-core's RoutingNode (expressions in
 * baseURL / url / qs resolved with `$credentials`, `authenticate` applied,
 * sent with n8n's HTTP helper); `responseCode` rules map an error status to
 * their message, any other non-2xx status fails, `responseSuccessBody` rules
 * are checked on success.
 */
export async function runCredentialTest(
	credentialType: string,
	data: Record<string, unknown>,
	opts: { credentialClasses?: CredentialClass[] } = {},
): Promise<INodeCredentialTestResult & { logs: string[] }> {
	const env = await getEnv();
	await registerClasses(env.registry, [], opts.credentialClasses);
	const mark = logMark();
	const done = (r: INodeCredentialTestResult) => ({ ...r, logs: logsSince(mark) });
	const type = env.registry.get(credentialType);
	if (!type) throw new UnexpectedError(`Unknown credential type "${credentialType}"`);
	if (!type.test) return done({ status: 'Error', message: 'No testing function found for this credential.' });
	const testRequest = type.test;

	let decrypted: ICredentialsDecrypted;
	try {
		decrypted = {
			id: 'harness-credential-test',
			name: `${credentialType} (harness)`,
			type: credentialType,
			data: applyCredentialDefaults(type, structuredClone(data)),
		};
	} catch (error) {
		return done({ status: 'Error', message: String((error as Error).message) });
	}

	const nodeTypeCopy: INodeType = {
		description: {
			displayName: 'No Operation, do nothing',
			name: 'n8n-nodes-base.noOp',
			group: ['transform'],
			version: 1,
			description: 'Credential test stand-in',
			defaults: { name: 'No Operation, do nothing' },
			inputs: ['main'],
			outputs: ['main'],
			credentials: [{ name: credentialType, required: true }],
			properties: [
				{
					displayName: 'Temp',
					name: 'temp',
					type: 'string',
					routing: { request: testRequest.request },
					default: '',
				},
			],
		} as INodeTypeDescription,
	};
	const nodeTypes: INodeTypes = {
		getByName: () => nodeTypeCopy,
		getByNameAndVersion: () => nodeTypeCopy,
		getKnownTypes: () => ({}),
	} as unknown as INodeTypes;
	const node: INode = {
		id: 'temp',
		name: 'Temp-Node',
		type: nodeTypeCopy.description.name,
		typeVersion: 1,
		position: [0, 0],
		parameters: {},
		credentials: { [credentialType]: { id: decrypted.id, name: decrypted.name } },
	};
	const workflow = new Workflow({ nodes: [node], connections: {}, active: false, nodeTypes });
	const credentialsHelper = new HarnessCredentialsHelper(env.registry, { [credentialType]: data });
	const additionalData = buildAdditionalData({
		credentialsHelper,
		executionId: String(++executionCounter),
		workflowId: 'harness-credential-test',
	});
	const executeData: IExecuteData = { node, data: {}, source: null };
	const context = new ExecuteContext(
		workflow,
		node,
		additionalData,
		'internal',
		createRunExecutionData({ executionData: null }),
		0,
		[],
		{ main: [[{ json: {} }]] },
		executeData,
		[],
	);
	const routingNode = new RoutingNode(context, nodeTypeCopy, decrypted);

	let response: INodeExecutionData[][] | null | undefined;
	try {
		response = await routingNode.runNode();
	} catch (err) {
		const error = err as Error & { cause?: { response?: { status?: number; statusText?: string }; code?: string } };
		const res = error.cause?.response;
		if (res) {
			const statusCode = res.status ?? 0;
			for (const rule of testRequest.rules ?? []) {
				if (rule.type === 'responseCode' && statusCode === rule.properties.value) {
					return done({ status: 'Error', message: rule.properties.message });
				}
			}
			if (statusCode < 199 || statusCode > 299) {
				return done({
					status: 'Error',
					message: res.statusText || `Received HTTP status code: ${statusCode}`,
				});
			}
		} else if (error.cause?.code) {
			return done({ status: 'Error', message: error.cause.code });
		}
		return done({ status: 'Error', message: String(error.message) });
	}

	for (const rule of testRequest.rules ?? []) {
		if (rule.type === 'responseSuccessBody') {
			const body = response?.[0]?.[0]?.json as IDataObject | undefined;
			if (getPath(body, rule.properties.key) === rule.properties.value) {
				return done({ status: 'Error', message: rule.properties.message });
			}
		}
	}
	return done({ status: 'OK', message: 'Connection successful!' });
}

/** lodash `get`, as n8n's credential tester uses it: it also indexes into strings (`get('<html', '0')` is `'<'`). */
function getPath(obj: unknown, key: string): unknown {
	let current: unknown = obj;
	for (const part of key.split('.')) {
		if (current === null || current === undefined) return undefined;
		current = (current as Record<string, unknown>)[part];
	}
	return current;
}
