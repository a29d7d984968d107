// §7 AI image (-> media library) and captions; both need the `ai` scope and spend AI credits.
import { createHash } from 'node:crypto';
import { iso } from '../core/clock';
import { SandboxError } from '../core/errors';
import type { Call, Reply } from '../core/server';
import { IMAGE_MODELS } from './constants';
import type { Engine } from './engine';
import { newMedia } from './media';
import type { KeyRecord } from './state';

type C = Call<KeyRecord>;

const SIZES: Record<string, [number, number]> = {
	'1:1': [1024, 1024],
	'16:9': [1344, 768],
	'9:16': [768, 1344],
	'4:3': [1152, 864],
	'3:4': [864, 1152],
	'4:5': [896, 1120],
	'5:4': [1120, 896],
};

function spend(e: Engine, credits: number) {
	const left = e.state.credits.limit + e.state.credits.bonus - e.state.credits.used;
	if (left < credits) throw new SandboxError(402, 'insufficient_credits', `This needs ${credits} AI credits; ${Math.max(0, left)} are left this period`);
	e.state.credits.used += credits;
	return e.state.credits.limit + e.state.credits.bonus - e.state.credits.used;
}

export const generateImage = (e: Engine) => (c: C): Reply => {
	const b = c.body as { prompt: string; aspect_ratio?: string; model?: string };
	const model = b.model ?? 'nano-banana-pro';
	const aspect = b.aspect_ratio ?? '1:1';
	if (b.prompt.includes('[fail]')) throw new SandboxError(500, 'internal_error', 'Image generation failed (sandbox [fail]); no credits were used');
	const remaining = spend(e, IMAGE_MODELS[model]);
	const [width, height] = SIZES[aspect];
	const m = newMedia(e, { type: 'image', mime_type: 'image/png', original_name: 'ai-image.png', source: 'ai', status: 'ready', completed: true, file_size: 1_200_000, width, height, created_at: c.now });
	e.emit('media.uploaded', e.mediaEventData(m), c.now);
	return {
		status: 201,
		data: {
			media_id: m.id,
			media_ids: [m.id],
			type: 'image',
			width,
			height,
			aspect_ratio: aspect,
			ai: { model, prompt: b.prompt },
			credits_used: IMAGE_MODELS[model],
			credits_remaining: remaining,
			created_at: iso(c.now),
			next_step: 'Use media_id in media_ids of POST /posts.',
		},
	};
};

const LENGTHS = { short: 80, medium: 180, long: 400 };

export const generateCaption = (e: Engine) => (c: C): Reply => {
	const b = c.body as { topic: string; platform?: string; tone?: string; length?: keyof typeof LENGTHS; include_hashtags?: boolean; include_emojis?: boolean; count?: number };
	const count = b.count ?? 1;
	const tone = b.tone ?? 'professional';
	const length = b.length ?? 'medium';
	const remaining = spend(e, count);
	const captions = Array.from({ length: count }, (_, i) => {
		const seed = createHash('sha256').update(`${b.topic}|${tone}|${i}`).digest('hex').slice(0, 6);
		let text = `${tone[0].toUpperCase()}${tone.slice(1)} take #${i + 1} on ${b.topic} (${seed}).`;
		while (text.length < LENGTHS[length] - 20) text += ` More about ${b.topic}.`;
		if (b.include_emojis !== false) text += ' ✨';
		if (b.include_hashtags !== false) text += ` #${b.topic.replace(/[^a-z0-9]/gi, '').slice(0, 20) || 'post'}`;
		return b.platform === 'x' || b.platform === 'twitter' ? text.slice(0, 280) : text;
	});
	return {
		status: 200,
		data: { captions, platform: b.platform ?? null, tone, length, count_requested: count, count_returned: captions.length, credits_used: count, credits_remaining: remaining },
	};
};
