import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { attempt, describeFailure } from '../../../shared/actOnce';
import type { HttpCall } from '../../../shared/http';
import { returnAllProperties } from '../../../shared/list';
import { locatorValue } from '../../../shared/locator';
import type { Operation, OperationResult, Resource } from '../../../shared/router';
import { Checker } from '../../../shared/validation';
import { peRequest } from '../../transport';
import { allPages, campaignLocator, compact, deleteExisting, idPath, numericId, offsetList } from '../common';
import { isLostAnswer, outcomeUnknown, rereads, sendRepeatable, tryRead } from '../lostAnswer';

/**
 * Contract §8 campaigns: `GET/POST /campaigns`, `GET/PATCH/DELETE /campaigns/{id}`. Name 1–100
 * characters, description ≤ 500, color `#RRGGBB`, status active | archived. Deleting keeps the posts.
 * Create is sent once: after a lost answer a campaign of that name not listed before is the result.
 */
const STATUSES = ['active', 'archived'] as const;
const show = (operation: string) => ({ show: { resource: ['campaign'], operation: [operation] } });

const fieldOptions: INodeProperties[] = [
	{ displayName: 'Color', name: 'color', type: 'color', default: '#3b82f6', description: 'Label color, #RRGGBB' },
	{ displayName: 'Description', name: 'description', type: 'string', default: '', description: 'At most 500 characters' },
	{
		displayName: 'Status',
		name: 'status',
		type: 'options',
		default: 'active',
		options: [
			{ name: 'Active', value: 'active' },
			{ name: 'Archived', value: 'archived' },
		],
	},
];

function readFields(check: Checker, fields: IDataObject, name?: unknown): IDataObject {
	const body = compact({
		name: name === undefined ? undefined : check.requiredText('Name', name, { min: 1, max: 100 }),
		description: check.text('Description', fields.description, { max: 500 }),
		color: check.text('Color', fields.color, { max: 7 }),
		status: fields.status === undefined ? undefined : check.oneOf('Status', fields.status, STATUSES),
	});
	if (typeof body.color === 'string' && !/^#[0-9a-fA-F]{6}$/.test(body.color)) check.fail('Color', `"${body.color}" is not a color`, '#RRGGBB, e.g. #3b82f6');
	return body;
}

function readId(ctx: IExecuteFunctions, itemIndex: number): number {
	return numericId(new Checker(ctx.getNode(), itemIndex), 'Campaign', locatorValue(ctx, 'campaignId', 'Campaign', itemIndex, { max: 20 }));
}

const create: Operation = {
	description: updateDisplayOptions(show('create'), [
		{ displayName: 'Name', name: 'name', type: 'string', default: '', required: true, description: '1–100 characters' },
		{ displayName: 'Additional Fields', name: 'additionalFields', type: 'collection', placeholder: 'Add Field', default: {}, options: fieldOptions },
	]),
	async execute(this: IExecuteFunctions, itemIndex: number): Promise<OperationResult> {
		const check = new Checker(this.getNode(), itemIndex);
		const body = readFields(check, this.getNodeParameter('additionalFields', itemIndex, {}) as IDataObject, this.getNodeParameter('name', itemIndex, ''));
		// The campaigns before (a short list): after a lost answer, a new one of this name is ours.
		const before = new Set((await allPages(this, '/campaigns', 'campaigns', itemIndex)).map((entry) => String(entry.id)));
		const call: HttpCall = { method: 'POST', path: '/campaigns', body, itemIndex, repeatable: false };
		const sent = await attempt(async () => await peRequest(this, call));
		if ('value' in sent) return sent.value;
		if (!isLostAnswer(sent.error)) throw sent.error;
		let found: IDataObject | undefined;
		await rereads(this, itemIndex, async () => {
			const now = await tryRead(this, async () => await allPages(this, '/campaigns', 'campaigns', itemIndex));
			found = now?.find((entry) => !before.has(String(entry.id)) && entry.name === body.name);
			return found !== undefined;
		});
		if (found) return { ...found, recovered_after: describeFailure(sent.error) };
		throw outcomeUnknown(this, call, sent.error, {
			what: `Create campaign "${String(body.name)}"`,
			seen: 'no new campaign of this name is listed',
			check: `Check Campaign → Get Many for a campaign named "${String(body.name)}": if it is there, it was created.`,
		});
	},
};

const getMany: Operation = {
	description: updateDisplayOptions(show('getMany'), [
		...returnAllProperties,
		{
			displayName: 'Status',
			name: 'status',
			type: 'options',
			default: '',
			options: [
				{ name: 'All', value: '' },
				{ name: 'Active', value: 'active' },
				{ name: 'Archived', value: 'archived' },
			],
		},
	]),
	async execute(this: IExecuteFunctions, itemIndex: number): Promise<OperationResult> {
		const check = new Checker(this.getNode(), itemIndex);
		const status = this.getNodeParameter('status', itemIndex, '');
		return await offsetList(this, check, itemIndex, { path: '/campaigns', key: 'campaigns', qs: compact({ status: status === '' ? undefined : check.oneOf('Status', status, STATUSES) }) });
	},
};

const get: Operation = {
	description: [campaignLocator({ resource: ['campaign'], operation: ['get'] })],
	async execute(this: IExecuteFunctions, itemIndex: number): Promise<OperationResult> {
		return await peRequest(this, { method: 'GET', path: `/campaigns/${idPath(readId(this, itemIndex))}`, itemIndex });
	},
};

const update: Operation = {
	description: [
		campaignLocator({ resource: ['campaign'], operation: ['update'] }),
		...updateDisplayOptions(show('update'), [
			{
				displayName: 'Update Fields',
				name: 'updateFields',
				type: 'collection',
				placeholder: 'Add Field',
				default: {},
				options: [{ displayName: 'Name', name: 'name', type: 'string', default: '', description: '1–100 characters' }, ...fieldOptions],
			},
		]),
	],
	async execute(this: IExecuteFunctions, itemIndex: number): Promise<OperationResult> {
		const check = new Checker(this.getNode(), itemIndex);
		const id = readId(this, itemIndex);
		const fields = this.getNodeParameter('updateFields', itemIndex, {}) as IDataObject;
		const body = readFields(check, fields, fields.name);
		if (Object.keys(body).length === 0) check.fail('Update Fields', 'no field to change was set', 'at least one of Name, Description, Color, Status');
		return await sendRepeatable(this, { method: 'PATCH', path: `/campaigns/${idPath(id)}`, body, itemIndex });
	},
};

const del: Operation = {
	description: [campaignLocator({ resource: ['campaign'], operation: ['delete'] })],
	async execute(this: IExecuteFunctions, itemIndex: number): Promise<OperationResult> {
		const id = readId(this, itemIndex);
		return await deleteExisting(this, `/campaigns/${idPath(id)}`, { id }, itemIndex);
	},
};

export const campaign: Resource = {
	description: [
		{
			displayName: 'Operation',
			name: 'operation',
			type: 'options',
			noDataExpression: true,
			displayOptions: { show: { resource: ['campaign'] } },
			options: [
				{ name: 'Create', value: 'create', description: 'Create a campaign to group posts. Docs: https://developers.posteverywhere.ai/campaigns.', action: 'Create a campaign' },
				{ name: 'Delete', value: 'delete', description: 'Delete a campaign (its posts stay). Docs: https://developers.posteverywhere.ai/campaigns.', action: 'Delete a campaign' },
				{ name: 'Get', value: 'get', description: 'Read a campaign with its post count. Docs: https://developers.posteverywhere.ai/campaigns.', action: 'Get a campaign' },
				{ name: 'Get Many', value: 'getMany', description: 'List campaigns. Docs: https://developers.posteverywhere.ai/campaigns.', action: 'Get many campaigns' },
				{ name: 'Update', value: 'update', description: 'Rename, recolor or archive a campaign. Docs: https://developers.posteverywhere.ai/campaigns.', action: 'Update a campaign' },
			],
			default: 'getMany',
		},
		...create.description,
		...getMany.description,
		...get.description,
		...update.description,
		...del.description,
	],
	operations: { create, getMany, get, update, delete: del },
};
