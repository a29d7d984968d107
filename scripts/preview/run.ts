// The demo's first result: runs an example workflow file in this process, inside n8n-core's real
// WorkflowExecute (test/harness), against the sandbox, while the full n8n is still installing.
// Our nodes run from their sources exactly as n8n runs them (credential, requests, waiting,
// pairing); the n8n-nodes-base nodes of the examples run as stand-ins (./base-nodes.ts).
//
//   tsx scripts/preview/run.ts <example.json> --base-url <sandbox /api/v1 URL> --out <result.json>
//       [--key pp_live_sk_sandbox_full] [--workspace ws_sandbox_primary]
//
// Writes { ok, status, error, ms, data: { resultData: { runData } } } to --out (the shape of an
// `n8n execute --rawOutput` result, so scripts/n8n-driver.mjs summarizes both alike).
import { readFileSync, writeFileSync } from 'node:fs';

import type { IConnections, INode, IWorkflowSettings } from 'n8n-workflow';

import { getRegistry, runWorkflow } from '../../test/harness';
import { BASE_STAND_INS } from './base-nodes';

export interface PreviewCredentials {
	baseUrl: string;
	apiKey: string;
	workspaceId: string;
}

export interface PreviewResult {
	ok: boolean;
	status: string;
	error?: string;
	ms: number;
	data: { resultData: { runData: unknown } };
}

interface WorkflowFile {
	name?: string;
	nodes: INode[];
	connections: IConnections;
	settings?: IWorkflowSettings;
}

let registered = false;

async function registerStandIns(): Promise<void> {
	if (registered) return;
	const registry = await getRegistry();
	for (const [type, make] of Object.entries(BASE_STAND_INS)) registry.registerNodeInstance(type, make());
	registered = true;
}

/** Run one example workflow file in process. Never throws for a failed workflow. */
export async function runExamplePreview(file: string, credentials: PreviewCredentials): Promise<PreviewResult> {
	await registerStandIns();
	const workflow = JSON.parse(readFileSync(file, 'utf8')) as WorkflowFile;
	const unsupported = workflow.nodes
		.map((n) => n.type)
		.filter((t) => t.startsWith('n8n-nodes-base.') && !BASE_STAND_INS[t]);
	if (unsupported.length) {
		return { ok: false, status: 'skipped', error: `uses ${[...new Set(unsupported)].join(', ')}, which only the full n8n has`, ms: 0, data: { resultData: { runData: {} } } };
	}
	const nodes = workflow.nodes.filter((n) => n.type !== 'n8n-nodes-base.stickyNote');
	const started = Date.now();
	const run = await runWorkflow(
		{ nodes, connections: workflow.connections, settings: workflow.settings },
		{ credentials: { powerPostApi: { ...credentials } } },
	);
	const failed = Object.values(run.runData)
		.flatMap((runs) => runs)
		.find((r) => r.error);
	return {
		ok: run.status === 'success',
		status: run.status,
		error: run.error?.message ?? failed?.error?.message,
		ms: Date.now() - started,
		data: { resultData: { runData: run.runData } },
	};
}

function arg(argv: string[], name: string, fallback?: string): string {
	const i = argv.indexOf(name);
	const value = i >= 0 ? argv[i + 1] : fallback;
	if (value === undefined) throw new Error(`missing ${name}`);
	return value;
}

async function main(argv: string[]): Promise<number> {
	const file = argv[0];
	const out = arg(argv, '--out');
	const result = await runExamplePreview(file, {
		baseUrl: arg(argv, '--base-url'),
		apiKey: arg(argv, '--key', 'pp_live_sk_sandbox_full'),
		workspaceId: arg(argv, '--workspace', 'ws_sandbox_primary'),
	});
	writeFileSync(out, JSON.stringify(result));
	return result.ok ? 0 : 1;
}

if (require.main === module) {
	main(process.argv.slice(2)).then(
		(code) => process.exit(code),
		(err: unknown) => {
			console.error(err instanceof Error ? err.stack : String(err));
			process.exit(2);
		},
	);
}
