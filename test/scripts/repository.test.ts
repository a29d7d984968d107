// A clone stands on its own: no tracked file points at a path of the machine the project was
// developed on (the API contracts live in docs/api).
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

const REPO = path.resolve(__dirname, '..', '..');
const tracked = execFileSync('git', ['ls-files', '-z'], { cwd: REPO, encoding: 'utf8' }).split('\0').filter(Boolean);

test('no tracked file names a path of the development machine (the shared contract folder, the main checkout, worktrees)', () => {
	const offenders = tracked
		.filter((f) => !f.startsWith('docs/api/') && existsSync(path.join(REPO, f)))
		.filter((f) => /\/work\/(shared|main|wt)\b/.test(readFileSync(path.join(REPO, f), 'utf8')));
	expect(offenders).toEqual([]);
});

test('the API contracts the sandboxes and tests follow are in the repository', () => {
	for (const f of ['docs/api/powerpost.md', 'docs/api/posteverywhere.md']) expect(tracked).toContain(f);
	expect(readFileSync(path.join(REPO, 'docs/api/powerpost.md'), 'utf8')).toMatch(/^## 16\./m);
});
