import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { Checker } from '../../../shared/validation';
import { powerPostRequest } from '../../transport';
import type { OperationResult } from '../../../shared/router';
import { DESCRIPTION_MAX, TITLE_MAX, platformsField, readPlatforms, toCalendarDate, toHourMinute } from './common';

/** Contract §11: `POST /calendar/entries` creates a planning note (it never publishes anything). */

const properties: INodeProperties[] = [
	{
		displayName: 'Title',
		name: 'title',
		type: 'string',
		default: '',
		required: true,
		description: 'What is planned (up to 500 characters)',
	},
	{
		displayName: 'Scheduled Date',
		name: 'scheduledDate',
		type: 'dateTime',
		default: '',
		required: true,
		description:
			'The day of the entry: a date (2026-12-01) or a date-time, whose day in the workflow\'s time zone is used (a value with an offset is converted to that zone first)',
	},
	{
		displayName: 'Additional Fields',
		name: 'additionalFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		options: [
			{
				displayName: 'Description',
				name: 'description',
				type: 'string',
				typeOptions: { rows: 4 },
				default: '',
				description: 'Notes for the entry (up to 5,000 characters)',
			},
			platformsField,
			{
				displayName: 'Scheduled Time',
				name: 'scheduledTime',
				type: 'string',
				default: '',
				placeholder: 'e.g. 09:30',
				description: 'Time of day, 24-hour HH:MM (no time zone: shown as entered in PowerPost)',
			},
		],
	},
];

export const description = updateDisplayOptions({ show: { resource: ['calendar'], operation: ['create'] } }, properties);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<OperationResult> {
	const check = new Checker(this.getNode(), itemIndex);
	const body: IDataObject = {
		title: check.requiredText('Title', this.getNodeParameter('title', itemIndex, ''), { max: TITLE_MAX }),
		scheduled_date: toCalendarDate(check, 'Scheduled Date', this.getNodeParameter('scheduledDate', itemIndex, ''), this.getTimezone()),
	};
	const fields = this.getNodeParameter('additionalFields', itemIndex, {}) as IDataObject;
	const text = check.text('Description', fields.description, { max: DESCRIPTION_MAX });
	if (text !== undefined) body.description = text;
	if (fields.scheduledTime !== undefined && fields.scheduledTime !== '') {
		body.scheduled_time = toHourMinute(check, 'Scheduled Time', fields.scheduledTime);
	}
	if (fields.platforms !== undefined) body.platforms = readPlatforms(check, fields.platforms);
	return await powerPostRequest(this, { method: 'POST', path: '/calendar/entries', body, itemIndex });
}
