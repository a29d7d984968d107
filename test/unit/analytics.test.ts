// Pure logic of the Analytics operations.
import { withAvailability } from '../../nodes/PowerPost/actions/analytics/getForPostItem.operation';

describe('withAvailability', () => {
	test('null metrics mean "not fetched yet"', () => {
		expect(withAvailability({ post_item_id: 'i', status: 'posted', metrics: null })).toEqual({
			post_item_id: 'i',
			status: 'posted',
			metrics: null,
			metricsAvailable: false,
		});
	});

	test('a missing metrics field is treated as null', () => {
		expect(withAvailability({ status: 'draft' })).toEqual({ status: 'draft', metrics: null, metricsAvailable: false });
	});

	test('metrics present (zeros included) are available', () => {
		const metrics = { views: 0, likes: 0, comments: 0, fetched_at: '2026-11-22T00:00:00Z' };
		expect(withAvailability({ metrics })).toEqual({ metrics, metricsAvailable: true });
	});
});
