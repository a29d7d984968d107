import type { IDataObject } from 'n8n-workflow';

/**
 * Contract §9, §14, §15.3–15.5: what a destination's state means for a user waiting on it.
 * `published` (or the older `done`) is success, `failed` with `next_retry_at` set is "failed, retry
 * pending" (PostEverywhere will try again by itself), `failed` without it is final; anything else
 * (`queued`, `publishing`) is still in flight.
 */
export type DestinationOutcome = 'published' | 'failed' | 'failed_retry_pending' | 'in_flight';

export function destinationOutcome(destination: IDataObject): DestinationOutcome {
	const status = String(destination.status ?? '');
	if (status === 'published' || status === 'done') return 'published';
	if (status === 'failed') return destination.next_retry_at ? 'failed_retry_pending' : 'failed';
	return 'in_flight';
}

/** The results of `GET /posts/{id}/results`: `data.results` or a bare array (older site, §4.6). */
export function resultsOf(body: unknown): IDataObject[] {
	if (Array.isArray(body)) return body as IDataObject[];
	const results = body && typeof body === 'object' ? (body as IDataObject).results : undefined;
	return Array.isArray(results) ? (results as IDataObject[]) : [];
}

/** Whether a wait on publishing can stop: every destination has an outcome (none in flight). */
export function isPublishSettled(body: unknown): boolean {
	const results = resultsOf(body);
	return results.length > 0 && results.every((result) => destinationOutcome(result) !== 'in_flight');
}

/**
 * One line per post: `published` (all), `failed` (all, none pending), `partially_failed` (some of
 * each), `failed_retry_pending` (nothing published yet, a retry pending), `in_flight`.
 */
export function summarizeResults(body: unknown): IDataObject {
	const results = resultsOf(body);
	const counts = { published: 0, failed: 0, failed_retry_pending: 0, in_flight: 0 };
	for (const result of results) counts[destinationOutcome(result)]++;
	let outcome: string;
	if (counts.in_flight > 0 || results.length === 0) outcome = 'in_flight';
	else if (counts.published === results.length) outcome = 'published';
	else if (counts.published > 0) outcome = 'partially_failed';
	else if (counts.failed_retry_pending > 0) outcome = 'failed_retry_pending';
	else outcome = 'failed';
	const root = body && typeof body === 'object' && !Array.isArray(body) ? (body as IDataObject) : {};
	return {
		post_id: root.post_id,
		post_status: root.post_status ?? root.status,
		outcome,
		published_count: counts.published,
		failed_count: counts.failed,
		retry_pending_count: counts.failed_retry_pending,
		results: results.map((result) => ({ ...result, outcome: destinationOutcome(result) })),
	};
}
