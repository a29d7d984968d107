import type { IBinaryData, IDataObject, IExecuteFunctions } from 'n8n-workflow';

import type { Checker } from './validation';

/**
 * Files from a previous node: find the binary property (with an error that says what the item has
 * instead), learn its size without loading it, and open it as a stream for each attempt.
 */

/**
 * What every binary upload reads first, checked in this order: "Input Binary Field" (parameter
 * `binaryPropertyName`), the "Options" collection and its "Timeout (Seconds)" (10 to 7200, default
 * 600), then the file itself.
 */
export function readUploadInput(ctx: IExecuteFunctions, check: Checker, itemIndex: number): { binary: IBinaryData; options: IDataObject; timeout: number } {
	const property = check.requiredText('Input Binary Field', ctx.getNodeParameter('binaryPropertyName', itemIndex, 'data'));
	const options = ctx.getNodeParameter('options', itemIndex, {}) as IDataObject;
	const timeout = check.integer('Timeout (Seconds)', options.timeout ?? 600, { min: 10, max: 7200 });
	return { binary: inputBinary(ctx, check, itemIndex, property), options, timeout };
}

/** The binary property to upload, or an error naming the field and what the item has instead. */
export function inputBinary(ctx: IExecuteFunctions, check: Checker, itemIndex: number, property: string): IBinaryData {
	const item = ctx.getInputData()[itemIndex];
	const binaries = item?.binary ?? {};
	const names = Object.keys(binaries);
	if (names.length === 0) {
		check.fail(
			'Input Binary Field',
			`the input item has no binary data, only JSON, so there is no file "${property}" to upload`,
			'a binary property from a node that outputs files, e.g. Read/Write Files from Disk, HTTP Request (Response Format: File) or a Google Drive download',
		);
	}
	const binary = binaries[property];
	if (!binary) {
		check.fail(
			'Input Binary Field',
			`the input item has no binary property "${property}"`,
			`a binary property of this item: ${names.map((name) => `"${name}"`).join(', ')}`,
		);
	}
	return binary;
}

/** Whether the file lives in n8n's binary store (filesystem, S3, database) rather than in the item. */
export function isStored(binary: IBinaryData): binary is IBinaryData & { id: string } {
	return typeof binary.id === 'string' && binary.id !== '';
}

/** The file's size in bytes: from the store's metadata, or from the base64 data in the item. */
export async function binarySize(ctx: IExecuteFunctions, binary: IBinaryData): Promise<number> {
	return isStored(binary) ? (await ctx.helpers.getBinaryMetadata(binary.id)).fileSize : Buffer.byteLength(binary.data ?? '', 'base64');
}

/**
 * Opens a stored file as a Readable of `wrap(source)` chunks, made with the source stream's own
 * class (node code may not import 'stream'). Called anew for each attempt: a consumed stream
 * cannot be resent.
 */
export async function openStoredStream(
	ctx: IExecuteFunctions,
	id: string,
	wrap: (source: AsyncIterable<Buffer | string>) => AsyncIterable<Buffer>,
): Promise<NodeJS.ReadableStream> {
	const source = await ctx.helpers.getBinaryStream(id);
	const Readable = source.constructor as unknown as {
		from(iterable: AsyncIterable<Buffer>, options?: { objectMode?: boolean }): NodeJS.ReadableStream;
	};
	return Readable.from(wrap(source), { objectMode: false });
}
