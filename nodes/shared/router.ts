import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties, JsonObject } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { failureOf } from './http';

/** What an operation gives back for one input item: one or more JSON objects (each becomes an output item). */
export type OperationResult = IDataObject | IDataObject[] | INodeExecutionData[];

/** One API operation: its parameters (shown by resource/operation) and what it does for one item. */
export interface Operation {
	description: INodeProperties[];
	execute(this: IExecuteFunctions, itemIndex: number): Promise<OperationResult>;
}

/** A resource: the operation selector and the operations behind it. */
export interface Resource {
	description: INodeProperties[];
	operations: Record<string, Operation>;
}

/**
 * The one item loop of an action node: dispatches each item to its operation, pairs every output
 * item with its input, and applies continueOnFail (n8n moves items carrying `error` to the error
 * output when the node is set to "Continue (using error output)").
 */
export function makeRouter(resources: Record<string, Resource>): (this: IExecuteFunctions) => Promise<INodeExecutionData[][]> {
	return async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const items = this.getInputData();
		const output: INodeExecutionData[] = [];

		for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
			try {
				const resource = this.getNodeParameter('resource', itemIndex) as string;
				const operation = this.getNodeParameter('operation', itemIndex) as string;
				const handler = resources[resource]?.operations[operation];
				if (!handler) {
					const allowed = resources[resource]
						? `Allowed operations of "${resource}": ${Object.keys(resources[resource].operations).join(', ')}`
						: `Allowed resources: ${Object.keys(resources).join(', ')}`;
					throw new NodeOperationError(this.getNode(), `The operation "${operation}" is not supported for resource "${resource}". ${allowed}`, {
						itemIndex,
					});
				}
				const result = await handler.execute.call(this, itemIndex);
				for (const entry of toItems(result)) {
					output.push({ ...entry, pairedItem: { item: itemIndex } });
				}
			} catch (error) {
				if (this.continueOnFail()) {
					// Only the keys error / message / details: n8n routes such items to the error output
					// ("Continue (using error output)") and keeps them as they are (an item with `error`
					// set would be cut down to the message alone).
					output.push({ json: errorJson(error), pairedItem: { item: itemIndex } });
					continue;
				}
				if (error instanceof NodeApiError) {
					if (error.context.itemIndex === undefined) error.context.itemIndex = itemIndex;
					// Hands back the same error on n8n 2.x; rebuilds it with the same message on 1.x.
					throw new NodeApiError(this.getNode(), error as unknown as JsonObject, {
						itemIndex,
						message: error.message,
						description: error.description ?? undefined,
						httpCode: error.httpCode ?? undefined,
					});
				}
				if (error instanceof NodeOperationError && error.context.itemIndex === undefined) error.context.itemIndex = itemIndex;
				throw new NodeOperationError(this.getNode(), error as Error, { itemIndex });
			}
		}
		return [output];
	};
}

function toItems(result: OperationResult): INodeExecutionData[] {
	const list = Array.isArray(result) ? result : [result];
	return list.map((entry) =>
		entry && typeof entry === 'object' && 'json' in entry && typeof (entry as INodeExecutionData).json === 'object'
			? (entry as INodeExecutionData)
			: { json: entry as IDataObject },
	);
}

function errorJson(error: unknown): IDataObject {
	const json: IDataObject = { error: (error as Error)?.message ?? String(error) };
	const details: IDataObject = {};
	const description = (error as { description?: unknown })?.description;
	if (typeof description === 'string' && description) details.description = description;
	const failure = failureOf(error);
	if (failure) {
		if (failure.code) details.code = failure.code;
		if (failure.status) details.httpCode = failure.status;
		if (failure.requestId) details.requestId = failure.requestId;
	}
	if (Object.keys(details).length) json.details = details;
	return json;
}
