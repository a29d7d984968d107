// Publish, Schedule and Cancel Publish when PowerPost's answer is lost: exact outcomes from the post
// before the node acted and from what was asked. Mocked transport: every request is recorded.
import type { IDataObject, IExecuteFunctions, IHttpRequestOptions, INode } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import { actOnce } from '../../nodes/PowerPost/actions/post/actOnce';
import type { PostAction } from '../../nodes/PowerPost/actions/post/actOnce';
import { cancelRefusal } from '../../nodes/PowerPost/actions/post/cancelPublish.operation';
import { notDraft } from '../../nodes/PowerPost/actions/post/common';
import { isScheduledFor } from '../../nodes/PowerPost/actions/post/schedule.operation';

// The re-reads wait for real (about 5 s when they never catch up).
jest.setTimeout(30_000);

const node: INode = { id: '1', name: 'PowerPost', type: 'n8n-nodes-powerpost.powerPost', typeVersion: 1, position: [0, 0], parameters: {} };

type Answer = { statusCode: number; body?: IDataObject } | 'drop';
const ok = (body: IDataObject): Answer => ({ statusCode: 200, body });
const lost502: Answer = { statusCode: 502, body: { error: { code: 'INTERNAL_ERROR', message: 'Bad gateway' } } };
const conflict = (code: string, message: string): Answer => ({ statusCode: 409, body: { error: { code, message } } });

/** A transport answering GETs (reads of the post) and POSTs (the action) from two queues. */
function transport(reads: Answer[], posts: Answer[], signal?: AbortSignal) {
	const requests: string[] = [];
	const answer = (a: Answer | undefined) => {
		if (a === undefined) throw new Error('unexpected request');
		if (a === 'drop') throw Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
		return { statusCode: a.statusCode, headers: {}, body: JSON.stringify(a.body ?? {}) };
	};
	const ctx = {
		getNode: () => node,
		getCredentials: async () => ({ apiKey: 'pp_live_sk_unit', workspaceId: 'ws', baseUrl: 'http://api.test/api/v1' }),
		getExecutionCancelSignal: () => signal,
		helpers: {
			httpRequestWithAuthentication: async (_type: string, options: IHttpRequestOptions) => {
				const path = String(options.url).replace('http://api.test/api/v1', '');
				requests.push(`${options.method} ${path}${options.body ? ` ${JSON.stringify(options.body)}` : ''}`);
				return answer(options.method === 'GET' ? reads.shift() : posts.shift());
			},
		},
	} as unknown as IExecuteFunctions;
	return { ctx, requests };
}

const AT = '2026-12-05T09:00:00Z';
const publish: PostAction = {
	name: 'Publish',
	postId: 'p1',
	itemIndex: 0,
	call: { method: 'POST', path: '/posts/p1/publish', itemIndex: 0 },
	refusal: (post) => (post.status === 'draft' ? undefined : notDraft('p1', post)),
	reached: (post) => ['publishing', 'published', 'failed'].includes(String(post.status)),
	expected: 'status publishing, published or failed',
};
const schedule: PostAction = {
	name: 'Schedule',
	postId: 'p1',
	itemIndex: 0,
	call: { method: 'POST', path: '/posts/p1/schedule', body: { scheduled_at: AT }, itemIndex: 0 },
	refusal: (post) => (post.status === 'draft' ? undefined : notDraft('p1', post)),
	reached: (post) => isScheduledFor(post, AT),
	expected: `status scheduled for ${AT}`,
};
const cancel: PostAction = {
	name: 'Cancel Publish',
	postId: 'p1',
	itemIndex: 0,
	call: { method: 'POST', path: '/posts/p1/cancel-publish', itemIndex: 0 },
	refusal: (post) => cancelRefusal('p1', post),
	reached: (post) => post.status === 'draft',
	expected: 'status draft',
};

const draft = { post_id: 'p1', status: 'draft', scheduled_at: null, items: [{ status: 'draft' }] };
const scheduledFor = (at: string) => ({ ...draft, status: 'scheduled', scheduled_at: at });
const GET = 'GET /posts/p1';

async function rejection(promise: Promise<unknown>): Promise<NodeApiError> {
	try {
		await promise;
	} catch (error) {
		return error as NodeApiError;
	}
	throw new Error('it succeeded');
}

describe('answers that arrive', () => {
	test('the post is read first, then the action is sent once; its answer is the output', async () => {
		const { ctx, requests } = transport([ok(draft)], [ok({ post_id: 'p1', status: 'publishing' })]);
		await expect(actOnce(ctx, publish)).resolves.toEqual({ response: { post_id: 'p1', status: 'publishing' } });
		expect(requests).toEqual([GET, 'POST /posts/p1/publish']);
	});

	test('a direct refusal (409) is passed on as it is: no reads after it, no resend', async () => {
		const { ctx, requests } = transport([ok(scheduledFor('2026-12-02T09:00:00Z'))], [conflict('ALREADY_PUBLISHED', 'Post p1 is scheduled')]);
		const error = await rejection(actOnce(ctx, schedule));
		expect(error.message).toBe('PowerPost: Post p1 is scheduled [ALREADY_PUBLISHED]');
		expect(requests).toEqual([GET, `POST /posts/p1/schedule {"scheduled_at":"${AT}"}`]);
	});

	test('a post that cannot be read first (a key without posts:read) is still acted on', async () => {
		const { ctx, requests } = transport([{ statusCode: 403, body: { error: { code: 'INSUFFICIENT_SCOPE', message: 'posts:read' } } }], [ok(draft)]);
		await expect(actOnce(ctx, cancel)).resolves.toEqual({ response: draft });
		expect(requests).toEqual([GET, 'POST /posts/p1/cancel-publish']);
	});
});

describe('a lost answer and a post that was not in a state the action applies to: PowerPost\'s own error', () => {
	test('Schedule for 12-05 on a post already scheduled for 12-02: 409 ALREADY_PUBLISHED, not success', async () => {
		const { ctx, requests } = transport([ok(scheduledFor('2026-12-02T09:00:00Z'))], [lost502]);
		const error = await rejection(actOnce(ctx, schedule));
		expect(error).toBeInstanceOf(NodeApiError);
		expect(error.message).toBe('PowerPost: Post p1 is scheduled for 2026-12-02T09:00:00Z; only draft posts can be published or scheduled [ALREADY_PUBLISHED]');
		expect(error.httpCode).toBe('409');
		expect(error.context.failure).toMatchObject({ code: 'ALREADY_PUBLISHED', status: 409 });
		expect(error.description).toMatch(/answer to POST \/posts\/p1\/schedule was lost \(http-502\)\. The post was scheduled for 2026-12-02T09:00:00Z before this node acted/);
		expect(requests).toEqual([GET, `POST /posts/p1/schedule {"scheduled_at":"${AT}"}`]);
	});

	test('Publish on a post that was already published (answer lost: 504): 409 ALREADY_PUBLISHED', async () => {
		const { ctx } = transport([ok({ ...draft, status: 'published' })], [{ statusCode: 504 }]);
		const error = await rejection(actOnce(ctx, publish));
		expect(error.message).toBe('PowerPost: Post p1 is published; only draft posts can be published or scheduled [ALREADY_PUBLISHED]');
		expect(error.httpCode).toBe('409');
	});

	test('Cancel Publish on a plain draft (answer lost: 502): 409 INVALID_STATE', async () => {
		const { ctx, requests } = transport([ok(draft)], [lost502]);
		const error = await rejection(actOnce(ctx, cancel));
		expect(error.message).toBe('PowerPost: Post p1 is a draft; there is no scheduled or running publish to cancel [INVALID_STATE]');
		expect(error.httpCode).toBe('409');
		expect(error.context.failure).toMatchObject({ code: 'INVALID_STATE' });
		expect(requests).toEqual([GET, 'POST /posts/p1/cancel-publish']);
	});

	test('Cancel Publish on a post whose items are posting: 409 ALREADY_PUBLISHED', () => {
		expect(cancelRefusal('p1', { status: 'publishing', items: [{ status: 'posting' }, { status: 'draft' }] })).toMatchObject({ code: 'ALREADY_PUBLISHED' });
		expect(cancelRefusal('p1', { status: 'publishing', items: [{ status: 'draft' }] })).toBeUndefined();
		expect(cancelRefusal('p1', { status: 'scheduled' })).toBeUndefined();
		expect(cancelRefusal('p1', { status: 'published' })).toMatchObject({ code: 'ALREADY_PUBLISHED' });
	});
});

describe('a lost answer after the action applied', () => {
	test('Schedule: the read shows the same instant in another notation: success, not resent', async () => {
		const { ctx, requests } = transport([ok(draft), ok(scheduledFor('2026-12-05T10:00:00.000+01:00'))], [lost502]);
		await expect(actOnce(ctx, schedule)).resolves.toEqual({ post: scheduledFor('2026-12-05T10:00:00.000+01:00'), recoveredAfter: 'http-502' });
		expect(requests).toEqual([GET, `POST /posts/p1/schedule {"scheduled_at":"${AT}"}`, GET]);
	});

	test('Schedule: the post is now scheduled for another time (someone else): 409, not success', async () => {
		const { ctx } = transport([ok(draft), ok(scheduledFor('2026-12-02T09:00:00Z'))], ['drop']);
		const error = await rejection(actOnce(ctx, schedule));
		expect(error.message).toMatch(/is scheduled for 2026-12-02T09:00:00Z; only draft posts .* \[ALREADY_PUBLISHED\]$/);
		expect(error.description).toMatch(/was draft before this node acted and is now scheduled for 2026-12-02T09:00:00Z/);
	});

	test('Publish: a dropped connection and a post now publishing: success', async () => {
		const { ctx, requests } = transport([ok(draft), ok({ ...draft, status: 'publishing' })], ['drop']);
		await expect(actOnce(ctx, publish)).resolves.toMatchObject({ post: { status: 'publishing' }, recoveredAfter: 'network' });
		expect(requests.filter((r) => r.startsWith('POST'))).toHaveLength(1);
	});

	test('Cancel Publish with lagging reads: re-read, sent once more, refused (409), then the read shows the draft: success', async () => {
		const scheduled = scheduledFor(AT);
		const { ctx, requests } = transport(
			[ok(scheduled), ok(scheduled), ok(scheduled), ok(scheduled), ok(draft)],
			[lost502, conflict('INVALID_STATE', 'Post p1 is a draft')],
		);
		await expect(actOnce(ctx, cancel)).resolves.toEqual({ post: draft, recoveredAfter: 'http-502' });
		expect(requests).toEqual([GET, 'POST /posts/p1/cancel-publish', GET, GET, GET, 'POST /posts/p1/cancel-publish', GET]);
	});

	test('a server that answers the resend with 400 instead of 409: one more read decides (success when it shows the outcome)', async () => {
		const scheduled = scheduledFor(AT);
		const { ctx, requests } = transport(
			[ok(scheduled), ok(scheduled), ok(scheduled), ok(scheduled), ok(draft)],
			[lost502, { statusCode: 400, body: { error: { code: 'VALIDATION_ERROR', message: 'Post is not scheduled' } } }],
		);
		await expect(actOnce(ctx, cancel)).resolves.toEqual({ post: draft, recoveredAfter: 'http-502' });
		expect(requests).toEqual([GET, 'POST /posts/p1/cancel-publish', GET, GET, GET, 'POST /posts/p1/cancel-publish', GET]);
	});

	test('Schedule with reads that never catch up: "outcome unknown", naming the post and what to check; sent at most twice', async () => {
		const { ctx, requests } = transport(Array.from({ length: 6 }, () => ok(draft)), [lost502, conflict('ALREADY_PUBLISHED', 'Post p1 is scheduled')]);
		const error = await rejection(actOnce(ctx, schedule));
		expect(error).toBeInstanceOf(NodeApiError);
		expect(error.message).toBe(
			`Outcome unknown: Schedule of post p1. PowerPost's answer to POST /posts/p1/schedule was lost (http-502) and the post reads as draft. Check the post with Post → Get: status scheduled for ${AT} means it worked.`,
		);
		expect(error.description).toMatch(/read 5 times over about 5 s/);
		expect(error.context.failure).toMatchObject({ code: 'OUTCOME_UNKNOWN', postId: 'p1', postStatus: 'draft' });
		expect(requests.filter((r) => r.startsWith('POST'))).toHaveLength(2);
		expect(requests.filter((r) => r === GET)).toHaveLength(6);
	});
});

describe('a lost answer when the action did not happen', () => {
	test('the post stays a draft: re-read, then sent exactly once more; its answer is the output', async () => {
		const { ctx, requests } = transport([ok(draft), ok(draft), ok(draft), ok(draft)], [lost502, ok({ post_id: 'p1', status: 'publishing' })]);
		await expect(actOnce(ctx, publish)).resolves.toEqual({ response: { post_id: 'p1', status: 'publishing' }, recoveredAfter: 'http-502' });
		expect(requests).toEqual([GET, 'POST /posts/p1/publish', GET, GET, GET, 'POST /posts/p1/publish']);
	});

	test('a refusal of the resend for another reason (402) is that answer', async () => {
		const { ctx } = transport([ok(draft), ok(draft), ok(draft), ok(draft), ok(draft)], [lost502, { statusCode: 402, body: { error: { code: 'INSUFFICIENT_CREDITS', message: 'Insufficient credits' } } }]);
		const error = await rejection(actOnce(ctx, publish));
		expect(error.message).toBe('PowerPost: Insufficient credits [INSUFFICIENT_CREDITS]');
	});

	test('without the state before (the first read failed), a post showing the outcome is "outcome unknown", not success', async () => {
		const { ctx } = transport([{ statusCode: 404, body: { error: { code: 'NOT_FOUND', message: 'Not found' } } }, ok({ ...draft, status: 'publishing' })], [lost502]);
		const error = await rejection(actOnce(ctx, publish));
		expect(error.message).toMatch(/^Outcome unknown: Publish of post p1\. .* the post reads as publishing\./);
		expect(error.description).toMatch(/could not be read before this node acted/);
	});
});

describe('cancelling the execution', () => {
	test('stops during the re-reads, with nothing more sent', async () => {
		const controller = new AbortController();
		const { ctx, requests } = transport([ok(draft), ok(draft), ok(draft)], [lost502], controller.signal);
		setTimeout(() => controller.abort(), 100);
		const error = await rejection(actOnce(ctx, publish));
		expect(error.message).toBe('The execution was cancelled while waiting');
		expect(requests).toEqual([GET, 'POST /posts/p1/publish', GET]);
	});
});

describe('isScheduledFor compares instants', () => {
	test.each([
		[{ status: 'scheduled', scheduled_at: '2026-12-05T09:00:00.000Z' }, true],
		[{ status: 'scheduled', scheduled_at: '2026-12-05T04:00:00-05:00' }, true],
		[{ status: 'scheduled', scheduled_at: '2026-12-05T09:00:01Z' }, false],
		[{ status: 'scheduled' }, true],
		[{ status: 'publishing', scheduled_at: '2026-12-05T09:00:00Z' }, true],
		[{ status: 'publishing', scheduled_at: null }, false],
		[{ status: 'draft', scheduled_at: '2026-12-05T09:00:00Z' }, false],
	])('%j → %s', (post, expected) => {
		expect(isScheduledFor(post as IDataObject, AT)).toBe(expected);
	});
});
