/** Contract §7.1: image models and the sizes each supports (`gpt-image-2` has no `feed`). */
export const IMAGE_MODELS = {
	'flux2-flex': { name: 'FLUX.2 Flex', sizes: ['square', 'feed', 'portrait', 'landscape'] },
	'ideogram-3': { name: 'Ideogram 3.0', sizes: ['square', 'feed', 'portrait', 'landscape'] },
	'gpt-image-2': { name: 'GPT Image 2', sizes: ['square', 'portrait', 'landscape'] },
	'nano-banana-2': { name: 'Nano Banana 2', sizes: ['square', 'feed', 'portrait', 'landscape'] },
} as const;

export type ImageModel = keyof typeof IMAGE_MODELS;
export const IMAGE_MODEL_IDS = Object.keys(IMAGE_MODELS) as ImageModel[];
export const IMAGE_SIZES = ['square', 'feed', 'portrait', 'landscape'] as const;
export const IMAGE_MODES = ['text', 'reference', 'post'] as const;
