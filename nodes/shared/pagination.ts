/** One page of a cursor-paginated list: `{ data, next_cursor, has_more }`. */
export interface CursorPage<T> {
	data: T[];
	next_cursor?: string | null;
	has_more?: boolean;
}

export interface CollectOptions {
	/** Read every page. */
	returnAll: boolean;
	/** With returnAll false: how many results at most. */
	limit: number;
	/** Largest page size the API accepts. */
	maxPageSize: number;
}

/**
 * Walks a cursor-paginated list. Asks for pages no larger than needed, stops at `limit` (unless
 * returnAll), when the API says there is no more, and if a cursor repeats (never loops forever).
 */
export async function collectCursorPages<T>(
	fetchPage: (cursor: string | undefined, pageSize: number) => Promise<CursorPage<T>>,
	options: CollectOptions,
): Promise<T[]> {
	const results: T[] = [];
	const seen = new Set<string>();
	let cursor: string | undefined;
	for (;;) {
		const wanted = options.returnAll ? options.maxPageSize : Math.min(options.maxPageSize, options.limit - results.length);
		if (wanted <= 0) break;
		const page = await fetchPage(cursor, wanted);
		const data = Array.isArray(page.data) ? page.data : [];
		for (const entry of data) {
			results.push(entry);
			if (!options.returnAll && results.length >= options.limit) return results;
		}
		const next = page.next_cursor ?? undefined;
		if (page.has_more === false || !next || seen.has(next) || data.length === 0) break;
		seen.add(next);
		cursor = next;
	}
	return results;
}
