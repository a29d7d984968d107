// The one page walk of the engine, in its cursor and offset forms.
import { collectCursorPages, collectOffsetPages, walkPages } from '../../../nodes/shared/pagination';

/** A fake offset API over `total` rows; `hasMore` says whether it sends `has_more`. */
function offsetApi(total: number, options: { hasMore: boolean; maxPage?: number }) {
	const calls: Array<{ offset: number; limit: number }> = [];
	const rows = Array.from({ length: total }, (_, i) => i);
	const fetch = async (offset: number, limit: number) => {
		calls.push({ offset, limit });
		const size = Math.min(limit, options.maxPage ?? limit);
		const items = rows.slice(offset, offset + size);
		return options.hasMore ? { items, hasMore: offset + items.length < total } : { items };
	};
	return { calls, fetch };
}

describe('offset pages', () => {
	test('returnAll reads every row once, with has_more', async () => {
		const api = offsetApi(250, { hasMore: true });
		const rows = await collectOffsetPages(api.fetch, { returnAll: true, limit: Infinity, maxPageSize: 100 });
		expect(rows).toEqual(Array.from({ length: 250 }, (_, i) => i));
		expect(api.calls).toEqual([
			{ offset: 0, limit: 100 },
			{ offset: 100, limit: 100 },
			{ offset: 200, limit: 100 },
		]);
	});

	test('without has_more a short page ends the walk; an exact multiple costs one empty page', async () => {
		const short = offsetApi(130, { hasMore: false });
		expect(await collectOffsetPages(short.fetch, { returnAll: true, limit: Infinity, maxPageSize: 100 })).toHaveLength(130);
		expect(short.calls).toHaveLength(2);
		const exact = offsetApi(200, { hasMore: false });
		expect(await collectOffsetPages(exact.fetch, { returnAll: true, limit: Infinity, maxPageSize: 100 })).toHaveLength(200);
		expect(exact.calls.map((call) => call.offset)).toEqual([0, 100, 200]);
	});

	test('a limit asks for no more than needed and stops there', async () => {
		const api = offsetApi(500, { hasMore: true });
		const rows = await collectOffsetPages(api.fetch, { returnAll: false, limit: 130, maxPageSize: 100 });
		expect(rows).toHaveLength(130);
		expect(api.calls).toEqual([
			{ offset: 0, limit: 100 },
			{ offset: 100, limit: 30 },
		]);
	});

	test('a server that pages smaller than asked is followed by the offsets it really gave', async () => {
		const api = offsetApi(45, { hasMore: true, maxPage: 20 });
		const rows = await collectOffsetPages(api.fetch, { returnAll: true, limit: Infinity, maxPageSize: 100 });
		expect(rows).toEqual(Array.from({ length: 45 }, (_, i) => i));
		expect(api.calls.map((call) => call.offset)).toEqual([0, 20, 40]);
	});
});

describe('cursor pages', () => {
	test('stops when a cursor repeats instead of looping', async () => {
		let calls = 0;
		const rows = await collectCursorPages(
			async () => {
				calls++;
				return { data: [calls], next_cursor: 'same', has_more: true };
			},
			{ returnAll: true, limit: Infinity, maxPageSize: 100 },
		);
		expect(rows).toEqual([1, 2]);
		expect(calls).toBe(2);
	});
});

describe('the walk itself (as the triggers use it)', () => {
	/** Pages of two entries over positions 0, 2, 4, …; `refuse` lists positions answered as refused. */
	function pages(total: number, refuse: number[] = []) {
		const asked: Array<number | undefined> = [];
		const fetchPage = async (position: number | undefined) => {
			asked.push(position);
			const at = position ?? 0;
			if (refuse.includes(at)) {
				refuse.splice(refuse.indexOf(at), 1);
				return { items: [], refused: true };
			}
			const items = Array.from({ length: Math.min(2, total - at) }, (_, i) => at + i);
			return { items, next: at + 2 < total ? at + 2 : undefined };
		};
		return { asked, fetchPage };
	}

	test('a spent budget ends the walk incomplete, at the page not read yet', async () => {
		const api = pages(10);
		let budget = 2;
		const seen: number[] = [];
		const end = await walkPages<number, number>({
			fetchPage: async (position) => (budget-- > 0 ? await api.fetchPage(position) : undefined),
			onPage: (page) => void seen.push(...page.items),
		});
		expect(end).toEqual({ complete: false, position: 4 });
		expect(seen).toEqual([0, 1, 2, 3]);
	});

	test('a refused position starts again from the top, once, and says so', async () => {
		const api = pages(6, [4]);
		const seen: number[] = [];
		let restarts = 0;
		const end = await walkPages<number, number>({
			fetchPage: api.fetchPage,
			start: 4,
			onRestart: () => restarts++,
			onPage: (page) => void seen.push(...page.items),
		});
		expect(end).toEqual({ complete: true });
		expect(restarts).toBe(1);
		expect(api.asked).toEqual([4, undefined, 2, 4]);
		expect(seen).toEqual([0, 1, 2, 3, 4, 5]);
	});

	test('the page handler ends the walk (a known boundary passed): complete, nothing more read', async () => {
		const api = pages(10);
		const end = await walkPages<number, number>({ fetchPage: api.fetchPage, onPage: (page) => page.items.includes(3) });
		expect(end).toEqual({ complete: true });
		expect(api.asked).toEqual([undefined, 2]);
	});
});
