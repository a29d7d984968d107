/*
 * PowerPost Trigger: one output item per publish result, exactly once.
 *
 * HOW A POLL WORKS
 *   1. `GET /posts?limit=20` (newest `updated_at` first), more pages of 100 only while they still
 *      hold posts changed since the cursor. An idle poll is this one request, whatever the size of
 *      the account's history.
 *   2. Posts known to be in flight (publishing, or scheduled with a time that has passed) that did
 *      not appear among the changes are re-read with `GET /posts/{id}`. A scheduled post days away
 *      costs nothing until its time comes.
 *   3. Every post read yields its events (an item became posted / failed; all items final = post
 *      finished); events not seen before are emitted, oldest first.
 *   4. The new state is computed on a copy and written to static data right before returning.
 *      A poll that throws (any failed request, after the transport's own retries) leaves the state
 *      untouched: the next poll repeats the same work, so nothing is lost and nothing doubles.
 *   First activation: the same scan, plus `GET /posts?status=publishing` and `?status=scheduled`
 *   (bounded sets) to start watching posts already in flight; results before "now" are marked as
 *   seen, not emitted, unless "Include Results From the Last N Hours" asks for them.
 *   Manual mode ("Fetch Test Event"): the newest matching result among the 200 most recent posts,
 *   or an error explaining that there is none; static data is not touched.
 *
 * STATE (static data of the node, key `powerPostTrigger`, versioned envelope, see shared/pollState)
 *   mark    newest `updated_at` processed (ms): the cursor.
 *   polled  PowerPost's "now" at the last successful poll (the later of our clock and the newest
 *           `updated_at`). A poll reads the posts changed since min(mark, polled - 5 minutes): what
 *           was not yet visible last time is read again, and an idle poll reads only the newest post.
 *   flight  { post_id: { s: status, at?: scheduled_at, since } } for posts publishing or scheduled.
 *           At most 500 entries (PowerPost allows 100 scheduled posts per workspace, and publishing
 *           lasts minutes). A post finished, cancelled (back to draft) or gone (404) leaves at once;
 *           one publishing or overdue for 3 days is no longer re-read by id (the scan still sees it).
 *   seen    { keys: { "<post_id>:<item_id>:p|f" | "<post_id>:done": event time }, floor }.
 *           Keys of finished posts are kept 2 days (PowerPost time) and at most 3,000; pruning
 *           raises `floor`, and any event older than the floor counts as seen, so pruning never
 *           causes a repeat. Keys of posts in flight are never pruned. Worst case about 250 KB;
 *           typically a few KB (keys of the last 2 days' results).
 *
 * API ASSUMPTIONS (contract §17.2/§17.3 give no more; sandbox/ASSUMPTIONS.md items 22, 27 and 30 agree)
 *   - `GET /posts` exists with `status`, `limit` (1–100), `cursor` → `{ data, next_cursor, has_more }`,
 *     its entries have `updated_at` and `items` (without content) with item status, times, error.
 *     If an entry has no `items`, that (changed) post is read with `GET /posts/{id}`.
 *   - The list is ordered by `updated_at`, newest first. This is checked on every page: if a page is
 *     out of order the poll reads on (up to 50 pages) instead of stopping early, and logs a warning.
 *   - `updated_at` changes whenever the post or one of its items changes status (publish start,
 *     item posted/failed, a scheduled post starting). Posts seen in flight are re-read by id anyway.
 *   - Item fields `posted_at` / `failed_at`, `platform_post_id`, `error: {code, message}` (§17.3).
 *   - A finished post (`published` / `failed`, every item final) never changes again (there is no
 *     update or delete of posts in the API, §9.8).
 *   - No webhook-management API (§13), so webhooks cannot be registered from n8n: hence polling.
 */
import type { IDataObject, INodeExecutionData, INodeType, INodeTypeDescription, IPollFunctions } from 'n8n-workflow';
import { NodeConnectionTypes, NodeOperationError } from 'n8n-workflow';

import { platformOptions, postTypeOptions } from '../PowerPost/actions/post/common';
import { powerPostRequest } from '../PowerPost/transport';
import type { CursorPage } from '../shared/pagination';
import { failureOf } from '../shared/http';
import { commitPollState, loadPollState } from '../shared/pollState';
import type { ApiPost, EventName, EventSettings } from './events';
import type { PostsApi, TriggerState } from './poller';
import { fetchSample, pollOnce, STATE_KEY, STATE_VERSION } from './poller';

function postsApi(ctx: IPollFunctions): PostsApi {
	return {
		async list(query) {
			const qs: IDataObject = { limit: query.limit };
			if (query.cursor) qs.cursor = query.cursor;
			if (query.status) qs.status = query.status;
			return await powerPostRequest<CursorPage<ApiPost>>(ctx, { method: 'GET', path: '/posts', qs, itemIndex: 0 });
		},
		async get(postId) {
			// A post that is gone (404) is simply no longer watched; every other failure fails the poll
			// with the transport's NodeApiError, unchanged.
			const result = await powerPostRequest<ApiPost>(ctx, {
				method: 'GET',
				path: `/posts/${encodeURIComponent(postId)}`,
				itemIndex: 0,
			}).then(
				(post) => ({ post }),
				(error: unknown) => ({ error }),
			);
			if ('post' in result) return result.post;
			if (failureOf(result.error)?.status === 404) return undefined;
			throw result.error;
		},
	};
}

function readSettings(ctx: IPollFunctions): EventSettings {
	const filters = ctx.getNodeParameter('filters', {}) as { platforms?: string[]; postTypes?: string[] };
	const events = ctx.getNodeParameter('events', []) as EventName[];
	if (events.length === 0) {
		throw new NodeOperationError(ctx.getNode(), 'Choose at least one event in "Events"', {
			description: 'Allowed: Item Posted, Item Failed, Post Finished.',
		});
	}
	return { events, platforms: filters.platforms ?? [], postTypes: filters.postTypes ?? [] };
}

export class PowerPostTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'PowerPost Trigger',
		name: 'powerPostTrigger',
		icon: { light: 'file:powerpost.svg', dark: 'file:powerpost.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: '={{$parameter["events"].join(", ")}}',
		description: 'Starts the workflow when PowerPost finishes publishing: an item posted or failed, or a whole post finished',
		defaults: { name: 'PowerPost Trigger' },
		codex: {
			categories: ['Marketing', 'Communication'],
			alias: ['social media', 'publish result', 'post published', 'post failed', 'instagram', 'tiktok', 'youtube', 'linkedin', 'facebook', 'x'],
			resources: {
				primaryDocumentation: [{ url: 'https://powerpost.ai/docs/api-reference/posts' }],
				credentialDocumentation: [{ url: 'https://powerpost.ai/docs/authentication' }],
			},
		},
		polling: true,
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'powerPostApi', required: true }],
		properties: [
			{
				displayName: 'Events',
				name: 'events',
				type: 'multiOptions',
				required: true,
				default: ['itemPosted', 'itemFailed'],
				description: 'Which publish results start the workflow. Each result starts it once.',
				options: [
					{
						name: 'Item Failed',
						value: 'itemFailed',
						description: 'One post item could not be published; the output has the error code and message',
					},
					{
						name: 'Item Posted',
						value: 'itemPosted',
						description: 'One post item is live on its platform; the output has the platform post ID',
					},
					{
						name: 'Post Finished',
						value: 'postFinished',
						description: 'Every item of a post is posted or failed; the output lists all items and counts',
					},
				],
			},
			{
				displayName: 'Filters',
				name: 'filters',
				type: 'collection',
				placeholder: 'Add Filter',
				default: {},
				options: [
					{
						displayName: 'Platforms',
						name: 'platforms',
						type: 'multiOptions',
						default: [],
						options: platformOptions,
						description: 'Only results on these platforms. "Post Finished" fires when any item of the post is on one of them.',
					},
					{
						displayName: 'Post Types',
						name: 'postTypes',
						type: 'multiOptions',
						default: [],
						options: postTypeOptions,
						description: 'Only results of these post types. "Post Finished" fires when any item of the post has one of them.',
					},
				],
			},
			{
				displayName: 'Options',
				name: 'options',
				type: 'collection',
				placeholder: 'Add Option',
				default: {},
				options: [
					{
						displayName: 'Include Results From the Last N Hours',
						name: 'lookbackHours',
						type: 'number',
						typeOptions: { minValue: 0, maxValue: 720 },
						default: 0,
						description:
							'When the workflow is activated for the first time, also emit results of the last N hours. 0 starts from now. Has no effect once the trigger has polled.',
					},
				],
			},
		],
	};

	async poll(this: IPollFunctions): Promise<INodeExecutionData[][] | null> {
		const settings = readSettings(this);
		const api = postsApi(this);

		if (this.getMode() === 'manual') {
			const { event, checked } = await fetchSample(api, settings);
			if (!event) {
				throw new NodeOperationError(this.getNode(), 'No publish result matching the trigger settings was found', {
					description: `Looked at the ${checked} most recent posts of the workspace. Publish a post (or widen Events and Filters), then fetch a test event again. The live trigger is not affected.`,
				});
			}
			return [this.helpers.returnJsonArray([event])];
		}

		const options = this.getNodeParameter('options', {}) as { lookbackHours?: number };
		const lookbackHours = Math.min(720, Math.max(0, Number(options.lookbackHours ?? 0) || 0));
		const staticData = this.getWorkflowStaticData('node');
		const previous = loadPollState<TriggerState>(staticData, STATE_KEY, STATE_VERSION);
		const outcome = await pollOnce(api, previous, settings, {
			lookbackHours,
			now: Date.now(),
			warn: (message) => this.logger.warn(message),
		});
		// Only now that every request succeeded does the cursor move.
		commitPollState(staticData, STATE_KEY, STATE_VERSION, outcome.state);
		this.logger.debug(`PowerPost Trigger: ${outcome.events.length} event(s), ${outcome.requests} request(s)`);
		return outcome.events.length ? [this.helpers.returnJsonArray(outcome.events)] : null;
	}
}
