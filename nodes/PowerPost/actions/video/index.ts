import type { Resource } from '../types';

// Scaffold: the operations of this resource are being written (see issue 3).
export const video: Resource = {
	description: [],
	operations: {},
};
