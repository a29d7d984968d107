/** How a run ended, seen the way a user sees it, and the secret scan over everything they can see. */
import type { RunNodeResult, RunPollResult } from '../harness';

const BUILTIN_ERRORS = ['TypeError', 'ReferenceError', 'RangeError', 'SyntaxError', 'EvalError', 'URIError'];

/** A JavaScript error (not an n8n error the node built) anywhere in the error's cause chain. */
export function isUnhandled(error: unknown): boolean {
	let current: unknown = error;
	for (let depth = 0; depth < 8 && current && typeof current === 'object'; depth++) {
		const name = (current as { constructor?: { name?: string } }).constructor?.name ?? '';
		if (BUILTIN_ERRORS.includes(name)) return true;
		if (/Cannot read propert|is not a function|is not iterable|undefined is not|Maximum call stack/.test(String((current as Error).message))) return true;
		current = (current as { cause?: unknown }).cause;
	}
	return false;
}

export function errorTextOf(error: unknown): { message: string; description: string } {
	const e = error as { message?: unknown; description?: unknown } | undefined;
	return {
		message: typeof e?.message === 'string' ? e.message : '',
		description: typeof e?.description === 'string' ? e.description : '',
	};
}

/** An error a user can act on: it names PowerPost (or the parameter) and carries a hint. */
export function isClearError(error: unknown): boolean {
	const { message, description } = errorTextOf(error);
	return /PowerPost/.test(`${message} ${description}`) && description.trim().length > 0;
}

/**
 * The error names the parameter as the user sees it: `Title: ...`, `Items (JSON) → entry 1: ...`,
 * or n8n's own `Parameter "Title" is required` (raised before the node runs).
 */
export function namesField(error: unknown, fields: string | string[]): boolean {
	const { message } = errorTextOf(error);
	return (Array.isArray(fields) ? fields : [fields]).some(
		(field) => message.includes(`${field}:`) || message.includes(`"${field}"`) || message.startsWith(`${field} →`) || message.includes(` → ${field}:`),
	);
}

/** Everything of a run a user (or a log collector) can see. */
export function visibleText(result: RunNodeResult | RunPollResult): string {
	const error = result.error as (Error & { description?: unknown; context?: unknown }) | undefined;
	const outputs = 'outputs' in result ? result.outputs : result.items;
	let errorJson = '';
	try {
		errorJson = JSON.stringify(error ?? {});
	} catch {
		errorJson = String(error);
	}
	return [
		JSON.stringify(outputs ?? null),
		error?.message ?? '',
		typeof error?.description === 'string' ? error.description : '',
		errorJson,
		JSON.stringify(error?.context ?? {}),
		error?.stack ?? '',
		result.logs.join('\n'),
	].join('\n');
}

/** Counts runs whose visible text contains any of the secrets. */
export class SecretScan {
	runs = 0;
	leaks = 0;
	bytes = 0;
	readonly leakedIn: string[] = [];

	constructor(private readonly secrets: () => string[]) {}

	check(label: string, result: RunNodeResult | RunPollResult): void {
		const text = visibleText(result);
		this.runs++;
		this.bytes += text.length;
		if (this.secrets().some((secret) => secret.length >= 4 && text.includes(secret))) {
			this.leaks++;
			this.leakedIn.push(label);
		}
	}
}
