import type { ILoadOptionsFunctions, INodeListSearchResult } from 'n8n-workflow';

export const generationsSearch: Record<string, (this: ILoadOptionsFunctions, filter?: string, paginationToken?: string) => Promise<INodeListSearchResult>> = {};
