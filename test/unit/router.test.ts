// The router's own behaviour (dispatch, one call per item, pairing, unknown operations,
// continueOnFail), with a mocked IExecuteFunctions and spied operations: no HTTP.
import type { IExecuteFunctions, INode, INodeExecutionData } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { resources } from '../../nodes/PowerPost/actions/resources';
import { router } from '../../nodes/PowerPost/actions/router';

const node: INode = {
	id: 'n1',
	name: 'PowerPost',
	type: 'n8n-nodes-powerpost.powerPost',
	typeVersion: 1,
	position: [0, 0],
	parameters: {},
};

type Params = Record<string, unknown>;

/** A minimal execute context: per-item parameters, input items and the continueOnFail switch. */
function mockContext(params: Params | Params[], count = 1, continueOnFail = false) {
	const perItem = Array.isArray(params) ? params : Array.from({ length: count }, () => params);
	const ctx = {
		getInputData: jest.fn((): INodeExecutionData[] => perItem.map((_, i) => ({ json: { row: i } }))),
		getNodeParameter: jest.fn((name: string, itemIndex: number) => perItem[itemIndex][name]),
		getNode: jest.fn(() => node),
		continueOnFail: jest.fn(() => continueOnFail),
	};
	return ctx as typeof ctx & IExecuteFunctions;
}

afterEach(() => jest.restoreAllMocks());

describe('PowerPost router', () => {
	test('dispatches to the operation of the chosen resource with the item index', async () => {
		const execute = jest.spyOn(resources.post.operations.get, 'execute').mockResolvedValue({ post_id: 'p1' });
		const other = jest.spyOn(resources.calendar.operations.get, 'execute');
		const ctx = mockContext({ resource: 'post', operation: 'get' });

		const result = await router.call(ctx);

		expect(execute).toHaveBeenCalledTimes(1);
		expect(execute).toHaveBeenCalledWith(0);
		expect(execute.mock.contexts[0]).toBe(ctx);
		expect(other).not.toHaveBeenCalled();
		expect(result).toEqual([[{ json: { post_id: 'p1' }, pairedItem: { item: 0 } }]]);
	});

	test('the "delete" operation (a reserved word) is reachable', async () => {
		const execute = jest.spyOn(resources.calendar.operations.delete, 'execute').mockResolvedValue({ deleted: true, entry_id: 'e1' });
		const [items] = await router.call(mockContext({ resource: 'calendar', operation: 'delete' }));
		expect(execute).toHaveBeenCalledTimes(1);
		expect(items[0].json).toEqual({ deleted: true, entry_id: 'e1' });
	});

	test('runs the operation once per input item and pairs each output with its input', async () => {
		const execute = jest.spyOn(resources.post.operations.publish, 'execute').mockImplementation(async (i: number) => ({ run: i }));
		const [items] = await router.call(mockContext({ resource: 'post', operation: 'publish' }, 3));

		expect(execute.mock.calls).toEqual([[0], [1], [2]]);
		expect(items).toEqual([
			{ json: { run: 0 }, pairedItem: { item: 0 } },
			{ json: { run: 1 }, pairedItem: { item: 1 } },
			{ json: { run: 2 }, pairedItem: { item: 2 } },
		]);
	});

	test('a list answer becomes one output item per entry, all paired to their input', async () => {
		jest.spyOn(resources.analytics.operations.getForPost, 'execute').mockImplementation(async (i: number) => [
			{ item: `a${i}` },
			{ item: `b${i}` },
		]);
		const [items] = await router.call(mockContext({ resource: 'analytics', operation: 'getForPost' }, 2));
		expect(items.map((item) => [item.json.item, item.pairedItem])).toEqual([
			['a0', { item: 0 }],
			['b0', { item: 0 }],
			['a1', { item: 1 }],
			['b1', { item: 1 }],
		]);
	});

	test('each item may pick another resource and operation (expressions)', async () => {
		const create = jest.spyOn(resources.calendar.operations.create, 'execute').mockResolvedValue({ kind: 'entry' });
		const getMany = jest.spyOn(resources.post.operations.getMany, 'execute').mockResolvedValue([]);
		const [items] = await router.call(
			mockContext([
				{ resource: 'calendar', operation: 'create' },
				{ resource: 'post', operation: 'getMany' },
			]),
		);
		expect(create).toHaveBeenCalledWith(0);
		expect(getMany).toHaveBeenCalledWith(1);
		expect(items).toEqual([{ json: { kind: 'entry' }, pairedItem: { item: 0 } }]);
	});

	test('an unknown operation is an error that names it and its resource', async () => {
		const ctx = mockContext({ resource: 'post', operation: 'explode' });
		await expect(router.call(ctx)).rejects.toThrow(NodeOperationError);
		await expect(router.call(ctx)).rejects.toThrow(/"explode".*"post"/);
	});

	test('with continueOnFail off, an API error stops the node and carries the item index', async () => {
		jest
			.spyOn(resources.post.operations.get, 'execute')
			.mockResolvedValueOnce({ ok: true })
			.mockRejectedValueOnce(new NodeApiError(node, { message: 'Not found' }, { message: 'PowerPost: Post not found [NOT_FOUND]' }));
		const error = await router.call(mockContext({ resource: 'post', operation: 'get' }, 3)).catch((e: unknown) => e);
		expect(error).toBeInstanceOf(NodeApiError);
		expect((error as NodeApiError).message).toBe('PowerPost: Post not found [NOT_FOUND]');
		expect((error as NodeApiError).context.itemIndex).toBe(1);
	});

	test('with continueOnFail off, an input error keeps its message and item index', async () => {
		jest.spyOn(resources.calendar.operations.update, 'execute').mockRejectedValue(new NodeOperationError(node, 'Update Fields: nothing to change'));
		const error = await router.call(mockContext({ resource: 'calendar', operation: 'update' })).catch((e: unknown) => e);
		expect(error).toBeInstanceOf(NodeOperationError);
		expect((error as NodeOperationError).message).toBe('Update Fields: nothing to change');
		expect((error as NodeOperationError).context.itemIndex).toBe(0);
	});

	test('with continueOnFail on, the failing item becomes an error item and the others go on', async () => {
		const execute = jest
			.spyOn(resources.post.operations.schedule, 'execute')
			.mockRejectedValueOnce(new NodeOperationError(node, 'Scheduled At: 2020-01-01T00:00:00Z is in the past'))
			.mockResolvedValueOnce({ status: 'scheduled' });
		const [items] = await router.call(mockContext({ resource: 'post', operation: 'schedule' }, 2, true));

		expect(execute).toHaveBeenCalledTimes(2);
		expect(items).toHaveLength(2);
		expect(items[0].json.error).toBe('Scheduled At: 2020-01-01T00:00:00Z is in the past');
		expect(items[0].pairedItem).toEqual({ item: 0 });
		expect(items[1]).toEqual({ json: { status: 'scheduled' }, pairedItem: { item: 1 } });
	});

	test('with continueOnFail on, an unknown operation is an error item too', async () => {
		const [items] = await router.call(mockContext({ resource: 'calendar', operation: 'archive' }, 1, true));
		expect(items[0].json.error).toMatch(/"archive"/);
		expect(items[0].pairedItem).toEqual({ item: 0 });
	});
});
