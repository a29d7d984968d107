// The import graph of the shipped code: provider folders depend on the engine (nodes/shared),
// never on each other; the engine depends on no provider; everything imports only the packages a
// verified community node may use.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '..', '..', '..');
const ALLOWED_PACKAGES = ['n8n-workflow', 'lodash', 'moment', 'p-limit', 'luxon', 'zod', 'crypto'];

function sources(dir: string): string[] {
	return readdirSync(dir).flatMap((name) => {
		const full = path.join(dir, name);
		if (statSync(full).isDirectory()) return sources(full);
		return full.endsWith('.ts') ? [full] : [];
	});
}

function importsOf(file: string): string[] {
	const text = readFileSync(file, 'utf8');
	return [...text.matchAll(/(?:^|\n)\s*(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]/g), ...text.matchAll(/require\(['"]([^'"]+)['"]\)/g)].map(
		(match) => match[1],
	);
}

/** The part of the tree a file belongs to: `engine`, a provider (`PowerPost` for PowerPost and PowerPostTrigger), or `credentials`. */
function area(file: string): string {
	const relative = path.relative(ROOT, file).split(path.sep);
	if (relative[0] === 'credentials') return `credentials:${relative[1].replace(/Api\.credentials\.ts$/, '')}`;
	if (relative[1] === 'shared') return 'engine';
	return relative[1].replace(/(Webhook)?Trigger$/, '');
}

const files = [...sources(path.join(ROOT, 'nodes')), ...sources(path.join(ROOT, 'credentials'))];
const edges = files.flatMap((file) =>
	importsOf(file).map((specifier) => ({
		from: path.relative(ROOT, file),
		fromArea: area(file),
		specifier,
		toArea: specifier.startsWith('.') ? area(path.resolve(path.dirname(file), specifier)) : `package:${specifier}`,
	})),
);

test('the scan sees the engine and every provider folder', () => {
	const areas = new Set(edges.map((edge) => edge.fromArea));
	expect(areas).toContain('engine');
	expect(areas).toContain('PowerPost');
	expect(edges.length).toBeGreaterThan(100);
});

test('provider folders import the engine and their own files, never another provider', () => {
	const crossing = edges.filter(
		(edge) => edge.fromArea !== 'engine' && !edge.fromArea.startsWith('credentials:') && !edge.toArea.startsWith('package:') && edge.toArea !== 'engine' && edge.toArea !== edge.fromArea,
	);
	expect(crossing).toEqual([]);
});

test('the engine imports no provider', () => {
	expect(edges.filter((edge) => edge.fromArea === 'engine' && edge.toArea !== 'engine' && !edge.toArea.startsWith('package:'))).toEqual([]);
});

test('credentials import nothing from the nodes', () => {
	expect(edges.filter((edge) => edge.fromArea.startsWith('credentials:') && !edge.toArea.startsWith('package:'))).toEqual([]);
});

test('only the packages a verified community node may use', () => {
	const packages = edges.filter((edge) => edge.toArea.startsWith('package:')).map((edge) => edge.specifier.replace(/^node:/, '').split('/')[0]);
	expect([...new Set(packages)].filter((name) => !ALLOWED_PACKAGES.includes(name))).toEqual([]);
});
