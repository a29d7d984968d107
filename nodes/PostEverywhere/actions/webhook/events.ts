/** Contract §13: the webhook events (the official node's list; the SDK lists the 12 without approvals). */
export const WEBHOOK_EVENTS = [
	'post.scheduled',
	'post.publishing',
	'post.published',
	'post.failed',
	'post.partially_failed',
	'post.updated',
	'post.deleted',
	'post.approval_requested',
	'post.approved',
	'post.changes_requested',
	'account.connected',
	'account.disconnected',
	'account.reconnect_needed',
	'media.uploaded',
	'media.deleted',
] as const;

export const webhookEventOptions = [...WEBHOOK_EVENTS].sort().map((value) => ({ name: value, value }));
