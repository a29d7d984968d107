import type { IDataObject } from 'n8n-workflow';

export interface PlatformCaption extends IDataObject {
	platform: string;
	caption: string;
	title?: string;
}

/**
 * Flattens a generation's `outputs` (contract §6.3: `{ <platform>: string }`, YouTube as
 * `{ title, description }`) into a list that maps easily: `[{ platform, caption, title? }]`.
 */
export function flattenOutputs(outputs: unknown): PlatformCaption[] {
	if (!outputs || typeof outputs !== 'object' || Array.isArray(outputs)) return [];
	const captions: PlatformCaption[] = [];
	for (const [platform, value] of Object.entries(outputs as IDataObject)) {
		if (typeof value === 'string') {
			captions.push({ platform, caption: value });
		} else if (value && typeof value === 'object' && !Array.isArray(value)) {
			const { title, description, caption } = value as IDataObject;
			const text = typeof description === 'string' ? description : typeof caption === 'string' ? caption : '';
			const entry: PlatformCaption = { platform, caption: text };
			if (typeof title === 'string') entry.title = title;
			captions.push(entry);
		}
	}
	return captions;
}

/** A generation as output: the API's object plus `captions` when it has outputs. */
export function withCaptions(generation: IDataObject): IDataObject {
	if (generation.outputs === undefined || generation.outputs === null) return { ...generation };
	return { ...generation, captions: flattenOutputs(generation.outputs) };
}
