import type { IExecuteFunctions } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import type { Operation, OperationResult, Resource } from '../../../shared/router';
import { Checker } from '../../../shared/validation';
import { peRequest } from '../../transport';
import { dateTime } from '../common';

/** Contract §8 `GET /analytics/summary`: post counts by status and platform, and engagement metrics for a period. */
const PERIODS = ['today', 'week', 'month', 'all', 'custom'] as const;

const getSummary: Operation = {
	description: updateDisplayOptions({ show: { resource: ['analytics'], operation: ['getSummary'] } }, [
		{
			displayName: 'Period',
			name: 'period',
			type: 'options',
			default: 'month',
			options: [
				{ name: 'All Time', value: 'all' },
				{ name: 'Custom Range', value: 'custom' },
				{ name: 'This Month', value: 'month' },
				{ name: 'This Week', value: 'week' },
				{ name: 'Today', value: 'today' },
			],
		},
		{ displayName: 'From', name: 'from', type: 'dateTime', default: '', required: true, displayOptions: { show: { period: ['custom'] } }, description: 'Start of the range' },
		{ displayName: 'To', name: 'to', type: 'dateTime', default: '', required: true, displayOptions: { show: { period: ['custom'] } }, description: 'End of the range' },
	]),
	async execute(this: IExecuteFunctions, itemIndex: number): Promise<OperationResult> {
		const check = new Checker(this.getNode(), itemIndex);
		const period = check.oneOf('Period', this.getNodeParameter('period', itemIndex, 'month'), PERIODS);
		const qs: Record<string, string> = { period };
		if (period === 'custom') {
			qs.from = dateTime(this, check, 'From', this.getNodeParameter('from', itemIndex, ''));
			qs.to = dateTime(this, check, 'To', this.getNodeParameter('to', itemIndex, ''));
			if (Date.parse(qs.from) > Date.parse(qs.to)) check.fail('To', `${qs.to} is before From ${qs.from}`, 'a time after From');
		}
		return await peRequest(this, { method: 'GET', path: '/analytics/summary', qs, itemIndex });
	},
};

export const analytics: Resource = {
	description: [
		{
			displayName: 'Operation',
			name: 'operation',
			type: 'options',
			noDataExpression: true,
			displayOptions: { show: { resource: ['analytics'] } },
			options: [
				{
					name: 'Get Summary',
					value: 'getSummary',
					description: 'Post counts by status and platform, views, likes, comments, shares, impressions and clicks for a period. Docs: https://developers.posteverywhere.ai/api.',
					action: 'Get the analytics summary',
				},
			],
			default: 'getSummary',
		},
		...getSummary.description,
	],
	operations: { getSummary },
};
