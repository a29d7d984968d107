/** Generates invalid values for each parameter of an operation (wrong type, empty, too long, out of range, bad dates and zones, unknown enum values). */
import { byId } from '../contract/post-helpers';
import type { BadCase, Json, OpSpec, ParamSpec } from './ops';

const OBJECT = { not: 'a value' };
const ids = (n: number) => Array.from({ length: n }, (_, i) => `id-${i}`);

function valuesFor(spec: ParamSpec): Array<{ value: unknown; what: string; timezone?: string }> {
	const out: Array<{ value: unknown; what: string; timezone?: string }> = [];
	const add = (value: unknown, what: string, timezone?: string) => out.push({ value, what, timezone });
	switch (spec.kind) {
		case 'requiredText':
			add('', 'empty');
			add('   ', 'blank');
			add(OBJECT, 'object');
			add(['a', 'b'], 'list');
			break;
		case 'text':
			add(OBJECT, 'object');
			add(['a', 'b'], 'list');
			break;
		case 'enum':
			add('not-a-real-value', 'unknown value');
			add(42, 'number');
			add(OBJECT, 'object');
			break;
		case 'int':
			add('abc', 'text');
			add(2.5, 'fraction');
			add(OBJECT, 'object');
			if (spec.min !== undefined) add(spec.min - 1, 'below minimum');
			if (spec.max !== undefined) add(spec.max + 1, 'above maximum');
			break;
		case 'seconds':
			add(0, 'zero');
			add(-1, 'negative');
			add('abc', 'text');
			if (spec.max !== undefined) add(spec.max + 1, 'above maximum');
			break;
		case 'date':
			add('', 'empty');
			add('not a date', 'text');
			add('2026-02-30', 'day that does not exist');
			add('2026-13-01', 'month 13');
			add('2026-12-01T25:00', 'hour 25');
			add('2026-12-01T09:30:00+25:00', 'offset +25:00');
			add('2026-12-01T09:30[Mars/Phobos]', 'unknown zone in the value');
			add(OBJECT, 'object');
			if (spec.zoneCases) add('2026-12-01T09:30', 'naive time in an unknown workflow time zone', 'Mars/Phobos');
			break;
		case 'time':
			add('25:00', 'hour 25');
			add('12:60', 'minute 60');
			add('9', 'hour only');
			add('noon', 'text');
			add(OBJECT, 'object');
			break;
		case 'list':
			add(OBJECT, 'object');
			add(42.5, 'number');
			if (spec.maxEntries !== undefined) add(ids(spec.maxEntries + 1), 'too many entries');
			break;
		case 'enumList':
			add(['not-a-real-value'], 'unknown entry');
			add('x-post, not-a-real-value', 'unknown entry in text');
			add(OBJECT, 'object');
			if (spec.min !== undefined) add([], 'empty');
			break;
		case 'bool':
			add('yes', 'text');
			add(1, 'number');
			add(OBJECT, 'object');
			break;
		case 'locator':
			add(byId(''), 'empty ID');
			add(byId('   '), 'blank ID');
			add('', 'empty');
			add(byId(OBJECT as unknown as string), 'object ID');
			if (spec.max !== undefined) add(byId('x'.repeat(spec.max + 1)), 'too long');
			break;
		case 'json':
			add('not json', 'not JSON');
			break;
	}
	const longer = spec.kind === 'requiredText' || spec.kind === 'text' ? spec.max : undefined;
	if (longer !== undefined) add('x'.repeat(longer + 1), `${longer + 1} characters`);
	if ((spec.kind === 'requiredText' || spec.kind === 'text') && spec.min !== undefined) add('x'.repeat(spec.min - 1), `${spec.min - 1} characters`);
	for (const value of spec.extra ?? []) add(value, `invalid value ${JSON.stringify(value)?.slice(0, 40)}`);
	return out;
}

function setPath(params: Json, path: string, value: unknown): Json {
	const copy = structuredClone(params);
	const keys = path.split('.');
	let node: Json = copy;
	for (const key of keys.slice(0, -1)) {
		if (!node[key] || typeof node[key] !== 'object') node[key] = {};
		node = node[key] as Json;
	}
	node[keys[keys.length - 1]] = value;
	return copy;
}

/** Every invalid case of an operation: the parameters with one value made invalid, plus the hand-written cases. */
export function badCases(op: OpSpec, base: Json): Array<BadCase & { params: Json }> {
	const cases: Array<BadCase & { params: Json }> = [];
	for (const spec of op.bad ?? []) {
		for (const { value, what, timezone } of valuesFor(spec)) {
			cases.push({ params: setPath(base, spec.path, value), field: spec.field, what: `${spec.path}: ${what}`, timezone });
		}
	}
	for (const extra of op.badCases ?? []) {
		let params = base;
		for (const [key, value] of Object.entries(extra.params ?? {})) params = setPath(params, key, value);
		cases.push({ ...extra, params });
	}
	return cases;
}
