// §13 webhooks: CRUD, test, and signed deliveries to the registered URL
// (X-PostEverywhere-Signature: sha256=<hex HMAC-SHA256 of the raw body>, X-PostEverywhere-Timestamp:
// unix seconds). Deliveries go over real HTTP, one at a time; failures are retried on the sandbox
// clock and count toward consecutive_failures (assumptions in ASSUMPTIONS.md).
import { createHmac, randomBytes, randomUUID } from 'node:crypto';
import { iso, type VirtualClock } from '../core/clock';
import { SandboxError } from '../core/errors';
import type { Call, Reply } from '../core/server';
import { deliver, type DeliveryOutcome } from '../core/webhookSender';
import { MAX_WEBHOOKS } from './constants';
import { err, type Engine } from './engine';
import { isPrivateHost } from './media';
import { ORGANIZATION, type DeliveryRecord, type KeyRecord, type WebhookRecord } from './state';

type C = Call<KeyRecord>;
const ok = (data: unknown, status = 200): Reply => ({ status, data });

/** Redeliveries after the first attempt (so 1 + this many attempts in all). */
export const MAX_REDELIVERIES = 4;
/** Consecutive failed deliveries after which a hook is auto-disabled. */
export const AUTO_DISABLE_AFTER = 10;

export const sign = (secret: string, body: string) => `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;

export function view(w: WebhookRecord) {
	const t = (v: number | null) => (v === null ? null : iso(v));
	return {
		id: w.id,
		url: w.url,
		events: w.events,
		name: w.name,
		description: w.description,
		is_active: w.is_active,
		consecutive_failures: w.consecutive_failures,
		auto_disabled_at: t(w.auto_disabled_at),
		last_delivery_at: t(w.last_delivery_at),
		last_success_at: t(w.last_success_at),
		last_failure_at: t(w.last_failure_at),
		created_at: iso(w.created_at),
		updated_at: iso(w.updated_at),
	};
}

function checkUrl(e: Engine, raw: string) {
	const u = new URL(raw);
	if (e.switches.localWebhookUrls) {
		if (u.protocol !== 'https:' && u.protocol !== 'http:') throw err.field('url', 'must be an http(s) URL');
		return;
	}
	if (u.protocol !== 'https:') throw err.field('url', 'must be a public HTTPS URL');
	if (isPrivateHost(u.hostname)) throw err.field('url', 'must not point at localhost or a private network');
}

function hook(e: Engine, id: string): WebhookRecord {
	const w = e.state.webhooks.get(id);
	if (!w) throw err.notFound('Webhook');
	return w;
}

export class Deliveries {
	private queue: DeliveryRecord[] = [];
	private running: Promise<void> | null = null;
	private idle: (() => void)[] = [];

	constructor(
		private readonly e: Engine,
		private readonly clock: VirtualClock,
		private readonly log?: (line: string) => void,
	) {}

	/** An event happened: one delivery per active hook subscribed to it. */
	emit(event: string, data: Record<string, unknown>, at: number): void {
		for (const w of this.e.state.webhooks.values()) {
			if (!w.is_active || !w.events.includes(event)) continue;
			const eventId = randomUUID();
			const body = JSON.stringify({ event, event_id: eventId, created_at: iso(at), organization_id: ORGANIZATION.id, data });
			const d: DeliveryRecord = { id: randomUUID(), webhook_id: w.id, url: w.url, event, event_id: eventId, body, state: 'pending', attempts: [], next_attempt_at: at, created_at: at };
			this.e.state.deliveries.push(d);
			this.queue.push(d);
		}
		this.pump();
	}

	/** Redeliveries that became due on the sandbox clock. */
	process(now: number): void {
		let added = false;
		for (const d of this.e.state.deliveries)
			if (d.state === 'pending' && d.attempts.length > 0 && d.next_attempt_at !== null && d.next_attempt_at <= now && !this.queue.includes(d)) {
				this.queue.push(d);
				added = true;
			}
		if (added) this.pump();
	}

	private pump(): void {
		if (this.running || !this.queue.length) return;
		this.running = (async () => {
			while (this.queue.length) {
				const d = this.queue.shift() as DeliveryRecord;
				await this.attempt(d);
			}
		})().finally(() => {
			this.running = null;
			if (this.queue.length) this.pump();
			else for (const f of this.idle.splice(0)) f();
		});
	}

	/** Resolves when no delivery is queued or in flight (redeliveries not yet due do not count). */
	flush(): Promise<void> {
		if (!this.running && !this.queue.length) return Promise.resolve();
		return new Promise((resolve) => this.idle.push(resolve));
	}

	private async attempt(d: DeliveryRecord): Promise<void> {
		const w = this.e.state.webhooks.get(d.webhook_id);
		if (!w || !w.is_active) {
			d.state = 'failed';
			d.next_attempt_at = null;
			return;
		}
		const at = this.clock.now();
		const out = await deliver(w.url, d.body, { 'X-PostEverywhere-Signature': sign(w.secret, d.body), 'X-PostEverywhere-Timestamp': String(Math.floor(at / 1000)) });
		this.log?.(`webhook ${d.event} -> ${out.status || out.error}`);
		d.attempts.push({ at, status: out.status, ok: out.ok, error: out.error, duration_ms: out.durationMs });
		w.last_delivery_at = at;
		if (out.ok) {
			d.state = 'delivered';
			d.next_attempt_at = null;
			w.consecutive_failures = 0;
			w.last_success_at = at;
			return;
		}
		w.last_failure_at = at;
		w.consecutive_failures++;
		if (w.consecutive_failures >= AUTO_DISABLE_AFTER) {
			w.is_active = false;
			w.auto_disabled_at = at;
		}
		if (d.attempts.length > MAX_REDELIVERIES || !w.is_active) {
			d.state = 'failed';
			d.next_attempt_at = null;
		} else d.next_attempt_at = at + this.e.timing.webhookRetry * 2 ** (d.attempts.length - 1);
	}

	/**
	 * Sandbox control: send a delivery now and return what the receiver answered. `replay` resends a
	 * past delivery byte for byte (same event_id); `forge` breaks it: 'bad-signature' (HMAC with another
	 * secret), 'no-signature', 'stale-timestamp' (10 minutes old), 'tampered-body' (body changed after signing).
	 */
	async send(o: { webhook_id?: string; event?: string; data?: Record<string, unknown>; replay?: string; forge?: string; timestamp?: number }): Promise<DeliveryOutcome & { event_id: string; body: string }> {
		let w: WebhookRecord | undefined;
		let body: string;
		if (o.replay) {
			const past = this.e.state.deliveries.find((d) => d.id === o.replay || d.event_id === o.replay);
			if (!past) throw new SandboxError(404, 'not_found', `no delivery ${o.replay}`);
			w = this.e.state.webhooks.get(past.webhook_id);
			body = past.body;
		} else {
			w = o.webhook_id ? this.e.state.webhooks.get(o.webhook_id) : [...this.e.state.webhooks.values()][0];
			const now = this.clock.now();
			body = JSON.stringify({ event: o.event ?? 'post.published', event_id: randomUUID(), created_at: iso(now), organization_id: ORGANIZATION.id, data: o.data ?? {} });
		}
		if (!w) throw new SandboxError(404, 'not_found', 'no such webhook');
		const ts = o.timestamp ?? Math.floor(this.clock.now() / 1000) - (o.forge === 'stale-timestamp' ? 600 : 0);
		const headers: Record<string, string> = { 'X-PostEverywhere-Timestamp': String(ts) };
		if (o.forge === 'bad-signature') headers['X-PostEverywhere-Signature'] = sign(`whsec_${randomBytes(16).toString('hex')}`, body);
		else if (o.forge !== 'no-signature') headers['X-PostEverywhere-Signature'] = sign(w.secret, body);
		let sent = body;
		if (o.forge === 'tampered-body') sent = body.replace(/}$/, ',"tampered":true}');
		const at = this.clock.now();
		const out = await deliver(w.url, sent, headers);
		const parsed = JSON.parse(body) as { event: string; event_id: string };
		this.e.state.deliveries.push({
			id: randomUUID(),
			webhook_id: w.id,
			url: w.url,
			event: parsed.event,
			event_id: parsed.event_id,
			body: sent,
			state: out.ok ? 'delivered' : 'failed',
			attempts: [{ at, status: out.status, ok: out.ok, error: out.error, duration_ms: out.durationMs, forged: o.forge ?? (o.replay ? 'replay' : 'control') }],
			next_attempt_at: null,
			created_at: at,
		});
		return { ...out, event_id: parsed.event_id, body: sent };
	}
}

export const list = (e: Engine) => () => ok({ webhooks: [...e.state.webhooks.values()].sort((a, b) => a.created_at - b.created_at).map(view) });

export const create = (e: Engine) => (c: C) => {
	const b = c.body as { url: string; events: string[]; name?: string; description?: string };
	checkUrl(e, b.url);
	if (e.state.webhooks.size >= MAX_WEBHOOKS) throw err.conflict('webhook_limit_reached', `An organization can have at most ${MAX_WEBHOOKS} webhooks`);
	const w: WebhookRecord = {
		id: randomUUID(),
		url: b.url,
		events: [...new Set(b.events)],
		name: b.name ?? null,
		description: b.description ?? null,
		secret: `whsec_${randomBytes(24).toString('hex')}`,
		is_active: true,
		consecutive_failures: 0,
		auto_disabled_at: null,
		last_delivery_at: null,
		last_success_at: null,
		last_failure_at: null,
		created_at: c.now,
		updated_at: c.now,
	};
	e.state.webhooks.set(w.id, w);
	return ok({ ...view(w), secret: w.secret, secret_warning: 'Store this secret now: it is shown only once and is needed to verify signatures.' }, 201);
};

export const get = (e: Engine) => (c: C) => ok(view(hook(e, c.params.id)));

export const update = (e: Engine) => (c: C) => {
	const w = hook(e, c.params.id);
	const b = c.body as { url?: string; events?: string[]; name?: string | null; description?: string | null; is_active?: boolean };
	if (b.url !== undefined) {
		checkUrl(e, b.url);
		w.url = b.url;
	}
	if (b.events) w.events = [...new Set(b.events)];
	if (b.name !== undefined) w.name = b.name;
	if (b.description !== undefined) w.description = b.description;
	if (b.is_active !== undefined) {
		if (b.is_active && !w.is_active) {
			w.consecutive_failures = 0;
			w.auto_disabled_at = null;
		}
		w.is_active = b.is_active;
	}
	w.updated_at = c.now;
	return ok(view(w));
};

export const remove = (e: Engine) => (c: C) => {
	const w = hook(e, c.params.id);
	e.state.webhooks.delete(w.id);
	e.state.deliveries = e.state.deliveries.filter((d) => d.webhook_id !== w.id);
	return ok({ id: w.id, deleted: true });
};

export const test = (e: Engine, deliveries: Deliveries) => async (c: C) => {
	const w = hook(e, c.params.id);
	const out = await deliveries.send({ webhook_id: w.id, event: 'webhook.test', data: { webhook_id: w.id, message: 'Test delivery from PostEverywhere' } });
	return ok({
		ok: out.ok,
		status: out.status,
		duration_ms: out.durationMs,
		error: out.error,
		message: out.ok ? 'The endpoint answered with a 2xx status.' : `The endpoint did not answer with a 2xx status (${out.status || out.error}).`,
	});
};
