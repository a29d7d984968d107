// Sandbox profiles: every behaviour of the sandbox that the contract (docs/api/powerpost.md)
// does not document is a named switch here. `generous` turns them all on (the sandbox as it always
// was); `strict` turns them all off, so the sandbox answers only what the contract and its §17
// assumptions promise. See ASSUMPTIONS.md ("Switches") for the list and the reasons.

export interface Switches {
	/** Posts carry `updated_at` (moved on every post or item status change). Not in §9.1/§9.2/§17.3. */
	postUpdatedAt: boolean;
	/** Posts carry `published_at`. Not in §9.1/§9.2/§17.3. */
	postPublishedAt: boolean;
	/** Posts echo `generation_id`. The create body has it (§9.1); no response shape shows it. */
	postGenerationId: boolean;
	/** Items carry `posted_at` / `failed_at`. §17.3 names only `platform_post_id` and the error. */
	itemTimestamps: boolean;
	/** Items echo `title`. The §9.1 response shape lists no `title`. */
	itemTitle: boolean;
	/** `GET /posts` ordered by `updated_at` desc. Off: newest created first (§17.2, the Generations pattern). */
	listByUpdatedAt: boolean;
	/** 403 `INSUFFICIENT_SCOPE` carries `error.scope`. §17.7: the field naming the scope is unknown. */
	errorScope: boolean;
	/** `GET /images/generations/{id}` returns `model`. Not in §7.2. */
	imageModel: boolean;
}

export type ProfileName = 'generous' | 'strict';

const ALL_ON: Switches = {
	postUpdatedAt: true,
	postPublishedAt: true,
	postGenerationId: true,
	itemTimestamps: true,
	itemTitle: true,
	listByUpdatedAt: true,
	errorScope: true,
	imageModel: true,
};

export const PROFILES: Record<ProfileName, Switches> = {
	generous: ALL_ON,
	strict: Object.fromEntries(Object.keys(ALL_ON).map((name) => [name, false])) as unknown as Switches,
};

export const PROFILE_NAMES = Object.keys(PROFILES) as ProfileName[];

/** Env var that picks the default profile of every sandbox a test run starts. */
export const PROFILE_ENV = 'POWERPOST_SANDBOX_PROFILE';

export function isProfileName(value: unknown): value is ProfileName {
	return typeof value === 'string' && (PROFILE_NAMES as string[]).includes(value);
}

/** The profile asked for (option, else env, else generous) with optional per-switch overrides. */
export function resolveProfile(profile?: string, overrides: Partial<Switches> = {}): { name: ProfileName; switches: Switches } {
	const asked = profile ?? process.env[PROFILE_ENV] ?? 'generous';
	if (!isProfileName(asked)) throw new Error(`Unknown sandbox profile "${asked}": use ${PROFILE_NAMES.join(' or ')}`);
	return { name: asked, switches: { ...PROFILES[asked], ...overrides } };
}
