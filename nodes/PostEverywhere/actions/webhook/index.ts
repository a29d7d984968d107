import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { locatorValue } from '../../../shared/locator';
import type { Operation, OperationResult, Resource } from '../../../shared/router';
import { Checker } from '../../../shared/validation';
import { peRequest } from '../../transport';
import { compact, deleteExisting, entriesOf, idPath, webhookLocator } from '../common';
import { sendOnce, sendRepeatable } from '../lostAnswer';
import { WEBHOOK_EVENTS, webhookEventOptions } from './events';

/**
 * Contract §13 webhook subscriptions: list, create (the answer carries the signing `secret`, shown
 * once), get, update, delete, and send a test delivery. At most 25 per organization; URLs must be
 * public HTTPS. To receive deliveries in n8n, use the PostEverywhere Webhook Trigger, which manages
 * its own subscription.
 */
const show = (operation: string) => ({ show: { resource: ['webhook'], operation: [operation] } });

function readUrl(check: Checker, value: unknown): string {
	const url = check.requiredText('URL', value, { max: 2048 });
	if (!/^https:\/\//i.test(url)) check.fail('URL', `"${url}" is not an HTTPS URL`, 'a public https:// address');
	return url;
}

function webhookId(ctx: IExecuteFunctions, itemIndex: number): string {
	return locatorValue(ctx, 'webhookId', 'Webhook', itemIndex, { max: 100 });
}

const create: Operation = {
	description: updateDisplayOptions(show('create'), [
		{ displayName: 'URL', name: 'url', type: 'string', default: '', required: true, placeholder: 'https://example.com/hooks/posteverywhere', description: 'Public HTTPS address that receives the deliveries' },
		{ displayName: 'Events', name: 'events', type: 'multiOptions', options: webhookEventOptions, default: ['post.published', 'post.failed'], required: true, description: 'Which events to send' },
		{
			displayName: 'Additional Fields',
			name: 'additionalFields',
			type: 'collection',
			placeholder: 'Add Field',
			default: {},
			options: [
				{ displayName: 'Description', name: 'description', type: 'string', default: '', description: 'At most 500 characters' },
				{ displayName: 'Name', name: 'name', type: 'string', default: '', description: 'At most 100 characters' },
			],
		},
	]),
	async execute(this: IExecuteFunctions, itemIndex: number): Promise<OperationResult> {
		const check = new Checker(this.getNode(), itemIndex);
		const extra = this.getNodeParameter('additionalFields', itemIndex, {}) as IDataObject;
		const body = compact({
			url: readUrl(check, this.getNodeParameter('url', itemIndex, '')),
			events: check.listOf('Events', this.getNodeParameter('events', itemIndex, []), WEBHOOK_EVENTS, { min: 1 }),
			name: check.text('Name', extra.name, { max: 100 }),
			description: check.text('Description', extra.description, { max: 500 }),
		});
		return await sendOnce(this, { method: 'POST', path: '/webhooks', body, itemIndex }, {
			what: `Create webhook for ${String(body.url)}`,
			check: `Check Webhook → Get Many for this URL: if it is there, it was created, but its signing secret was in the lost answer (it is shown once): delete it and create it again.`,
		});
	},
};

const getMany: Operation = {
	description: [],
	async execute(this: IExecuteFunctions, itemIndex: number): Promise<OperationResult> {
		return entriesOf(await peRequest<unknown>(this, { method: 'GET', path: '/webhooks', itemIndex }), 'webhooks');
	},
};

const get: Operation = {
	description: [webhookLocator({ resource: ['webhook'], operation: ['get'] })],
	async execute(this: IExecuteFunctions, itemIndex: number): Promise<OperationResult> {
		return await peRequest(this, { method: 'GET', path: `/webhooks/${idPath(webhookId(this, itemIndex))}`, itemIndex });
	},
};

const update: Operation = {
	description: [
		webhookLocator({ resource: ['webhook'], operation: ['update'] }),
		...updateDisplayOptions(show('update'), [
			{
				displayName: 'Update Fields',
				name: 'updateFields',
				type: 'collection',
				placeholder: 'Add Field',
				default: {},
				options: [
					{ displayName: 'Description', name: 'description', type: 'string', default: '' },
					{ displayName: 'Events', name: 'events', type: 'multiOptions', options: webhookEventOptions, default: [] },
					{ displayName: 'Is Active', name: 'isActive', type: 'boolean', default: true, description: 'Whether deliveries are sent; turning it on again clears the failure count of an auto-disabled hook' },
					{ displayName: 'Name', name: 'name', type: 'string', default: '' },
					{ displayName: 'URL', name: 'url', type: 'string', default: '' },
				],
			},
		]),
	],
	async execute(this: IExecuteFunctions, itemIndex: number): Promise<OperationResult> {
		const check = new Checker(this.getNode(), itemIndex);
		const id = webhookId(this, itemIndex);
		const fields = this.getNodeParameter('updateFields', itemIndex, {}) as IDataObject;
		const body: IDataObject = {};
		if (fields.url !== undefined) body.url = readUrl(check, fields.url);
		if (fields.events !== undefined) body.events = check.listOf('Events', fields.events, WEBHOOK_EVENTS, { min: 1 });
		if (fields.name !== undefined) body.name = check.text('Name', fields.name, { max: 100 }) ?? '';
		if (fields.description !== undefined) body.description = check.text('Description', fields.description, { max: 500 }) ?? '';
		if (fields.isActive !== undefined) body.is_active = check.boolean('Is Active', fields.isActive);
		if (Object.keys(body).length === 0) check.fail('Update Fields', 'no field to change was set', 'at least one of URL, Events, Name, Description, Is Active');
		return await sendRepeatable(this, { method: 'PATCH', path: `/webhooks/${idPath(id)}`, body, itemIndex });
	},
};

const del: Operation = {
	description: [webhookLocator({ resource: ['webhook'], operation: ['delete'] })],
	async execute(this: IExecuteFunctions, itemIndex: number): Promise<OperationResult> {
		const id = webhookId(this, itemIndex);
		return await deleteExisting(this, `/webhooks/${idPath(id)}`, { id }, itemIndex);
	},
};

const test: Operation = {
	description: [webhookLocator({ resource: ['webhook'], operation: ['test'] })],
	async execute(this: IExecuteFunctions, itemIndex: number): Promise<OperationResult> {
		const id = webhookId(this, itemIndex);
		return await sendOnce(this, { method: 'POST', path: `/webhooks/${idPath(id)}/test`, body: {}, itemIndex }, {
			what: `Send Test of webhook ${id}`,
			check: 'Check the receiving end (or Webhook → Get, last_delivery_at) for a test delivery before sending another.',
		});
	},
};

export const webhook: Resource = {
	description: [
		{
			displayName: 'Operation',
			name: 'operation',
			type: 'options',
			noDataExpression: true,
			displayOptions: { show: { resource: ['webhook'] } },
			options: [
				{ name: 'Create', value: 'create', description: 'Subscribe a URL to events; the answer has the signing secret, shown once. Docs: https://developers.posteverywhere.ai/webhooks.', action: 'Create a webhook' },
				{ name: 'Delete', value: 'delete', description: 'Delete a webhook subscription. Docs: https://developers.posteverywhere.ai/webhooks.', action: 'Delete a webhook' },
				{ name: 'Get', value: 'get', description: 'Read a webhook with its delivery health. Docs: https://developers.posteverywhere.ai/webhooks.', action: 'Get a webhook' },
				{ name: 'Get Many', value: 'getMany', description: 'List webhook subscriptions. Docs: https://developers.posteverywhere.ai/webhooks.', action: 'Get many webhooks' },
				{ name: 'Send Test', value: 'test', description: 'Send a test delivery and report the receiver\'s answer. Docs: https://developers.posteverywhere.ai/webhooks.', action: 'Send a test delivery' },
				{ name: 'Update', value: 'update', description: 'Change URL, events, name or activity. Docs: https://developers.posteverywhere.ai/webhooks.', action: 'Update a webhook' },
			],
			default: 'getMany',
		},
		...create.description,
		...get.description,
		...update.description,
		...del.description,
		...test.description,
	],
	operations: { create, getMany, get, update, delete: del, test },
};
