// Contract §16: the node's operations together reach every endpoint of the API (21 of 21).
// The endpoint table is parsed at test time from the contract in the repository (docs/api/powerpost.md),
// every operation of the node runs once against the sandbox, and the sandbox's request log must
// show a successful request to each (method, path pattern).
import { readFileSync } from 'node:fs';
import path from 'node:path';

import { resources } from '../../nodes/PowerPost/actions/resources';
import { startSandbox, type Sandbox } from '../../sandbox/server';
import { FAST_WAIT, PNG } from './generation-helpers';
import { byId, FAST_POLL, FAST_TIMING, jsonOf, op } from './post-helpers';

interface Endpoint {
	n: number;
	method: string;
	path: string;
}

const CONTRACT = path.resolve(__dirname, '..', '..', 'docs', 'api', 'powerpost.md');

/** The rows of the §16 table: `| 12 | POST | `/posts/{id}/publish` | …` (and the implied `| (21) | GET | `/posts` (list)` row). */
export function parseEndpointTable(markdown: string): Endpoint[] {
	const section = markdown.split(/^## 16\./m)[1]?.split(/^## 17\./m)[0] ?? '';
	const rows: Endpoint[] = [];
	for (const line of section.split('\n')) {
		const match = /^\|\s*\(?(\d+)\)?\s*\|\s*(GET|POST|PUT|PATCH|DELETE)\s*\|\s*`([^`]+)`/.exec(line);
		if (match) rows.push({ n: Number(match[1]), method: match[2], path: match[3].split(' ')[0] });
	}
	return rows;
}

function loadEndpoints(): { endpoints: Endpoint[]; source: string } {
	return { endpoints: parseEndpointTable(readFileSync(CONTRACT, 'utf8')), source: path.relative(process.cwd(), CONTRACT) };
}

const patternOf = (endpoint: Endpoint) => new RegExp(`^${endpoint.path.replace(/\{[^}]+\}/g, '[^/]+')}$`);

let sb: Sandbox;
beforeAll(async () => {
	sb = await startSandbox({ tickMs: 0, rateLimit: false, timing: FAST_TIMING });
});
afterAll(async () => {
	await sb.close();
});

test('the endpoint table of the contract in docs/api has the 21 endpoints of §16', () => {
	const { endpoints } = loadEndpoints();
	expect(endpoints).toHaveLength(21);
	expect(new Set(endpoints.map((e) => `${e.method} ${e.path}`)).size).toBe(21);
});

test('running every operation once reaches every endpoint of §16 with a successful request', async () => {
	const { endpoints, source } = loadEndpoints();
	/** operation → the requests it made */
	const hits = new Map<string, string[]>();
	const run = async (resource: string, operation: string, parameters: Record<string, unknown>, extra: Parameters<typeof op>[4] = {}) => {
		const from = sb.requests.length;
		const result = await op(sb, resource, operation, parameters, extra);
		if (result.status !== 'success') throw new Error(`${resource}.${operation} failed: ${result.error?.message}`);
		hits.set(`${resource}.${operation}`, sb.requests.slice(from).map((q) => `${q.method} ${q.path} ${q.status}`));
		return jsonOf(result);
	};

	await run('account', 'getCredits', {});
	const [media] = await run('media', 'upload', {}, { input: [{ json: {}, binary: { data: { data: PNG, mimeType: 'image/png', fileName: 'dot.png' } } }] });
	const [caption] = await run('caption', 'generate', { prompt: 'Launch of our autumn menu', postTypes: ['instagram-feed', 'x-post'], waitOptions: FAST_WAIT });
	await run('caption', 'get', { generationId: byId(caption.generation_id) });
	await run('caption', 'getMany', { returnAll: true });
	const [image] = await run('image', 'generate', { prompt: 'Pumpkin latte on a wooden table', waitOptions: FAST_WAIT });
	await run('image', 'get', { imageGenerationId: image.image_generation_id });
	const [video] = await run('video', 'generate', { prompt: 'Steam over a coffee cup', model: 'runway-gen-4.5', duration: 5, size: 'portrait', waitOptions: FAST_WAIT });
	await run('video', 'get', { videoGenerationId: video.video_generation_id });

	const [post] = await run('post', 'create', {
		itemsSource: 'shared',
		postTypes: ['instagram-feed', 'x-post'],
		content: '',
		mediaIds: media.media_id,
		generationId: byId(caption.generation_id),
	});
	await run('post', 'get', { postId: byId(post.post_id) });
	await run('post', 'getMany', { returnAll: true });
	await run('post', 'publish', { postId: byId(post.post_id), waitOptions: FAST_POLL });
	await run('analytics', 'getForPostItem', { postItemId: post.items[0].item_id });
	await run('analytics', 'getForPost', { postId: byId(post.post_id) });
	const [second] = await run('post', 'create', { itemsSource: 'shared', postTypes: ['linkedin-post'], content: 'Later' });
	await run('post', 'schedule', { postId: byId(second.post_id), scheduledAt: new Date(Date.now() + 86_400_000).toISOString() });
	await run('post', 'cancelPublish', { postId: byId(second.post_id) });

	const [entry] = await run('calendar', 'create', { title: 'Autumn menu', scheduledDate: '2026-12-01' });
	await run('calendar', 'get', { entryId: byId(entry.entry_id) });
	await run('calendar', 'getMany', { startDate: '2026-11-01', endDate: '2026-12-31', returnAll: true });
	await run('calendar', 'update', { entryId: byId(entry.entry_id), updateFields: { title: 'Autumn menu (final)' } });
	await run('calendar', 'delete', { entryId: byId(entry.entry_id) });

	// Every operation of the node took part (a new operation must be added above).
	const allOperations = Object.entries(resources).flatMap(([resource, r]) => Object.keys(r.operations).map((o) => `${resource}.${o}`));
	expect([...hits.keys()].sort()).toEqual(allOperations.sort());

	// Every endpoint was reached successfully by some operation.
	const missing = endpoints.filter((endpoint) => {
		const pattern = patternOf(endpoint);
		return !sb.requests.some((q) => q.method === endpoint.method && pattern.test(q.path) && q.status >= 200 && q.status < 300);
	});
	expect({ source, missing: missing.map((e) => `#${e.n} ${e.method} ${e.path}`) }).toEqual({ source, missing: [] });

	// And no operation called anything outside the contract.
	const outside = sb.requests.filter((q) => !endpoints.some((e) => e.method === q.method && patternOf(e).test(q.path)));
	expect(outside.map((q) => `${q.method} ${q.path}`)).toEqual([]);

	// Which operation covers which endpoint, for the record.
	const byEndpoint = endpoints.map((e) => {
		const ops = [...hits.entries()].filter(([, lines]) => lines.some((line) => line.startsWith(`${e.method} `) && patternOf(e).test(line.split(' ')[1])));
		return `#${e.n} ${e.method} ${e.path} ← ${ops.map(([name]) => name).join(', ')}`;
	});
	expect(byEndpoint.every((line) => !line.endsWith('← '))).toBe(true);
});

test('the table parser reads a row like the contract writes it', () => {
	const sample = '## 16. Endpoints\n| # | Method | Path |\n|---|---|---|\n| 12 | POST | `/posts/{id}/publish` | x |\n| (21) | GET | `/posts` (list) | y |\n## 17. Gaps\n| 1 | GET | `/not/this` |';
	expect(parseEndpointTable(sample)).toEqual([
		{ n: 12, method: 'POST', path: '/posts/{id}/publish' },
		{ n: 21, method: 'GET', path: '/posts' },
	]);
	expect(patternOf({ n: 15, method: 'GET', path: '/post-items/{post_item_id}/analytics' }).test('/post-items/abc-1/analytics')).toBe(true);
	expect(patternOf({ n: 11, method: 'GET', path: '/posts/{id}' }).test('/posts/a/publish')).toBe(false);
});
