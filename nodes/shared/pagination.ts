/**
 * Paged lists: one walk for every paging style and every caller (list operations, "From list"
 * searches, triggers). A provider reads one page and says where the next one starts (`next`); the
 * walk ends when there is no next page, on an empty page, when a page position repeats (never loops
 * forever), when the caller's page handler says so (a limit reached, a known boundary passed) or
 * when the caller's budget is spent (then it says where to go on from). A position the API refuses
 * (an expired cursor) makes it start again from the top, once per refusal.
 */

/** One page, provider-neutral: its entries and where the next page starts (undefined: no more). */
export interface Page<T, Position> {
	items: T[];
	next?: Position;
	/** The API refused the position asked for (an expired cursor): the walk starts again from the top. */
	refused?: boolean;
}

export interface WalkOptions<T, Position> {
	/** Reads the page at `position` (undefined: the top); undefined when the caller's budget is spent. */
	fetchPage: (position: Position | undefined) => Promise<Page<T, Position> | undefined>;
	/** Where to start (undefined: the top). */
	start?: Position;
	/** Handles one page; `true` ends the walk (it then counts as complete). */
	onPage: (page: Page<T, Position>) => Promise<boolean | void> | boolean | void;
	/** Told when a refused position made the walk start again from the top. */
	onRestart?: () => void;
}

/** How a walk ended: complete, or stopped by the budget at `position` (the page not read yet). */
export type WalkEnd<Position> = { complete: true } | { complete: false; position?: Position };

export async function walkPages<T, Position>(options: WalkOptions<T, Position>): Promise<WalkEnd<Position>> {
	const seen = new Set<string>();
	let position = options.start;
	for (;;) {
		const page = await options.fetchPage(position);
		if (!page) return { complete: false, position };
		if (page.refused && position !== undefined) {
			options.onRestart?.();
			position = undefined;
			seen.clear();
			continue;
		}
		if ((await options.onPage(page)) === true) return { complete: true };
		if (page.next === undefined || page.items.length === 0) return { complete: true };
		const key = JSON.stringify(page.next);
		if (seen.has(key)) return { complete: true };
		seen.add(key);
		position = page.next;
	}
}

export interface CollectOptions {
	/** Read every page. */
	returnAll: boolean;
	/** With returnAll false: how many results at most. */
	limit: number;
	/** Largest page size the API accepts. */
	maxPageSize: number;
}

/** Collects entries over pages, asking each time for no more than still wanted. */
export async function collectPages<T, Position>(
	fetchPage: (position: Position | undefined, pageSize: number) => Promise<Page<T, Position>>,
	options: CollectOptions,
): Promise<T[]> {
	const results: T[] = [];
	const wanted = () => (options.returnAll ? options.maxPageSize : Math.min(options.maxPageSize, options.limit - results.length));
	if (wanted() <= 0) return results;
	await walkPages<T, Position>({
		fetchPage: async (position) => await fetchPage(position, wanted()),
		onPage: (page) => {
			for (const entry of page.items) {
				results.push(entry);
				if (!options.returnAll && results.length >= options.limit) return true;
			}
			return false;
		},
	});
	return results;
}

/** One page of a cursor-paginated list: `{ data, next_cursor, has_more }`. */
export interface CursorPage<T> {
	data: T[];
	next_cursor?: string | null;
	has_more?: boolean;
}

/** A cursor page in the walk's terms: the next position is `next_cursor`, unless `has_more` is false. */
export function fromCursorPage<T>(page: CursorPage<T>): Page<T, string> {
	const items = Array.isArray(page.data) ? page.data : [];
	const next = page.has_more === false || !page.next_cursor ? undefined : page.next_cursor;
	return { items, next };
}

/** Walks a cursor-paginated list (`cursor` in, `next_cursor` / `has_more` out). */
export async function collectCursorPages<T>(
	fetchPage: (cursor: string | undefined, pageSize: number) => Promise<CursorPage<T>>,
	options: CollectOptions,
): Promise<T[]> {
	return await collectPages<T, string>(async (cursor, pageSize) => fromCursorPage(await fetchPage(cursor, pageSize)), options);
}

/**
 * An offset page in the walk's terms (`limit` + `offset` in; entries and optionally `has_more` out):
 * the next page starts after this one, unless the API says there is no more or the page is shorter
 * than asked (the rule for APIs that do not always send `has_more`).
 */
export function fromOffsetPage<T>(items: T[], offset: number, pageSize: number, hasMore?: boolean): Page<T, number> {
	const more = hasMore === undefined ? items.length >= pageSize : hasMore;
	return { items, next: more && items.length > 0 ? offset + items.length : undefined };
}

/** Walks an offset-paginated list; `fetchPage` reads one page at `offset`. */
export async function collectOffsetPages<T>(
	fetchPage: (offset: number, pageSize: number) => Promise<{ items: T[]; hasMore?: boolean }>,
	options: CollectOptions,
): Promise<T[]> {
	return await collectPages<T, number>(async (position, pageSize) => {
		const offset = position ?? 0;
		const page = await fetchPage(offset, pageSize);
		return fromOffsetPage(page.items, offset, pageSize, page.hasMore);
	}, options);
}

/** The `paginationToken` a "From list" search gives back for a cursor page. */
export function nextSearchToken<T>(page: CursorPage<T>): string | undefined {
	return fromCursorPage(page).next;
}
