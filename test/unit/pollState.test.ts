import type { IDataObject } from 'n8n-workflow';

import { commitPollState, loadPollState, SeenEvents } from '../../nodes/shared/pollState';

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

describe('SeenEvents', () => {
	it('a recorded key is not new; an unknown key is', () => {
		const seen = new SeenEvents();
		expect(seen.isNew('a', 100)).toBe(true);
		seen.add('a', 100);
		expect(seen.isNew('a', 100)).toBe(false);
		expect(seen.isNew('b', 100)).toBe(true);
		expect(seen.has('a')).toBe(true);
	});

	it('events older than the floor count as seen; without a time only the key decides', () => {
		const seen = new SeenEvents({ keys: {}, floor: 1000 });
		expect(seen.isNew('old', 999)).toBe(false);
		expect(seen.isNew('edge', 1000)).toBe(true);
		expect(seen.isNew('untimed')).toBe(true);
		seen.raiseFloor(500);
		expect(seen.floor).toBe(1000);
	});

	it('pruning by age drops old keys and raises the floor past them: a pruned event stays seen', () => {
		const seen = new SeenEvents();
		for (let t = 1; t <= 10; t++) seen.add(`k${t}`, t * 100);
		expect(seen.prune({ olderThan: 500 })).toBe(4);
		expect(seen.size).toBe(6);
		expect(seen.floor).toBe(401);
		for (let t = 1; t <= 4; t++) expect(seen.isNew(`k${t}`, t * 100)).toBe(false);
		expect(seen.isNew('k5', 500)).toBe(false);
		expect(seen.isNew('new', 450)).toBe(true);
	});

	it('pruning by count keeps the newest keys, except protected ones which always stay', () => {
		const seen = new SeenEvents();
		for (let t = 1; t <= 10; t++) seen.add(`k${t}`, t);
		seen.add('running:1', 0);
		seen.prune({ maxKeys: 4, keep: (key) => key.startsWith('running:') });
		expect(Object.keys(seen.toJSON().keys).sort()).toEqual(['k10', 'k8', 'k9', 'running:1']);
		expect(seen.floor).toBe(8);
		expect(seen.has('running:1')).toBe(true);
	});

	it('serialises to plain JSON and back, ignoring broken entries', () => {
		const seen = new SeenEvents({ keys: { a: 5, b: 'x' as unknown as number }, floor: 2 });
		seen.add('a', 3);
		expect(seen.toJSON()).toEqual({ keys: { a: 5 }, floor: 2 });
		const again = new SeenEvents(JSON.parse(JSON.stringify(seen.toJSON())));
		expect(again.isNew('a', 5)).toBe(false);
		expect(again.floor).toBe(2);
	});
});
