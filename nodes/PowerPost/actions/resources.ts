import { account } from './account';
import { analytics } from './analytics';
import { calendar } from './calendar';
import { caption } from './caption';
import { image } from './image';
import { media } from './media';
import { post } from './post';
import type { Resource } from '../../shared/router';
import { video } from './video';

/** Every resource of the node, by the value of its `resource` parameter. */
export const resources: Record<string, Resource> = {
	account,
	media,
	caption,
	image,
	video,
	post,
	analytics,
	calendar,
};
