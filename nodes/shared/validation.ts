import type { INode } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

/**
 * Checks one item's parameters before any request is sent. Every failure is a NodeOperationError
 * whose MESSAGE names the field (as the user sees it) and says what is allowed: an AI agent that
 * calls the node as a tool gets only the message, so it must be enough to correct the call.
 * The description repeats what is allowed for the n8n UI.
 */
export class Checker {
	constructor(
		private readonly node: INode,
		readonly itemIndex: number,
	) {}

	fail(field: string, problem: string, allowed?: string): never {
		throw new NodeOperationError(this.node, allowed ? `${field}: ${problem}. Allowed: ${allowed}` : `${field}: ${problem}`, {
			itemIndex: this.itemIndex,
			description: allowed ? `Allowed: ${allowed}` : undefined,
		});
	}

	/** A string, trimmed; `undefined` when empty and not required. */
	text(field: string, value: unknown, rules: { required?: boolean; min?: number; max?: number } = {}): string | undefined {
		if (value === undefined || value === null || value === '') {
			if (rules.required) this.fail(field, 'is required but empty', this.lengthRule(rules) ?? 'any text that is not empty');
			return undefined;
		}
		if (typeof value === 'number' || typeof value === 'boolean') value = String(value);
		if (typeof value !== 'string') this.fail(field, `must be text, got ${kindOf(value)}`, this.lengthRule(rules) ?? 'text');
		const text = value.trim();
		if (text === '') {
			if (rules.required) this.fail(field, 'is required but empty', this.lengthRule(rules) ?? 'any text that is not empty');
			return undefined;
		}
		if (rules.min !== undefined && text.length < rules.min) {
			this.fail(field, `is too short (${text.length} characters)`, this.lengthRule(rules));
		}
		if (rules.max !== undefined && text.length > rules.max) {
			this.fail(field, `is too long (${text.length} characters)`, this.lengthRule(rules));
		}
		return text;
	}

	requiredText(field: string, value: unknown, rules: { min?: number; max?: number } = {}): string {
		return this.text(field, value, { ...rules, required: true }) as string;
	}

	oneOf<T extends string>(field: string, value: unknown, allowed: readonly T[]): T {
		if (typeof value !== 'string' || !allowed.includes(value as T)) {
			this.fail(field, `${describe(value)} is not a supported value`, allowed.join(', '));
		}
		return value as T;
	}

	integer(field: string, value: unknown, rules: { min?: number; max?: number; allowed?: readonly number[] } = {}): number {
		const number = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
		const allowedText =
			rules.allowed?.join(', ') ??
			(rules.min !== undefined && rules.max !== undefined ? `a whole number from ${rules.min} to ${rules.max}` : 'a whole number');
		if (typeof number !== 'number' || !Number.isInteger(number)) this.fail(field, `${describe(value)} is not a whole number`, allowedText);
		if (rules.allowed && !rules.allowed.includes(number)) this.fail(field, `${number} is not allowed here`, allowedText);
		if (rules.min !== undefined && number < rules.min) this.fail(field, `${number} is too small`, allowedText);
		if (rules.max !== undefined && number > rules.max) this.fail(field, `${number} is too large`, allowedText);
		return number;
	}

	boolean(field: string, value: unknown): boolean {
		if (typeof value !== 'boolean') this.fail(field, `${describe(value)} is not true or false`, 'true, false');
		return value;
	}

	/**
	 * A list of strings: an array, or text separated by commas or new lines (what users type or map
	 * from a spreadsheet cell). Empty entries are dropped, duplicates kept once.
	 */
	list(field: string, value: unknown, rules: { min?: number; max?: number; itemMax?: number } = {}): string[] {
		let entries: unknown[];
		if (value === undefined || value === null || value === '') entries = [];
		else if (Array.isArray(value)) entries = value;
		else if (typeof value === 'string') entries = value.split(/[,\n]/);
		else this.fail(field, `must be a list or comma-separated text, got ${kindOf(value)}`, 'a list of texts, or texts separated by commas or new lines');
		const out: string[] = [];
		for (const entry of entries) {
			if (typeof entry !== 'string' && typeof entry !== 'number') {
				this.fail(field, `contains ${kindOf(entry)}, not text`, 'a list of texts, or texts separated by commas or new lines');
			}
			const text = String(entry).trim();
			if (text === '') continue;
			if (rules.itemMax !== undefined && text.length > rules.itemMax) {
				this.fail(field, `an entry is too long (${text.length} characters)`, `at most ${rules.itemMax} characters each`);
			}
			if (!out.includes(text)) out.push(text);
		}
		const countRule =
			rules.max !== undefined ? `${rules.min ?? 0} to ${rules.max} entries` : rules.min !== undefined ? `at least ${rules.min} entries` : undefined;
		if (rules.min !== undefined && out.length < rules.min) this.fail(field, `has ${out.length} entries`, countRule);
		if (rules.max !== undefined && out.length > rules.max) this.fail(field, `has ${out.length} entries`, countRule);
		return out;
	}

	/** Every entry of a list must be one of the allowed values. */
	listOf<T extends string>(field: string, value: unknown, allowed: readonly T[], rules: { min?: number; max?: number } = {}): T[] {
		const entries = this.list(field, value, rules);
		for (const entry of entries) {
			if (!allowed.includes(entry as T)) this.fail(field, `"${entry}" is not a supported value`, allowed.join(', '));
		}
		return entries as T[];
	}

	private lengthRule(rules: { min?: number; max?: number }): string | undefined {
		if (rules.min !== undefined && rules.max !== undefined) return `${rules.min} to ${rules.max} characters`;
		if (rules.max !== undefined) return `at most ${rules.max} characters`;
		if (rules.min !== undefined) return `at least ${rules.min} characters`;
		return undefined;
	}
}

function kindOf(value: unknown): string {
	if (value === null) return 'null';
	if (Array.isArray(value)) return 'a list';
	return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

function describe(value: unknown): string {
	if (typeof value === 'string') return `"${value.length > 60 ? value.slice(0, 60) + '…' : value}"`;
	if (typeof value === 'number' || typeof value === 'boolean') return String(value);
	return kindOf(value);
}
