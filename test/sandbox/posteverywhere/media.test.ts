// PostEverywhere sandbox §6: three-step upload through the presigned-upload host, upload-from-url, library.
import { createHash } from 'node:crypto';
import http from 'node:http';
import { startPostEverywhereSandbox, type PostEverywhereSandbox } from '../../../sandbox/posteverywhere/server';
import { api, expectError, PNG, raw, uploadMedia, withSandbox } from './helpers';

describe.each(['generous', 'strict'] as const)('PostEverywhere sandbox media (%s)', (profile) => {
	let sb: PostEverywhereSandbox;
	withSandbox({ profile, tickMs: 0 }, (s) => (sb = s));
	const MB = profile === 'generous' ? 1024 * 1024 : 1_000_000;

	test('image: step 1 gives a multipart POST on another host; the file arrives, complete -> ready, usable in a post', async () => {
		const { step1, complete } = await uploadMedia(sb, { data: PNG, filename: 'dot.png', contentType: 'image/png' });
		expect(step1).toMatchObject({ upload_method: { method: 'POST', field_name: 'file' }, provider: 'cloudflare_images', expires_in: 3600, max_size: 20 * MB });
		expect(new URL(step1.upload_url).origin).toBe(sb.uploadOrigin);
		expect(sb.uploadOrigin).not.toBe(sb.origin);
		expect(complete.status).toBe(200);
		expect(complete.body.data).toMatchObject({ media_id: step1.media_id, media_ids: [step1.media_id], status: 'ready', type: 'image', size: PNG.length, content_type: 'image/png' });
		const stored = sb.state.media.get(step1.media_id)?.stored;
		expect(stored?.sha256).toBe(createHash('sha256').update(PNG).digest('hex'));
		const post = await api(sb)('POST', '/posts', { content: 'pic', account_ids: [sb.accounts.instagram], media_ids: [step1.media_id] });
		expect(post.status).toBe(201);
		const got = (await api(sb)('GET', `/posts/${post.body.data.id}`)).body.data;
		expect(got.media[0]).toMatchObject({ media_id: step1.media_id, type: 'image' });
	});

	test('video: PUT with the declared Content-Type; complete -> processing, then ready on the sandbox clock', async () => {
		const data = Buffer.alloc(256 * 1024, 7);
		const { step1, complete } = await uploadMedia(sb, { data, filename: 'clip.mp4', contentType: 'video/mp4' });
		expect(step1).toMatchObject({ upload_method: { method: 'PUT', content_type: 'video/mp4', headers: { 'Content-Type': 'video/mp4' } }, provider: 'r2', max_size: 500 * MB });
		expect(complete.body.data.status).toBe('processing');
		expectError(await api(sb)('POST', '/posts', { content: 'v', account_ids: [sb.accounts.x], media_ids: ['00000000-0000-4000-8000-000000000000'] }), 400, 'validation_error', /media_ids\.0/);
		sb.advanceClock(sb.timing.mediaProcessing);
		const m = (await api(sb)('GET', `/media/${step1.media_id}`)).body.data;
		expect(m).toMatchObject({ id: step1.media_id, type: 'video', mime_type: 'video/mp4', status: 'ready', file_size: data.length, original_name: 'clip.mp4' });
		const again = await api(sb)('POST', `/media/${step1.media_id}/complete`);
		if (profile === 'generous') expect(again.body.data).toMatchObject({ media_id: step1.media_id, status: 'ready' });
		else expectError(again, 409, 'conflict');
	});

	test('the upload host refuses an Authorization header, a wrong Content-Type, the wrong method, and an unknown URL', async () => {
		const s1 = (await api(sb)('POST', '/media/upload', { filename: 'a.mp4', content_type: 'video/mp4', size: 5 })).body.data;
		const withKey = await raw(s1.upload_url, { method: 'PUT', headers: { 'Content-Type': 'video/mp4', Authorization: `Bearer ${sb.keys.full}` }, body: 'hello' });
		expect(withKey.status).toBe(400);
		expect(withKey.text).toContain('InvalidArgument');
		expect(sb.uploads().at(-1)).toMatchObject({ authorization: true, status: 400 });
		expect((await raw(s1.upload_url, { method: 'PUT', headers: { 'Content-Type': 'application/octet-stream' }, body: 'hello' })).status).toBe(403);
		expect((await raw(s1.upload_url, { method: 'POST', body: 'hello' })).status).toBe(405);
		expect((await raw(`${sb.uploadOrigin}/o/nope`, { method: 'PUT', body: 'x' })).status).toBe(404);
		expect(sb.state.media.get(s1.media_id)?.stored).toBeNull();
		expectError(await api(sb)('POST', `/media/${s1.media_id}/complete`), 400, 'validation_error', /upload_url first/);
		// and it works without the header
		expect((await raw(s1.upload_url, { method: 'PUT', headers: { 'Content-Type': 'video/mp4' }, body: 'hello' })).status).toBe(200);
		expect((await api(sb)('POST', `/media/${s1.media_id}/complete`)).status).toBe(200);
		expect(sb.uploads().filter((u) => u.status === 200).every((u) => !u.authorization)).toBe(true);
	});

	test('size: declared over the limit refused at step 1; a bigger body than declared -> complete refuses; Content-Length over max_size -> 413 before reading', async () => {
		expectError(await api(sb)('POST', '/media/upload', { filename: 'big.png', content_type: 'image/png', size: 20 * MB + 1 }), 400, 'validation_error', /size/);
		expectError(await api(sb)('POST', '/media/upload', { filename: 'a.mov', content_type: 'video/quicktime', size: 10 }), 400, 'validation_error', /content_type must be one of/);
		const s1 = (await api(sb)('POST', '/media/upload', { filename: 'a.mp4', content_type: 'video/mp4', size: 3 })).body.data;
		expect((await raw(s1.upload_url, { method: 'PUT', headers: { 'Content-Type': 'video/mp4' }, body: 'four' })).status).toBe(200);
		expectError(await api(sb)('POST', `/media/${s1.media_id}/complete`), 400, 'validation_error', /4 bytes but size was declared as 3/);
		// a 600 MB declared body is refused from its headers; only a few bytes are sent
		const status = await new Promise<number>((resolve, reject) => {
			const u = new URL(s1.upload_url);
			const req = http.request({ host: u.hostname, port: u.port, path: u.pathname, method: 'PUT', headers: { 'Content-Type': 'video/mp4', 'Content-Length': String(600 * 1024 * 1024) } }, (res) => {
				res.resume();
				resolve(res.statusCode ?? 0);
				req.destroy();
			});
			req.on('error', reject);
			req.write(Buffer.alloc(1024));
		});
		expect(status).toBe(413);
	});

	test('a slot expires after expires_in seconds of sandbox time', async () => {
		const s1 = (await api(sb)('POST', '/media/upload', { filename: 'a.pdf', content_type: 'application/pdf', size: 3 })).body.data;
		sb.advanceClock(3601_000);
		expect((await raw(s1.upload_url, { method: 'PUT', headers: { 'Content-Type': 'application/pdf' }, body: 'pdf' })).status).toBe(403);
	});

	test('upload-from-url: images ready at once; mp4 async (generous) or 415 (strict); private and http URLs refused', async () => {
		const call = api(sb);
		const img = await call('POST', '/media/upload-from-url', { url: 'https://cdn.example.com/photos/cat.jpg' });
		expect(img.status).toBe(201);
		expect(img.body.data).toMatchObject({ media_status: 'ready', type: 'image', filename: 'cat.jpg', content_type: 'image/jpeg', source_url: 'https://cdn.example.com/photos/cat.jpg' });
		const vid = await call('POST', '/media/upload-from-url', { url: 'https://cdn.example.com/v/clip.mp4' });
		if (profile === 'strict') expectError(vid, 415, 'unsupported_media_type');
		else {
			expect(vid.body.data.media_status).toBe('uploading');
			expect((await call('GET', `/media/${vid.body.data.media_id}`)).body.data.status).toBe('uploading');
			sb.advanceClock(sb.timing.mediaProcessing);
			expect((await call('GET', `/media/${vid.body.data.media_id}`)).body.data.status).toBe('ready');
		}
		const slow = (await call('POST', '/media/upload-from-url', { url: 'https://cdn.example.com/slow-import/a.png' })).body.data;
		expect(slow.media_status).toBe('uploading');
		sb.advanceClock(sb.timing.mediaProcessing);
		expect((await call('GET', `/media/${slow.media_id}`)).body.data.status).toBe('ready');
		const failing = (await call('POST', '/media/upload-from-url', { url: 'https://cdn.example.com/fail-import/a.png' })).body.data;
		sb.advanceClock(sb.timing.mediaProcessing);
		expect((await call('GET', `/media/${failing.media_id}`)).body.data.status).toBe('failed');
		expectError(await call('POST', '/posts', { content: 'x', account_ids: [sb.accounts.x], media_ids: [failing.media_id] }), 400, 'validation_error', /not ready \(status failed\)/);
		expectError(await call('POST', '/media/upload-from-url', { url: 'http://cdn.example.com/a.png' }), 400, 'validation_error', /HTTPS/);
		expectError(await call('POST', '/media/upload-from-url', { url: 'https://127.0.0.1/a.png' }), 400, 'validation_error', /private/);
		expectError(await call('POST', '/media/upload-from-url', { url: 'https://cdn.example.com/a.txt' }), 415, 'unsupported_media_type');
	});

	test('library: newest first, type filter, offset pages (totals only in generous); delete needs force when a scheduled post uses it', async () => {
		const call = api(sb);
		const ids: string[] = [];
		for (let i = 0; i < 3; i++) {
			ids.push((await call('POST', '/media/upload-from-url', { url: `https://cdn.example.com/${i}.png` })).body.data.media_id);
			sb.advanceClock(1000);
		}
		const page = (await call('GET', '/media?limit=2&offset=0&type=image')).body.data;
		expect(page.media.map((m: { id: string }) => m.id)).toEqual([ids[2], ids[1]]);
		expect(page.pagination).toEqual(profile === 'generous' ? { limit: 2, offset: 0, total: 3, has_more: true } : { limit: 2, offset: 0 });
		expect((await call('GET', '/media?limit=2&offset=2')).body.data.media.map((m: { id: string }) => m.id)).toEqual([ids[0]]);
		expectError(await call('GET', '/media?limit=101'), 400, 'validation_error', /limit must be at most 100/);
		const post = (await call('POST', '/posts', { content: 'later', account_ids: [sb.accounts.x], media_ids: [ids[0]], scheduled_for: new Date(sb.now() + 3_600_000).toISOString() })).body.data;
		expectError(await call('DELETE', `/media/${ids[0]}`), 409, 'media_in_use', /force=true/);
		expect((await call('DELETE', `/media/${ids[0]}?force=true`)).body.data).toEqual({ deleted: true, id: ids[0] });
		expect((await call('GET', `/posts/${post.id}`)).body.data.media_ids).toEqual([]);
		expectError(await call('GET', `/media/${ids[0]}`), 404, 'not_found');
	});
});

describe('PostEverywhere upload host streams', () => {
	test('a 96 MiB streamed PUT is counted and hashed, not buffered: memory stays well below the file size', async () => {
		const sb = await startPostEverywhereSandbox({ tickMs: 0, rateLimit: false });
		try {
			const size = 96 * 1024 * 1024;
			const s1 = (await api(sb)('POST', '/media/upload', { filename: 'big.mp4', content_type: 'video/mp4', size })).body.data;
			const chunk = Buffer.alloc(1024 * 1024, 0x5a);
			const expected = createHash('sha256');
			for (let i = 0; i < 96; i++) expected.update(chunk);
			const before = process.memoryUsage();
			let peak = 0;
			const u = new URL(s1.upload_url);
			const status = await new Promise<number>((resolve, reject) => {
				const req = http.request({ host: u.hostname, port: u.port, path: u.pathname, method: 'PUT', headers: { 'Content-Type': 'video/mp4', 'Content-Length': String(size) } }, (res) => {
					res.resume();
					res.on('end', () => resolve(res.statusCode ?? 0));
				});
				req.on('error', reject);
				let sent = 0;
				const pump = () => {
					while (sent < 96) {
						sent++;
						const m = process.memoryUsage();
						peak = Math.max(peak, m.arrayBuffers + m.heapUsed);
						if (!req.write(chunk)) return void req.once('drain', pump);
					}
					req.end();
				};
				pump();
			});
			expect(status).toBe(200);
			expect(sb.state.media.get(s1.media_id)?.stored).toMatchObject({ size, sha256: expected.digest('hex') });
			// client and server share this process: buffering the file would add ≥ 96 MiB
			expect(peak - (before.arrayBuffers + before.heapUsed)).toBeLessThan(48 * 1024 * 1024);
			expect((await api(sb)('POST', `/media/${s1.media_id}/complete`)).body.data).toMatchObject({ status: 'processing', size });
		} finally {
			await sb.stop();
		}
	}, 60_000);
});
