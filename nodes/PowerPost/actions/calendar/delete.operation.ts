import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { powerPostRequest } from '../../transport';
import type { OperationResult } from '../../../shared/router';
import { locatorValue } from '../../../shared/locator';
import { entryLocator } from './common';

/** Contract §11: `DELETE /calendar/entries/{id}` → `{success: true}`; output `{deleted: true, entry_id}`. */
export const description: INodeProperties[] = [entryLocator(['delete'])];

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<OperationResult> {
	const entryId = locatorValue(this, 'entryId', 'Calendar Entry', itemIndex);
	await powerPostRequest(this, { method: 'DELETE', path: `/calendar/entries/${encodeURIComponent(entryId)}`, itemIndex });
	return { deleted: true, entry_id: entryId };
}
