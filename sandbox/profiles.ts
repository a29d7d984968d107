// Sandbox profiles: every behaviour of the sandbox that the contract (docs/api/powerpost.md) does not
// document is a named switch here. `generous` turns them all on (the sandbox as it always was);
// `strict` turns them all off, so the sandbox answers only what the contract and its §17
// assumptions promise. See ASSUMPTIONS.md ("Switches") for the list and the reasons.
// Resolution is the shared one of sandbox/core/profiles.ts.
import { isProfileName, resolveSwitches, type ProfileName, type SwitchSpec } from './core/profiles';

export { isProfileName };
export type { ProfileName };

const on = (description: string): SwitchSpec => ({ description, generous: true });

const SWITCH_SPECS = {
	postUpdatedAt: on('Posts carry `updated_at` (moved on every post or item status change). Not in §9.1/§9.2/§17.3.'),
	postPublishedAt: on('Posts carry `published_at`. Not in §9.1/§9.2/§17.3.'),
	postGenerationId: on('Posts echo `generation_id`. The create body has it (§9.1); no response shape shows it.'),
	itemTimestamps: on('Items carry `posted_at` / `failed_at`. §17.3 names only `platform_post_id` and the error.'),
	itemTitle: on('Items echo `title`. The §9.1 response shape lists no `title`.'),
	listByUpdatedAt: on('`GET /posts` ordered by `updated_at` desc. Off: newest created first (§17.2, the Generations pattern).'),
	errorScope: on('403 `INSUFFICIENT_SCOPE` carries `error.scope`. §17.7: the field naming the scope is unknown.'),
	imageModel: on('`GET /images/generations/{id}` returns `model`. Not in §7.2.'),
};

export type Switches = Record<keyof typeof SWITCH_SPECS, boolean>;

export const PROFILES: Record<ProfileName, Switches> = {
	generous: resolveSwitches(SWITCH_SPECS, 'generous'),
	strict: resolveSwitches(SWITCH_SPECS, 'strict'),
};

export const PROFILE_NAMES: ProfileName[] = ['generous', 'strict'];

/** Env var that picks the default profile of every sandbox a test run starts. */
export const PROFILE_ENV = 'POWERPOST_SANDBOX_PROFILE';

/** The profile asked for (option, else env, else generous) with optional per-switch overrides. */
export function resolveProfile(profile?: string, overrides: Partial<Switches> = {}): { name: ProfileName; switches: Switches } {
	const asked = profile ?? process.env[PROFILE_ENV] ?? 'generous';
	if (!isProfileName(asked)) throw new Error(`Unknown sandbox profile "${asked}": use ${PROFILE_NAMES.join(' or ')}`);
	return { name: asked, switches: resolveSwitches(SWITCH_SPECS, asked, overrides) };
}
