/** Contract §8.1: video models, their durations (s), audio support and prompt length. */
export const VIDEO_MODELS = {
	'kling-3.0-pro': { name: 'Kling 3.0 Pro', durations: [5, 10], audio: true, promptMax: 2500 },
	'veo-3.1': { name: 'Google Veo 3.1', durations: [4, 8], audio: true, promptMax: 3000 },
	'runway-gen-4.5': { name: 'Runway Gen-4.5', durations: [5, 10], audio: false, promptMax: 1000 },
} as const;

export type VideoModel = keyof typeof VIDEO_MODELS;
export const VIDEO_MODEL_IDS = Object.keys(VIDEO_MODELS) as VideoModel[];
export const VIDEO_SIZES = ['landscape', 'portrait'] as const;
