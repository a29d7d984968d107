import type { IDataObject, ILoadOptionsFunctions, INodeListSearchItems, INodeListSearchResult, INodePropertyOptions } from 'n8n-workflow';

import { peRequest } from '../transport';

/** "From list" pickers and the accounts dropdown: one page of an offset list, filtered by the search text. */
type Search = (this: ILoadOptionsFunctions, filter?: string, paginationToken?: string) => Promise<INodeListSearchResult>;

function entries(body: unknown, key: string): IDataObject[] {
	if (Array.isArray(body)) return body as IDataObject[];
	const list = body && typeof body === 'object' ? (body as IDataObject)[key] : undefined;
	return Array.isArray(list) ? (list as IDataObject[]) : [];
}

function matches(filter: string | undefined, ...values: unknown[]): boolean {
	const term = (filter ?? '').trim().toLowerCase();
	return !term || values.some((value) => value !== undefined && value !== null && String(value).toLowerCase().includes(term));
}

function short(text: unknown, max = 60): string {
	const value = typeof text === 'string' ? text.trim().replace(/\s+/g, ' ') : '';
	return value.length > max ? `${value.slice(0, max - 1)}…` : value;
}

/** One page at `paginationToken` (an offset); the next token when the page was full. */
async function page(ctx: ILoadOptionsFunctions, path: string, key: string, paginationToken?: string, qs: IDataObject = {}): Promise<{ list: IDataObject[]; next?: string }> {
	const offset = Number(paginationToken ?? 0) || 0;
	const body = await peRequest<unknown>(ctx, { method: 'GET', path, qs: { ...qs, limit: 100, offset } });
	const list = entries(body, key);
	return { list, next: list.length >= 100 ? String(offset + list.length) : undefined };
}

async function accounts(ctx: ILoadOptionsFunctions): Promise<IDataObject[]> {
	return entries(await peRequest<unknown>(ctx, { method: 'GET', path: '/accounts' }), 'accounts');
}

function accountName(account: IDataObject): string {
	const health = (account.health as IDataObject | undefined)?.can_post === false ? ' (cannot post: reconnect)' : '';
	return `${String(account.account_name ?? account.name ?? '')} · ${String(account.platform ?? '')}${health}`;
}

export const listSearch: Record<string, Search> = {
	async searchPosts(filter, paginationToken) {
		const { list, next } = await page(this, '/posts', 'posts', paginationToken, { sort: 'created_at', order: 'desc' });
		const results: INodeListSearchItems[] = list
			.filter((post) => matches(filter, post.content, post.post_id, post.id, post.status))
			.map((post) => ({ name: `${String(post.status)} · ${short(post.content) || '(no text)'}`, value: String(post.post_id ?? post.id) }));
		return { results, paginationToken: next };
	},
	async searchAccounts(filter) {
		const results = (await accounts(this))
			.filter((account) => matches(filter, account.account_name, account.platform, account.account_id, account.id))
			.map((account) => ({ name: accountName(account), value: String(account.account_id ?? account.id) }));
		return { results };
	},
	async searchMedia(filter, paginationToken) {
		const { list, next } = await page(this, '/media', 'media', paginationToken);
		const results = list
			.filter((media) => matches(filter, media.original_name, media.id, media.type))
			.map((media) => ({ name: `${String(media.type ?? '')} · ${short(media.original_name) || String(media.id)}`, value: String(media.id ?? media.media_id) }));
		return { results, paginationToken: next };
	},
	async searchCampaigns(filter, paginationToken) {
		const { list, next } = await page(this, '/campaigns', 'campaigns', paginationToken);
		const results = list.filter((campaign) => matches(filter, campaign.name, campaign.id)).map((campaign) => ({ name: String(campaign.name), value: String(campaign.id) }));
		return { results, paginationToken: next };
	},
	async searchWebhooks(filter) {
		const results = entries(await peRequest<unknown>(this, { method: 'GET', path: '/webhooks' }), 'webhooks')
			.filter((hook) => matches(filter, hook.name, hook.url, hook.id))
			.map((hook) => ({ name: `${String(hook.name || hook.url)}${hook.is_active === false ? ' (inactive)' : ''}`, value: String(hook.id) }));
		return { results };
	},
};

export const loadOptions: Record<string, (this: ILoadOptionsFunctions) => Promise<INodePropertyOptions[]>> = {
	async getAccounts() {
		return (await accounts(this)).map((account) => ({ name: accountName(account), value: Number(account.account_id ?? account.id) }));
	},
};
