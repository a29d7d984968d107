// Every endpoint of the contract's §3 index (docs/api/posteverywhere.md, parsed at test time) is served.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startPostEverywhereSandbox, type PostEverywhereSandbox } from '../../../sandbox/posteverywhere/server';
import { api } from './helpers';

const contract = readFileSync(join(__dirname, '../../../docs/api/posteverywhere.md'), 'utf8');
const index = contract.slice(contract.indexOf('## 3. Endpoint index'), contract.indexOf('## 4. Posts'));
const endpoints = [...index.matchAll(/`(GET|POST|PATCH|PUT|DELETE) (\/[^`]*)`/g)].map((m) => ({ method: m[1], path: m[2] }));

test('the §3 index of the contract lists 36 endpoints', () => {
	expect(endpoints).toHaveLength(36);
	expect(new Set(endpoints.map((e) => `${e.method} ${e.path}`)).size).toBe(36);
});

describe('every §3 endpoint is served', () => {
	let sb: PostEverywhereSandbox;
	beforeAll(async () => {
		sb = await startPostEverywhereSandbox({ tickMs: 0, rateLimit: false });
	});
	afterAll(() => sb.stop());

	test.each(endpoints)('$method $path', async ({ method, path }) => {
		const concrete = path.replace(/\{[a-z_]+\}/g, (p) => (/account|^\{id\}$/.test(p) && /accounts|campaigns/.test(path) ? '2280' : '00000000-0000-4000-8000-000000000000'));
		const r = await api(sb)(method, concrete, method === 'GET' || method === 'DELETE' ? undefined : {});
		// a route that exists answers with the envelope and never with the frame's "no route" 404
		expect(r.body?.meta?.request_id).toMatch(/^req_/);
		expect(r.body?.error?.message ?? '').not.toMatch(/^No route|is not supported on/);
	});
});
