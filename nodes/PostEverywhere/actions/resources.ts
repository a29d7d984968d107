import type { Resource } from '../../shared/router';
import { account } from './account';
import { ai } from './ai';
import { analytics } from './analytics';
import { apiKey } from './apiKey';
import { campaign } from './campaign';
import { media } from './media';
import { platformRule } from './platformRule';
import { post } from './post';
import { webhook } from './webhook';

/** Every resource of the PostEverywhere node, by the value of its `resource` parameter. */
export const resources: Record<string, Resource> = { post, account, media, ai, apiKey, analytics, platformRule, campaign, webhook };
