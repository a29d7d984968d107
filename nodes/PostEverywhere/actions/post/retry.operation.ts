import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { actOnce } from '../../../shared/actOnce';
import { locatorValue } from '../../../shared/locator';
import type { OperationResult } from '../../../shared/router';
import { Checker } from '../../../shared/validation';
import { readWaitSettings, waitProperties } from '../../../shared/waitParameters';
import { peRequest } from '../../transport';
import { accountIds, idPath, postLocator } from '../common';
import { getResults, publishWait, waitForPublish } from './common';
import { destinationOutcome, resultsOf } from './outcome';

/**
 * Contract §4.7 `POST /posts/{post_id}/retry`: re-queue the failed destinations of one post
 * (optionally only some accounts), then optionally wait for their new results. After a lost answer
 * the results are read first: a destination no longer failed means the retry was taken.
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
	const failedBefore = before.filter((result) => destinationOutcome(result) !== 'published' && destinationOutcome(result) !== 'in_flight');
	const { value, recoveredAfter } = await actOnce<IDataObject>({
		send: async () => await peRequest(this, { method: 'POST', path: `/posts/${idPath(postId)}/retry`, body, itemIndex }),
		recover: async () => {
			const now = resultsOf(await getResults(this, postId, itemIndex));
			const key = (result: IDataObject) => String(result.id ?? result.account_id);
			const requeued = failedBefore.filter((old) => {
				const current = now.find((result) => key(result) === key(old));
				return current !== undefined && (destinationOutcome(current) !== destinationOutcome(old) || Number(current.attempts ?? 0) > Number(old.attempts ?? 0));
			});
			if (requeued.length > 0) return { done: { post_id: postId, retried_count: requeued.length, destinations: requeued } };
			return 'resend';
		},
	});
	const output: IDataObject = { ...value };
	if (recoveredAfter) output.recovered_after = recoveredAfter;
	if (!settings.wait || Number(value.retried_count ?? 0) === 0) return output;
	return { ...output, ...(await waitForPublish(this, postId, settings, itemIndex)) };
}
