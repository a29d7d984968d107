import type { IDataObject, ILoadOptionsFunctions, INodeListSearchItems, INodeListSearchResult } from 'n8n-workflow';

import type { CursorPage } from '../../shared/pagination';
import { nextSearchToken } from '../../shared/pagination';
import { powerPostRequest } from '../transport';

type Search = (this: ILoadOptionsFunctions, filter?: string, paginationToken?: string) => Promise<INodeListSearchResult>;

/** A caption generation as one line of a "From list" dropdown: prompt, platforms, status, date. */
export function generationListItem(generation: IDataObject): INodeListSearchItems {
	const id = String(generation.generation_id ?? '');
	const prompt = typeof generation.prompt === 'string' && generation.prompt.trim() !== '' ? generation.prompt.trim() : '(from media)';
	const short = prompt.length > 60 ? `${prompt.slice(0, 59)}…` : prompt;
	const platforms = Array.isArray(generation.platforms) ? generation.platforms.join(', ') : '';
	const created = typeof generation.created_at === 'string' ? generation.created_at.slice(0, 16).replace('T', ' ') : '';
	const parts = [short, platforms, generation.status === 'completed' ? '' : String(generation.status ?? ''), created].filter((part) => part);
	return { name: parts.join(' · '), value: id };
}

function matches(generation: IDataObject, filter: string | undefined): boolean {
	if (!filter) return true;
	const needle = filter.toLowerCase();
	return [generation.prompt, generation.generation_id, ...(Array.isArray(generation.platforms) ? generation.platforms : [])].some(
		(value) => typeof value === 'string' && value.toLowerCase().includes(needle),
	);
}

/** One page of `GET /content/generations` (contract §6.2), newest first, filtered by prompt, platform or ID. */
async function searchPage(ctx: ILoadOptionsFunctions, status: string | undefined, filter?: string, paginationToken?: string): Promise<INodeListSearchResult> {
	const qs: IDataObject = { limit: 100 };
	if (status) qs.status = status;
	if (paginationToken) qs.cursor = paginationToken;
	const page = await powerPostRequest<CursorPage<IDataObject>>(ctx, {
		method: 'GET',
		path: '/content/generations',
		qs,
	});
	const data = Array.isArray(page.data) ? page.data : [];
	return {
		results: data.filter((generation) => matches(generation, filter)).map(generationListItem),
		paginationToken: nextSearchToken(page),
	};
}

export const generationsSearch: Record<string, Search> = {
	/** Every caption generation of the workspace (Caption → Get). */
	async searchGenerations(this: ILoadOptionsFunctions, filter?: string, paginationToken?: string) {
		return await searchPage(this, undefined, filter, paginationToken);
	},
	/** Only completed generations: the ones a post or an image can be made from. */
	async searchCompletedGenerations(this: ILoadOptionsFunctions, filter?: string, paginationToken?: string) {
		return await searchPage(this, 'completed', filter, paginationToken);
	},
};
