import type { ILoadOptionsFunctions, INodeListSearchResult } from 'n8n-workflow';

import { calendarSearch } from './calendar';
import { generationsSearch } from './generations';
import { postsSearch } from './posts';

/** Resource-locator searches ("From list"). */
export const listSearch: Record<string, (this: ILoadOptionsFunctions, filter?: string, paginationToken?: string) => Promise<INodeListSearchResult>> = {
	...generationsSearch,
	...postsSearch,
	...calendarSearch,
};
