import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';
import { DateTime } from 'luxon';

import { failureOf } from '../../../shared/http';
import { parseDateTime, toUtcIso } from '../../../shared/time';
import { Checker } from '../../../shared/validation';
import type { OperationResult } from '../../../shared/router';
import { actOnce } from './actOnce';
import { attempt } from '../../../shared/actOnce';
import { notDraft, postLocator } from './common';
import { locatorValue } from '../../../shared/locator';

/**
 * Contract §9.4 / §17.1: `POST /posts/{id}/schedule` with `{scheduled_at}` (ISO 8601 UTC) queues a
 * draft to publish itself; at most 60 days ahead and at most 100 scheduled posts per workspace.
 */

export const MAX_DAYS_AHEAD = 60;

const properties: INodeProperties[] = [
	postLocator(['schedule'], 'post', 'The draft post to schedule'),
	{
		displayName: 'Scheduled At',
		name: 'scheduledAt',
		type: 'dateTime',
		default: '',
		required: true,
		description:
			'When PowerPost publishes the post: in the future and at most 60 days ahead. A time without an offset (2026-12-01T09:30) is read in the workflow\'s time zone; one with an offset (…Z, …+02:00) is kept.',
	},
];

export const description = updateDisplayOptions({ show: { resource: ['post'], operation: ['schedule'] } }, properties);

/** Checks the publish time before anything is sent; returns it in UTC. */
export function readScheduledAt(check: Checker, input: unknown, zone: string, now: DateTime): string {
	const parsed = parseDateTime(input, zone);
	if (!parsed.ok) check.fail('Scheduled At', parsed.reason, 'an ISO 8601 date-time such as 2026-12-01T09:30 (workflow time zone) or 2026-12-01T09:30:00Z');
	const utc = toUtcIso(parsed.value);
	const shown = typeof input === 'string' && input.trim() !== utc ? `${input.trim()} (${utc} in UTC)` : utc;
	if (parsed.value.toMillis() <= now.toMillis()) {
		check.fail('Scheduled At', `${shown} is in the past`, `a time after now (${toUtcIso(now)}) and at most ${MAX_DAYS_AHEAD} days ahead`);
	}
	const latest = now.plus({ days: MAX_DAYS_AHEAD });
	if (parsed.value.toMillis() > latest.toMillis()) {
		check.fail('Scheduled At', `${shown} is more than ${MAX_DAYS_AHEAD} days ahead`, `at most ${toUtcIso(latest)}`);
	}
	return utc;
}

/**
 * The post shows the schedule that was asked: scheduled for the same instant (compared as instants,
 * whatever the notation), or already publishing from that schedule. A scheduled post whose read has
 * no `scheduled_at` (the contract does not promise the field) counts as scheduled as asked.
 */
export function isScheduledFor(post: IDataObject, scheduledAt: string): boolean {
	const asked = Date.parse(scheduledAt);
	const at = typeof post.scheduled_at === 'string' ? Date.parse(post.scheduled_at) : Number.NaN;
	if (post.status === 'scheduled') return post.scheduled_at === undefined || post.scheduled_at === null || at === asked;
	return ['publishing', 'published', 'failed'].includes(String(post.status)) && at === asked;
}

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<OperationResult> {
	const check = new Checker(this.getNode(), itemIndex);
	const postId = locatorValue(this, 'postId', 'Post', itemIndex);
	const scheduledAt = readScheduledAt(check, this.getNodeParameter('scheduledAt', itemIndex, ''), this.getTimezone(), DateTime.now());
	const result = await attempt(
		async () =>
			await actOnce(this, {
				name: 'Schedule',
				postId,
				itemIndex,
				call: { method: 'POST', path: `/posts/${encodeURIComponent(postId)}/schedule`, body: { scheduled_at: scheduledAt }, itemIndex },
				refusal: (post) => (post.status === 'draft' ? undefined : notDraft(postId, post)),
				reached: (post) => isScheduledFor(post, scheduledAt),
				expected: `status scheduled for ${scheduledAt}`,
			}),
	);
	if ('error' in result) {
		const error = result.error as { message?: string; description?: string };
		if (failureOf(error)?.code === 'SCHEDULE_LIMIT_REACHED' || /\b100 scheduled\b/i.test(String(error.message))) {
			error.description =
				'The workspace already holds 100 scheduled posts, PowerPost\'s maximum. Wait until some have published, or turn some back into drafts with Post → Cancel Publish.';
		}
		throw error;
	}
	const { response, post, recoveredAfter } = result.value;
	const scheduled = (response ?? post) as IDataObject;
	return recoveredAfter ? { ...scheduled, recoveredAfter } : scheduled;
}
