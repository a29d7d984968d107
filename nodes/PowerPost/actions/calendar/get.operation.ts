import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { powerPostRequest } from '../../transport';
import type { OperationResult } from '../../../shared/router';
import { locatorValue } from '../../../shared/locator';
import { entryLocator } from './common';

/** Contract §11: `GET /calendar/entries/{id}`. */
export const description: INodeProperties[] = [entryLocator(['get'])];

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<OperationResult> {
	const entryId = locatorValue(this, 'entryId', 'Calendar Entry', itemIndex);
	return await powerPostRequest(this, { method: 'GET', path: `/calendar/entries/${encodeURIComponent(entryId)}`, itemIndex });
}
