import type { ILoadOptionsFunctions, INodeListSearchResult } from 'n8n-workflow';

export const calendarSearch: Record<string, (this: ILoadOptionsFunctions, filter?: string, paginationToken?: string) => Promise<INodeListSearchResult>> = {};
