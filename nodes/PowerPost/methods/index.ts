import type { ILoadOptionsFunctions, INodeListSearchResult } from 'n8n-workflow';

/** Resource-locator searches ("From list"); filled in by the resources that use them. */
export const listSearch: Record<string, (this: ILoadOptionsFunctions, filter?: string, paginationToken?: string) => Promise<INodeListSearchResult>> = {};
