import type { IDataObject } from 'n8n-workflow';

import type { Checker } from '../../../shared/validation';
import { jsonValue } from '../common';

/**
 * Contract §4.1 `platform_content`: per-platform overrides keyed by platform. Known keys are checked
 * against the documented values before any request; platforms the contract does not list yet pass
 * through (§15.18).
 */
const CONTENT_TYPES: Record<string, readonly string[]> = {
	instagram: ['Post', 'Story', 'Reels', 'Trial Reel'],
	facebook: ['Post', 'Reels', 'Story'],
	youtube: ['Video', 'Short'],
};
const TIKTOK_PRIVACY = ['PUBLIC_TO_EVERYONE', 'MUTUAL_FOLLOW_FRIENDS', 'FOLLOWER_OF_CREATOR', 'SELF_ONLY'] as const;
const YOUTUBE_PRIVACY = ['public', 'unlisted', 'private'] as const;
const CONTENT_MAX: Record<string, number> = { x: 280, instagram: 2200 };

function objectOf(check: Checker, field: string, value: unknown): IDataObject {
	if (!value || typeof value !== 'object' || Array.isArray(value)) check.fail(field, 'must be an object', 'a JSON object, e.g. {"content": "…"}');
	return value as IDataObject;
}

export function readPlatformContent(check: Checker, value: unknown): IDataObject | undefined {
	const field = 'Platform Content';
	const parsed = jsonValue(check, field, value);
	if (parsed === undefined || parsed === null) return undefined;
	const root = objectOf(check, field, parsed);
	if (Object.keys(root).length === 0) return undefined;
	for (const [platform, entry] of Object.entries(root)) {
		const at = `${field} → ${platform}`;
		if (!/^[a-z]+$/.test(platform)) check.fail(field, `"${platform}" is not a platform key`, 'lowercase platform names: instagram, tiktok, youtube, linkedin, x, facebook, threads');
		const settings = objectOf(check, at, entry);
		if (settings.content !== undefined) {
			const max = CONTENT_MAX[platform];
			check.text(`${at} → content`, settings.content, max ? { max } : {});
		}
		if (settings.contentType !== undefined && CONTENT_TYPES[platform]) check.oneOf(`${at} → contentType`, settings.contentType, CONTENT_TYPES[platform]);
		const inner = settings.settings === undefined ? {} : objectOf(check, `${at} → settings`, settings.settings);
		if (platform === 'instagram' && inner.altText !== undefined) check.text(`${at} → settings.altText`, inner.altText, { max: 100 });
		if (platform === 'tiktok') {
			if (inner.privacyLevel !== undefined) check.oneOf(`${at} → settings.privacyLevel`, inner.privacyLevel, TIKTOK_PRIVACY);
			for (const flag of ['allowComments', 'allowDuet', 'allowStitch']) if (inner[flag] !== undefined) check.boolean(`${at} → settings.${flag}`, inner[flag]);
		}
		if (platform === 'youtube') {
			check.requiredText(`${at} → settings.title`, inner.title, { max: 100 });
			if (inner.privacyStatus !== undefined) check.oneOf(`${at} → settings.privacyStatus`, inner.privacyStatus, YOUTUBE_PRIVACY);
			if (inner.tags !== undefined) check.list(`${at} → settings.tags`, inner.tags);
		}
	}
	return root;
}
