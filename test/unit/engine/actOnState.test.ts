// The engine's act-once protocol for a state change, with a provider and resource that are not
// PowerPost's: every message and error key names what the parameters say, and the request is sent
// at most twice (the second only after reads showed the state before).
import type { IDataObject, INode } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import type { ActedResource, StateAction } from '../../../nodes/shared/actOnState';
import { actOnState } from '../../../nodes/shared/actOnState';
import type { Provider } from '../../../nodes/shared/http';

// The re-reads wait for real (about 5 s when they never catch up).
jest.setTimeout(30_000);

const node: INode = { id: '1', name: 'Acme', type: 'test', typeVersion: 1, position: [0, 0], parameters: {} };
const ctx = { getNode: () => node };

const provider: Provider = {
	name: 'Acme',
	credentialType: 'acmeApi',
	baseUrl: () => 'https://api.acme.test/v1',
	secrets: () => [],
	readError: () => ({}),
	explain: (failure) => ({ message: `Acme refused: ${failure.apiMessage ?? failure.kind}`, description: `code ${failure.code ?? 'none'}` }),
};

/** An error as the transport throws it after an answer that may have been acted on. */
function lostAnswer(status = 502): Error {
	return Object.assign(new Error('Bad gateway'), { context: { failure: { kind: 'http', status, ambiguous: true, notResent: true, attempts: 1 } } });
}

function fixture(reads: Array<IDataObject | Error>, sends: Array<IDataObject | Error>) {
	const log: string[] = [];
	const next = (queue: Array<IDataObject | Error>, what: string) => {
		log.push(what);
		const answer = queue.shift();
		if (answer === undefined) throw new Error(`unexpected ${what}`);
		if (answer instanceof Error) throw answer;
		return answer;
	};
	const resource: ActedResource = {
		provider,
		noun: 'video',
		id: 'v1',
		checkWith: 'Video → Get',
		read: async () => next(reads, 'read'),
		status: (state) => String(state.state),
	};
	const action: StateAction = {
		name: 'Render',
		itemIndex: 0,
		call: { method: 'POST', path: '/videos/v1/render', itemIndex: 0 },
		send: async () => next(sends, 'send'),
		refusal: (state) => (state.state === 'idle' ? undefined : { status: 409, code: 'BUSY', message: `Video v1 is ${String(state.state)}` }),
		reached: (state) => state.state === 'rendering',
		expected: 'state rendering',
	};
	return { resource, action, log };
}

async function rejection(promise: Promise<unknown>): Promise<NodeApiError> {
	try {
		await promise;
	} catch (error) {
		return error as NodeApiError;
	}
	throw new Error('expected a rejection');
}

test('an answer that came is the outcome; the resource is read once before', async () => {
	const { resource, action, log } = fixture([{ state: 'idle' }], [{ id: 'v1', state: 'rendering' }]);
	await expect(actOnState(ctx, resource, action)).resolves.toEqual({ response: { id: 'v1', state: 'rendering' } });
	expect(log).toEqual(['read', 'send']);
});

test('a lost answer and a read showing what was asked: success, not resent', async () => {
	const { resource, action, log } = fixture([{ state: 'idle' }, { state: 'rendering' }], [lostAnswer()]);
	await expect(actOnState(ctx, resource, action)).resolves.toEqual({ state: { state: 'rendering' }, recoveredAfter: 'http-502' });
	expect(log).toEqual(['read', 'send', 'read']);
});

test('a resource the action did not apply to before: the provider\'s own refusal, named after the resource', async () => {
	const { resource, action, log } = fixture([{ state: 'done' }], [lostAnswer(504)]);
	const error = await rejection(actOnState(ctx, resource, action));
	expect(error.message).toBe('Acme refused: Video v1 is done');
	expect(error.description).toContain('Acme\'s answer to POST /videos/v1/render was lost (http-504). The video was done before this node acted, a state Acme refuses this request for: nothing was changed.');
	expect(log).toEqual(['read', 'send']);
});

test('reads that never show the outcome: "outcome unknown" naming the provider and the resource; sent at most twice', async () => {
	const idle = { state: 'idle' };
	const { resource, action, log } = fixture([idle, idle, idle, idle, idle, idle], [lostAnswer(), lostAnswer()]);
	const error = await rejection(actOnState(ctx, resource, action));
	expect(error).toBeInstanceOf(NodeApiError);
	expect(error.message).toBe(
		'Outcome unknown: Render of video v1. Acme\'s answer to POST /videos/v1/render was lost (http-502) and the video reads as idle. Check the video with Video → Get: state rendering means it worked.',
	);
	expect(error.description).toContain('if it is still idle, running the node again is safe');
	expect(error.context.failure).toMatchObject({ code: 'OUTCOME_UNKNOWN', videoId: 'v1', videoStatus: 'idle', notResent: true });
	expect(log.filter((entry) => entry === 'send')).toHaveLength(2);
});
