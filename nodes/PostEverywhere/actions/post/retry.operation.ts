import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { attempt, describeFailure } from '../../../shared/actOnce';
import type { HttpCall } from '../../../shared/http';
import { locatorValue } from '../../../shared/locator';
import type { OperationResult } from '../../../shared/router';
import { Checker } from '../../../shared/validation';
import { readWaitSettings, waitProperties } from '../../../shared/waitParameters';
import { peRequest } from '../../transport';
import { accountIds, idPath, postLocator } from '../common';
import { getResults, publishWait, waitForPublish } from './common';
import { isLostAnswer, outcomeUnknown, rereads, tryRead } from '../lostAnswer';
import { destinationOutcome, resultsOf } from './outcome';

/**
 * Contract §4.7 `POST /posts/{post_id}/retry`: re-queue the failed destinations of one post
 * (optionally only some accounts), then optionally wait for their new results. The results are read
 * first; after a lost answer they are read again: a destination that failed before and moved on
 * means the retry was taken; nothing failed before means there was nothing to retry; otherwise
 * "Outcome unknown". Never resent (a second retry could publish again).
 */
const WAIT = publishWait('retry');

const properties: INodeProperties[] = [
	postLocator({}),
	{
		displayName: 'Only Account IDs',
		name: 'accountIds',
		type: 'string',
		default: '',
		description: 'Comma-separated account IDs to retry; empty retries every failed destination',
	},
	...waitProperties(WAIT),
];

export const description = updateDisplayOptions({ show: { resource: ['post'], operation: ['retry'] } }, properties);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<OperationResult> {
	const check = new Checker(this.getNode(), itemIndex);
	const postId = locatorValue(this, 'postId', 'Post', itemIndex, { max: 100 });
	const accounts = accountIds(check, 'Only Account IDs', this.getNodeParameter('accountIds', itemIndex, ''));
	const settings = readWaitSettings(this, itemIndex, check, WAIT);
	const body: IDataObject = accounts.length ? { account_ids: accounts } : {};

	const before = resultsOf(await getResults(this, postId, itemIndex));
	const key = (result: IDataObject) => String(result.id ?? result.account_id);
	const selected = (result: IDataObject) => accounts.length === 0 || accounts.includes(Number(result.account_id));
	const failedBefore = before.filter((result) => selected(result) && (destinationOutcome(result) === 'failed' || destinationOutcome(result) === 'failed_retry_pending'));
	const call: HttpCall = { method: 'POST', path: `/posts/${idPath(postId)}/retry`, body, itemIndex, repeatable: false };
	const sent = await attempt(async () => await peRequest(this, call));
	let value: IDataObject;
	let recoveredAfter: string | undefined;
	if ('value' in sent) value = sent.value;
	else if (!isLostAnswer(sent.error)) throw sent.error;
	else {
		recoveredAfter = describeFailure(sent.error);
		// Nothing was failed before this node acted: PostEverywhere's answer is "retried_count: 0" either way.
		if (failedBefore.length === 0) value = { post_id: postId, retried_count: 0, destinations: [] };
		else {
			let requeued: IDataObject[] = [];
			let seen = 'its results could not be read';
			await rereads(this, itemIndex, async () => {
				const now = await tryRead(this, async () => resultsOf(await getResults(this, postId, itemIndex)));
				if (!now) return false;
				// A destination whose failure was final before (no automatic retry pending) and is now
				// queued, publishing, published, or failed again after a further attempt: the retry was
				// taken. One with an automatic retry pending moves by itself, so it proves nothing.
				requeued = failedBefore.filter((old) => {
					if (destinationOutcome(old) !== 'failed') return false;
					const current = now.find((result) => key(result) === key(old));
					return current !== undefined && (current.status !== old.status || Number(current.attempts ?? 0) > Number(old.attempts ?? 0));
				});
				const pending = failedBefore.filter((old) => destinationOutcome(old) === 'failed_retry_pending').length;
				seen =
					pending === failedBefore.length
						? `its ${pending} failed destination(s) had an automatic retry pending, so their new attempts do not tell whether this retry was taken`
						: `its ${failedBefore.length - pending} finally failed destination(s) still read as failed with the same attempts`;
				return requeued.length > 0;
			});
			if (requeued.length === 0) {
				throw outcomeUnknown(this, call, sent.error, {
					what: `Retry of post ${postId}`,
					seen,
					check: `Check the post with Post → Get Results: a destination that is queued, publishing, published, or has more attempts than ${failedBefore.map((old) => `${String(old.platform ?? old.account_id)} (${Number(old.attempts ?? 0)})`).join(', ')} means the retry was taken.`,
				});
			}
			value = { post_id: postId, retried_count: requeued.length, destinations: requeued };
		}
	}
	const output: IDataObject = { ...value };
	if (recoveredAfter) output.recovered_after = recoveredAfter;
	if (!settings.wait || Number(value.retried_count ?? 0) === 0) return output;
	return { ...output, ...(await waitForPublish(this, postId, settings, itemIndex)) };
}
