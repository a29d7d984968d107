import type { INodeProperties } from 'n8n-workflow';

import type { Resource } from '../../../shared/router';
import * as create from './create.operation';
import * as del from './delete.operation';
import * as get from './get.operation';
import * as getMany from './getMany.operation';
import * as update from './update.operation';

const DOCS = 'https://powerpost.ai/docs/api-reference/calendar';

const operation: INodeProperties = {
	displayName: 'Operation',
	name: 'operation',
	type: 'options',
	noDataExpression: true,
	displayOptions: { show: { resource: ['calendar'] } },
	options: [
		{
			name: 'Create',
			value: 'create',
			description: `Add a planning note to the content calendar (title, date, optional time, description, platforms). It does not publish anything. Docs: ${DOCS}.`,
			action: 'Create a calendar entry',
		},
		{
			name: 'Delete',
			value: 'delete',
			description: `Delete a calendar entry. Docs: ${DOCS}.`,
			action: 'Delete a calendar entry',
		},
		{
			name: 'Get',
			value: 'get',
			description: `Read one calendar entry by ID. Docs: ${DOCS}.`,
			action: 'Get a calendar entry',
		},
		{
			name: 'Get Many',
			value: 'getMany',
			description: `List calendar entries between two dates (both included), in date order; long ranges are split automatically. Docs: ${DOCS}.`,
			action: 'Get many calendar entries',
		},
		{
			name: 'Update',
			value: 'update',
			description: `Change some fields of a calendar entry; description and time can be cleared, platforms are replaced as a whole. Docs: ${DOCS}.`,
			action: 'Update a calendar entry',
		},
	],
	default: 'create',
};

export const calendar: Resource = {
	description: [operation, ...create.description, ...get.description, ...getMany.description, ...update.description, ...del.description],
	operations: { create, get, getMany, update, delete: del },
};
