import type { IDataObject } from 'n8n-workflow';

import { commitPollState, loadPollState } from '../../nodes/shared/pollState';

describe('loadPollState / commitPollState', () => {
	it('nothing stored: undefined (first activation)', () => {
		expect(loadPollState({}, 'k', 1)).toBeUndefined();
		expect(loadPollState({ k: 'garbage' }, 'k', 1)).toBeUndefined();
		expect(loadPollState({ k: { version: 1 } }, 'k', 1)).toBeUndefined();
	});

	it('round-trips through JSON (what survives an n8n restart) and hands out a private copy', () => {
		const staticData: IDataObject = {};
		commitPollState(staticData, 'k', 2, { cursor: 5, ids: ['a'] });
		const restarted = JSON.parse(JSON.stringify(staticData)) as IDataObject;
		const state = loadPollState<{ cursor: number; ids: string[] }>(restarted, 'k', 2)!;
		expect(state).toEqual({ cursor: 5, ids: ['a'] });
		state.cursor = 99;
		state.ids.push('b');
		// working on the copy changes nothing until it is committed
		expect(loadPollState(restarted, 'k', 2)).toEqual({ cursor: 5, ids: ['a'] });
		commitPollState(restarted, 'k', 2, state);
		expect(loadPollState(restarted, 'k', 2)).toEqual({ cursor: 99, ids: ['a', 'b'] });
	});

	it('the committed value is detached from the caller\'s object', () => {
		const staticData: IDataObject = {};
		const state = { n: 1 };
		commitPollState(staticData, 'k', 1, state);
		state.n = 2;
		expect(loadPollState(staticData, 'k', 1)).toEqual({ n: 1 });
	});

	it('another version: migrated when a migration is given, otherwise a fresh start', () => {
		const staticData: IDataObject = {};
		commitPollState(staticData, 'k', 1, { last: 10 });
		expect(loadPollState(staticData, 'k', 2)).toBeUndefined();
		const migrated = loadPollState<{ cursor: number }>(staticData, 'k', 2, {
			migrate: (version, old) => (version === 1 ? { cursor: (old as { last: number }).last } : undefined),
		});
		expect(migrated).toEqual({ cursor: 10 });
	});

	it('other keys of the static data are left alone', () => {
		const staticData: IDataObject = { other: { x: 1 } };
		commitPollState(staticData, 'k', 1, { a: 1 });
		expect(staticData.other).toEqual({ x: 1 });
	});
});
