/*
 * PostEverywhere Webhook Trigger: PostEverywhere pushes signed events (contract §13).
 *
 * LIFECYCLE: on activation it registers its own webhook through the API and keeps the id and the
 * signing secret (shown once) in the node's static data; on deactivation it deletes it. On
 * activation it re-creates the webhook when the stored one is gone, points at another URL, has
 * other events, is inactive (auto-disabled), or the secret is missing; hooks left behind at the
 * same URL (an earlier activation whose delete was lost) are removed.
 *
 * DELIVERIES: the signature (HMAC-SHA256 of the raw body) is compared in constant time and the
 * timestamp must be within 300 s; otherwise the answer is 401 and no execution starts. Deliveries
 * are at least once (§15.11): an `event_id` seen before is answered 200 without an execution.
 */
import type { IDataObject, IHookFunctions, INodeType, INodeTypeDescription, IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';
import { NodeConnectionTypes, NodeOperationError } from 'n8n-workflow';

import { failureOf, sendRequest } from '../shared/http';
import type { HttpCall } from '../shared/http';
import { postEverywhereProvider } from '../PostEverywhere/transport';
import { WEBHOOK_EVENTS, webhookEventOptions } from '../PostEverywhere/actions/webhook/events';
import { publicUrlProblem, verifySignature } from './signature';

const RECENT_EVENT_IDS = 500;

interface HookData {
	webhookId?: string;
	secret?: string;
	recentEventIds?: string[];
}

async function call<T = IDataObject>(ctx: IHookFunctions, request: HttpCall): Promise<T> {
	return (await sendRequest<T>(ctx, postEverywhereProvider, request)).body;
}

function settings(ctx: IHookFunctions | IWebhookFunctions): { events: string[]; allowLocal: boolean } {
	const events = ctx.getNodeParameter('events', []) as string[];
	const options = ctx.getNodeParameter('options', {}) as IDataObject;
	return { events: [...new Set(events)].sort(), allowLocal: options.allowLocalUrl === true };
}

function sameEvents(a: unknown, b: string[]): boolean {
	return Array.isArray(a) && JSON.stringify([...new Set(a.map(String))].sort()) === JSON.stringify(b);
}

export class PostEverywhereWebhookTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'PostEverywhere Webhook Trigger',
		name: 'postEverywhereWebhookTrigger',
		icon: { light: 'file:posteverywhere.svg', dark: 'file:posteverywhere.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: '={{$parameter["events"].join(", ")}}',
		description: 'Starts the workflow when PostEverywhere sends an event (post published or failed, account disconnected, …); needs a public HTTPS n8n URL',
		defaults: { name: 'PostEverywhere Webhook Trigger' },
		codex: {
			categories: ['Marketing'],
			subcategories: { Marketing: ['Social Media'] },
			resources: { primaryDocumentation: [{ url: 'https://developers.posteverywhere.ai/webhooks' }] },
		},
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'postEverywhereRestApi', required: true }],
		webhooks: [{ name: 'default', httpMethod: 'POST', responseMode: 'onReceived', path: 'webhook' }],
		properties: [
			{
				displayName: 'Events',
				name: 'events',
				type: 'multiOptions',
				required: true,
				default: ['post.published', 'post.failed'],
				options: webhookEventOptions,
				description: 'Which events start the workflow. post.published and post.failed come once per account.',
			},
			{
				displayName: 'Options',
				name: 'options',
				type: 'collection',
				placeholder: 'Add Option',
				default: {},
				options: [
					{
						displayName: 'Allow Local URL (Testing Only)',
						name: 'allowLocalUrl',
						type: 'boolean',
						default: false,
						description: 'Whether to register an http:// or localhost URL, for a local PostEverywhere sandbox. PostEverywhere itself only delivers to public HTTPS URLs.',
					},
				],
			},
		],
	};

	webhookMethods = {
		default: {
			async checkExists(this: IHookFunctions): Promise<boolean> {
				const data = this.getWorkflowStaticData('node') as HookData;
				if (!data.webhookId || !data.secret) return false;
				const url = this.getNodeWebhookUrl('default') as string;
				const { events } = settings(this);
				const found = await call(this, { method: 'GET', path: `/webhooks/${encodeURIComponent(data.webhookId)}` }).then(
					(hook) => ({ hook }),
					(error: unknown) => ({ error }),
				);
				if ('error' in found) {
					if (failureOf(found.error)?.status === 404) return false;
					throw found.error;
				}
				return found.hook.url === url && sameEvents(found.hook.events, events) && found.hook.is_active !== false;
			},

			async create(this: IHookFunctions): Promise<boolean> {
				const url = this.getNodeWebhookUrl('default') as string;
				const { events, allowLocal } = settings(this);
				if (events.length === 0) throw new NodeOperationError(this.getNode(), 'Events: choose at least one', { description: `Allowed: ${WEBHOOK_EVENTS.join(', ')}` });
				const problem = publicUrlProblem(url);
				if (problem && !allowLocal) {
					throw new NodeOperationError(this.getNode(), `PostEverywhere cannot deliver to this n8n: ${problem} (${url})`, {
						description:
							'Set WEBHOOK_URL so n8n has a public HTTPS address (for example through a tunnel or reverse proxy), or use the PostEverywhere Trigger, which polls and needs no public URL. For a local sandbox, turn on "Allow Local URL (Testing Only)".',
					});
				}
				const data = this.getWorkflowStaticData('node') as HookData;
				// Remove the stored hook and any stale ones at this URL, so PostEverywhere sends each event once.
				const listed = await call<unknown>(this, { method: 'GET', path: '/webhooks' });
				const hooks = (Array.isArray(listed) ? listed : ((listed as IDataObject)?.webhooks as IDataObject[] | undefined) ?? []) as IDataObject[];
				const stale = new Set(hooks.filter((hook) => hook.url === url).map((hook) => String(hook.id)));
				if (data.webhookId) stale.add(data.webhookId);
				for (const id of stale) {
					await call(this, { method: 'DELETE', path: `/webhooks/${encodeURIComponent(id)}` }).catch((error: unknown) => {
						if (failureOf(error)?.status !== 404) throw error;
					});
				}
				const workflow = this.getWorkflow();
				const created = await call(this, {
					method: 'POST',
					path: '/webhooks',
					body: { url, events, name: `n8n: ${String(workflow.name ?? workflow.id ?? '')}`.slice(0, 100) },
				});
				if (typeof created.secret !== 'string' || !created.secret) {
					throw new NodeOperationError(this.getNode(), 'PostEverywhere created the webhook but sent no signing secret', {
						description: 'Without the secret no delivery can be verified. Deactivate and activate the workflow again.',
					});
				}
				data.webhookId = String(created.id);
				data.secret = created.secret;
				data.recentEventIds = [];
				return true;
			},

			async delete(this: IHookFunctions): Promise<boolean> {
				const data = this.getWorkflowStaticData('node') as HookData;
				if (data.webhookId) {
					const removed = await call(this, { method: 'DELETE', path: `/webhooks/${encodeURIComponent(data.webhookId)}` }).then(
						() => true,
						(error: unknown) => failureOf(error)?.status === 404,
					);
					if (!removed) return false;
				}
				delete data.webhookId;
				delete data.secret;
				delete data.recentEventIds;
				return true;
			},
		},
	};

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		const request = this.getRequestObject();
		const response = this.getResponseObject();
		const data = this.getWorkflowStaticData('node') as HookData;
		const header = (name: string) => {
			const value = request.headers[name];
			return Array.isArray(value) ? value[0] : value;
		};
		const rawBody = (request as unknown as { rawBody?: Buffer }).rawBody ?? Buffer.from(JSON.stringify(request.body ?? {}));
		const verdict = data.secret
			? verifySignature({ secret: data.secret, rawBody, signature: header('x-posteverywhere-signature'), timestamp: header('x-posteverywhere-timestamp'), nowMs: Date.now() })
			: { ok: false as const, reason: 'no signing secret is stored; deactivate and activate the workflow' };
		if (!verdict.ok) {
			this.logger.warn(`PostEverywhere Webhook Trigger: delivery refused (${verdict.reason})`);
			response.status(401).json({ error: 'invalid signature' });
			return { noWebhookResponse: true };
		}
		const body = (request.body ?? {}) as IDataObject;
		const eventId = typeof body.event_id === 'string' ? body.event_id : undefined;
		const recent = data.recentEventIds ?? [];
		if (eventId && recent.includes(eventId)) return { webhookResponse: { received: true, duplicate: true } };
		if (eventId) data.recentEventIds = [...recent, eventId].slice(-RECENT_EVENT_IDS);
		const { events } = settings(this);
		if (events.length && typeof body.event === 'string' && !events.includes(body.event)) return { webhookResponse: { received: true, ignored: true } };
		// Answer here, not through n8n: n8n 2.x sends an "onReceived" answer only after the execution has
		// started and saves the static data changed by this call with that answer, too late (the execution
		// has taken the static data over by then), so the event_id above was lost and a redelivery ran
		// again. Answering ourselves makes n8n save it before the execution starts (1.x did so anyway).
		response.status(200).json({ received: true });
		return { noWebhookResponse: true, workflowData: [this.helpers.returnJsonArray([body])] };
	}
}
