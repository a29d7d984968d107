/**
 * The way peer nodes upload media (bench only, not part of the package): the whole binary read
 * into memory, turned into a base64 data URI and sent inside a JSON body.
 */
import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

export class PeerStyleUpload implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Peer-Style Upload',
		name: 'peerStyleUpload',
		group: ['transform'],
		version: 1,
		description: 'Uploads a binary as a base64 data URI in a JSON body',
		defaults: { name: 'Peer-Style Upload' },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		properties: [{ displayName: 'URL', name: 'url', type: 'string', default: '' }],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const url = this.getNodeParameter('url', 0) as string;
		const binary = this.getInputData()[0].binary!.data;
		const buffer = await this.helpers.getBinaryDataBuffer(0, 'data');
		const file = `data:${binary.mimeType};base64,${buffer.toString('base64')}`;
		const answer = await this.helpers.httpRequest({ method: 'POST', url, body: { file, type: 'video', file_name: binary.fileName }, json: true });
		return [[{ json: answer as INodeExecutionData['json'] }]];
	}
}

/**
 * The floor for any node (bench only): n8n's own read of the binary, nothing else. It opens the
 * stream the way our upload does (`getBinaryStream`) and drops every chunk; what this costs is what
 * the binary-data mode itself costs to read a file.
 */
export class StoreReadOnly implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Store Read Only',
		name: 'storeReadOnly',
		group: ['transform'],
		version: 1,
		description: 'Reads a binary from the store and discards it',
		defaults: { name: 'Store Read Only' },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		properties: [],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const binary = this.getInputData()[0].binary!.data;
		let bytes = 0;
		if (binary.id) {
			for await (const chunk of await this.helpers.getBinaryStream(binary.id)) bytes += (chunk as Buffer).length;
		} else {
			bytes = Buffer.from(binary.data, 'base64').length;
		}
		return [[{ json: { bytes } }]];
	}
}
