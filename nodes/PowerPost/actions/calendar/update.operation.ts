import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { Checker } from '../../../shared/validation';
import { powerPostRequest } from '../../transport';
import type { OperationResult } from '../../../shared/router';
import { locatorValue } from '../../../shared/locator';
import { DESCRIPTION_MAX, TITLE_MAX, entryLocator, platformsField, readPlatforms, toCalendarDate, toHourMinute } from './common';

/** Contract §11: `PATCH /calendar/entries/{id}` with only the fields to change; null clears description / time. */

const properties: INodeProperties[] = [
	entryLocator(['update']),
	{
		displayName: 'Update Fields',
		name: 'updateFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		description: 'Only the fields added here are changed; at least one is needed',
		options: [
			{
				displayName: 'Clear Description',
				name: 'clearDescription',
				type: 'boolean',
				default: true,
				description: 'Whether to remove the description (sends null)',
			},
			{
				displayName: 'Clear Scheduled Time',
				name: 'clearTime',
				type: 'boolean',
				default: true,
				description: 'Whether to remove the time of day, keeping only the date (sends null)',
			},
			{
				displayName: 'Description',
				name: 'description',
				type: 'string',
				typeOptions: { rows: 4 },
				default: '',
				description: 'New notes (up to 5,000 characters). To remove them, use Clear Description.',
			},
			{
				...platformsField,
				description: 'Replaces the whole list of platforms (it is not merged with the current one); empty removes all',
			},
			{
				displayName: 'Scheduled Date',
				name: 'scheduledDate',
				type: 'dateTime',
				default: '',
				description: 'New day: a date or a date-time (its day in the workflow\'s time zone)',
			},
			{
				displayName: 'Scheduled Time',
				name: 'scheduledTime',
				type: 'string',
				default: '',
				placeholder: 'e.g. 14:00',
				description: 'New time of day, 24-hour HH:MM. To remove it, use Clear Scheduled Time.',
			},
			{
				displayName: 'Title',
				name: 'title',
				type: 'string',
				default: '',
				description: 'New title (up to 500 characters)',
			},
		],
	},
];

export const description = updateDisplayOptions({ show: { resource: ['calendar'], operation: ['update'] } }, properties);

/** The PATCH body from the "Update Fields" of one item; checked before anything is sent. */
export function buildPatch(check: Checker, fields: IDataObject, zone: string): IDataObject {
	const body: IDataObject = {};
	if (fields.title !== undefined) body.title = check.requiredText('Title', fields.title, { max: TITLE_MAX });
	if (fields.clearDescription === true) {
		if (fields.description !== undefined && fields.description !== '') {
			check.fail('Description', 'is set together with Clear Description', 'either a new description or Clear Description');
		}
		body.description = null;
	} else if (fields.description !== undefined) {
		body.description = check.requiredText('Description', fields.description, { max: DESCRIPTION_MAX });
	}
	if (fields.scheduledDate !== undefined) body.scheduled_date = toCalendarDate(check, 'Scheduled Date', fields.scheduledDate, zone);
	if (fields.clearTime === true) {
		if (fields.scheduledTime !== undefined && fields.scheduledTime !== '') {
			check.fail('Scheduled Time', 'is set together with Clear Scheduled Time', 'either a new time or Clear Scheduled Time');
		}
		body.scheduled_time = null;
	} else if (fields.scheduledTime !== undefined) {
		body.scheduled_time = toHourMinute(check, 'Scheduled Time', fields.scheduledTime);
	}
	if (fields.platforms !== undefined) body.platforms = readPlatforms(check, fields.platforms);
	if (Object.keys(body).length === 0) {
		check.fail('Update Fields', 'nothing to change', 'add at least one of Title, Description, Scheduled Date, Scheduled Time, Platforms, Clear Description, Clear Scheduled Time');
	}
	return body;
}

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<OperationResult> {
	const check = new Checker(this.getNode(), itemIndex);
	const entryId = locatorValue(this, 'entryId', 'Calendar Entry', itemIndex);
	const body = buildPatch(check, this.getNodeParameter('updateFields', itemIndex, {}) as IDataObject, this.getTimezone());
	return await powerPostRequest(this, {
		method: 'PATCH',
		path: `/calendar/entries/${encodeURIComponent(entryId)}`,
		body,
		itemIndex,
	});
}
