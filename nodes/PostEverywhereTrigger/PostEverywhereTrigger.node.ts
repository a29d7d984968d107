/*
 * PostEverywhere Trigger (polling): one output item per publish result of a destination, exactly
 * once (contract §14). How a poll reads and what it remembers: poller.ts.
 *
 * STATE: static data of the node, key `postEverywhereTrigger` (versioned envelope, shared/pollState):
 * the cursor (a post `updated_at`, a server value, never past the server's own clock minus the
 * overlap), the offset among posts of that time, and the dedup set (destination key + status +
 * attempts). It is committed only after every request of the poll succeeded, so a failed poll
 * changes nothing and the next one starts from the same place.
 *
 * ONE POLL AT A TIME (shared/pollLease): a tick that starts while the previous poll still runs
 * returns at once. A poll does not wait out long 429s: it ends without committing.
 */
import type { IDataObject, INodeExecutionData, INodeType, INodeTypeDescription, IPollFunctions } from 'n8n-workflow';
import { NodeConnectionTypes, NodeOperationError } from 'n8n-workflow';

import type { Provider, RetryPolicy } from '../shared/http';
import { failureOf, pollRetryPolicy, sendRequest } from '../shared/http';
import { acquireLease, releaseLease } from '../shared/pollLease';
import { commitPollState, loadPollState } from '../shared/pollState';
import { postEverywhereProvider, unwrap } from '../PostEverywhere/transport';
import type { PostsApi, TriggerSettings, TriggerState } from './poller';
import { digestKey, PAGE_SIZE, pollOnce, STATE_KEY, STATE_VERSION, toEvent } from './poller';

const POLL_POLICY: RetryPolicy = pollRetryPolicy;
const REQUEST_TIMEOUT_MS = 15_000;
const MAX_PAGES = 10;
const LEASE_MS = MAX_PAGES * 3 * REQUEST_TIMEOUT_MS;

const PLATFORMS = ['bluesky', 'facebook', 'instagram', 'linkedin', 'pinterest', 'threads', 'tiktok', 'x', 'youtube'];

/** The same provider, but answers keep their envelope: the trigger reads the server's clock in `meta`. */
const withEnvelope: Provider = { ...postEverywhereProvider, unwrap: undefined };

/** The server's clock of an answer: `meta.timestamp` (§1), else the HTTP `Date` header. */
export function serverTimeOf(envelope: unknown, headers: Record<string, string>): number | undefined {
	const meta = envelope && typeof envelope === 'object' && !Array.isArray(envelope) ? (envelope as IDataObject).meta : undefined;
	const stamp = meta && typeof meta === 'object' ? (meta as IDataObject).timestamp : undefined;
	for (const value of [stamp, headers.date]) {
		const at = typeof value === 'string' ? Date.parse(value) : NaN;
		if (Number.isFinite(at)) return at;
	}
	return undefined;
}

function postsApi(ctx: IPollFunctions): PostsApi {
	const read = async (path: string, qs?: IDataObject) =>
		await sendRequest<unknown>(ctx, withEnvelope, { method: 'GET', path, qs, timeoutMs: REQUEST_TIMEOUT_MS, itemIndex: 0 }, POLL_POLICY);
	return {
		async list(query) {
			const answer = await read('/posts', query);
			const serverTime = serverTimeOf(answer.body, answer.headers);
			const body = unwrap(answer.body);
			if (Array.isArray(body)) return { posts: body as IDataObject[], serverTime };
			const root = (body ?? {}) as IDataObject;
			const pagination = (root.pagination ?? {}) as IDataObject;
			return {
				posts: Array.isArray(root.posts) ? (root.posts as IDataObject[]) : [],
				hasMore: typeof pagination.has_more === 'boolean' ? pagination.has_more : undefined,
				serverTime,
			};
		},
		async results(postId) {
			const body = unwrap((await read(`/posts/${encodeURIComponent(postId)}/results`)).body);
			if (Array.isArray(body)) return body as IDataObject[];
			const results = (body as IDataObject | undefined)?.results;
			return Array.isArray(results) ? (results as IDataObject[]) : [];
		},
	};
}

/** Version 1 had no offset (it read the posts of the cursor's time again from the first) and kept plain keys. */
export function fromVersion1(version: number, state: unknown): TriggerState | undefined {
	const old = state as Partial<TriggerState> | undefined;
	if (version !== 1 || !old || typeof old !== 'object' || !old.seen || typeof old.seen.keys !== 'object') return undefined;
	const keys = Object.fromEntries(Object.entries(old.seen.keys).map(([plain, at]) => [digestKey(plain), at]));
	return { cursor: typeof old.cursor === 'string' ? old.cursor : null, offset: 0, seen: { keys, floor: old.seen.floor ?? null } };
}

function readSettings(ctx: IPollFunctions): TriggerSettings {
	const events = ctx.getNodeParameter('events', []) as TriggerSettings['events'];
	if (!Array.isArray(events) || events.length === 0) {
		throw new NodeOperationError(ctx.getNode(), 'Events: choose at least one. Allowed: Published, Failed.', { description: 'Allowed: Published, Failed.' });
	}
	const options = ctx.getNodeParameter('options', {}) as IDataObject;
	return {
		events,
		platforms: Array.isArray(options.platforms) ? (options.platforms as string[]) : [],
		includeRetryPending: options.includeRetryPending !== false,
	};
}

export class PostEverywhereTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'PostEverywhere Trigger',
		name: 'postEverywhereTrigger',
		icon: { light: 'file:posteverywhere.svg', dark: 'file:posteverywhere.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: '={{$parameter["events"].join(", ")}}',
		description: 'Starts the workflow once for every account a post was published to or failed on (polling; no public URL needed)',
		defaults: { name: 'PostEverywhere Trigger' },
		codex: {
			categories: ['Marketing'],
			subcategories: { Marketing: ['Social Media'] },
			resources: { primaryDocumentation: [{ url: 'https://developers.posteverywhere.ai' }] },
		},
		polling: true,
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'postEverywhereRestApi', required: true }],
		properties: [
			{
				displayName: 'Events',
				name: 'events',
				type: 'multiOptions',
				required: true,
				default: ['published', 'failed'],
				options: [
					{ name: 'Failed', value: 'failed', description: 'A destination failed (also when PostEverywhere will retry it, unless turned off below)' },
					{ name: 'Published', value: 'published', description: 'A destination went live; the item has the platform URL' },
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
						displayName: 'Include Failures With a Retry Pending',
						name: 'includeRetryPending',
						type: 'boolean',
						default: true,
						description: 'Whether to emit a failure that PostEverywhere will retry by itself (event failed_retry_pending). The later outcome is emitted too.',
					},
					{
						displayName: 'Platforms',
						name: 'platforms',
						type: 'multiOptions',
						default: [],
						options: PLATFORMS.map((value) => ({ name: value === 'x' ? 'X' : value === 'tiktok' ? 'TikTok' : value === 'youtube' ? 'YouTube' : value === 'linkedin' ? 'LinkedIn' : value[0].toUpperCase() + value.slice(1), value })),
						description: 'Only results on these platforms (empty: all)',
					},
				],
			},
		],
	};

	async poll(this: IPollFunctions): Promise<INodeExecutionData[][] | null> {
		const settings = readSettings(this);
		const api = postsApi(this);

		if (this.getMode() === 'manual') {
			const { posts } = await api.list({ sort: 'updated_at', order: 'desc', limit: PAGE_SIZE, offset: 0 });
			for (const post of posts) {
				for (const destination of Array.isArray(post.destinations) ? (post.destinations as IDataObject[]) : []) {
					const event = toEvent(post, destination);
					if (['published', 'failed'].includes(String(destination.status)) && settings.events.includes(event.event === 'published' ? 'published' : 'failed')) {
						return [this.helpers.returnJsonArray([event])];
					}
				}
			}
			throw new NodeOperationError(this.getNode(), 'No publish result was found in the 100 most recently updated posts', {
				description: 'Publish a post (or widen Events), then fetch a test event again. The live trigger is not affected.',
			});
		}

		const leaseKey = `pe:${this.getWorkflow().id ?? ''}:${this.getNode().id ?? this.getNode().name}`;
		const lease = acquireLease(leaseKey, Date.now(), LEASE_MS);
		if (!lease) return null;
		try {
			const staticData = this.getWorkflowStaticData('node');
			const previous = loadPollState<TriggerState>(staticData, STATE_KEY, STATE_VERSION, { migrate: fromVersion1 });
			const result = await pollOnce(api, previous, settings, { maxPages: MAX_PAGES }).then(
				(outcome) => ({ outcome }),
				(error: unknown) => ({ error }),
			);
			if ('error' in result) {
				if (previous && failureOf(result.error)?.status === 429) {
					this.logger.warn('PostEverywhere Trigger: rate limited; this poll ends without changes and the next one carries on');
					return null;
				}
				throw result.error;
			}
			commitPollState(staticData, STATE_KEY, STATE_VERSION, result.outcome.state);
			const { events } = result.outcome;
			return events.length ? [this.helpers.returnJsonArray(events)] : null;
		} finally {
			releaseLease(leaseKey, lease);
		}
	}
}
