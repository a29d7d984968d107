import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { resources } from './actions/resources';
import { router } from './actions/router';
import { listSearch } from './methods';

export class PowerPost implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'PowerPost',
		name: 'powerPost',
		icon: { light: 'file:powerpost.svg', dark: 'file:powerpost.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{$parameter["operation"] + ": " + $parameter["resource"]}}',
		description: 'Generate captions, images and videos with AI, upload media, create, publish and schedule posts, read analytics and plan the calendar with PowerPost',
		defaults: { name: 'PowerPost' },
		codex: {
			categories: ['Marketing', 'Communication'],
			alias: ['social media', 'instagram', 'tiktok', 'youtube', 'linkedin', 'facebook', 'x', 'twitter', 'caption', 'schedule post'],
			resources: {
				primaryDocumentation: [{ url: 'https://powerpost.ai/docs' }],
				credentialDocumentation: [{ url: 'https://powerpost.ai/docs/authentication' }],
			},
		},
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'powerPostApi', required: true }],
		properties: [
			{
				displayName: 'Resource',
				name: 'resource',
				type: 'options',
				noDataExpression: true,
				options: [
					{ name: 'Account', value: 'account', description: 'Credit balance' },
					{ name: 'Analytic', value: 'analytics', description: 'Views, likes and comments of published post items' },
					{ name: 'Calendar Entry', value: 'calendar', description: 'Planning notes on the content calendar' },
					{ name: 'Caption', value: 'caption', description: 'AI-written captions for each platform' },
					{ name: 'Image', value: 'image', description: 'AI-generated images' },
					{ name: 'Media', value: 'media', description: 'Upload images and videos' },
					{ name: 'Post', value: 'post', description: 'Create, publish, schedule and read posts' },
					{ name: 'Video', value: 'video', description: 'AI-generated videos' },
				],
				default: 'post',
			},
			...Object.values(resources).flatMap((resource) => resource.description),
		],
	};

	methods = { listSearch };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}
