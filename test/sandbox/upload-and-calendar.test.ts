// Sandbox §5 (media upload, streaming) and §11 (calendar).
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { request } from 'undici';
import { startSandbox, type Sandbox } from '../../sandbox/server';
import { client, expectError, multipart, upload, PNG, type Caller } from './helpers';

let sb: Sandbox;
let api: Caller;
beforeAll(async () => {
	sb = await startSandbox({ tickMs: 0 });
	api = client(sb);
});
afterAll(() => sb.close());
beforeEach(() => sb.reset());

const MiB = 1024 * 1024;

describe('POST /media/upload', () => {
	test('image upload: response shape per §5; sha256 and size recorded in state (not in the response)', async () => {
		const r = await upload(sb, { data: PNG, filename: 'pixel.png', contentType: 'image/png' }, 'image');
		expect(r.status).toBe(200);
		expect(r.body).toEqual({
			media_id: expect.any(String),
			type: 'image',
			file_name: 'pixel.png',
			file_size: PNG.length,
			mime_type: 'image/png',
			created_at: expect.stringMatching(/Z$/),
		});
		const m = sb.state.media.get(r.body.media_id)!;
		expect(m.sha256).toBe(createHash('sha256').update(PNG).digest('hex'));
		expect(m.workspace).toBe(sb.workspaces.primary);
		expect(r.text).not.toContain(m.sha256!);
	});

	test('field order does not matter; octet-stream falls back to the file extension', async () => {
		const mp = multipart([
			{ name: 'file', value: Buffer.from('fakejpeg'), filename: 'photo.JPG', contentType: 'application/octet-stream' },
			{ name: 'type', value: 'image' },
		]);
		const res = await fetch(`${sb.url}/media/upload`, {
			method: 'POST',
			headers: { 'x-api-key': sb.keys.full, 'X-Workspace-Id': sb.workspaces.primary, 'Content-Type': mp.contentType },
			body: mp.body,
		});
		expect(res.status).toBe(200);
		expect(await res.json()).toMatchObject({ type: 'image', mime_type: 'image/jpeg', file_size: 8 });
	});

	test('video formats mp4 / quicktime / webm are accepted', async () => {
		for (const [name, mime] of [['a.mp4', 'video/mp4'], ['b.mov', 'video/quicktime'], ['c.webm', 'video/webm']]) {
			const r = await upload(sb, { data: Buffer.alloc(64, 7), filename: name, contentType: mime }, 'video');
			expect([name, r.status, r.body.mime_type]).toEqual([name, 200, mime]);
		}
	});

	test('validation: missing file/type, bad type, mime mismatch, unsupported format, empty file, not multipart', async () => {
		const cases: [Promise<Awaited<ReturnType<typeof upload>>>, RegExp][] = [
			[upload(sb, { data: PNG, filename: 'a.png', contentType: 'image/png' }, null), /type/],
			[upload(sb, { data: PNG, filename: 'a.png', contentType: 'image/png' }, 'gif'), /type/],
			[upload(sb, { data: PNG, filename: 'a.png', contentType: 'image/png' }, 'video'), /image\/png.*video/],
			[upload(sb, { data: Buffer.alloc(10), filename: 'a.mp4', contentType: 'video/mp4' }, 'image'), /video\/mp4.*image/],
			[upload(sb, { data: Buffer.alloc(10), filename: 'a.gif', contentType: 'image/gif' }, 'image'), /image\/gif/],
			[upload(sb, { data: Buffer.alloc(0), filename: 'a.png', contentType: 'image/png' }, 'image'), /empty/],
		];
		for (const [p, msg] of cases) expectError(await p, 400, 'VALIDATION_ERROR', msg);
		const onlyType = multipart([{ name: 'type', value: 'image' }]);
		const r = await fetch(`${sb.url}/media/upload`, {
			method: 'POST',
			headers: { 'x-api-key': sb.keys.full, 'X-Workspace-Id': sb.workspaces.primary, 'Content-Type': onlyType.contentType },
			body: onlyType.body,
		});
		expect(r.status).toBe(400);
		expect(((await r.json()) as { error: { message: string } }).error.message).toMatch(/file/);
		expectError(await api('POST', '/media/upload', { file: 'x', type: 'image' }), 400, 'VALIDATION_ERROR', /multipart/);
		expect(sb.state.media.size).toBe(0);
	});

	test('413 FILE_TOO_LARGE for an image over 10 MiB (10 MiB exactly is fine)', async () => {
		const exact = await upload(sb, { data: Buffer.alloc(10 * MiB, 1), filename: 'big.png', contentType: 'image/png' }, 'image');
		expect(exact.status).toBe(200);
		const over = await upload(sb, { data: Buffer.alloc(10 * MiB + 1, 1), filename: 'big.png', contentType: 'image/png' }, 'image');
		expectError(over, 413, 'FILE_TOO_LARGE');
		expect(sb.state.media.size).toBe(1);
	});

	test('413 STORAGE_QUOTA_EXCEEDED when the account quota is used up', async () => {
		const sb2 = await startSandbox({ storageQuotaBytes: 3000, tickMs: 0 });
		try {
			const ok = await upload(sb2, { data: Buffer.alloc(2000, 1), filename: 'a.png', contentType: 'image/png' }, 'image');
			expect(ok.status).toBe(200);
			const full = await upload(sb2, { data: Buffer.alloc(1500, 1), filename: 'b.png', contentType: 'image/png' }, 'image');
			expectError(full, 413, 'STORAGE_QUOTA_EXCEEDED');
			// quota is per account, shared by workspaces
			const sec = await upload(sb2, { data: Buffer.alloc(1500, 1), filename: 'b.png', contentType: 'image/png' }, 'image', sb2.keys.full, sb2.workspaces.secondary);
			expectError(sec, 413, 'STORAGE_QUOTA_EXCEEDED');
		} finally {
			await sb2.close();
		}
	});

	test('auth, scope and workspace are checked before the body is read', async () => {
		expectError(await upload(sb, { data: PNG, filename: 'a.png', contentType: 'image/png' }, 'image', 'pp_live_sk_bad'), 401, 'INVALID_API_KEY');
		expectError(await upload(sb, { data: PNG, filename: 'a.png', contentType: 'image/png' }, 'image', sb.keys.readOnly), 403, 'INSUFFICIENT_SCOPE', /media:write/);
		expectError(await upload(sb, { data: PNG, filename: 'a.png', contentType: 'image/png' }, 'image', sb.keys.full, sb.workspaces.foreign), 403, 'FORBIDDEN');
	});

	test('streams a 200 MiB video without buffering it (server RSS growth < 100 MB) and records the sha256', async () => {
		const total = 200 * MiB;
		const chunk = Buffer.alloc(MiB);
		for (let i = 0; i < chunk.length; i++) chunk[i] = (i * 31 + 7) & 0xff;
		const boundary = '----sandboxbigupload';
		const head = Buffer.from(
			`--${boundary}\r\nContent-Disposition: form-data; name="type"\r\n\r\nvideo\r\n` +
				`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="big.mp4"\r\nContent-Type: video/mp4\r\n\r\n`,
		);
		const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
		const hash = createHash('sha256');
		async function* body() {
			yield head;
			for (let sent = 0; sent < total; sent += MiB) {
				const c = Buffer.from(chunk); // fresh buffer per chunk, like a file read
				c.writeUInt32BE(sent / MiB, 0);
				hash.update(c);
				yield c;
			}
			yield tail;
		}
		if (global.gc) global.gc();
		const rss0 = process.memoryUsage().rss;
		let peak = rss0;
		const sampler = setInterval(() => {
			peak = Math.max(peak, process.memoryUsage().rss);
		}, 10);
		try {
			const res = await request(`${sb.url}/media/upload`, {
				method: 'POST',
				headers: {
					'x-api-key': sb.keys.full,
					'x-workspace-id': sb.workspaces.primary,
					'content-type': `multipart/form-data; boundary=${boundary}`,
					'content-length': String(head.length + total + tail.length),
				},
				body: Readable.from(body()),
			});
			const json = (await res.body.json()) as { media_id: string; file_size: number; type: string };
			expect(res.statusCode).toBe(200);
			expect(json).toMatchObject({ type: 'video', file_size: total, mime_type: 'video/mp4' });
			const m = sb.state.media.get(json.media_id)!;
			expect(m.sha256).toBe(hash.digest('hex'));
			expect(m.file_size).toBe(total);
		} finally {
			clearInterval(sampler);
		}
		// client and server share this process, so this bounds both sides together
		expect(peak - rss0).toBeLessThan(100 * 1e6);
	}, 30_000);
});

describe('calendar (§11, seed 000)', () => {
	const entry = { title: 'Product launch announcement', description: 'Share the new feature across all channels', scheduled_date: '2026-03-25', scheduled_time: '14:00', platforms: ['instagram', 'tiktok', 'x'] };

	test('create, get, list (date/time order), patch (null clears, platforms replace), delete', async () => {
		const c = await api('POST', '/calendar/entries', entry);
		expect(c.status).toBe(200);
		expect(c.body).toEqual({ entry_id: expect.stringMatching(/^[0-9a-f-]{36}$/), ...entry, created_at: expect.any(String), updated_at: c.body.created_at });
		expect(c.body.status).toBeUndefined();
		const id = c.body.entry_id;
		expect((await api('GET', `/calendar/entries/${id}`)).body).toEqual(c.body);

		const minimal = await api('POST', '/calendar/entries', { title: 'Minimal', scheduled_date: '2026-03-25' });
		expect(minimal.body).toMatchObject({ description: null, scheduled_time: null, platforms: [] });
		const early = await api('POST', '/calendar/entries', { title: 'Early', scheduled_date: '2026-03-01', scheduled_time: '09:30' });
		const outside = await api('POST', '/calendar/entries', { title: 'April', scheduled_date: '2026-04-01' });
		const list = await api('GET', '/calendar/entries?start_date=2026-03-01&end_date=2026-03-31');
		expect(list.status).toBe(200);
		expect(Object.keys(list.body)).toEqual(['entries']);
		expect(list.body.entries.map((e: { title: string }) => e.title)).toEqual(['Early', 'Minimal', 'Product launch announcement']);
		expect(list.body.entries.map((e: { entry_id: string }) => e.entry_id)).not.toContain(outside.body.entry_id);
		expect(early.status).toBe(200);

		sb.clock.advance(60_000);
		const p = await api('PATCH', `/calendar/entries/${id}`, { title: 'Updated launch announcement', scheduled_date: '2026-03-28', description: null, scheduled_time: null, platforms: ['linkedin'] });
		expect(p.status).toBe(200);
		expect(p.body).toMatchObject({ entry_id: id, title: 'Updated launch announcement', scheduled_date: '2026-03-28', description: null, scheduled_time: null, platforms: ['linkedin'], created_at: c.body.created_at });
		expect(Date.parse(p.body.updated_at)).toBeGreaterThan(Date.parse(c.body.updated_at));
		const p2 = await api('PATCH', `/calendar/entries/${id}`, { scheduled_time: '23:59' });
		expect(p2.body).toMatchObject({ title: 'Updated launch announcement', scheduled_time: '23:59', platforms: ['linkedin'] });

		const d = await api('DELETE', `/calendar/entries/${id}`);
		expect(d.status).toBe(200);
		expect(d.body).toEqual({ success: true });
		expectError(await api('GET', `/calendar/entries/${id}`), 404, 'NOT_FOUND');
		expectError(await api('DELETE', `/calendar/entries/${id}`), 404, 'NOT_FOUND');
	});

	test('create/patch validation', async () => {
		const cases: [unknown, RegExp][] = [
			[{ scheduled_date: '2026-03-25' }, /title/],
			[{ ...entry, title: '' }, /title/],
			[{ ...entry, title: 'x'.repeat(501) }, /title/],
			[{ ...entry, description: 'x'.repeat(5001) }, /description/],
			[{ title: 't' }, /scheduled_date/],
			[{ ...entry, scheduled_date: '2026-02-30' }, /scheduled_date/],
			[{ ...entry, scheduled_date: '25.03.2026' }, /scheduled_date/],
			[{ ...entry, scheduled_time: '24:00' }, /scheduled_time/],
			[{ ...entry, scheduled_time: '2pm' }, /scheduled_time/],
			[{ ...entry, scheduled_time: '9:00' }, /scheduled_time/],
			[{ ...entry, platforms: ['myspace'] }, /platforms\[0\]/],
			[{ ...entry, platforms: 'x' }, /platforms/],
		];
		for (const [body, msg] of cases) expectError(await api('POST', '/calendar/entries', body), 400, 'VALIDATION_ERROR', msg);
		expect((await api('POST', '/calendar/entries', { ...entry, title: 'x'.repeat(500), description: 'y'.repeat(5000) })).status).toBe(200);
		const id = (await api('POST', '/calendar/entries', entry)).body.entry_id;
		const patches: [unknown, RegExp][] = [
			[{}, /at least one/],
			[{ unknown: 1 }, /at least one/],
			[{ title: null }, /title/],
			[{ scheduled_date: null }, /scheduled_date/],
			[{ scheduled_time: '7:5' }, /scheduled_time/],
			[{ platforms: null }, /platforms/],
		];
		for (const [body, msg] of patches) expectError(await api('PATCH', `/calendar/entries/${id}`, body), 400, 'VALIDATION_ERROR', msg);
	});

	test('list validation: both dates required, valid, start <= end, range <= 366 days', async () => {
		const q = (s: string) => api('GET', `/calendar/entries${s}`);
		expectError(await q(''), 400, 'VALIDATION_ERROR', /start_date/);
		expectError(await q('?start_date=2026-01-01'), 400, 'VALIDATION_ERROR', /end_date/);
		expectError(await q('?start_date=2026-13-01&end_date=2026-12-31'), 400, 'VALIDATION_ERROR', /start_date/);
		expectError(await q('?start_date=2026-03-02&end_date=2026-03-01'), 400, 'VALIDATION_ERROR', /start_date/);
		expectError(await q('?start_date=2026-01-01&end_date=2027-01-02'), 400, 'VALIDATION_ERROR', /366/);
		expect((await q('?start_date=2028-01-01&end_date=2028-12-31')).status).toBe(200); // leap year, 366 days
		expect((await q('?start_date=2026-01-01&end_date=2026-01-01')).body).toEqual({ entries: [] });
	});

	test('entries are workspace-scoped: other workspace 404, foreign 403', async () => {
		const id = (await api('POST', '/calendar/entries', entry)).body.entry_id;
		const sec = client(sb, sb.keys.full, sb.workspaces.secondary);
		expectError(await sec('GET', `/calendar/entries/${id}`), 404, 'NOT_FOUND');
		expectError(await sec('PATCH', `/calendar/entries/${id}`, { title: 'x' }), 404, 'NOT_FOUND');
		expect((await sec('GET', '/calendar/entries?start_date=2026-03-01&end_date=2026-03-31')).body.entries).toEqual([]);
		expectError(await client(sb, sb.keys.full, sb.workspaces.foreign)('GET', `/calendar/entries/${id}`), 403, 'FORBIDDEN');
	});
});
