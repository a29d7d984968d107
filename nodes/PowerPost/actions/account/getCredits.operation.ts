import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { powerPostRequest } from '../../transport';
import type { OperationResult } from '../../../shared/router';

/** Contract §12: `GET /account/credits` → `{ balance }`. Account-wide, free, needs `account:read`. */
export const description: INodeProperties[] = [];

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<OperationResult> {
	return await powerPostRequest(this, { method: 'GET', path: '/account/credits', itemIndex });
}
