/**
 * The harness's start node: a stand-in for "Manual Trigger" + a node that
 * produced the items fed into the node under test. It turns the test's input
 * spec into n8n items, storing binaries through the real
 * `this.helpers.prepareBinaryData` (so filesystem mode writes them to the
 * binary data store, streaming files given by path).
 */
import { createReadStream } from 'node:fs';
import path from 'node:path';

import { NodeConnectionTypes } from 'n8n-workflow';
import type {
	IBinaryKeyData,
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';

export const HARNESS_START_TYPE = 'n8n-nodes-harness.start';

export type HarnessBinaryInput =
	| { data: Buffer | string /* base64 */; mimeType: string; fileName?: string }
	| { filePath: string; mimeType: string; fileName?: string };

export interface HarnessInputItem {
	json: Record<string, unknown>;
	binary?: Record<string, HarnessBinaryInput>;
}

const pending = new Map<string, HarnessInputItem[]>();
let counter = 0;

/** Park input items for a start node; returns the key to put in its `inputKey` parameter. */
export function stageInput(items: HarnessInputItem[]): string {
	const key = `input-${++counter}`;
	pending.set(key, items);
	return key;
}

export function releaseInput(key: string): void {
	pending.delete(key);
}

export class HarnessStart implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Harness Start',
		name: HARNESS_START_TYPE,
		group: ['input'],
		version: 1,
		description: 'Emits the items a test feeds into the next node',
		defaults: { name: 'Start' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		properties: [
			{
				displayName: 'Input Key',
				name: 'inputKey',
				type: 'string',
				default: '',
			},
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const key = this.getNodeParameter('inputKey', 0) as string;
		const items = pending.get(key) ?? [{ json: {} }];
		const out: INodeExecutionData[] = [];
		for (const item of items) {
			const binary: IBinaryKeyData = {};
			for (const [property, spec] of Object.entries(item.binary ?? {})) {
				if ('filePath' in spec) {
					binary[property] = await this.helpers.prepareBinaryData(
						createReadStream(spec.filePath),
						spec.fileName ?? path.basename(spec.filePath),
						spec.mimeType,
					);
				} else {
					const buffer = typeof spec.data === 'string' ? Buffer.from(spec.data, 'base64') : spec.data;
					binary[property] = await this.helpers.prepareBinaryData(buffer, spec.fileName, spec.mimeType);
				}
			}
			out.push({
				json: structuredClone(item.json) as IDataObject,
				...(Object.keys(binary).length ? { binary } : {}),
				pairedItem: { item: 0 },
			});
		}
		return [out];
	}
}
