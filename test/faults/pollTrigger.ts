/**
 * One active polling trigger inside an n8n that persists the node's static data the way it is told
 * (after every poll, or only at activation and when a poll emits = n8n 2.41's default), restarts
 * every few ticks and sees polls crash midway (a fault on the n-th request of a poll, through
 * test/faults/proxy.ts). Provider-neutral: the caller runs the poll (harness runPoll) and names an
 * event. Used by the trigger fault suites.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';

import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import type { RunPollResult } from '../harness';
import type { FaultProxy, ProxyFault } from './proxy';

export type Save = 'emit' | 'every';
export const SAVES: Save[] = ['emit', 'every'];

const copy = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

export interface PollingTriggerOptions {
	proxy: FaultProxy;
	save: Save;
	/** Workflow id of the first process; each restart gets a new one (a new process's memory is empty). */
	baseId: string;
	/** Runs one poll as n8n does, on the given static data. */
	run(staticData: IDataObject, workflowId: string): Promise<RunPollResult>;
	/** The identity of an emitted item (what counts as a duplicate). */
	keyOf(item: INodeExecutionData): string;
	/** Restart n8n after every `restartEvery` ticks (default 3). */
	restartEvery?: number;
}

export class PollingTrigger {
	memory: IDataObject = {};
	saved: IDataObject = {};
	received = new Map<string, number>();
	polls = 0;
	skipped = 0;
	crashed = 0;
	restarts = 0;
	private tick = 0;
	workflowId: string;

	constructor(readonly options: PollingTriggerOptions) {
		this.workflowId = options.baseId;
	}

	private async run(): Promise<RunPollResult> {
		return await this.options.run(copy(this.memory), this.workflowId);
	}

	/** One tick. `crashAt`: the poll's n-th request fails, nothing is committed, and n8n restarts. Returns the items emitted, or -1 when the poll crashed. */
	async poll(options: { crashAt?: number; fault?: ProxyFault } = {}): Promise<number> {
		const { proxy } = this.options;
		this.tick++;
		proxy.reset();
		if (options.crashAt) proxy.arm(options.crashAt, options.fault ?? '500-persistent');
		const first = Object.keys(this.memory).length === 0;
		const result = await this.run();
		proxy.reset();
		this.polls++;
		if (result.error) {
			if (first) throw result.error; // the activation poll must work here
			this.crashed++;
			this.restart();
			return -1;
		}
		const items = result.items?.[0] ?? [];
		this.memory = copy(result.staticData);
		if (this.options.save === 'every' || first || items.length > 0) this.saved = copy(this.memory);
		for (const item of items) {
			const key = this.options.keyOf(item);
			this.received.set(key, (this.received.get(key) ?? 0) + 1);
		}
		// n8n restarts every few ticks: only what was saved survives
		if (this.tick % (this.options.restartEvery ?? 3) === 0) this.restart();
		return items.length;
	}

	/** A tick that is sure to complete: polls again after a crash (for steps that must be observed). */
	async pollUntilDone(options: { crashAt?: number; fault?: ProxyFault } = {}): Promise<number> {
		const emitted = await this.poll(options);
		return emitted >= 0 ? emitted : await this.poll();
	}

	/**
	 * Two ticks at once: the second starts while the first waits for a slow answer and must return
	 * without emitting. `slowDown` arms the delay on the server.
	 */
	async overlapping(slowDown: () => void): Promise<void> {
		slowDown();
		const slow = this.poll();
		await new Promise((resolve) => setTimeout(resolve, 200));
		const result = await this.run();
		if (result.error) throw result.error;
		if (result.items !== null) throw new Error(`the overlapping tick emitted ${JSON.stringify(result.items)}`);
		this.skipped++;
		await slow;
	}

	restart(): void {
		this.memory = copy(this.saved);
		this.restarts++;
		this.workflowId = `${this.options.baseId}-${this.restarts}`;
	}

	/** Polls (with a crash now and then) until nothing more arrives `quietPolls` times in a row. `busy` says work is left. */
	async drain(busy: (memory: IDataObject) => boolean, maxPolls = 40, quietPolls = 3): Promise<void> {
		let quiet = 0;
		for (let i = 0; i < maxPolls && quiet < quietPolls; i++) {
			const emitted = await this.poll(i % 4 === 1 ? { crashAt: 1 + (i % 3), fault: i % 8 === 1 ? '429-long' : '500-persistent' } : {});
			quiet = emitted === 0 && !busy(this.memory) ? quiet + 1 : 0;
		}
	}

	/** Lost = expected keys never received; duplicates = receipts beyond the first; the rest of what was received is `extra`. */
	tally(expected: Set<string>): { expected: number; lost: number; duplicates: number; extra: string[] } {
		return {
			expected: expected.size,
			lost: [...expected].filter((key) => !this.received.has(key)).length,
			duplicates: [...this.received.values()].reduce((sum, n) => sum + Math.max(0, n - 1), 0),
			extra: [...this.received.keys()].filter((key) => !expected.has(key)),
		};
	}
}

/** Prints a scenario table and writes it to test-artifacts/<file>. */
export function writeTable(title: string, file: string, header: string[], lines: Array<Array<string | number>>, footer: string): void {
	const text = ['', `=== ${title} ===`, header.join(' | '), ...lines.map((cells) => cells.join(' | ')), footer, ''].join('\n');
	process.stdout.write(text);
	const dir = path.join(__dirname, '../../test-artifacts');
	mkdirSync(dir, { recursive: true });
	writeFileSync(path.join(dir, file), text);
}
