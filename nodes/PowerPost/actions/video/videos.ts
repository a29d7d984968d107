import type { IDataObject } from 'n8n-workflow';

/** A video generation as output: the API's object plus the video's `media_id` at the top, to attach it to a post. */
export function videoOutput(generation: IDataObject): IDataObject {
	const video = generation.video && typeof generation.video === 'object' ? (generation.video as IDataObject) : undefined;
	const out: IDataObject = { ...generation };
	if (video && typeof video.media_id === 'string') out.media_id = video.media_id;
	return out;
}
