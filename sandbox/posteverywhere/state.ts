// In-memory state of the PostEverywhere sandbox.
import type { StoredObject } from '../core/uploadHost';
import { ACCOUNTS, KEYS, KEY_SCOPES, type DestinationStatus, type PostStatus, type Scope } from './constants';
import type { PlatformContent } from './schemas';

export interface KeyRecord {
	key: string;
	label: string;
	scopes: Set<Scope>;
	revoked: boolean;
	id: string;
	created_at: number;
}

export interface AccountRecord {
	account_id: number;
	platform: string;
	account_name: string;
	is_active: boolean;
	health: 'healthy' | 'warning' | 'broken';
	reasons: string[];
	created_at: number;
}

export interface DestinationRecord {
	id: string;
	account_id: number;
	account_name: string;
	platform: string;
	status: DestinationStatus;
	scheduled_for: number | null;
	published_at: number | null;
	platform_post_id: string | null;
	platform_post_url: string | null;
	error: string | null;
	attempts: number;
	next_retry_at: number | null;
	failed_at: number | null;
	/** sandbox time of the next lifecycle step, or null */
	due: number | null;
}

export interface PostRecord {
	id: string;
	content: string;
	account_ids: number[];
	scheduled_for: number | null;
	timezone: string;
	media_ids: string[];
	platform_content: PlatformContent | null;
	campaign_id: number | null;
	cover_photo: Record<string, unknown> | null;
	draft: boolean;
	/** publishing has started (immediately, at the scheduled time, or by a retry) */
	fired: boolean;
	status: PostStatus;
	destinations: DestinationRecord[];
	manualRetries: number;
	created_at: number;
	updated_at: number;
}

export interface MediaRecord {
	id: string;
	type: 'image' | 'video' | 'document';
	mime_type: string;
	/** declared size (step 1) or measured size */
	file_size: number;
	status: 'uploading' | 'processing' | 'ready' | 'failed';
	original_name: string;
	width: number | null;
	height: number | null;
	duration: number | null;
	source: 'upload' | 'url' | 'ai';
	source_url: string | null;
	/** step 1 slot (uploads only) */
	token: string | null;
	expires_at: number | null;
	stored: StoredObject | null;
	completed: boolean;
	/** sandbox time when processing/uploading ends */
	ready_at: number | null;
	/** end state after processing */
	ends: 'ready' | 'failed';
	created_at: number;
}

export interface CampaignRecord {
	id: number;
	name: string;
	description: string | null;
	color: string;
	status: 'active' | 'archived';
	created_at: number;
	updated_at: number;
}

export interface WebhookRecord {
	id: string;
	url: string;
	events: string[];
	name: string | null;
	description: string | null;
	secret: string;
	is_active: boolean;
	consecutive_failures: number;
	auto_disabled_at: number | null;
	last_delivery_at: number | null;
	last_success_at: number | null;
	last_failure_at: number | null;
	created_at: number;
	updated_at: number;
}

export interface DeliveryAttempt {
	at: number;
	status: number;
	ok: boolean;
	error: string | null;
	duration_ms: number;
	forged?: string;
}

export interface DeliveryRecord {
	id: string;
	webhook_id: string;
	url: string;
	event: string;
	event_id: string;
	body: string;
	state: 'pending' | 'delivered' | 'failed';
	attempts: DeliveryAttempt[];
	next_attempt_at: number | null;
	created_at: number;
}

export interface PeState {
	keys: Map<string, KeyRecord>;
	accounts: Map<number, AccountRecord>;
	posts: Map<string, PostRecord>;
	media: Map<string, MediaRecord>;
	campaigns: Map<number, CampaignRecord>;
	webhooks: Map<string, WebhookRecord>;
	deliveries: DeliveryRecord[];
	nextCampaignId: number;
	credits: { used: number; limit: number; bonus: number };
}

export const ORGANIZATION = { id: 'org_sandbox', name: 'Sandbox Org' };

export function createState(now: number, aiCredits: number): PeState {
	const keys = new Map<string, KeyRecord>();
	for (const [label, key] of Object.entries(KEYS)) {
		const scopes = label === 'revoked' ? ['read', 'write'] : KEY_SCOPES[label as keyof typeof KEY_SCOPES];
		keys.set(key, { key, label, scopes: new Set(scopes as Scope[]), revoked: label === 'revoked', id: `key_${label}`, created_at: now - 90 * 86_400_000 });
	}
	const accounts = new Map<number, AccountRecord>();
	for (const a of ACCOUNTS)
		accounts.set(a.account_id, { ...a, reasons: [...a.reasons], is_active: true, created_at: now - 180 * 86_400_000 + a.account_id * 1000 });
	return {
		keys,
		accounts,
		posts: new Map(),
		media: new Map(),
		campaigns: new Map(),
		webhooks: new Map(),
		deliveries: [],
		nextCampaignId: 101,
		credits: { used: 0, limit: aiCredits, bonus: 0 },
	};
}
