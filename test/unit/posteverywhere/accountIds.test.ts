// Post → Retry "Only Account IDs" (and every account-ID field): a single number, as an expression
// such as {{ $json.account_id }} gives it, is one account, not an error.
import type { INode } from 'n8n-workflow';

import { accountIds } from '../../../nodes/PostEverywhere/actions/common';
import { Checker } from '../../../nodes/shared/validation';

const node = { id: '1', name: 'PostEverywhere', type: 'postEverywhere', typeVersion: 1, position: [0, 0], parameters: {} } as INode;
const check = () => new Checker(node, 0);

describe('accountIds', () => {
	test.each([
		[2281, [2281]],
		['2281', [2281]],
		[' 2281 ', [2281]],
		['2280, 2281', [2280, 2281]],
		[[2280, '2281'], [2280, 2281]],
		['', []],
	])('%j → %j', (value, expected) => {
		expect(accountIds(check(), 'Only Account IDs', value)).toEqual(expected);
	});

	test('a number that is not an account ID names the field and what is allowed', () => {
		expect(() => accountIds(check(), 'Only Account IDs', 0)).toThrow(/^Only Account IDs: 0 is too small\. Allowed: a whole number/);
		expect(() => accountIds(check(), 'Only Account IDs', 22.5)).toThrow(/^Only Account IDs: "22\.5" is not a whole number/);
		expect(() => accountIds(check(), 'Only Account IDs', { id: 1 })).toThrow(/^Only Account IDs: must be a list/);
	});

	test('a required list still needs an account', () => {
		expect(() => accountIds(check(), 'Account IDs', '', { min: 1 })).toThrow(/Account IDs: has 0 accounts\. Allowed: at least 1 account/);
	});
});
