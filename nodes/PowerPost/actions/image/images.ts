import type { IDataObject } from 'n8n-workflow';

import { jobError } from '../jobs';

/**
 * An image generation as output: the API's object plus `media_ids` (the IDs to attach to a
 * post) and `partial`: contract §7.2 says a job can end `failed` yet hold the images that
 * succeeded, so those are output (flagged, with the job's error) instead of being lost.
 */
export function imageOutput(generation: IDataObject): IDataObject {
	const images = Array.isArray(generation.images) ? (generation.images as IDataObject[]) : [];
	const out: IDataObject = { ...generation, images, media_ids: images.map((image) => image.media_id).filter((id) => typeof id === 'string') };
	if (generation.status === 'completed') out.partial = false;
	if (generation.status === 'failed' && images.length > 0) {
		const { code, message } = jobError(generation);
		out.partial = true;
		out.error = { code: code ?? null, message: message ?? 'Some images failed' };
	}
	return out;
}

/** True when a failed job produced nothing usable. */
export function failedWithoutImages(generation: IDataObject): boolean {
	return generation.status === 'failed' && !(Array.isArray(generation.images) && generation.images.length > 0);
}
