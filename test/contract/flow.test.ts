// The whole journey in one n8n workflow (n8n-core's WorkflowExecute, via the harness):
// upload a photo → captions for it (wait) → an image for the captions (wait) → a post from the
// caption generation with both media → publish (wait) → analytics per platform item.
import type { INode, INodeExecutionData, INodeParameters } from 'n8n-workflow';

import { startSandbox, type Sandbox } from '../../sandbox/server';
import { HARNESS_START_TYPE, runWorkflow } from '../harness';
import { FAST_WAIT, PNG } from './generation-helpers';
import { byId, FAST_POLL, FAST_TIMING, jsonOf, op } from './post-helpers';

let sb: Sandbox;
beforeAll(async () => {
	sb = await startSandbox({ tickMs: 0, rateLimit: false, timing: FAST_TIMING });
});
afterAll(async () => {
	await sb.close();
});

const TYPE = 'n8n-nodes-powerpost.powerPost';
const credentialRef = { powerPostApi: { id: '1', name: 'PowerPost sandbox' } };

function powerPost(name: string, x: number, parameters: INodeParameters): INode {
	return { id: name, name, type: TYPE, typeVersion: 1, position: [x * 200, 0], parameters, credentials: credentialRef };
}

test('upload → captions → image → post → publish → analytics', async () => {
	const credits = sb.getCredits();
	const nodes: INode[] = [
		{ id: 'start', name: 'Start', type: HARNESS_START_TYPE, typeVersion: 1, position: [0, 0], parameters: {} },
		powerPost('Upload Photo', 1, { resource: 'media', operation: 'upload' }),
		powerPost('Write Captions', 2, {
			resource: 'caption',
			operation: 'generate',
			inputMode: 'images',
			imageMediaIds: '={{ $json.media_id }}',
			prompt: "={{ $('Start').item.json.topic }}",
			postTypes: ['instagram-feed', 'linkedin-post'],
			waitOptions: FAST_WAIT,
		}),
		powerPost('Make Image', 3, {
			resource: 'image',
			operation: 'generate',
			mode: 'post',
			generationId: { __rl: true, mode: 'id', value: '={{ $json.generation_id }}' },
			size: 'square',
			waitOptions: FAST_WAIT,
		}),
		powerPost('Create Post', 4, {
			resource: 'post',
			operation: 'create',
			itemsSource: 'shared',
			postTypes: ['instagram-feed', 'linkedin-post'],
			content: '',
			mediaIds: "={{ [$('Upload Photo').item.json.media_id, ...$json.media_ids] }}",
			generationId: { __rl: true, mode: 'id', value: "={{ $('Write Captions').item.json.generation_id }}" },
		}),
		powerPost('Publish', 5, {
			resource: 'post',
			operation: 'publish',
			postId: { __rl: true, mode: 'id', value: '={{ $json.post_id }}' },
			waitOptions: FAST_POLL,
		}),
		powerPost('Analytics', 6, {
			resource: 'analytics',
			operation: 'getForPost',
			postId: { __rl: true, mode: 'id', value: '={{ $json.post_id }}' },
		}),
	];
	const chain = nodes.map((n) => n.name);
	const connections = Object.fromEntries(
		chain.slice(0, -1).map((name, i) => [name, { main: [[{ node: chain[i + 1], type: 'main' as const, index: 0 }]] }]),
	);

	const result = await runWorkflow(
		{ nodes, connections },
		{
			credentials: { powerPostApi: { apiKey: sb.keys.full, workspaceId: sb.workspaces.primary, baseUrl: sb.url } },
			input: [{ json: { topic: 'Our new pumpkin spice oat latte' }, binary: { data: { data: PNG, mimeType: 'image/png', fileName: 'latte.png' } } }],
		},
	);
	expect(result.status).toBe('success');
	const out = (name: string) => (result.runData[name][0].data!.main[0] as INodeExecutionData[]).map((i) => i.json as Record<string, any>);

	// 1. the photo is stored as image media
	const [upload] = out('Upload Photo');
	expect(upload).toMatchObject({ media_id: expect.any(String), type: 'image' });

	// 2. captions for both platforms, written for the photo and the topic
	const [captions] = out('Write Captions');
	expect(captions.status).toBe('completed');
	expect(Object.keys(captions.outputs).sort()).toEqual(['instagram', 'linkedin']);
	expect(sb.state.generations.get(captions.generation_id)?.prompt).toBe('Our new pumpkin spice oat latte');

	// 3. an image illustrating the captions
	const [image] = out('Make Image');
	expect(image.status).toBe('completed');
	expect(image.media_ids).toHaveLength(1);

	// 4. a draft whose items carry the generated captions and both media
	const [draft] = out('Create Post');
	expect(draft.status).toBe('draft');
	// as PowerPost stored it (answers echo `generation_id` only under the generous profile: postGenerationId)
	expect(sb.state.posts.get(draft.post_id)?.generation_id).toBe(captions.generation_id);
	const byPlatform = Object.fromEntries(draft.items.map((i: any) => [i.platform, i]));
	expect(byPlatform.instagram.content).toBe(captions.outputs.instagram);
	expect(byPlatform.linkedin.content).toBe(captions.outputs.linkedin);
	expect(byPlatform.instagram.media_ids).toEqual([upload.media_id, image.media_ids[0]]);

	// 5. published on both platforms, each with its platform id
	const [published] = out('Publish');
	expect(published.post_id).toBe(draft.post_id);
	expect(published.status).toBe('published');
	expect(published.summary).toEqual({ total: 2, posted: 2, failed: 0, pending: 0 });
	expect(published.items.map((i: any) => i.platform_post_id)).toEqual([expect.stringMatching(/^instagram_/), expect.stringMatching(/^linkedin_/)]);

	// 6. one analytics item per platform; metrics are not fetched yet right after posting
	const analytics = out('Analytics');
	expect(analytics.map((a) => [a.post_id, a.platform, a.status, a.metrics, a.metricsAvailable])).toEqual([
		[draft.post_id, 'instagram', 'posted', null, false],
		[draft.post_id, 'linkedin', 'posted', null, false],
	]);

	// credits: captions, then the image, then one per posted item (sandbox prices §12), from one balance
	expect(captions.remaining_credits).toBe(credits - captions.credits_used);
	expect(image.remaining_credits).toBeLessThan(captions.remaining_credits);
	expect(sb.getCredits()).toBe(image.remaining_credits - 2);

	// a day later the same analytics step has numbers
	sb.clock.advance(26 * 3600_000);
	const later = await op(sb, 'analytics', 'getForPost', { postId: byId(draft.post_id) });
	expect(jsonOf(later).every((a) => a.metricsAvailable && a.metrics.views > 0)).toBe(true);
});
