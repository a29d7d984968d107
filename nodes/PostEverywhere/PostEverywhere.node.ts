import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { makeRouter } from '../shared/router';
import { resources } from './actions/resources';
import { listSearch, loadOptions } from './methods';

const router = makeRouter(resources);

export class PostEverywhere implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'PostEverywhere',
		name: 'postEverywhere',
		icon: { light: 'file:posteverywhere.svg', dark: 'file:posteverywhere.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{$parameter["operation"] + ": " + $parameter["resource"]}}',
		description:
			'Publish and schedule posts to Instagram, X, Facebook, LinkedIn, YouTube, TikTok, Threads and more with PostEverywhere; upload media, wait for results, manage campaigns and webhooks',
		defaults: { name: 'PostEverywhere' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'postEverywhereRestApi', required: true }],
		codex: {
			categories: ['Marketing'],
			subcategories: { Marketing: ['Social Media'] },
			resources: { primaryDocumentation: [{ url: 'https://developers.posteverywhere.ai' }] },
		},
		properties: [
			{
				displayName: 'Resource',
				name: 'resource',
				type: 'options',
				noDataExpression: true,
				options: [
					{ name: 'Account', value: 'account', description: 'Connected social accounts and their health' },
					{ name: 'AI', value: 'ai', description: 'AI captions and images (needs the ai scope)' },
					{ name: 'Analytic', value: 'analytics', description: 'Post counts and engagement for a period' },
					{ name: 'API Key', value: 'apiKey', description: 'The key\'s scopes, organization and quota' },
					{ name: 'Campaign', value: 'campaign', description: 'Groups of posts' },
					{ name: 'Media', value: 'media', description: 'Upload images, videos and PDFs' },
					{ name: 'Platform Rule', value: 'platformRule', description: 'Limits and features per platform' },
					{ name: 'Post', value: 'post', description: 'Create, schedule, publish, retry and read posts' },
					{ name: 'Webhook', value: 'webhook', description: 'Event subscriptions' },
				],
				default: 'post',
			},
			...Object.values(resources).flatMap((resource) => resource.description),
		],
	};

	methods = { listSearch, loadOptions };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}
