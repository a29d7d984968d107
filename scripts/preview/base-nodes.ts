// Stand-ins for the few n8n-nodes-base nodes the examples use, for the demo's in-process preview
// (scripts/preview/run.ts). n8n-nodes-base is not a dependency of this repository (it comes with
// the full n8n), so these implement only what the examples use and fail with a clear message on
// anything else. Our own nodes never run through them: they run from their sources, as in n8n.
//
//   Manual Trigger  → one empty item
//   Set 3.x         → "Manual Mapping" assignments (string, number, boolean, array, object)
//   Code 2          → JavaScript, "Run Once for All Items" / "Run Once for Each Item", with n8n's
//                     expression variables ($input, $json, $('Node'), $now, DateTime, …) from the
//                     workflow data proxy, as the Code node's legacy sandbox provided them
import vm from 'node:vm';

import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

function description(
	name: string,
	displayName: string,
	version: number | number[],
	inputs: boolean,
	properties: INodeProperties[] = [],
): INodeTypeDescription {
	return {
		displayName: `${displayName} (preview stand-in)`,
		name,
		group: [inputs ? 'transform' : 'trigger'],
		version,
		description: `Stand-in for n8n's ${displayName} node in the in-process preview`,
		defaults: { name: displayName },
		inputs: inputs ? ['main'] : [],
		outputs: ['main'],
		properties,
	} as unknown as INodeTypeDescription;
}

export class ManualTriggerStandIn implements INodeType {
	description = description('manualTrigger', 'Manual Trigger', 1, false);

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return [[{ json: {} }]];
	}
}

interface Assignment {
	name: string;
	value: unknown;
	type?: string;
}

function convert(ctx: IExecuteFunctions, a: Assignment, itemIndex: number): unknown {
	const fail = (what: string) => new NodeOperationError(ctx.getNode(), `Set: "${a.name}" ${what}`, { itemIndex });
	switch (a.type ?? 'string') {
		case 'string':
			return a.value === null || a.value === undefined ? '' : typeof a.value === 'string' ? a.value : JSON.stringify(a.value);
		case 'number': {
			const n = Number(a.value);
			if (Number.isNaN(n)) throw fail(`is not a number: ${String(a.value)}`);
			return n;
		}
		case 'boolean':
			if (typeof a.value === 'boolean') return a.value;
			if (a.value === 'true' || a.value === 'false') return a.value === 'true';
			throw fail(`is not a boolean: ${String(a.value)}`);
		case 'array':
		case 'object': {
			const v = typeof a.value === 'string' ? (JSON.parse(a.value) as unknown) : a.value;
			if ((a.type === 'array') !== Array.isArray(v)) throw fail(`is not ${a.type === 'array' ? 'an array' : 'an object'}`);
			return v;
		}
		default:
			throw fail(`has type "${a.type}", which the preview does not support (the full n8n run does)`);
	}
}

export class SetStandIn implements INodeType {
	// the parameters the examples set (n8n keeps only parameters its description declares)
	description = description('set', 'Set', [3, 3.1, 3.2, 3.3, 3.4], true, [
		{ displayName: 'Mode', name: 'mode', type: 'string', default: 'manual' },
		{ displayName: 'Fields to Set', name: 'assignments', type: 'assignmentCollection', default: {} },
		{ displayName: 'Include Other Input Fields', name: 'includeOtherFields', type: 'boolean', default: false },
		{ displayName: 'Options', name: 'options', type: 'json', default: {} },
	]);

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const items = this.getInputData();
		const out: INodeExecutionData[] = [];
		for (let i = 0; i < items.length; i++) {
			const mode = this.getNodeParameter('mode', i, 'manual') as string;
			const includeOtherFields = this.getNodeParameter('includeOtherFields', i, false) as boolean;
			if (mode !== 'manual') throw new NodeOperationError(this.getNode(), `Set: mode "${mode}" is not supported in the preview`, { itemIndex: i });
			const { assignments = [] } = this.getNodeParameter('assignments', i, {}) as { assignments?: Assignment[] };
			const json: IDataObject = includeOtherFields ? { ...items[i].json } : {};
			for (const a of assignments) json[a.name] = convert(this, a, i) as IDataObject[string];
			out.push({ json, pairedItem: { item: i } });
		}
		return [out];
	}
}

function toItem(value: unknown, index: number): INodeExecutionData {
	const v = value as IDataObject;
	const json = v && typeof v === 'object' && 'json' in v ? (v.json as IDataObject) : v;
	return { json, pairedItem: { item: index } };
}

export class CodeStandIn implements INodeType {
	description = description('code', 'Code', [1, 2], true, [
		{ displayName: 'Mode', name: 'mode', type: 'string', default: 'runOnceForAllItems' },
		{ displayName: 'Language', name: 'language', type: 'string', default: 'javaScript' },
		{ displayName: 'JavaScript', name: 'jsCode', type: 'string', default: '' },
	]);

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const language = this.getNodeParameter('language', 0, 'javaScript') as string;
		if (language !== 'javaScript') throw new NodeOperationError(this.getNode(), `Code: ${language} is not supported in the preview`);
		const mode = this.getNodeParameter('mode', 0, 'runOnceForAllItems') as string;
		const code = this.getNodeParameter('jsCode', 0) as string;
		const script = new vm.Script(`(async () => {\n${code}\n})()`, { filename: `${this.getNode().name}.js` });
		const run = async (itemIndex: number) => {
			const proxy = this.getWorkflowDataProxy(itemIndex) as unknown as Record<string, unknown>;
			const context = vm.createContext({ ...proxy, console });
			return await (script.runInContext(context) as Promise<unknown>);
		};
		if (mode === 'runOnceForAllItems') {
			const result = await run(0);
			const list = Array.isArray(result) ? result : [result];
			return [list.filter((r) => r !== undefined && r !== null).map((r, i) => toItem(r, Math.min(i, this.getInputData().length - 1)))];
		}
		const out: INodeExecutionData[] = [];
		const items = this.getInputData();
		for (let i = 0; i < items.length; i++) {
			const result = await run(i);
			if (result !== undefined && result !== null) out.push(toItem(result, i));
		}
		return [out];
	}
}

export class StickyNoteStandIn implements INodeType {
	description = description('stickyNote', 'Sticky Note', 1, false);
}

/** The stand-ins by n8n type name. */
export const BASE_STAND_INS: Record<string, () => INodeType> = {
	'n8n-nodes-base.manualTrigger': () => new ManualTriggerStandIn(),
	'n8n-nodes-base.set': () => new SetStandIn(),
	'n8n-nodes-base.code': () => new CodeStandIn(),
	'n8n-nodes-base.stickyNote': () => new StickyNoteStandIn(),
};
