// Errors an AI agent can act on: n8n hands a tool's caller only `error.message`. Every input check
// of every operation (the fault suite's generated bad values for each parameter, plus its hand-written
// cases) must fail before any request with a MESSAGE that names the field and says what is allowed.
// In process (n8n-core's WorkflowExecute via the harness); the Base URL is a closed port, so a
// request, if one were made, would show as a connection error.
import { resources } from '../../nodes/PowerPost/actions/resources';
import { Checker } from '../../nodes/shared/validation';
import { runNode } from '../harness';
import { badCases } from '../faults/badInput';
import type { Ctx } from '../faults/ops';
import { OPERATIONS } from '../faults/ops';
import { errorTextOf, namesField } from '../faults/outcome';

jest.setTimeout(5 * 60_000);

const credentials = { powerPostApi: { apiKey: 'pp_live_sk_unit_only', workspaceId: 'ws_unit', baseUrl: 'http://127.0.0.1:9/api/v1' } };

/** The message alone says what to send instead: "Field: problem. Allowed: …". */
const actionable = (message: string) => /: .+\. Allowed: \S.+/.test(message);

interface Row {
	op: string;
	what: string;
	message: string;
	problem?: string;
}

describe('every input error carries what is allowed in its message', () => {
	test('every parameter of every operation, every generated bad value', async () => {
		const rows: Row[] = [];
		let refusedByN8n = 0;
		const ctx: Ctx = {};
		for (const op of OPERATIONS) {
			const base = op.params(ctx);
			for (const bad of badCases(op, base)) {
				let message = '';
				let problem: string | undefined;
				try {
					const result = await runNode({
						nodeType: 'powerPost',
						parameters: { resource: op.resource, operation: op.operation, ...bad.params },
						credentials,
						input: bad.input ?? op.input?.(ctx),
						timezone: bad.timezone,
					});
					message = errorTextOf(result.error).message;
					if (result.status !== 'error') problem = `status ${result.status}`;
					else if (!namesField(result.error, bad.field)) problem = 'does not name the field';
					else if (/ECONNREFUSED|refused the connection|request to PowerPost/i.test(message)) problem = 'a request was made';
					else if (!actionable(message)) problem = 'no "Allowed: …" in the message';
				} catch (error) {
					// n8n's own check of a required parameter, before the node runs (not the node's message).
					if ((error as Error)?.constructor?.name === 'WorkflowHasIssuesError') {
						refusedByN8n++;
						continue;
					}
					throw error;
				}
				rows.push({ op: op.name, what: bad.what, message, problem });
			}
		}
		const failing = rows.filter((row) => row.problem).map((row) => `${row.op} | ${row.what} | ${row.problem} | ${row.message}`);
		expect(failing).toEqual([]);
		expect(rows.length).toBeGreaterThan(250);
		expect(refusedByN8n).toBeLessThan(rows.length / 5);
	});

	test('covers every operation', () => {
		const names = Object.entries(resources).flatMap(([resource, r]) => Object.keys(r.operations).map((operation) => `${resource}.${operation}`));
		expect(OPERATIONS.map((op) => op.name).sort()).toEqual(names.sort());
	});

	test('the Checker puts the allowed values into the message and keeps them in the description', () => {
		const node = { id: '1', name: 'PowerPost', type: 'n8n-nodes-powerpost.powerPost', typeVersion: 1, position: [0, 0] as [number, number], parameters: {} };
		const check = new Checker(node, 0);
		const cases: Array<() => unknown> = [
			() => check.oneOf('Model', 'gpt-5', ['flux2-flex', 'gpt-image-2']),
			() => check.listOf('Post Types', 'x-post, tiktok-reel', ['x-post', 'tiktok-video']),
			() => check.integer('Quantity', 9, { min: 1, max: 4 }),
			() => check.requiredText('Prompt', ''),
			() => check.text('Title', { a: 1 }),
			() => check.list('Media IDs', 4.5),
			() => check.list('Media IDs', [{}]),
			() => check.boolean('Enhance Prompt', 'yes'),
		];
		const messages = cases.map((run) => {
			try {
				run();
			} catch (error) {
				const { message, description } = errorTextOf(error);
				expect(description).toMatch(/^Allowed: /);
				return message;
			}
			return 'no error';
		});
		expect(messages).toEqual([
			'Model: "gpt-5" is not a supported value. Allowed: flux2-flex, gpt-image-2',
			'Post Types: "tiktok-reel" is not a supported value. Allowed: x-post, tiktok-video',
			'Quantity: 9 is too large. Allowed: a whole number from 1 to 4',
			'Prompt: is required but empty. Allowed: any text that is not empty',
			'Title: must be text, got an object. Allowed: text',
			'Media IDs: must be a list or comma-separated text, got a number. Allowed: a list of texts, or texts separated by commas or new lines',
			'Media IDs: contains an object, not text. Allowed: a list of texts, or texts separated by commas or new lines',
			'Enhance Prompt: "yes" is not true or false. Allowed: true, false',
		]);
		for (const message of messages) expect(actionable(message)).toBe(true);
	});
});
