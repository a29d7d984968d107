import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

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
