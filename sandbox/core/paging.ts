// Offset pagination shared by provider sandboxes: a page of `all` and its `pagination` object.

export function offsetPage<T>(all: T[], limit: number, offset: number, totals: boolean): { items: T[]; pagination: Record<string, unknown> } {
	const items = all.slice(offset, offset + limit);
	const pagination: Record<string, unknown> = { limit, offset };
	if (totals) Object.assign(pagination, { total: all.length, has_more: offset + items.length < all.length });
	return { items, pagination };
}
