// Proof for the engine moves of issue 12: PowerPost's node and credential descriptions, serialized
// with sorted keys, stay byte-identical to the snapshot taken from main before the engine changed.
// When a description change is intended, regenerate the fixture on purpose:
//   UPDATE_DESCRIPTION_SNAPSHOT=1 npx jest test/unit/engine/descriptions.test.ts
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

import { PowerPostApi } from '../../../credentials/PowerPostApi.credentials';
import { PowerPost } from '../../../nodes/PowerPost/PowerPost.node';
import { PowerPostTrigger } from '../../../nodes/PowerPostTrigger/PowerPostTrigger.node';

const FIXTURE = path.join(__dirname, '..', '..', 'fixtures', 'powerpost-descriptions.json');

/** JSON with every object's keys sorted, so only real changes show. */
function sortedJson(value: unknown): string {
	return JSON.stringify(
		value,
		(_key, inner: unknown) =>
			inner && typeof inner === 'object' && !Array.isArray(inner)
				? Object.fromEntries(Object.keys(inner).sort().map((key) => [key, (inner as Record<string, unknown>)[key]]))
				: inner,
		'\t',
	);
}

function current(): string {
	const credential = new PowerPostApi();
	return (
		sortedJson({
			credential: { ...credential },
			node: new PowerPost().description,
			trigger: new PowerPostTrigger().description,
		}) + '\n'
	);
}

test('PowerPost descriptions (node, trigger, credential) are byte-identical to the snapshot', () => {
	const now = current();
	if (process.env.UPDATE_DESCRIPTION_SNAPSHOT === '1') writeFileSync(FIXTURE, now);
	const snapshot = readFileSync(FIXTURE, 'utf8');
	if (now !== snapshot) {
		// Print where they differ, and how to accept an intended change.
		const at = [...now].findIndex((char, index) => char !== snapshot[index]);
		throw new Error(
			`PowerPost's serialized descriptions changed near: ${JSON.stringify(now.slice(Math.max(0, at - 120), at + 120))}\n` +
				'If the change is intended (a description edit, not an engine move), accept it with: UPDATE_DESCRIPTION_SNAPSHOT=1 npx jest test/unit/engine/descriptions.test.ts',
		);
	}
	expect(now).toBe(snapshot);
});
