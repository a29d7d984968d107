// Contract §9 / §17.1–17.4: Post → Create, Get, Get Many, Publish, Schedule, Cancel Publish against the sandbox,
// through n8n-core's real execution (harness).
import { DateTime } from 'luxon';

import { startSandbox, type Sandbox } from '../../sandbox/server';
import { countRequests, errorText, expectNoSecrets, runListSearch } from './generation-helpers';
import { api, byId, completedCaption, draft, FAST_POLL, FAST_TIMING, imageIds, jsonOf, op } from './post-helpers';

// A lost answer is resolved with re-reads that wait for real (about 5 s when they never catch up).
jest.setTimeout(30_000);

let sb: Sandbox;
beforeAll(async () => {
	sb = await startSandbox({ tickMs: 0, rateLimit: false, timing: FAST_TIMING });
});
afterAll(async () => {
	await sb.close();
});
beforeEach(() => {
	sb.reset();
	Object.assign(sb.timing, FAST_TIMING);
});

const total = () => sb.requests.length;
const publishes = () => countRequests(sb, 'POST', /^\/posts\/[^/]+\/publish$/);
const schedules = () => countRequests(sb, 'POST', /^\/posts\/[^/]+\/schedule$/);

describe('Post → Create', () => {
	test('shared content over several post types creates one draft item per type (YouTube gets the title)', async () => {
		const media = await imageIds(sb, 2);
		const r = await op(sb, 'post', 'create', {
			itemsSource: 'shared',
			postTypes: ['instagram-feed', 'x-post', 'youtube-short'],
			content: 'Our oat latte is back #autumn',
			title: 'Oat latte season',
			mediaIds: media.join(', '),
		});
		expect(r.status).toBe('success');
		const [post] = jsonOf(r);
		expect(post.status).toBe('draft');
		expect(post.items.map((i: any) => i.post_type)).toEqual(['instagram-feed', 'x-post', 'youtube-short']);
		expect(post.items.every((i: any) => i.content === 'Our oat latte is back #autumn' && i.status === 'draft')).toBe(true);
		expect(post.items.every((i: any) => i.media_ids.join() === media.join())).toBe(true);
		// the title as PowerPost stored it (answers echo `title` only under the generous profile: itemTitle)
		const stored = sb.state.posts.get(post.post_id)!;
		expect(stored.items.find((i) => i.post_type === 'youtube-short')?.title).toBe('Oat latte season');
		expect(stored.items.find((i) => i.post_type === 'x-post')?.title).toBeUndefined();
		expect(stored.items).toHaveLength(3);
		expectNoSecrets(sb, r);
	});

	test('spreadsheet rows: one post per input item, content and post types mapped by expression, paired', async () => {
		const rows = [
			{ json: { caption: 'Monday tip #1', channels: 'linkedin-post, x-post' } },
			{ json: { caption: 'Tuesday tip #2', channels: 'facebook-post' } },
		];
		const r = await op(sb, 'post', 'create', { itemsSource: 'shared', postTypes: '={{ $json.channels }}', content: '={{ $json.caption }}' }, { input: rows });
		expect(r.status).toBe('success');
		const out = r.outputs[0];
		expect(out).toHaveLength(2);
		expect(out.map((i) => i.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
		expect((out[0].json as any).items.map((i: any) => [i.post_type, i.content])).toEqual([
			['linkedin-post', 'Monday tip #1'],
			['x-post', 'Monday tip #1'],
		]);
		expect((out[1].json as any).items.map((i: any) => i.content)).toEqual(['Tuesday tip #2']);
		expect(countRequests(sb, 'POST', '/posts')).toBe(2);
	});

	test('"One Entry per Post Type" gives each item its own content', async () => {
		const r = await op(sb, 'post', 'create', {
			itemsSource: 'items',
			items: {
				item: [
					{ postType: 'instagram-reel', content: 'Reel caption', mediaIds: '' },
					{ postType: 'youtube-video', content: 'Video description', title: 'Full video' },
				],
			},
		});
		expect(r.status).toBe('success');
		const [post] = jsonOf(r);
		// as PowerPost stored them (answers echo `title` only under the generous profile: itemTitle)
		expect(sb.state.posts.get(post.post_id)!.items.map((i) => [i.post_type, i.content, i.title])).toEqual([
			['instagram-reel', 'Reel caption', undefined],
			['youtube-video', 'Video description', 'Full video'],
		]);
	});

	test('JSON items from an expression (array) are sent as given', async () => {
		const r = await op(sb, 'post', 'create', {
			itemsSource: 'json',
			itemsJson: '={{ [{ post_type: "tiktok-photos", content: "Swipe →" }, { post_type: "linkedin-post", content: "Long read" }] }}',
		});
		expect(r.status).toBe('success');
		expect(jsonOf(r)[0].items.map((i: any) => i.post_type)).toEqual(['tiktok-photos', 'linkedin-post']);
	});

	test('a caption generation fills empty content (and the YouTube title); given content overrides it', async () => {
		const generation = await completedCaption(sb, ['instagram-feed', 'youtube-short', 'x-post']);
		const r = await op(sb, 'post', 'create', {
			itemsSource: 'items',
			items: {
				item: [
					{ postType: 'instagram-feed', content: '' },
					{ postType: 'youtube-short', content: '' },
					{ postType: 'x-post', content: 'My own words' },
				],
			},
			generationId: byId(generation.generation_id),
		});
		expect(r.status).toBe('success');
		const [post] = jsonOf(r);
		// as PowerPost stored it (answers echo `generation_id` and `title` only under the generous
		// profile: postGenerationId, itemTitle)
		const stored = sb.state.posts.get(post.post_id)!;
		expect(stored.generation_id).toBe(generation.generation_id);
		expect(stored.items.find((i) => i.post_type === 'youtube-short')?.title).toBe(generation.outputs.youtube.title);
		const byType = Object.fromEntries(post.items.map((i: any) => [i.post_type, i]));
		expect(byType['instagram-feed'].content).toBe(generation.outputs.instagram);
		expect(byType['youtube-short'].content).toBe(generation.outputs.youtube.description);
		expect(byType['x-post'].content).toBe('My own words');
	});

	test('a generation without the platform of an empty item fails before the post is created, naming Content', async () => {
		const generation = await completedCaption(sb, ['instagram-feed']);
		const r = await op(sb, 'post', 'create', {
			itemsSource: 'shared',
			postTypes: ['instagram-feed', 'linkedin-post'],
			content: '',
			generationId: byId(generation.generation_id),
		});
		expect(errorText(r)).toMatch(/Content: is empty for linkedin-post and the Caption Generation has no linkedin caption/);
		expect(countRequests(sb, 'POST', '/posts')).toBe(0);
	});

	test.each([
		['a YouTube item without title', { itemsSource: 'shared', postTypes: ['youtube-video'], content: 'x' }, /Title: is required for youtube-video/],
		['an item without content', { itemsSource: 'shared', postTypes: ['x-post'], content: '  ' }, /Content: is required for x-post/],
		['no post type', { itemsSource: 'shared', postTypes: '={{ [] }}', content: 'x' }, /Post Types: has 0 entries/],
		['an unknown post type', { itemsSource: 'shared', postTypes: '={{ "x-post, myspace-post" }}', content: 'x' }, /Post Types: "myspace-post" is not a supported value/],
		[
			'a post type twice',
			{ itemsSource: 'items', items: { item: [{ postType: 'x-post', content: 'a' }, { postType: 'x-post', content: 'b' }] } },
			/Items → entry 2 → Post Type: "x-post" is given twice/,
		],
		[
			'13 items',
			{ itemsSource: 'json', itemsJson: JSON.stringify(Array.from({ length: 13 }, () => ({ post_type: 'x-post', content: 'a' }))) },
			/Items \(JSON\): has 13 entries/,
		],
		['invalid JSON', { itemsSource: 'json', itemsJson: '[{"post_type": ' }, /Items \(JSON\): is not valid JSON/],
	])('%s fails before any request, naming the field', async (_name, parameters, message) => {
		const before = total();
		const r = await op(sb, 'post', 'create', parameters);
		expect(errorText(r)).toMatch(message);
		expect(total()).toBe(before);
	});

	test('a 5xx on POST /posts is not resent (it may have created the post) and says so', async () => {
		sb.faults.add({ method: 'POST', path: '/posts', kind: 'status', status: 503 });
		const r = await op(sb, 'post', 'create', { itemsSource: 'shared', postTypes: ['x-post'], content: 'Once only' });
		expect(errorText(r)).toMatch(/not sent again/);
		expect(countRequests(sb, 'POST', '/posts')).toBe(1);
	});

	test('a connection dropped after the server created the post is not resent either', async () => {
		sb.faults.add({ method: 'POST', path: '/posts', kind: 'drop-after' });
		const r = await op(sb, 'post', 'create', { itemsSource: 'shared', postTypes: ['x-post'], content: 'Once only' });
		expect(errorText(r)).toMatch(/not sent again|Post → Get/);
		expect(countRequests(sb, 'POST', '/posts')).toBe(1);
		expect(sb.state.posts.size).toBe(1);
	});

	test('400 from PowerPost (media of another workspace) is passed on with the API message', async () => {
		const foreign = await api(sb, 'POST', '/images/generate', { prompt: 'x', model: 'flux2-flex', size: 'square', quantity: 1 }, { workspace: sb.workspaces.secondary });
		const r = await op(sb, 'post', 'create', { itemsSource: 'shared', postTypes: ['x-post'], content: 'a', mediaIds: foreign.body.image_generation_id });
		expect(errorText(r)).toMatch(/media_ids\[0\].*not found in this workspace.*\[VALIDATION_ERROR\]/s);
	});

	test('403 with a read-only key names the posts:write scope', async () => {
		const r = await op(sb, 'post', 'create', { itemsSource: 'shared', postTypes: ['x-post'], content: 'a' }, { key: sb.keys.readOnly });
		expect(errorText(r)).toMatch(/posts:write/);
		expectNoSecrets(sb, r);
	});
});

describe('Post → Get / Get Many', () => {
	test('Get returns the post with items', async () => {
		const created = await draft(sb, [{ post_type: 'linkedin-post', content: 'Hello' }]);
		const r = await op(sb, 'post', 'get', { postId: byId(created.post_id) });
		expect(jsonOf(r)[0]).toMatchObject({ post_id: created.post_id, status: 'draft', items: [{ post_type: 'linkedin-post', content: 'Hello' }] });
	});

	test('Get accepts a plain ID mapped into the locator', async () => {
		const created = await draft(sb);
		const r = await op(sb, 'post', 'get', { postId: '={{ $json.id }}' }, { input: [{ json: { id: created.post_id } }] });
		expect(jsonOf(r)[0].post_id).toBe(created.post_id);
	});

	test('a post of another workspace is 404; with continueOnFail it is an error item with the code', async () => {
		const other = await draft(sb, undefined, sb.workspaces.secondary);
		const failed = await op(sb, 'post', 'get', { postId: byId(other.post_id) });
		expect(errorText(failed)).toMatch(/NOT_FOUND/);
		const kept = await op(sb, 'post', 'get', { postId: byId(other.post_id) }, { onError: 'continueRegularOutput' });
		expect(kept.status).toBe('success');
		expect(jsonOf(kept)[0].error).toMatch(/Post not found \[NOT_FOUND\]/);
		expect(kept.outputs[0][0].json.details).toMatchObject({ code: 'NOT_FOUND', httpCode: 404, requestId: expect.any(String) });
	});

	test('an empty Post fails before any request', async () => {
		const before = total();
		const r = await op(sb, 'post', 'get', { postId: byId(' ') });
		expect(errorText(r)).toMatch(/Post: is required but empty/);
		expect(total()).toBe(before);
	});

	test('Get Many with Return All walks every cursor page (100 per request)', async () => {
		sb.seedPosts(130);
		const r = await op(sb, 'post', 'getMany', { returnAll: true });
		const posts = jsonOf(r);
		expect(posts).toHaveLength(130);
		expect(new Set(posts.map((p) => p.post_id)).size).toBe(130);
		const lists = sb.requests.filter((q) => q.method === 'GET' && q.path === '/posts');
		expect(lists.map((q) => q.query.limit)).toEqual(['100', '100']);
		expect(lists[1].query.cursor).toBeTruthy();
	});

	test('Get Many with a Limit asks for no more than needed; the status filter is sent', async () => {
		sb.seedPosts(30);
		const r = await op(sb, 'post', 'getMany', { returnAll: false, limit: 2, filters: { status: 'failed' } });
		const posts = jsonOf(r);
		expect(posts).toHaveLength(2);
		expect(posts.every((p) => p.status === 'failed')).toBe(true);
		const lists = sb.requests.filter((q) => q.path === '/posts');
		expect(lists).toHaveLength(1);
		expect(lists[0].query).toEqual({ limit: '2', status: 'failed' });
	});
});

describe('Post → Publish', () => {
	test('waits until every item is posted and outputs the post with a summary', async () => {
		const created = await draft(sb, [
			{ post_type: 'instagram-feed', content: 'One' },
			{ post_type: 'linkedin-post', content: 'Two' },
		]);
		const credits = sb.getCredits();
		const r = await op(sb, 'post', 'publish', { postId: byId(created.post_id), waitForCompletion: true, waitOptions: FAST_POLL });
		expect(r.status).toBe('success');
		const [post] = jsonOf(r);
		expect(post.status).toBe('published');
		expect(post.summary).toEqual({ total: 2, posted: 2, failed: 0, pending: 0 });
		expect(post.items.every((i: any) => i.status === 'posted' && /^(instagram|linkedin)_\d+$/.test(i.platform_post_id))).toBe(true);
		expect(post.recoveredAfter).toBeUndefined();
		expect(sb.getCredits()).toBe(credits - 2);
		expect(publishes()).toBe(1);
		expectNoSecrets(sb, r);
	});

	test('"One Item per Post Item" outputs one item per platform result, paired to the input', async () => {
		const created = await draft(sb, [
			{ post_type: 'x-post', content: 'One' },
			{ post_type: 'facebook-post', content: 'Two' },
		]);
		const r = await op(sb, 'post', 'publish', { postId: byId(created.post_id), output: 'items', waitOptions: FAST_POLL });
		const out = jsonOf(r);
		expect(out.map((i) => [i.post_id, i.platform, i.status])).toEqual([
			[created.post_id, 'x', 'posted'],
			[created.post_id, 'facebook', 'posted'],
		]);
		expect(out[0].post_status).toBe('published');
		expect(r.outputs[0].every((i) => JSON.stringify(i.pairedItem) === JSON.stringify({ item: 0 }))).toBe(true);
	});

	test('without waiting, the output is the accepted publish (status publishing)', async () => {
		const created = await draft(sb);
		const r = await op(sb, 'post', 'publish', { postId: byId(created.post_id), waitForCompletion: false });
		expect(jsonOf(r)[0]).toEqual({ post_id: created.post_id, status: 'publishing', status_url: `/api/v1/posts/${created.post_id}` });
		// One read, before acting: what a lost answer is resolved against.
		expect(countRequests(sb, 'GET', `/posts/${created.post_id}`)).toBe(1);
	});

	test('a partial failure is reported per item, not as a node error', async () => {
		const created = await draft(sb, [
			{ post_type: 'instagram-feed', content: 'Fine' },
			{ post_type: 'x-post', content: 'This one [fail]s' },
		]);
		const r = await op(sb, 'post', 'publish', { postId: byId(created.post_id), waitOptions: FAST_POLL });
		expect(r.status).toBe('success');
		const [post] = jsonOf(r);
		expect(post.summary).toEqual({ total: 2, posted: 1, failed: 1, pending: 0 });
		const failed = post.items.find((i: any) => i.post_type === 'x-post');
		expect(failed.status).toBe('failed');
		expect(failed.error.code).toBe('PLATFORM_ERROR');
	});

	test('a connection dropped after PowerPost accepted the publish: exactly one publish, output says published', async () => {
		const created = await draft(sb, [{ post_type: 'linkedin-post', content: 'Once' }]);
		sb.faults.add({ path: /\/publish$/, kind: 'drop-after' });
		const r = await op(sb, 'post', 'publish', { postId: byId(created.post_id), waitOptions: FAST_POLL });
		expect(r.status).toBe('success');
		const [post] = jsonOf(r);
		expect(post.status).toBe('published');
		expect(post.summary.posted).toBe(1);
		expect(post.recoveredAfter).toBe('network');
		expect(publishes()).toBe(1);
		expect(sb.requests.find((q) => q.path.endsWith('/publish'))?.faulted).toBe('drop-after');
	});

	test('a connection dropped before PowerPost acted: the post is still a draft, so the publish is sent once more', async () => {
		const created = await draft(sb);
		sb.faults.add({ path: /\/publish$/, kind: 'drop-before' });
		const r = await op(sb, 'post', 'publish', { postId: byId(created.post_id), waitOptions: FAST_POLL });
		expect(r.status).toBe('success');
		expect(jsonOf(r)[0]).toMatchObject({ status: 'published', recoveredAfter: 'network' });
		expect(publishes()).toBe(2);
		const order = sb.requests.map((q) => `${q.method} ${q.path.replace(created.post_id, 'ID')}`).filter((line) => line !== 'POST /posts');
		// Read first; after the lost answer the draft is re-read (a read may lag) before the one resend.
		expect(order.slice(0, 6)).toEqual(['GET /posts/ID', 'POST /posts/ID/publish', 'GET /posts/ID', 'GET /posts/ID', 'GET /posts/ID', 'POST /posts/ID/publish']);
	});

	test('a 5xx on publish is checked with a GET before the one resend', async () => {
		const created = await draft(sb);
		sb.faults.add({ path: /\/publish$/, kind: 'status', status: 502 });
		const r = await op(sb, 'post', 'publish', { postId: byId(created.post_id), waitForCompletion: false });
		expect(jsonOf(r)[0]).toMatchObject({ status: 'publishing', recoveredAfter: 'http-502' });
		expect(publishes()).toBe(2);
	});

	test('two lost answers in a row: "outcome unknown" naming the post, nothing published twice', async () => {
		const created = await draft(sb);
		sb.faults.add({ path: /\/publish$/, kind: 'drop-before', times: 2 });
		const r = await op(sb, 'post', 'publish', { postId: byId(created.post_id), waitOptions: FAST_POLL });
		expect(errorText(r)).toMatch(new RegExp(`^Outcome unknown: Publish of post ${created.post_id}\\..*reads as draft\\. Check the post with Post → Get`));
		expect(publishes()).toBe(2);
		expect(sb.state.posts.get(created.post_id)?.status).toBe('draft');
	});

	test('409 already published stays an error; with continueOnFail an error item', async () => {
		const created = await draft(sb);
		await api(sb, 'POST', `/posts/${created.post_id}/publish`);
		const r = await op(sb, 'post', 'publish', { postId: byId(created.post_id), waitOptions: FAST_POLL });
		expect(errorText(r)).toMatch(/ALREADY_PUBLISHED/);
		const kept = await op(sb, 'post', 'publish', { postId: byId(created.post_id), waitOptions: FAST_POLL }, { onError: 'continueErrorOutput' });
		expect(kept.status).toBe('success');
		expect(kept.outputs[0]).toHaveLength(0);
		expect(kept.outputs[1][0].json.error).toMatch(/is (publishing|published); only draft posts can be published.*\[ALREADY_PUBLISHED\]/);
		expect(kept.outputs[1][0].json.details).toMatchObject({ code: 'ALREADY_PUBLISHED', httpCode: 409 });
	});

	test('402 with a key of an account without credits', async () => {
		const created = (await api(sb, 'POST', '/posts', { items: [{ post_type: 'x-post', content: 'No money' }] }, { key: sb.keys.noCredits })).body;
		const r = await op(sb, 'post', 'publish', { postId: byId(created.post_id), waitOptions: FAST_POLL }, { key: sb.keys.noCredits });
		expect(errorText(r)).toMatch(/INSUFFICIENT_CREDITS[\s\S]*credits/);
		expectNoSecrets(sb, r);
	});

	test('403 with a draft-only key names the posts:publish scope', async () => {
		const created = await draft(sb);
		const r = await op(sb, 'post', 'publish', { postId: byId(created.post_id) }, { key: sb.keys.draftOnly });
		expect(errorText(r)).toMatch(/posts:publish/);
		expect(sb.state.posts.get(created.post_id)?.status).toBe('draft');
		expectNoSecrets(sb, r);
	});

	test('404 for a post of another workspace', async () => {
		const other = await draft(sb, undefined, sb.workspaces.secondary);
		const r = await op(sb, 'post', 'publish', { postId: byId(other.post_id) });
		expect(errorText(r)).toMatch(/NOT_FOUND/);
	});

	test('422 when a platform of the post is not connected', async () => {
		sb.setConnected(sb.workspaces.primary, ['instagram']);
		const created = await draft(sb, [
			{ post_type: 'instagram-feed', content: 'ok' },
			{ post_type: 'tiktok-video', content: 'not connected' },
		]);
		const r = await op(sb, 'post', 'publish', { postId: byId(created.post_id) });
		expect(errorText(r)).toMatch(/tiktok[\s\S]*PLATFORM_NOT_CONNECTED[\s\S]*Settings → Connections/);
	});

	test('the wait times out with a message naming the post and its progress', async () => {
		sb.timing.publishItem = 60_000;
		const created = await draft(sb);
		const r = await op(sb, 'post', 'publish', { postId: byId(created.post_id), waitOptions: { pollInterval: 0.1, timeout: 0.5 } });
		expect(errorText(r)).toMatch(new RegExp(`Timed out .* post ${created.post_id} \\(status publishing, 0 posted`));
	});

	test('a bad poll interval fails before any request', async () => {
		const created = await draft(sb);
		const before = total();
		const r = await op(sb, 'post', 'publish', { postId: byId(created.post_id), waitOptions: { pollInterval: 0 } });
		expect(errorText(r)).toMatch(/Poll Interval \(Seconds\)/);
		expect(total()).toBe(before);
	});
});

describe('Post → Schedule / Cancel Publish', () => {
	const inDays = (days: number, zone = 'utc') => DateTime.now().setZone(zone).plus({ days }).startOf('minute');

	test('a naive date-time is read in the workflow time zone and sent in UTC', async () => {
		const created = await draft(sb);
		const local = inDays(3, 'America/New_York').set({ hour: 9, minute: 30 });
		const r = await op(
			sb,
			'post',
			'schedule',
			{ postId: byId(created.post_id), scheduledAt: local.toFormat("yyyy-MM-dd'T'HH:mm:ss") },
			{ timezone: 'America/New_York' },
		);
		expect(r.status).toBe('success');
		const [post] = jsonOf(r);
		expect(post.status).toBe('scheduled');
		expect(post.scheduled_at).toBe(local.toUTC().toISO());
		expect(sb.requests.find((q) => q.path.endsWith('/schedule'))).toBeTruthy();
	});

	test('a date-time with an offset keeps it', async () => {
		const created = await draft(sb);
		const at = inDays(10).set({ hour: 7, minute: 0 });
		const r = await op(sb, 'post', 'schedule', { postId: byId(created.post_id), scheduledAt: at.setZone('UTC+2').toISO() }, { timezone: 'Asia/Tokyo' });
		expect(Date.parse(jsonOf(r)[0].scheduled_at)).toBe(at.toMillis());
	});

	test.each([
		['in the past', -1, /Scheduled At: .* \(.*Z in UTC\) is in the past/],
		['more than 60 days ahead', 61, /Scheduled At: .* is more than 60 days ahead/],
	])('a time %s fails before any request, with the resolved UTC time', async (_name, days, message) => {
		const created = await draft(sb);
		const before = total();
		const r = await op(sb, 'post', 'schedule', { postId: byId(created.post_id), scheduledAt: inDays(days as number).toFormat("yyyy-MM-dd'T'HH:mm") });
		expect(errorText(r)).toMatch(message);
		expect(total()).toBe(before);
	});

	test('an unreadable date fails before any request', async () => {
		const created = await draft(sb);
		const before = total();
		const r = await op(sb, 'post', 'schedule', { postId: byId(created.post_id), scheduledAt: 'next tuesday' });
		expect(errorText(r)).toMatch(/Scheduled At: "next tuesday" is not an ISO 8601 date-time/);
		expect(total()).toBe(before);
	});

	test('the 100-scheduled cap is explained', async () => {
		sb.seedPosts(101, { status: 'draft' });
		const ids = [...sb.state.posts.keys()];
		const at = inDays(5).toUTC().toISO();
		for (const id of ids.slice(0, 100)) expect((await api(sb, 'POST', `/posts/${id}/schedule`, { scheduled_at: at })).status).toBe(200);
		const r = await op(sb, 'post', 'schedule', { postId: byId(ids[100]), scheduledAt: at });
		expect(errorText(r)).toMatch(/100 scheduled posts[\s\S]*Cancel Publish/);
	});

	test('a connection dropped after the schedule was stored: one schedule request, output scheduled', async () => {
		const created = await draft(sb);
		sb.faults.add({ path: /\/schedule$/, kind: 'drop-after' });
		const r = await op(sb, 'post', 'schedule', { postId: byId(created.post_id), scheduledAt: inDays(2).toUTC().toISO() });
		expect(r.status).toBe('success');
		expect(jsonOf(r)[0]).toMatchObject({ status: 'scheduled', recoveredAfter: 'network' });
		expect(schedules()).toBe(1);
	});

	test('403 with a draft-only key names posts:publish', async () => {
		const created = await draft(sb);
		const r = await op(sb, 'post', 'schedule', { postId: byId(created.post_id), scheduledAt: inDays(2).toUTC().toISO() }, { key: sb.keys.draftOnly });
		expect(errorText(r)).toMatch(/posts:publish/);
	});

	test('409 for a post that is not a draft', async () => {
		const created = await draft(sb);
		await api(sb, 'POST', `/posts/${created.post_id}/publish`);
		const r = await op(sb, 'post', 'schedule', { postId: byId(created.post_id), scheduledAt: inDays(2).toUTC().toISO() });
		expect(errorText(r)).toMatch(/ALREADY_PUBLISHED/);
	});

	test('Cancel Publish turns a scheduled post back into a draft', async () => {
		const created = await draft(sb);
		await api(sb, 'POST', `/posts/${created.post_id}/schedule`, { scheduled_at: inDays(2).toUTC().toISO() });
		const r = await op(sb, 'post', 'cancelPublish', { postId: byId(created.post_id) });
		expect(jsonOf(r)[0]).toMatchObject({ post_id: created.post_id, status: 'draft', scheduled_at: null });
	});

	test('Cancel Publish recovers from a lost answer by reading the post', async () => {
		const created = await draft(sb);
		await api(sb, 'POST', `/posts/${created.post_id}/schedule`, { scheduled_at: inDays(2).toUTC().toISO() });
		sb.faults.add({ path: /\/cancel-publish$/, kind: 'drop-after' });
		const r = await op(sb, 'post', 'cancelPublish', { postId: byId(created.post_id) });
		expect(jsonOf(r)[0]).toMatchObject({ status: 'draft', recoveredAfter: 'network' });
		expect(countRequests(sb, 'POST', /cancel-publish$/)).toBe(1);
	});

	test('Cancel Publish on a draft is a 409 from PowerPost', async () => {
		const created = await draft(sb);
		const r = await op(sb, 'post', 'cancelPublish', { postId: byId(created.post_id) });
		expect(errorText(r)).toMatch(/409|INVALID_STATE/);
	});
});

describe('issue 10: a lost answer is resolved from the post before the node acted and from what was asked', () => {
	const inDays = (days: number) => DateTime.now().toUTC().plus({ days }).startOf('minute');
	const postPath = (id: string) => `/posts/${id}`;

	test('Schedule for one day, answer lost (502), post already scheduled for another: PowerPost\'s 409, nothing changed', async () => {
		const created = await draft(sb);
		const earlier = inDays(2).toISO()!;
		await api(sb, 'POST', `/posts/${created.post_id}/schedule`, { scheduled_at: earlier });
		sb.requests.length = 0;
		sb.faults.add({ path: /\/schedule$/, kind: 'status', status: 502 });
		const r = await op(sb, 'post', 'schedule', { postId: byId(created.post_id), scheduledAt: inDays(5).toISO() }, { onError: 'continueErrorOutput' });
		const [error] = r.outputs[1].map((item) => item.json as any);
		expect(error.error).toMatch(new RegExp(`^PowerPost: Post ${created.post_id} is scheduled for .*; only draft posts can be published or scheduled \\[ALREADY_PUBLISHED\\]$`));
		expect(error.details).toMatchObject({ code: 'ALREADY_PUBLISHED', httpCode: 409 });
		expect(r.outputs[0]).toHaveLength(0);
		expect(schedules()).toBe(1);
		expect(sb.state.posts.get(created.post_id)?.scheduled_at).toBe(Date.parse(earlier));
	});

	test('Publish on a post that was already published, answer lost (504): 409 ALREADY_PUBLISHED, not success', async () => {
		const created = await draft(sb);
		await api(sb, 'POST', `/posts/${created.post_id}/publish`);
		sb.requests.length = 0;
		sb.faults.add({ path: /\/publish$/, kind: 'status', status: 504 });
		const r = await op(sb, 'post', 'publish', { postId: byId(created.post_id), waitOptions: FAST_POLL });
		expect(r.status).toBe('error');
		expect(errorText(r)).toMatch(/is (publishing|published); only draft posts can be published or scheduled \[ALREADY_PUBLISHED\]/);
		expect(publishes()).toBe(1);
	});

	test('Cancel Publish on a plain draft, answer lost (502): 409 INVALID_STATE, not success', async () => {
		const created = await draft(sb);
		sb.faults.add({ path: /\/cancel-publish$/, kind: 'status', status: 502 });
		const r = await op(sb, 'post', 'cancelPublish', { postId: byId(created.post_id) }, { onError: 'continueErrorOutput' });
		const [error] = r.outputs[1].map((item) => item.json as any);
		expect(error.error).toBe(`PowerPost: Post ${created.post_id} is a draft; there is no scheduled or running publish to cancel [INVALID_STATE]`);
		expect(error.details).toMatchObject({ code: 'INVALID_STATE', httpCode: 409 });
	});

	test('Schedule applied, answer lost (502), then two lagging reads: success after the re-read, sent once', async () => {
		const created = await draft(sb);
		const at = inDays(3);
		sb.faults.add({ path: /\/schedule$/, kind: 'status', status: 502, applied: true });
		sb.faults.add({ method: 'GET', path: postPath(created.post_id), kind: 'stale-read', times: 2 });
		// Another notation of the same instant: compared as instants.
		const r = await op(sb, 'post', 'schedule', { postId: byId(created.post_id), scheduledAt: at.setZone('UTC+2').toISO() });
		expect(r.status).toBe('success');
		expect(jsonOf(r)[0]).toMatchObject({ status: 'scheduled', recoveredAfter: 'http-502' });
		expect(Date.parse(jsonOf(r)[0].scheduled_at)).toBe(at.toMillis());
		expect(schedules()).toBe(1);
		expect(sb.requests.filter((q) => q.faulted === 'stale-read')).toHaveLength(2);
	});

	test('Cancel Publish applied, answer lost, reads lag three times: the resend is refused (409) and the next read shows the draft: success', async () => {
		const created = await draft(sb);
		await api(sb, 'POST', `/posts/${created.post_id}/schedule`, { scheduled_at: inDays(2).toISO() });
		sb.requests.length = 0;
		sb.faults.add({ path: /\/cancel-publish$/, kind: 'status', status: 502, applied: true });
		sb.faults.add({ method: 'GET', path: postPath(created.post_id), kind: 'stale-read', times: 3 });
		const r = await op(sb, 'post', 'cancelPublish', { postId: byId(created.post_id) });
		expect(r.status).toBe('success');
		expect(jsonOf(r)[0]).toMatchObject({ post_id: created.post_id, status: 'draft', recoveredAfter: 'http-502' });
		const cancels = sb.requests.filter((q) => q.path.endsWith('/cancel-publish')).map((q) => q.status);
		expect(cancels).toEqual([502, 409]);
	});

	test('Publish applied, answer lost, one lagging read: success without a resend', async () => {
		const created = await draft(sb);
		sb.faults.add({ path: /\/publish$/, kind: 'status', status: 503, applied: true });
		sb.faults.add({ method: 'GET', path: postPath(created.post_id), kind: 'stale-read', times: 1 });
		const r = await op(sb, 'post', 'publish', { postId: byId(created.post_id), waitForCompletion: false });
		expect(jsonOf(r)[0]).toMatchObject({ post_id: created.post_id, status: expect.stringMatching(/^(publishing|published)$/), recoveredAfter: 'http-503' });
		expect(publishes()).toBe(1);
	});

	test('Schedule applied and reads that never catch up: "outcome unknown" naming the post and what to check', async () => {
		const created = await draft(sb);
		const at = inDays(4).toISO()!;
		sb.faults.add({ path: /\/schedule$/, kind: 'status', status: 502, applied: true });
		sb.faults.add({ method: 'GET', path: postPath(created.post_id), kind: 'stale-read', times: 20 });
		const r = await op(sb, 'post', 'schedule', { postId: byId(created.post_id), scheduledAt: at }, { onError: 'continueErrorOutput' });
		const [error] = r.outputs[1].map((item) => item.json as any);
		expect(error.error).toBe(
			`Outcome unknown: Schedule of post ${created.post_id}. PowerPost's answer to POST /posts/${created.post_id}/schedule was lost (http-502) and the post reads as draft. Check the post with Post → Get: status scheduled for ${at.replace('.000Z', 'Z')} means it worked.`,
		);
		expect(error.details).toMatchObject({ code: 'OUTCOME_UNKNOWN', description: expect.stringMatching(/was draft before this node acted/) });
		// The schedule did happen; it was never applied twice (the resend was refused).
		expect(sb.state.posts.get(created.post_id)?.status).toBe('scheduled');
		expect(sb.requests.filter((q) => q.path.endsWith('/schedule')).map((q) => q.status)).toEqual([502, 409]);
	});
});

describe('Post "From list" search', () => {
	test('lists the newest posts with status and post types, pages with the cursor, filters by label', async () => {
		sb.seedPosts(120);
		const first = await runListSearch(sb, 'searchPosts');
		expect(first.results).toHaveLength(100);
		expect(first.results[0].name).toMatch(/^(published|failed) · [a-z-]+(, [a-z-]+)* · \d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC$/);
		expect(first.paginationToken).toBeTruthy();
		const second = await runListSearch(sb, 'searchPosts', { paginationToken: first.paginationToken as string });
		expect(second.results).toHaveLength(20);
		expect(second.paginationToken).toBeUndefined();
		const ids = new Set([...first.results, ...second.results].map((r) => r.value));
		expect(ids.size).toBe(120);
		const failed = await runListSearch(sb, 'searchPosts', { filter: 'FAILED' });
		expect(failed.results.length).toBeGreaterThan(0);
		expect(failed.results.every((r) => r.name.startsWith('failed'))).toBe(true);
	});
});
