// Fault injection shared by every provider sandbox.
//
//   status          answer with `status` (the provider's error body for it); nothing is done,
//                   unless `applied: true`: the request takes effect, then the answer is lost and
//                   replaced by the fault (the "did my POST land?" case)
//   rate-limit      429 with Retry-After = `retryAfter` seconds; nothing is done
//   drop-before     the connection is reset before anything is done
//   drop-after      the request takes effect, then the connection is reset
//   delay           wait `delayMs` of real time, then answer normally
//   html            200 text/html (a login page, as a proxy or wrong base URL gives); `applied` as for status
//   malformed-json  200 with a truncated JSON body; `applied` as for status
//   empty-body      the request takes effect; a 2xx answer goes out with no body (status 204 or the
//                   rule's `status`); error answers are sent as usual
//   stale-read      a GET is answered with the answer that path and query got last time (a lagging
//                   read replica); it waits until such an earlier answer exists

export type FaultKind = 'status' | 'rate-limit' | 'drop-before' | 'drop-after' | 'delay' | 'html' | 'malformed-json' | 'empty-body' | 'stale-read';
export const FAULT_KINDS: readonly FaultKind[] = ['status', 'rate-limit', 'drop-before', 'drop-after', 'delay', 'html', 'malformed-json', 'empty-body', 'stale-read'];

export interface FaultRule {
	/** which server of the sandbox: 'api' (default) or 'upload' (the presigned-upload host) */
	host?: 'api' | 'upload';
	method?: string;
	/** matched against the path after the API base (no query string); a string must match exactly */
	path: string | RegExp;
	kind: FaultKind;
	status?: number;
	/** status / html / malformed-json: carry the request out first, then lose its answer */
	applied?: boolean;
	/** alias of `applied` */
	apply?: boolean;
	retryAfter?: number;
	delayMs?: number;
	/** how many matching requests it hits (default 1) */
	times?: number;
}

export class FaultList {
	private rules: (FaultRule & { remaining: number })[] = [];

	add(rule: FaultRule): void {
		if (!FAULT_KINDS.includes(rule.kind)) throw new Error(`unknown fault kind "${String(rule.kind)}" (known: ${FAULT_KINDS.join(', ')})`);
		this.rules.push({ ...rule, applied: rule.applied ?? rule.apply, remaining: rule.times ?? 1 });
	}

	clear(): void {
		this.rules = [];
	}

	get size(): number {
		return this.rules.length;
	}

	/** A rule of this kind is waiting (for any request). */
	waiting(kind: FaultKind): boolean {
		return this.rules.some((f) => f.kind === kind);
	}

	/** The first rule matching this request, consumed by one; `eligible` can hold a rule back. */
	take(host: 'api' | 'upload', method: string, path: string, eligible: (rule: FaultRule) => boolean = () => true): FaultRule | undefined {
		for (const f of this.rules) {
			if ((f.host ?? 'api') !== host) continue;
			if (!eligible(f)) continue;
			if (f.method && f.method.toUpperCase() !== method) continue;
			const hit = typeof f.path === 'string' ? f.path === path : f.path.test(path);
			if (!hit) continue;
			f.remaining--;
			this.rules = this.rules.filter((x) => x.remaining > 0);
			return f;
		}
		return undefined;
	}
}

/** A rule as sent to the control API: `path` is a string or `{regex}`. */
export function parseFaultRule(raw: Record<string, unknown>): FaultRule {
	const p = raw.path as unknown;
	let path: string | RegExp;
	if (typeof p === 'string') path = p;
	else if (p && typeof p === 'object' && typeof (p as { regex?: unknown }).regex === 'string') path = new RegExp((p as { regex: string }).regex);
	else throw new Error('path must be a string or {regex}');
	return { ...(raw as unknown as FaultRule), path };
}

export const HTML_LOGIN_PAGE = (product: string) =>
	`<!DOCTYPE html><html><head><title>Sign in - ${product}</title></head><body><form action="/login" method="post">` +
	`<h1>Sign in to ${product}</h1><input name="email" type="email"><input name="password" type="password"><button>Sign in</button>` +
	'</form></body></html>';
