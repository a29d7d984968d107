import type { IDataObject, ILoadOptionsFunctions, INodeListSearchItems, INodeListSearchResult } from 'n8n-workflow';

import type { CursorPage } from '../../shared/pagination';
import { nextSearchToken } from '../../shared/pagination';
import { powerPostRequest } from '../transport';

/** A readable line for a post in the "From list" picker: status, post types and creation time. */
export function postLabel(post: IDataObject): string {
	const items = Array.isArray(post.items) ? (post.items as IDataObject[]) : [];
	const types = items.map((item) => String(item.post_type)).join(', ') || 'no items';
	const when = typeof post.created_at === 'string' ? post.created_at.replace('T', ' ').replace(/:\d{2}(\.\d+)?Z$/, ' UTC') : '';
	return `${String(post.status)} · ${types}${when ? ` · ${when}` : ''}`;
}

/** "From list" for posts: the newest posts first, a page of 100 at a time, filtered by label or ID. */
async function searchPosts(this: ILoadOptionsFunctions, filter?: string, paginationToken?: string): Promise<INodeListSearchResult> {
	const qs: IDataObject = { limit: 100 };
	if (paginationToken) qs.cursor = paginationToken;
	const page = await powerPostRequest<CursorPage<IDataObject>>(this, {
		method: 'GET',
		path: '/posts',
		qs,
	});
	const term = (filter ?? '').trim().toLowerCase();
	const results: INodeListSearchItems[] = (page.data ?? [])
		.map((post) => ({ name: postLabel(post), value: String(post.post_id) }))
		.filter((entry) => !term || entry.name.toLowerCase().includes(term) || entry.value.toLowerCase().includes(term));
	return { results, paginationToken: nextSearchToken(page) };
}

export const postsSearch: Record<string, (this: ILoadOptionsFunctions, filter?: string, paginationToken?: string) => Promise<INodeListSearchResult>> = {
	searchPosts,
};
