// Shared machinery of the PostEverywhere sandbox: errors in the documented codes, the publishing
// lifecycle on the sandbox clock (§9, §12, §15.3–15.5), serialization, and events for webhooks.
import { randomUUID } from 'node:crypto';
import { iso } from '../core/clock';
import { SandboxError } from '../core/errors';
import type { Switches } from '../core/profiles';
import type { FieldIssue } from '../core/validate';
import { MEGA, UPLOAD_LIMITS } from './limits';
import type { DestinationStatus, PostStatus, SwitchName, Timing } from './constants';
import type { AccountRecord, DestinationRecord, MediaRecord, PeState, PostRecord } from './state';

export const err = {
	validation: (message: string, fields?: FieldIssue[]) => new SandboxError(400, 'validation_error', message, fields ? { fields } : undefined),
	field: (field: string, message: string) => new SandboxError(400, 'validation_error', `${field} ${message}`, { fields: [{ field, message }] }),
	notFound: (what: string) => new SandboxError(404, 'not_found', `${what} not found`),
	conflict: (code: string, message: string) => new SandboxError(409, code, message),
};

export type EmitFn = (event: string, data: Record<string, unknown>, at: number) => void;

export interface EngineOptions {
	state: PeState;
	switches: Switches<SwitchName>;
	timing: Timing;
	emit: EmitFn;
}

export class Engine {
	readonly state: PeState;
	readonly switches: Switches<SwitchName>;
	readonly timing: Timing;
	emit: EmitFn;
	/** origin of the presigned-upload host (set once it listens) */
	uploadUrl: (token: string) => string = () => '';

	constructor(o: EngineOptions) {
		this.state = o.state;
		this.switches = o.switches;
		this.timing = o.timing;
		this.emit = o.emit;
	}

	get mega(): number {
		return this.switches.binaryMegabytes ? MEGA.binary : MEGA.decimal;
	}

	maxBytes(type: 'image' | 'video' | 'document'): number {
		return UPLOAD_LIMITS[type] * this.mega;
	}

	// ------------------------------------------------------------------------------ accounts
	account(id: number): AccountRecord | undefined {
		return this.state.accounts.get(id);
	}

	canPost(a: AccountRecord): boolean {
		return a.is_active && a.health !== 'broken';
	}

	// ------------------------------------------------------------------------------ posts
	post(id: string): PostRecord {
		const p = this.state.posts.get(id);
		if (!p) throw err.notFound('Post');
		return p;
	}

	newDestination(accountId: number, scheduledFor: number | null): DestinationRecord {
		const a = this.state.accounts.get(accountId);
		if (!a) throw err.field('account_ids', `contains unknown account ${accountId}`);
		return {
			id: randomUUID(),
			account_id: a.account_id,
			account_name: a.account_name,
			platform: a.platform,
			status: 'queued',
			scheduled_for: scheduledFor,
			published_at: null,
			platform_post_id: null,
			platform_post_url: null,
			error: null,
			attempts: 0,
			next_retry_at: null,
			failed_at: null,
			due: null,
		};
	}

	/** Start publishing a post at `at` (now or the scheduled time): every queued destination gets a due time. */
	arm(p: PostRecord, at: number): void {
		for (const d of p.destinations) if (d.status === 'queued') d.due = at + this.timing.publishQueue;
	}

	aggregate(p: PostRecord): PostStatus {
		if (p.draft) return 'draft';
		if (!p.fired) return 'scheduled';
		const s = p.destinations.map((d) => d.status);
		if (s.length === 0) return 'published';
		if (s.some((x) => x === 'queued' || x === 'publishing')) return 'publishing';
		if (s.every((x) => x === 'published')) return 'published';
		if (s.every((x) => x === 'failed')) return 'failed';
		return 'partially_failed';
	}

	/** Post-level change at `at`: status recomputed, updated_at moved. */
	touch(p: PostRecord, at: number): void {
		p.status = this.aggregate(p);
		p.updated_at = Math.max(p.updated_at, at);
	}

	/** Bring every post up to `now`, step by step in time order. */
	process(now: number): void {
		for (const p of this.state.posts.values()) {
			if (!p.fired && !p.draft && p.scheduled_for !== null && p.scheduled_for <= now) {
				p.fired = true;
				this.arm(p, p.scheduled_for);
			}
			for (;;) {
				let next: DestinationRecord | undefined;
				for (const d of p.destinations) if (d.due !== null && d.due <= now && (!next || d.due < (next.due as number))) next = d;
				if (!next) break;
				this.step(p, next, next.due as number);
			}
		}
		this.processMedia(now);
	}

	private step(p: PostRecord, d: DestinationRecord, at: number): void {
		const before = p.status;
		if (d.status === 'queued' || d.status === 'failed') {
			this.setDest(p, d, 'publishing', at);
			d.attempts++;
			d.next_retry_at = null;
			d.due = at + this.timing.publishAttempt;
			this.emitDest('post.publishing', p, d, at);
		} else if (d.status === 'publishing') {
			const failure = this.failureFor(p, d);
			if (!failure) {
				this.setDest(p, d, 'published', at);
				d.published_at = at;
				d.platform_post_id = `${d.platform}_${d.id.slice(0, 8)}`;
				d.platform_post_url = `https://${d.platform}.example.com/p/${d.platform_post_id}`;
				d.error = null;
				d.due = null;
				this.emitDest('post.published', p, d, at);
			} else {
				this.setDest(p, d, 'failed', at);
				d.error = failure.message;
				d.failed_at = at;
				const again = failure.retry && d.attempts < this.timing.maxAttempts;
				d.next_retry_at = again ? at + this.timing.retryDelay : null;
				d.due = d.next_retry_at;
				if (!again) this.emitDest('post.failed', p, d, at);
			}
		}
		this.touchIfChanged(p, before, at);
	}

	private setDest(p: PostRecord, d: DestinationRecord, status: DestinationStatus, at: number) {
		d.status = status;
		if (this.switches.destinationChangesBumpUpdatedAt) p.updated_at = Math.max(p.updated_at, at);
	}

	private touchIfChanged(p: PostRecord, before: PostStatus, at: number) {
		const after = this.aggregate(p);
		if (after === before) return;
		this.touch(p, at);
		// once per final outcome: not while an automatic retry is pending (§15.5)
		if (after === 'partially_failed' && p.destinations.every((d) => d.next_retry_at === null)) this.emit('post.partially_failed', this.postEventData(p), at);
	}

	/**
	 * Steering (sandbox-only), read from the post content and its platform overrides:
	 * `[fail]` every attempt fails; `[fail:<platform>]` only that platform; `[flaky]` the first attempt
	 * fails, the automatic retry succeeds; `[fail-once]` all automatic attempts fail, a manual retry
	 * succeeds. An account that cannot post fails at once, without automatic retries (§5.1).
	 */
	private failureFor(p: PostRecord, d: DestinationRecord): { message: string; retry: boolean } | null {
		const a = this.state.accounts.get(d.account_id);
		if (!a || !this.canPost(a)) return { message: 'Token expired. Please reconnect the account in PostEverywhere.', retry: false };
		const text = this.textFor(p, d.platform);
		if (text.includes('[fail]') || text.includes(`[fail:${d.platform}]`)) return { message: 'The platform rejected the post (sandbox [fail])', retry: true };
		if (text.includes('[fail-once]') && p.manualRetries === 0) return { message: 'Rate limit exceeded on platform', retry: true };
		if (text.includes('[flaky]') && d.attempts === 1) return { message: 'Temporary platform error', retry: true };
		return null;
	}

	textFor(p: PostRecord, platform: string): string {
		const override = (p.platform_content as Record<string, { content?: string } | undefined> | null)?.[platform]?.content;
		return `${p.content} ${override ?? ''}`;
	}

	// ------------------------------------------------------------------------------ media lifecycle
	media(id: string): MediaRecord {
		const m = this.state.media.get(id);
		if (!m) throw err.notFound('Media');
		return m;
	}

	private processMedia(now: number): void {
		for (const m of this.state.media.values()) {
			if (m.ready_at === null || m.ready_at > now) continue;
			m.status = m.ends;
			m.ready_at = null;
			if (m.status === 'ready') this.emit('media.uploaded', this.mediaEventData(m), now);
		}
	}

	// ------------------------------------------------------------------------------ serialization
	destination(d: DestinationRecord, inPost: boolean): Record<string, unknown> {
		const out: Record<string, unknown> = {};
		if (this.switches.destinationIds) out.id = d.id;
		Object.assign(out, {
			account_id: d.account_id,
			account_name: d.account_name,
			platform: d.platform,
			status: this.destStatusName(d.status),
		});
		if (inPost) out.scheduled_for = d.scheduled_for === null ? null : iso(d.scheduled_for);
		Object.assign(out, {
			published_at: d.published_at === null ? null : iso(d.published_at),
			platform_post_id: d.platform_post_id,
			platform_post_url: d.platform_post_url,
			error: d.error,
			attempts: d.attempts,
		});
		if (!inPost || this.switches.retryInfoInPost) out.next_retry_at = d.next_retry_at === null ? null : iso(d.next_retry_at);
		return out;
	}

	/** The destination status as answered (variant switch doneStatusName). */
	destStatusName(s: DestinationStatus): string {
		return s === 'published' && this.switches.doneStatusName ? 'done' : s;
	}

	/** The post status as answered (variant switch partialStatusName). */
	statusName(s: PostStatus): string {
		return s === 'partially_failed' && this.switches.partialStatusName ? 'partial' : s;
	}

	postObject(p: PostRecord): Record<string, unknown> {
		const media = p.media_ids.map((id) => this.state.media.get(id)).filter((m): m is MediaRecord => !!m);
		return {
			post_id: p.id,
			id: p.id,
			status: this.statusName(p.status),
			content: p.content,
			account_ids: p.account_ids,
			scheduled_for: p.scheduled_for === null ? null : iso(p.scheduled_for),
			timezone: p.timezone,
			media_ids: p.media_ids,
			media: media.length
				? media.map((m) => ({ media_id: m.id, type: m.type, width: m.width, height: m.height, duration: m.duration, url: this.mediaUrl(m) }))
				: null,
			platform_content: p.platform_content ?? {},
			campaign_id: p.campaign_id,
			destinations: p.destinations.map((d) => this.destination(d, true)),
			created_at: iso(p.created_at),
			updated_at: iso(p.updated_at),
		};
	}

	mediaUrl(m: MediaRecord): string | null {
		return m.status === 'ready' || m.status === 'processing' ? `https://media.posteverywhere.sandbox/${m.id}/${encodeURIComponent(m.original_name)}` : null;
	}

	mediaItem(m: MediaRecord): Record<string, unknown> {
		const dims = m.width && m.height ? { width: m.width, height: m.height } : null;
		const gcd = (a: number, b: number): number => (b ? gcd(b, a % b) : a);
		const g = dims ? gcd(dims.width, dims.height) : 1;
		return {
			id: m.id,
			type: m.type,
			mime_type: m.mime_type,
			file_size: m.stored?.size ?? m.file_size,
			status: m.status,
			original_name: m.original_name,
			url: this.mediaUrl(m),
			thumbnail_url: m.type === 'video' && m.status === 'ready' ? `https://media.posteverywhere.sandbox/${m.id}/thumbnail.jpg` : null,
			dimensions: dims,
			aspect_ratio: dims ? `${dims.width / g}:${dims.height / g}` : null,
			orientation: dims ? (dims.width > dims.height ? 'landscape' : dims.width < dims.height ? 'portrait' : 'square') : null,
			created_at: iso(m.created_at),
		};
	}

	// ------------------------------------------------------------------------------ events
	postEventData(p: PostRecord): Record<string, unknown> {
		return { post_id: p.id, status: this.statusName(p.status), account_ids: p.account_ids, scheduled_for: p.scheduled_for === null ? null : iso(p.scheduled_for) };
	}

	emitDest(event: string, p: PostRecord, d: DestinationRecord, at: number): void {
		this.emit(
			event,
			{
				post_id: p.id,
				destination_id: d.id,
				platform: d.platform,
				account_id: d.account_id,
				account_name: d.account_name,
				status: this.destStatusName(d.status),
				published_at: d.published_at === null ? null : iso(d.published_at),
				platform_post_id: d.platform_post_id,
				platform_post_url: d.platform_post_url,
				error: d.error,
				attempts: d.attempts,
				next_retry_at: d.next_retry_at === null ? null : iso(d.next_retry_at),
			},
			at,
		);
	}

	mediaEventData(m: MediaRecord): Record<string, unknown> {
		return { media_id: m.id, type: m.type, status: m.status, original_name: m.original_name };
	}
}
