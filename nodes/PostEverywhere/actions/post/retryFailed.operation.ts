import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import type { OperationResult } from '../../../shared/router';
import { Checker } from '../../../shared/validation';
import { compact, numericId, optionalDateTime, platformOptions } from '../common';
import { sendOnce } from '../lostAnswer';

/**
 * Contract §4.9 `POST /posts/retry-failed`: re-queue failed destinations across posts by filter (at
 * least one filter; the API refuses a call without). Counts as one rate-limit hit. Never resent: a
 * lost answer is "Outcome unknown" with what to check (the filter can match destinations of any post).
 */
const properties: INodeProperties[] = [
	{
		displayName: 'Filters',
		name: 'filters',
		type: 'collection',
		placeholder: 'Add Filter',
		default: {},
		description: 'At least one filter is required',
		options: [
			{ displayName: 'Account ID', name: 'accountId', type: 'number', default: 0, description: 'Only destinations of this account' },
			{ displayName: 'Failed After', name: 'failedAfter', type: 'dateTime', default: '', description: 'Only failures at or after this time' },
			{ displayName: 'Failed Before', name: 'failedBefore', type: 'dateTime', default: '', description: 'Only failures at or before this time' },
			{
				displayName: 'Max Attempts',
				name: 'maxAttempts',
				type: 'number',
				typeOptions: { minValue: 1, maxValue: 10 },
				default: 3,
				description: 'Skip destinations that have already been tried this many times',
			},
			{ displayName: 'Platform', name: 'platform', type: 'options', options: platformOptions, default: 'x', description: 'Only destinations on this platform' },
			{ displayName: 'Post IDs', name: 'postIds', type: 'string', default: '', description: 'Comma-separated post IDs (at most 200)' },
		],
	},
];

export const description = updateDisplayOptions({ show: { resource: ['post'], operation: ['retryFailed'] } }, properties);

export function buildRetryFailedBody(ctx: IExecuteFunctions, check: Checker, filters: IDataObject): IDataObject {
	const body = compact({
		post_ids: check.list('Post IDs', filters.postIds, { max: 200, itemMax: 100 }),
		account_id: filters.accountId ? numericId(check, 'Account ID', filters.accountId) : undefined,
		platform: check.text('Platform', filters.platform, { max: 40 }),
		failed_after: optionalDateTime(ctx, check, 'Failed After', filters.failedAfter),
		failed_before: optionalDateTime(ctx, check, 'Failed Before', filters.failedBefore),
	});
	if (Object.keys(body).length === 0) {
		check.fail('Filters', 'no filter is set, and PostEverywhere refuses to retry every failure at once', 'at least one of Post IDs, Account ID, Platform, Failed After, Failed Before');
	}
	if (filters.maxAttempts !== undefined) body.max_attempts = check.integer('Max Attempts', filters.maxAttempts, { min: 1, max: 10 });
	return body;
}

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<OperationResult> {
	const check = new Checker(this.getNode(), itemIndex);
	const body = buildRetryFailedBody(this, check, this.getNodeParameter('filters', itemIndex, {}) as IDataObject);
	return await sendOnce(this, { method: 'POST', path: '/posts/retry-failed', body, itemIndex }, {
		what: 'Retry Failed',
		check: 'Check Post → Get Many with Status: Failed and the same filters: destinations no longer failed (or with more attempts) were retried.',
	});
}
