import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { Checker } from '../../../shared/validation';
import { powerPostRequest } from '../../transport';
import { generationLocator } from '../caption/generationLocator';
import type { OperationResult } from '../../../shared/router';
import { POST_TYPE_PLATFORM, POST_TYPES, TITLED_POST_TYPES, postTypeOptions } from './common';

/** Contract §9.1: `POST /posts` creates a draft with 1–12 items, one per post type. */

const MAX_ITEMS = 12;

const itemFields: INodeProperties[] = [
	{
		displayName: 'Post Type',
		name: 'postType',
		type: 'options',
		options: postTypeOptions,
		default: 'instagram-feed',
		description: 'Where and in which format this entry is published',
	},
	{
		displayName: 'Content',
		name: 'content',
		type: 'string',
		typeOptions: { rows: 4 },
		default: '',
		description: 'The caption, hashtags included. Leave empty to use the caption of the Caption Generation for this platform.',
	},
	{
		displayName: 'Title',
		name: 'title',
		type: 'string',
		default: '',
		description: 'Required for YouTube Video and YouTube Short (unless the Caption Generation has a YouTube title); ignored by PowerPost for other types',
	},
	{
		displayName: 'Media IDs',
		name: 'mediaIds',
		type: 'string',
		default: '',
		description: 'IDs of uploaded or generated media (Media → Upload, Image/Video generations), separated by commas, or an array from an expression',
	},
];

const properties: INodeProperties[] = [
	{
		displayName: 'Define Items',
		name: 'itemsSource',
		type: 'options',
		noDataExpression: true,
		options: [
			{
				name: 'Same Content for Several Post Types',
				value: 'shared',
				description: 'Pick the post types; each becomes one item with the same content, title and media. Best for mapping a spreadsheet row to a post.',
			},
			{
				name: 'One Entry per Post Type',
				value: 'items',
				description: 'Add an entry per post type, each with its own content, title and media',
			},
			{
				name: 'JSON',
				value: 'json',
				description: 'An array of items from an expression, e.g. built by a Code node: [{"post_type","content","title","media_ids"}]',
			},
		],
		default: 'shared',
		description: 'How the items of the post (one per post type, 1 to 12) are given',
	},
	{
		displayName: 'Post Types',
		name: 'postTypes',
		type: 'multiOptions',
		options: postTypeOptions,
		default: [],
		required: true,
		displayOptions: { show: { itemsSource: ['shared'] } },
		description:
			'One post item is created per post type. From an expression, give a list, e.g. {{ ["instagram-feed", "x-post"] }}, or split a comma-separated text field with .split(","). Plain text runs too, but the editor marks it as not supported.',
	},
	{
		displayName: 'Content',
		name: 'content',
		type: 'string',
		typeOptions: { rows: 4 },
		default: '',
		displayOptions: { show: { itemsSource: ['shared'] } },
		description:
			'The caption for every chosen post type, hashtags included (often an expression reading the previous node). Leave empty to use each platform\'s caption from the Caption Generation.',
	},
	{
		displayName: 'Title',
		name: 'title',
		type: 'string',
		default: '',
		displayOptions: { show: { itemsSource: ['shared'] } },
		description: 'Used for YouTube Video / YouTube Short, which require a title (unless the Caption Generation provides one)',
	},
	{
		displayName: 'Media IDs',
		name: 'mediaIds',
		type: 'string',
		default: '',
		displayOptions: { show: { itemsSource: ['shared'] } },
		description: 'Media attached to every item: IDs separated by commas, or an array from an expression (e.g. the media_ids output of Image → Generate)',
	},
	{
		displayName: 'Items',
		name: 'items',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true, sortable: true },
		placeholder: 'Add Item',
		default: {},
		displayOptions: { show: { itemsSource: ['items'] } },
		description: 'One entry per post type (at most 12, each post type once)',
		options: [{ displayName: 'Item', name: 'item', values: itemFields }],
	},
	{
		displayName: 'Items (JSON)',
		name: 'itemsJson',
		type: 'json',
		default: '[\n  { "post_type": "instagram-feed", "content": "Hello from n8n", "media_ids": [] }\n]',
		displayOptions: { show: { itemsSource: ['json'] } },
		description:
			'An array of 1 to 12 objects with post_type (required), content, title (YouTube) and media_ids (array or comma-separated text)',
	},
	generationLocator({
		name: 'generationId',
		displayName: 'Caption Generation',
		show: {},
		completedOnly: true,
		required: false,
		description:
			'Optional: a completed caption generation. Items without content get that platform\'s caption (and YouTube its title); content given here overrides it.',
	}),
];

export const description = updateDisplayOptions({ show: { resource: ['post'], operation: ['create'] } }, properties);

interface DraftItem {
	post_type: string;
	content?: string;
	title?: string;
	media_ids?: string[];
}

/** Builds and checks the request items from the parameters of one input item (no request is sent). */
export function readItems(ctx: IExecuteFunctions, itemIndex: number): DraftItem[] {
	const check = new Checker(ctx.getNode(), itemIndex);
	const source = ctx.getNodeParameter('itemsSource', itemIndex, 'shared') as string;
	let raw: Array<{ field: string; value: IDataObject }>;
	if (source === 'shared') {
		const types = check.listOf('Post Types', ctx.getNodeParameter('postTypes', itemIndex, []), POST_TYPES, { min: 1, max: MAX_ITEMS });
		const shared: IDataObject = {
			content: ctx.getNodeParameter('content', itemIndex, ''),
			title: ctx.getNodeParameter('title', itemIndex, ''),
			media_ids: ctx.getNodeParameter('mediaIds', itemIndex, ''),
		};
		raw = types.map((postType) => ({ field: '', value: { ...shared, post_type: postType } }));
	} else if (source === 'items') {
		const entries = ((ctx.getNodeParameter('items', itemIndex, {}) as IDataObject).item ?? []) as IDataObject[];
		raw = entries.map((entry, i) => ({
			field: `Items → entry ${i + 1} → `,
			value: { post_type: entry.postType, content: entry.content, title: entry.title, media_ids: entry.mediaIds },
		}));
	} else if (source === 'json') {
		raw = readJsonItems(check, ctx.getNodeParameter('itemsJson', itemIndex, '[]'));
	} else {
		raw = check.fail('Define Items', `"${source}" is not a supported value`, 'shared, items, json');
	}
	if (raw.length < 1 || raw.length > MAX_ITEMS) {
		check.fail(source === 'json' ? 'Items (JSON)' : 'Items', `has ${raw.length} entries`, `1 to ${MAX_ITEMS} items, one per post type`);
	}

	const seen = new Set<string>();
	return raw.map(({ field, value }) => {
		const postType = check.oneOf(`${field}Post Type`, value.post_type, POST_TYPES);
		if (seen.has(postType)) {
			check.fail(`${field}Post Type`, `"${postType}" is given twice`, 'each post type once per post; create a second post for a second variant');
		}
		seen.add(postType);
		const item: DraftItem = { post_type: postType };
		const content = check.text(`${field}Content`, value.content);
		if (content !== undefined) item.content = content;
		const title = check.text(`${field}Title`, value.title);
		if (title !== undefined && TITLED_POST_TYPES.includes(postType)) item.title = title;
		const mediaIds = check.list(`${field}Media IDs`, value.media_ids);
		if (mediaIds.length) item.media_ids = mediaIds;
		return item;
	});
}

function readJsonItems(check: Checker, value: unknown): Array<{ field: string; value: IDataObject }> {
	let parsed = value;
	if (typeof value === 'string') {
		try {
			parsed = JSON.parse(value) as unknown;
		} catch {
			check.fail('Items (JSON)', 'is not valid JSON', 'an array of objects such as [{"post_type": "x-post", "content": "Hi"}]');
		}
	}
	if (parsed && typeof parsed === 'object' && !Array.isArray(parsed) && Array.isArray((parsed as IDataObject).items)) {
		parsed = (parsed as IDataObject).items;
	}
	if (!Array.isArray(parsed)) check.fail('Items (JSON)', 'must be an array of items', 'an array of objects such as [{"post_type": "x-post", "content": "Hi"}]');
	return parsed.map((entry, i) => {
		if (!entry || typeof entry !== 'object' || Array.isArray(entry)) check.fail(`Items (JSON) → entry ${i + 1}`, 'is not an object', 'an object such as {"post_type": "x-post", "content": "Hi"}');
		return { field: `Items (JSON) → entry ${i + 1} → `, value: entry as IDataObject };
	});
}

/**
 * Items that rely on the caption generation are checked against it before the post is created,
 * so a missing platform caption or YouTube title is reported by name instead of as a 400.
 */
async function checkGeneration(ctx: IExecuteFunctions, check: Checker, generationId: string, items: DraftItem[]): Promise<void> {
	const needed = items.filter((item) => item.content === undefined || (TITLED_POST_TYPES.includes(item.post_type) && item.title === undefined));
	if (!needed.length) return;
	const generation = await powerPostRequest(ctx, {
		method: 'GET',
		path: `/content/generations/${encodeURIComponent(generationId)}`,
		itemIndex: check.itemIndex,
	});
	if (generation.status !== 'completed') {
		check.fail(
			'Caption Generation',
			`generation ${generationId} is ${String(generation.status)}, not completed`,
			'a completed generation: wait for it (Caption → Generate with "Wait for Completion") or give the content of every item',
		);
	}
	const outputs = (generation.outputs ?? {}) as IDataObject;
	for (const item of needed) {
		const platform = POST_TYPE_PLATFORM[item.post_type as keyof typeof POST_TYPE_PLATFORM];
		const output = outputs[platform];
		if (output === undefined || output === null) {
			check.fail(
				'Content',
				`is empty for ${item.post_type} and the Caption Generation has no ${platform} caption`,
				`content for ${item.post_type}, or a generation made for ${platform}`,
			);
		}
		const generatedTitle = typeof output === 'object' ? (output as IDataObject).title : undefined;
		if (TITLED_POST_TYPES.includes(item.post_type) && item.title === undefined && !generatedTitle) {
			check.fail('Title', `is required for ${item.post_type}`, 'a title for YouTube Video / YouTube Short');
		}
	}
}

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<OperationResult> {
	const check = new Checker(this.getNode(), itemIndex);
	const items = readItems(this, itemIndex);
	const generationId = check.text('Caption Generation', this.getNodeParameter('generationId', itemIndex, '', { extractValue: true }));
	if (generationId === undefined) {
		for (const item of items) {
			if (item.content === undefined) {
				check.fail('Content', `is required for ${item.post_type}`, 'the caption text, or a Caption Generation to take it from');
			}
			if (TITLED_POST_TYPES.includes(item.post_type) && item.title === undefined) {
				check.fail('Title', `is required for ${item.post_type}`, 'a title for YouTube Video / YouTube Short');
			}
		}
	} else {
		await checkGeneration(this, check, generationId, items);
	}
	const body: IDataObject = { items: items as unknown as IDataObject[] };
	if (generationId !== undefined) body.generation_id = generationId;
	return await powerPostRequest(this, { method: 'POST', path: '/posts', body, itemIndex });
}
