/**
 * Captures everything n8n's logger (the `Logger` from @n8n/backend-common, which
 * n8n-core, `LoggerProxy` and `this.logger` in nodes all go through) writes.
 * The console transport is replaced: nothing is printed unless
 * HARNESS_PRINT_LOGS=1.
 */
import './env'; // before n8n-core loads
import { Logger } from '@n8n/backend-common';
import { Container } from '@n8n/di';
import { LoggerProxy } from 'n8n-workflow';

const lines: string[] = [];
let installed = false;

function stringify(value: unknown): string {
	const seen = new WeakSet<object>();
	try {
		return JSON.stringify(value, (_key, v: unknown) => {
			if (typeof v === 'bigint') return v.toString();
			if (v instanceof Error) return { name: v.name, message: v.message, stack: v.stack };
			if (Buffer.isBuffer(v)) return `<Buffer ${v.length} bytes>`;
			if (v && typeof v === 'object') {
				if (seen.has(v)) return '[Circular]';
				seen.add(v);
			}
			return v;
		});
	} catch {
		return String(value);
	}
}

export function installLogCapture(): Logger {
	const logger = Container.get(Logger);
	if (installed) return logger;
	const sink = {
		log(level: string, message: unknown, meta?: Record<string, unknown>) {
			const metaText = meta && Object.keys(meta).length ? ` ${stringify(meta)}` : '';
			const line = `${level}: ${typeof message === 'string' ? message : stringify(message)}${metaText}`;
			lines.push(line);
			if (process.env.HARNESS_PRINT_LOGS === '1') process.stderr.write(`[n8n] ${line}\n`);
			return sink;
		},
		child() {
			return sink;
		},
	};
	// setInternalLogger is private in the typings; it swaps the winston logger behind every call
	(logger as unknown as { setInternalLogger(l: unknown): void }).setInternalLogger(sink);
	LoggerProxy.init(logger);
	installed = true;
	return logger;
}

/** Index to pass to `logsSince` later. */
export function logMark(): number {
	return lines.length;
}

export function logsSince(mark: number): string[] {
	return lines.slice(mark);
}

/** Every captured line since the process (test file) started. */
export function allLogs(): string[] {
	return [...lines];
}

export function clearLogs(): void {
	lines.length = 0;
}
