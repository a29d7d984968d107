// Matching of examples/expectations.json entries against an n8n run and the sandbox request log.
// Format: see examples/README.md ("Expectations").

const TYPE_OF = (v) => (v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v);

/** Partial deep match. Returns a list of mismatch messages (empty = match). */
export function match(actual, expected, where = '$') {
	if (expected !== null && typeof expected === 'object' && !Array.isArray(expected)) {
		const ops = Object.keys(expected).filter((k) => k.startsWith('$'));
		if (ops.length) {
			const errs = [];
			for (const op of ops) {
				const e = expected[op];
				switch (op) {
					case '$exists':
						if ((actual !== undefined) !== !!e) errs.push(`${where}: expected ${e ? 'to exist' : 'to be absent'}`);
						break;
					case '$type':
						if (TYPE_OF(actual) !== e) errs.push(`${where}: expected type ${e}, got ${TYPE_OF(actual)}`);
						break;
					case '$regex':
						if (typeof actual !== 'string' || !new RegExp(e).test(actual)) errs.push(`${where}: ${short(actual)} does not match /${e}/`);
						break;
					case '$contains':
						if (!(typeof actual === 'string' ? actual.includes(e) : Array.isArray(actual) && actual.some((x) => match(x, e).length === 0)))
							errs.push(`${where}: ${short(actual)} does not contain ${short(e)}`);
						break;
					case '$in':
						if (!e.some((x) => match(actual, x).length === 0)) errs.push(`${where}: ${short(actual)} not in ${short(e)}`);
						break;
					case '$gte':
						if (!(actual >= e)) errs.push(`${where}: ${short(actual)} < ${e}`);
						break;
					case '$lte':
						if (!(actual <= e)) errs.push(`${where}: ${short(actual)} > ${e}`);
						break;
					case '$length':
						if (actual?.length !== e) errs.push(`${where}: length ${actual?.length} ≠ ${e}`);
						break;
					case '$not':
						if (match(actual, e, where).length === 0) errs.push(`${where}: ${short(actual)} should not match ${short(e)}`);
						break;
					default:
						errs.push(`${where}: unknown operator ${op}`);
				}
			}
			return errs;
		}
		if (actual === null || typeof actual !== 'object') return [`${where}: expected an object, got ${short(actual)}`];
		return Object.entries(expected).flatMap(([k, v]) => match(actual[k], v, `${where}.${k}`));
	}
	if (Array.isArray(expected)) {
		if (!Array.isArray(actual)) return [`${where}: expected an array, got ${short(actual)}`];
		if (actual.length < expected.length) return [`${where}: expected at least ${expected.length} elements, got ${actual.length}`];
		return expected.flatMap((v, i) => match(actual[i], v, `${where}[${i}]`));
	}
	return Object.is(actual, expected) || actual === expected ? [] : [`${where}: expected ${short(expected)}, got ${short(actual)}`];
}

function short(v) {
	const s = v === undefined ? 'undefined' : JSON.stringify(v);
	return s.length > 80 ? `${s.slice(0, 77)}…` : s;
}

function itemsOf(runData, node) {
	const runs = runData[node];
	if (!runs) return null;
	const last = runs[runs.length - 1] ?? {};
	return { last, runs, outputs: (last.data?.main ?? []).map((o) => (o ?? []).map((i) => i.json)) };
}

/** "POST /posts/*\/publish" style patterns against "METHOD /path" strings. */
export function reqMatches(pattern, line) {
	const re = new RegExp(`^${pattern.split('*').map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('[^ ]*')}$`);
	return re.test(line);
}

/**
 * Check one run against an expectation. `run` is the driver's executeWorkflow() result,
 * `requests` the sandbox's request log ([{method, path, status, body}]). Returns a list of failures.
 */
export function checkExpectation(exp = {}, run, requests = []) {
	const fails = [];
	const wantStatus = exp.status ?? 'success';
	const runData = run.result?.data?.resultData?.runData ?? {};
	if (wantStatus === 'success') {
		if (!run.ok) fails.push(`workflow failed: ${run.error}`);
	} else if (wantStatus === 'error') {
		if (run.ok) fails.push('workflow succeeded but an error was expected');
		else if (exp.error && !String(run.error ?? '').includes(exp.error)) fails.push(`error "${run.error}" does not contain "${exp.error}"`);
	}
	for (const [node, ne] of Object.entries(exp.nodes ?? {})) {
		const got = itemsOf(runData, node);
		if (ne.notExecuted) {
			if (got) fails.push(`node "${node}" ran but should not have`);
			continue;
		}
		if (!got) {
			fails.push(`node "${node}" did not run (ran: ${Object.keys(runData).join(', ') || 'nothing'})`);
			continue;
		}
		const outIdx = ne.output ?? 0;
		const items = got.outputs[outIdx] ?? [];
		const label = `node "${node}"${outIdx ? ` output ${outIdx}` : ''}`;
		if (ne.items !== undefined && items.length !== ne.items) fails.push(`${label}: ${items.length} items, expected ${ne.items}`);
		if (ne.minItems !== undefined && items.length < ne.minItems) fails.push(`${label}: ${items.length} items, expected ≥ ${ne.minItems}`);
		if (ne.maxItems !== undefined && items.length > ne.maxItems) fails.push(`${label}: ${items.length} items, expected ≤ ${ne.maxItems}`);
		if (ne.runs !== undefined && got.runs.length !== ne.runs) fails.push(`${label}: ran ${got.runs.length} times, expected ${ne.runs}`);
		if (ne.json !== undefined) fails.push(...match(items[0], ne.json, `${label} item[0]`));
		if (ne.every !== undefined) items.forEach((it, i) => fails.push(...match(it, ne.every, `${label} item[${i}]`)));
		if (ne.itemsMatch !== undefined) fails.push(...match(items, ne.itemsMatch, `${label} items`));
		if (ne.error !== undefined) {
			const msg = got.last.error?.message ?? '';
			if (!msg.includes(ne.error)) fails.push(`${label}: error "${msg}" does not contain "${ne.error}"`);
		}
	}
	if (exp.requests) {
		const lines = requests.map((r) => `${r.method} ${r.path}`);
		for (const p of exp.requests.include ?? [])
			if (!lines.some((l) => reqMatches(p, l))) fails.push(`sandbox never got "${p}"`);
		for (const p of exp.requests.exclude ?? [])
			if (lines.some((l) => reqMatches(p, l))) fails.push(`sandbox got "${p}" but should not have`);
		for (const [p, n] of Object.entries(exp.requests.count ?? {})) {
			const c = lines.filter((l) => reqMatches(p, l)).length;
			if (c !== n) fails.push(`sandbox got "${p}" ${c} times, expected ${n}`);
		}
		for (const [p, want] of Object.entries(exp.requests.bodies ?? {})) {
			const hits = requests.filter((r) => reqMatches(p, `${r.method} ${r.path}`));
			if (!hits.length) fails.push(`sandbox never got "${p}" (its body is checked)`);
			hits.forEach((r, i) => fails.push(...match(r.body, want, `"${p}" body[${i}]`)));
		}
		if (exp.requests.max !== undefined && lines.length > exp.requests.max)
			fails.push(`sandbox got ${lines.length} requests, expected ≤ ${exp.requests.max}`);
	}
	return fails;
}
