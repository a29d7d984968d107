import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError, updateDisplayOptions } from 'n8n-workflow';

import { attempt, describeFailure } from '../../../shared/actOnce';
import type { HttpCall } from '../../../shared/http';
import type { OperationResult } from '../../../shared/router';
import { Checker } from '../../../shared/validation';
import { waitForJob } from '../../../shared/wait';
import type { WaitDefaults } from '../../../shared/waitParameters';
import { readWaitSettings, waitProperties } from '../../../shared/waitParameters';
import { peRequest } from '../../transport';
import { compact, entriesOf, idPath } from '../common';
import { isLostAnswer, outcomeUnknown, rereads, tryRead } from '../lostAnswer';

/**
 * Contract §6.2 `POST /media/upload-from-url`: PostEverywhere fetches a public HTTPS file. Images are
 * ready at once; a video answers `media_status: "uploading"` (§15.8), and the node then polls
 * `GET /media/{id}` until it is `ready` (or `failed`, an error).
 */
const WAIT: WaitDefaults = {
	provider: 'PostEverywhere',
	resource: 'media',
	operation: 'uploadFromUrl',
	intervalSeconds: 5,
	timeoutSeconds: 900,
	noun: 'the file',
};

const properties: INodeProperties[] = [
	{
		displayName: 'URL',
		name: 'url',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'https://example.com/photo.jpg',
		description: 'Public HTTPS address of the image (or MP4 video) to import',
	},
	{ displayName: 'File Name', name: 'fileName', type: 'string', default: '', description: 'Name to store it under (default: from the URL)' },
	...waitProperties(WAIT),
];

export const description = updateDisplayOptions({ show: { resource: ['media'], operation: ['uploadFromUrl'] } }, properties);

export function mediaStatus(media: IDataObject): string {
	return String(media.media_status ?? media.status ?? media.upload_status ?? '');
}

/** The name PostEverywhere stores an import under: the File Name, else the URL's last path segment. */
export function importedName(body: IDataObject): string {
	if (typeof body.filename === 'string') return body.filename;
	const segment = new URL(String(body.url)).pathname.split('/').pop() ?? '';
	try {
		return decodeURIComponent(segment);
	} catch {
		return segment;
	}
}

/**
 * The import, sent once. After a lost answer the library (newest first, §6.3) is read for a file
 * newer than the newest one before, under the same name: that is the import. None: "Outcome unknown".
 */
async function importOnce(ctx: IExecuteFunctions, body: IDataObject, itemIndex: number): Promise<IDataObject> {
	const call: HttpCall = { method: 'POST', path: '/media/upload-from-url', body, itemIndex };
	const library = async (limit: number) => entriesOf(await peRequest<unknown>(ctx, { method: 'GET', path: '/media', qs: { limit }, itemIndex }), 'media');
	const idOf = (media: IDataObject) => String(media.media_id ?? media.id ?? '');
	const before = (await library(1))[0];
	const sent = await attempt(async () => await peRequest(ctx, call));
	if ('value' in sent) return sent.value;
	if (!isLostAnswer(sent.error)) throw sent.error;
	const name = importedName(body);
	let found: IDataObject | undefined;
	await rereads(ctx, itemIndex, async () => {
		const media = await tryRead(ctx, async () => await library(20));
		if (!media) return false;
		const beforeAt = before ? media.findIndex((item) => idOf(item) === idOf(before)) : media.length;
		found = media.slice(0, beforeAt < 0 ? 0 : beforeAt).find((item) => String(item.original_name ?? item.filename ?? '') === name);
		return found !== undefined;
	});
	if (!found) {
		throw outcomeUnknown(ctx, call, sent.error, {
			what: `Upload From URL of ${String(body.url)}`,
			seen: `no new file named "${name}" is in the library`,
			check: `Check Media → Get Many (newest first) for "${name}": if it is there, it was imported.`,
		});
	}
	return { ...found, media_id: idOf(found), media_status: mediaStatus(found), recovered_after: describeFailure(sent.error) };
}

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<OperationResult> {
	const check = new Checker(this.getNode(), itemIndex);
	const url = check.requiredText('URL', this.getNodeParameter('url', itemIndex, ''), { max: 2048 });
	let host = '';
	try {
		const parsed = new URL(url);
		if (parsed.protocol !== 'https:') throw new Error('not https');
		host = parsed.hostname;
	} catch {
		check.fail('URL', `"${url}" is not a public HTTPS URL`, 'an https:// address PostEverywhere can fetch');
	}
	if (/^(localhost|127\.|10\.|192\.168\.|169\.254\.|\[?::1\]?$)/.test(host)) check.fail('URL', `${host} is a private or local address`, 'a public https:// address');
	const body = compact({ url, filename: check.text('File Name', this.getNodeParameter('fileName', itemIndex, ''), { max: 255 }) });
	const settings = readWaitSettings(this, itemIndex, check, WAIT);

	const imported = await importOnce(this, body, itemIndex);
	if (!settings.wait || mediaStatus(imported) !== 'uploading') return imported;
	const mediaId = String(imported.media_id ?? imported.id ?? '');
	const { state } = await waitForJob<IDataObject>(this, {
		fetch: async () => await peRequest(this, { method: 'GET', path: `/media/${idPath(mediaId)}`, itemIndex }),
		isFinal: (media) => ['ready', 'failed'].includes(mediaStatus(media)),
		intervalMs: settings.intervalMs,
		timeoutMs: settings.timeoutMs,
		firstDelayMs: settings.firstDelayMs,
		what: `media ${mediaId}`,
		provider: 'PostEverywhere',
		describe: (media) => `status ${mediaStatus(media) || 'unknown'}`,
		itemIndex,
	});
	if (mediaStatus(state) === 'failed') {
		throw new NodeOperationError(this.getNode(), `PostEverywhere could not import ${url}: media ${mediaId} failed`, {
			itemIndex,
			description: 'Check that the URL is public and points at a supported image or MP4 video.',
		});
	}
	return { ...imported, ...state, media_id: mediaId, media_status: 'ready' };
}
