/*
 * PowerPost Trigger: one output item per publish result, exactly once.
 *
 * The trigger relies only on what the contract documents (plus its §17.2 assumption that
 * `GET /posts` follows the Generations pattern: `status`, `limit` 1–100, `cursor` →
 * `{data, next_cursor, has_more}`, newest created first, items without content). It compares
 * PowerPost's values only with PowerPost's values; n8n's clock bounds the poll's own duration
 * and serves "Include Results From the Last N Hours", nothing else. How a poll reconciles is
 * described in poller.ts; the figures are in the README.
 *
 * STATE (static data of the node, key `powerPostTrigger`, versioned envelope, see shared/pollState)
 *   The known boundary (newest created_at, floor, ids of posts created in the last hour), the
 *   posts not final yet with the items already handled, unfinished list walks (cursor), and the
 *   fast-path mark. Knowledge only grows with each poll and is consistent in every snapshot: if n8n
 *   restores an older one (it saves static data only when a poll emits, unless durable cursors are
 *   on), the boundary and the tracked posts go back together and the next poll learns again
 *   from PowerPost what it had learned since, without repeating what was emitted (emitting saves).
 *
 * ONE POLL AT A TIME: a poll that starts while the previous poll of the same workflow and node
 * still runs returns at once without emitting. A poll is bounded (requests and time) and does not
 * wait out long 429s: it ends without committing, and the next poll carries on.
 */
import type { IDataObject, INodeExecutionData, INodeType, INodeTypeDescription, IPollFunctions } from 'n8n-workflow';
import { NodeConnectionTypes, NodeOperationError } from 'n8n-workflow';

import { platformOptions, postTypeOptions } from '../PowerPost/actions/post/common';
import { powerPostProvider } from '../PowerPost/transport';
import type { CursorPage } from '../shared/pagination';
import type { HttpCall, RetryPolicy } from '../shared/http';
import { failureOf, pollRetryPolicy, sendRequest } from '../shared/http';
import { acquireLease, releaseLease } from '../shared/pollLease';
import { commitPollState, loadPollState } from '../shared/pollState';
import type { ApiPost, EventName, EventSettings } from './events';
import type { PostsApi, TriggerState } from './poller';
import { fetchSample, LIMITS, pollOnce, STATE_KEY, STATE_VERSION } from './poller';

/**
 * A poll must end well inside the poll interval: short 429 waits only (a longer one ends the poll
 * without committing; the next poll carries on), few repeats, short timeouts.
 */
const POLL_POLICY: RetryPolicy = pollRetryPolicy;
const REQUEST_TIMEOUT_MS = 15_000;
/** Per trigger, the token of the last state this process stored (poller.ts, FastPath.token). */
const stored = new Map<string, string>();

/** Longest a poll can hold its lease (budget + one slow request with its repeats). */
const LEASE_MS = LIMITS.budgetMs + 3 * REQUEST_TIMEOUT_MS + 10_000;

/**
 * n8n 2.x tells a poll how long it may take (`getPollBudgetMs`, 36 s with the durable scheduler's
 * default 45 s timeout); reading stops at 40 % of it, leaving room for one slow request.
 */
function timeLimits(ctx: IPollFunctions): { budgetMs: number; timeoutMs: number } {
	const given = typeof ctx.getPollBudgetMs === 'function' ? Number(ctx.getPollBudgetMs()) : NaN;
	if (!Number.isFinite(given) || given <= 0) return { budgetMs: LIMITS.budgetMs, timeoutMs: REQUEST_TIMEOUT_MS };
	return { budgetMs: Math.min(LIMITS.budgetMs, 0.4 * given), timeoutMs: Math.min(REQUEST_TIMEOUT_MS, Math.max(2_000, 0.2 * given)) };
}

async function read<T>(ctx: IPollFunctions, call: HttpCall, timeoutMs: number): Promise<T> {
	return (await sendRequest<T>(ctx, powerPostProvider, { ...call, timeoutMs, itemIndex: 0 }, POLL_POLICY)).body;
}

function postsApi(ctx: IPollFunctions, timeoutMs = REQUEST_TIMEOUT_MS): PostsApi {
	return {
		async list(query) {
			const qs: IDataObject = { limit: query.limit };
			if (query.cursor) qs.cursor = query.cursor;
			if (query.status) qs.status = query.status;
			const result = await read<CursorPage<ApiPost>>(ctx, { method: 'GET', path: '/posts', qs }, timeoutMs).then(
				(page) => ({ page }),
				(error: unknown) => ({ error }),
			);
			if ('page' in result) return result.page;
			// A saved cursor from an earlier poll that PowerPost no longer accepts.
			if (query.cursor && failureOf(result.error)?.status === 400) return { data: [], rejected: true };
			throw result.error;
		},
		async get(postId) {
			// A post that is gone (404) is simply no longer watched; every other failure fails the poll
			// with the transport's NodeApiError, unchanged.
			const result = await read<ApiPost>(ctx, { method: 'GET', path: `/posts/${encodeURIComponent(postId)}` }, timeoutMs).then(
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
		const leaseKey = `${this.getWorkflow().id ?? ''}:${this.getNode().id ?? this.getNode().name}`;
		const lease = acquireLease(leaseKey, Date.now(), LEASE_MS);
		if (!lease) {
			this.logger.info('PowerPost Trigger: the previous poll of this trigger is still running; this tick is skipped');
			return null;
		}
		try {
			const staticData = this.getWorkflowStaticData('node');
			// With n8n 2.x's durable poll cursors, what the activation poll stores in the node's static
			// data is dropped unless that poll emits; n8n saves the workflow's global static data after
			// activation, so the activation state is also kept there until a later poll has its own.
			const globalData = this.getWorkflowStaticData('global');
			const anchorKey = `${STATE_KEY}Activation:${this.getNode().id ?? this.getNode().name}`;
			const own = loadPollState<TriggerState>(staticData, STATE_KEY, STATE_VERSION);
			const previous = own ?? loadPollState<TriggerState>(globalData, anchorKey, STATE_VERSION);
			const limits = timeLimits(this);
			const result = await pollOnce(postsApi(this, limits.timeoutMs), previous, settings, {
				budgetMs: limits.budgetMs,
				memory: { key: leaseKey, tokens: stored },
				lookbackHours,
				now: () => Date.now(),
				warn: (message) => this.logger.warn(message),
				log: (message) => this.logger.info(message),
			}).then(
				(outcome) => ({ outcome }),
				(error: unknown) => ({ error }),
			);
			if ('error' in result) {
				// Rate limited beyond a short wait: end without committing; the next poll carries on.
				// (Not at activation: a first poll fails loudly on any error.)
				if (previous && failureOf(result.error)?.status === 429) {
					this.logger.warn('PowerPost Trigger: rate limited by PowerPost; this poll ends without changes and the next one carries on');
					return null;
				}
				throw result.error;
			}
			const { outcome } = result;
			// Only now that every request succeeded does the state move.
			commitPollState(staticData, STATE_KEY, STATE_VERSION, outcome.state);
			if (!previous) commitPollState(globalData, anchorKey, STATE_VERSION, outcome.state);
			else if (own && globalData[anchorKey] !== undefined) delete globalData[anchorKey];
			this.logger.debug(
				`PowerPost Trigger: ${outcome.mode} poll, ${outcome.events.length} event(s), ${outcome.requests} request(s), ${outcome.pending} walk(s) left for the next poll`,
			);
			return outcome.events.length ? [this.helpers.returnJsonArray(outcome.events)] : null;
		} finally {
			releaseLease(leaseKey, lease);
		}
	}
}
