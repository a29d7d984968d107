/**
 * PostEverywhere Trigger cost beside the PowerPost Trigger's (`BENCH_ONLY=pe-trigger npm run bench`),
 * per sandbox profile: requests of the activation poll, per idle poll (history of n posts) and of
 * the poll that picks up k new results, and the node's static data over a simulated day at 100 and
 * 5,000 results a day. Every poll runs through n8n-core's PollContext (harness runPoll) over HTTP.
 */
import type { IDataObject } from 'n8n-workflow';

import { startPostEverywhereSandbox, type PostEverywhereSandbox, type ProfileName } from '../sandbox/posteverywhere/server';
import { runPoll } from '../test/harness';
import type { StateFigure, TriggerFigure } from './trigger';

const MIN = 60_000;
const TIMING = { publishQueue: 10, publishAttempt: 10 };
const f = (value: number | undefined, digits = 2) => (value === undefined || !Number.isFinite(value) ? '–' : value.toFixed(digits));

/** A day's static data, with the part that stays 30 days (failures) and what 30 such days leave. */
export interface PeStateFigure extends StateFigure {
	/** JSON bytes of the failure memory at the day's end (one day of failures). */
	failureBytes: number;
	/** Computed, not run: the day's end plus 29 more days of failures at the same rate (publication keys stay 6 h). */
	after30Days: number;
}

export interface PeTriggerFigure {
	profile: ProfileName;
	history: number;
	activationRequests: number;
	/** Mean over the idle polls (20 in a row, plus one after each k-batch). */
	idleRequests: number;
	idleMax: number;
	withNew: Array<{ k: number; requests: number; events: number; expected: number }>;
}

async function sandbox(profile: ProfileName, history: number, timing: IDataObject = {}): Promise<PostEverywhereSandbox> {
	const pe = await startPostEverywhereSandbox({ port: 'auto', uploadPort: 'auto', profile, rateLimit: false, tickMs: 0, timing: { ...TIMING, ...timing } });
	await pe.control('POST', '/seed-posts', { n: history });
	return pe;
}

/** One trigger polling the sandbox; static data kept between polls as n8n keeps it (JSON). */
function poller(pe: PostEverywhereSandbox, workflowId: string) {
	const credentials = { postEverywhereRestApi: { apiKey: pe.keys.full, baseUrl: pe.url } };
	let staticData: IDataObject = {};
	return {
		get bytes() {
			return JSON.stringify(staticData).length;
		},
		/** Bytes of the failures the trigger remembers 30 days (its `failures` part). */
		get failureBytes() {
			const state = (staticData.postEverywhereTrigger as { state?: { failures?: unknown } } | undefined)?.state;
			return JSON.stringify(state?.failures ?? {}).length;
		},
		async poll() {
			const before = pe.requests().length;
			const result = await runPoll({ nodeType: 'postEverywhereTrigger', parameters: { events: ['published', 'failed'] }, credentials, staticData, workflowId });
			if (result.error) throw result.error;
			staticData = JSON.parse(JSON.stringify(result.staticData)) as IDataObject;
			return { requests: pe.requests().length - before, events: result.items?.[0]?.length ?? 0 };
		},
	};
}

/** k posts, each to `accounts` accounts, published now (every `failEvery`-th fails on X); settled (sandbox clock) before returning. */
async function publish(pe: PostEverywhereSandbox, k: number, accounts = 1, failEvery = 0, from = 0): Promise<void> {
	const ids = [pe.accounts.linkedin, pe.accounts.x, pe.accounts.facebook].slice(0, accounts);
	for (let i = 0; i < k; i++) {
		await fetch(`${pe.url}/posts`, {
			method: 'POST',
			headers: { Authorization: `Bearer ${pe.keys.full}`, 'Content-Type': 'application/json' },
			body: JSON.stringify({ content: `bench ${k}-${i}${failEvery && (from + i) % failEvery === 0 ? ' [fail:x]' : ''}`, account_ids: ids }),
		});
	}
	pe.advanceClock(100);
}

export async function benchPeTrigger(histories: number[], ks: number[], log: (line: string) => void): Promise<PeTriggerFigure[]> {
	const figures: PeTriggerFigure[] = [];
	for (const profile of ['strict', 'generous'] as ProfileName[]) {
		for (const history of histories) {
			const pe = await sandbox(profile, history);
			try {
				const trigger = poller(pe, `pe${profile[0]}${history}`);
				const activation = await trigger.poll();
				const idle: number[] = [];
				for (let i = 0; i < 20; i++) {
					pe.advanceClock(MIN);
					idle.push((await trigger.poll()).requests);
				}
				const withNew: PeTriggerFigure['withNew'] = [];
				for (const k of ks) {
					await publish(pe, k);
					pe.advanceClock(MIN);
					withNew.push({ k, ...(await trigger.poll()), expected: k });
					// the next poll is idle but still inside the overlap of these k posts
					pe.advanceClock(MIN);
					idle.push((await trigger.poll()).requests);
				}
				const figure: PeTriggerFigure = { profile, history, activationRequests: activation.requests, idleRequests: idle.reduce((a, b) => a + b, 0) / idle.length, idleMax: Math.max(...idle), withNew };
				log(`posteverywhere trigger: ${JSON.stringify(figure)}`);
				figures.push(figure);
			} finally {
				await pe.stop();
			}
		}
	}
	return figures;
}

/** Share of posts whose X destination fails (for good: one attempt) in the simulated day. */
export const FAIL_EVERY = 10;

/** A simulated day (sandbox clock): posts to 2 accounts published throughout (1 in `FAIL_EVERY` fails on X), a poll every 5 minutes, 1,000 posts of history. */
export async function benchPeTriggerState(resultsPerDay: number[], log: (line: string) => void): Promise<PeStateFigure[]> {
	const figures: PeStateFigure[] = [];
	for (const profile of ['strict', 'generous'] as ProfileName[]) {
		for (const perDay of resultsPerDay) {
			const pe = await sandbox(profile, 1000, { maxAttempts: 1 });
			try {
				const trigger = poller(pe, `pes${profile[0]}${perDay}`);
				await trigger.poll();
				const polls = 288;
				let made = 0;
				let emitted = 0;
				let maxBytes = trigger.bytes;
				for (let p = 1; p <= polls; p++) {
					const due = Math.round((perDay / 2) * (p / polls));
					await publish(pe, due - made, 2, FAIL_EVERY, made);
					made = due;
					pe.advanceClock(5 * MIN);
					emitted += (await trigger.poll()).events;
					maxBytes = Math.max(maxBytes, trigger.bytes);
				}
				const failureBytes = trigger.failureBytes;
				const figure: PeStateFigure = { profile, resultsPerDay: perDay, emitted, polls, maxBytes, endBytes: trigger.bytes, failureBytes, after30Days: trigger.bytes + 29 * failureBytes };
				log(`posteverywhere trigger state: ${JSON.stringify(figure)}`);
				figures.push(figure);
			} finally {
				await pe.stop();
			}
		}
	}
	return figures;
}

export function peTriggerSection(pe: PeTriggerFigure[], peStates: PeStateFigure[], pp: TriggerFigure[], ppStates: StateFigure[]): string[] {
	const ppOf = (x: PeTriggerFigure) => pp.find((y) => y.profile === x.profile && y.history === x.history && y.tracked === 0);
	const ppStateOf = (x: StateFigure) => ppStates.find((y) => y.profile === x.profile && y.resultsPerDay === x.resultsPerDay);
	const ks = pe[0]?.withNew.map((w) => w.k) ?? [];
	return [
		'## 6. PostEverywhere Trigger cost and state size, beside the PowerPost Trigger',
		'',
		`Measured ${new Date().toISOString()} (\`BENCH_ONLY=pe-trigger npm run bench\`; both triggers in the same run). Per sandbox profile: PostEverywhere *strict* has no \`has_more\`, no destination ids, \`next_retry_at\` only on the results endpoint, and a destination that settles while its siblings are in flight does not move the post's \`updated_at\`. History seeded with \`/seed-posts\` (finished posts, one minute apart). Idle = mean over 20 idle polls one minute apart plus the poll one minute after each k-batch (max in brackets; that poll re-reads the batch, which is still inside the 5-minute overlap). k new results = k posts to one account, published and settled between two polls. PowerPost figures: its trigger under the same steps (section 2).`,
		'',
		`| Profile | History | Activation poll: PostEverywhere / PowerPost | Idle poll, mean (max): PostEverywhere / PowerPost | ${ks.map((k) => `k = ${k}: requests (events) PostEverywhere / PowerPost`).join(' | ')} |`,
		`|---|---|---|---|${ks.map(() => '---|').join('')}`,
		...pe.map((x) => {
			const y = ppOf(x);
			const cells = x.withNew.map((w) => {
				const z = y?.withNew.find((v) => v.k === w.k);
				return `${w.requests} (${w.events} of ${w.expected}) / ${z ? `${z.requests} (${z.events})` : '–'}`;
			});
			return `| ${x.profile} | ${x.history} | ${x.activationRequests} / ${y?.activationRequests ?? '–'} | ${f(x.idleRequests)} (${x.idleMax}) / ${y ? `${f(y.idleRequests)} (${y.idleMax})` : '–'} | ${cells.join(' | ')} |`;
		}),
		'',
		`Static data (JSON bytes, as n8n stores it) over one simulated day: posts to 2 accounts published throughout (1 post in ${FAIL_EVERY} fails on X, one attempt, so ${100 / FAIL_EVERY / 2}% of results are failures), a poll every 5 minutes, 1,000 posts of history. Publication keys stay 6 hours; failures stay 30 days (8 bytes each, by day): the last column is computed, not run: the day's end plus 29 more days of the day's failure memory. PowerPost: its day of section 2 (posts of 2 items, also 10 drafts and 5 scheduled posts).`,
		'',
		'| Profile | Results / day | Events emitted (expected) | Polls | Largest (bytes): PostEverywhere / PowerPost | At the end (bytes): PostEverywhere / PowerPost | Of which failures (bytes) | After 30 such days (bytes, computed) |',
		'|---|---|---|---|---|---|---|---|',
		...peStates.map((x) => {
			const y = ppStateOf(x);
			return `| ${x.profile} | ${x.resultsPerDay} | ${x.emitted} (${x.resultsPerDay}) | ${x.polls} | ${x.maxBytes} / ${y?.maxBytes ?? '–'} | ${x.endBytes} / ${y?.endBytes ?? '–'} | ${x.failureBytes} | ${x.after30Days} |`;
		}),
	];
}
