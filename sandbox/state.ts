// In-memory state of the sandbox. Times are sandbox-clock epoch milliseconds.
import { ACCOUNTS, KEYS, PLATFORMS, WORKSPACES, type Platform, type Scope, PRESET_DRAFT_ONLY, PRESET_FULL, PRESET_READ_ONLY } from './constants';

export type JobStatus = 'pending' | 'processing' | 'completed' | 'failed';
export type PostStatus = 'draft' | 'scheduled' | 'publishing' | 'published' | 'failed';
export type ItemStatus = 'draft' | 'posting' | 'posted' | 'failed';

export interface ApiKeyRecord {
	key: string;
	label: string; // 'full' | 'draftOnly' | 'readOnly' | 'noCredits' | 'custom:<n>'
	account: string;
	scopes: Set<string>;
}

export interface WorkspaceRecord {
	id: string;
	/** accounts that may use it (see ASSUMPTIONS.md: the noCredits account shares primary/secondary) */
	accounts: Set<string>;
}

export interface MediaRecord {
	media_id: string;
	workspace: string;
	account: string;
	type: 'image' | 'video';
	file_name: string;
	file_size: number;
	mime_type: string;
	created_at: number;
	source: 'upload' | 'image-generation' | 'video-generation';
	sha256?: string;
	width?: number;
	height?: number;
	duration?: number;
}

export interface JobError {
	code: string;
	message: string;
}

export interface CaptionGeneration {
	generation_id: string;
	workspace: string;
	account: string;
	status: JobStatus;
	prompt: string | null;
	post_types: string[];
	platforms: Platform[];
	research_mode: 'regular' | 'deep';
	media_ids: string[];
	writing_style_id: string | null;
	cta_text: string | null;
	source_urls: string[];
	credits_charged: number;
	credits_used: number; // net of refunds
	created_at: number;
	completes_at: number;
	completed_at?: number;
	outputs?: Record<string, string | { title: string; description: string }>;
	error?: JobError;
}

export interface ImageGeneration {
	image_generation_id: string;
	workspace: string;
	account: string;
	status: JobStatus;
	prompt: string | null;
	size: string;
	quantity: number;
	model: string;
	enhance_prompt: boolean;
	style_images: string[];
	generation_id: string | null;
	source_post_type: string | null;
	credits_charged: number;
	credits_used: number;
	created_at: number;
	completes_at: number;
	completed_at?: number;
	images: string[]; // media ids
	error?: JobError;
}

export interface VideoGeneration {
	video_generation_id: string;
	workspace: string;
	account: string;
	status: JobStatus;
	prompt: string;
	size: string;
	duration: number;
	model: string;
	has_audio: boolean;
	enhance_prompt: boolean;
	source_image: string | null;
	credits_charged: number;
	credits_used: number;
	created_at: number;
	completes_at: number;
	completed_at?: number;
	video?: string; // media id
	error?: JobError;
}

export interface PostItemRecord {
	item_id: string;
	post_id: string;
	post_type: string;
	platform: Platform;
	content: string;
	title?: string;
	media_ids: string[];
	status: ItemStatus;
	platform_post_id?: string;
	posting_at?: number;
	posted_at?: number;
	failed_at?: number;
	error?: JobError;
	credits_charged?: number;
}

export interface PostRecord {
	post_id: string;
	workspace: string;
	account: string;
	status: PostStatus;
	generation_id: string | null;
	items: PostItemRecord[];
	created_at: number;
	updated_at: number;
	scheduled_at: number | null;
	published_at: number | null;
	/** sandbox clock time the current publish run started (internal) */
	publish_started_at?: number;
}

export interface CalendarEntryRecord {
	entry_id: string;
	workspace: string;
	title: string;
	description: string | null;
	scheduled_date: string;
	scheduled_time: string | null;
	platforms: Platform[];
	created_at: number;
	updated_at: number;
}

export interface SandboxState {
	keys: Map<string, ApiKeyRecord>;
	workspaces: Map<string, WorkspaceRecord>;
	/** balance per account id */
	credits: Map<string, number>;
	/** storage used per account id (uploaded bytes) */
	storageUsed: Map<string, number>;
	/** connected platforms per workspace id */
	connections: Map<string, Set<Platform>>;
	media: Map<string, MediaRecord>;
	generations: Map<string, CaptionGeneration>;
	imageGenerations: Map<string, ImageGeneration>;
	videoGenerations: Map<string, VideoGeneration>;
	posts: Map<string, PostRecord>;
	/** item id -> post id */
	itemIndex: Map<string, string>;
	calendar: Map<string, CalendarEntryRecord>;
	/** ids of jobs/posts that still change with time (internal, keeps ticks cheap) */
	active: { generations: Set<string>; images: Set<string>; videos: Set<string>; posts: Set<string> };
}

export function createKeys(): Map<string, ApiKeyRecord> {
	const keys = new Map<string, ApiKeyRecord>();
	const add = (key: string, label: string, account: string, scopes: Scope[]) =>
		keys.set(key, { key, label, account, scopes: new Set(scopes) });
	add(KEYS.full, 'full', ACCOUNTS.main, PRESET_FULL);
	add(KEYS.draftOnly, 'draftOnly', ACCOUNTS.main, PRESET_DRAFT_ONLY);
	add(KEYS.readOnly, 'readOnly', ACCOUNTS.main, PRESET_READ_ONLY);
	add(KEYS.noCredits, 'noCredits', ACCOUNTS.empty, PRESET_FULL);
	return keys;
}

export function defaultConnections(): Map<string, Set<Platform>> {
	return new Map<string, Set<Platform>>([
		[WORKSPACES.primary, new Set<Platform>(PLATFORMS)],
		[WORKSPACES.secondary, new Set<Platform>(['instagram', 'x'])],
		[WORKSPACES.foreign, new Set<Platform>(PLATFORMS)],
	]);
}

export function createState(initialCredits: number, keys?: Map<string, ApiKeyRecord>): SandboxState {
	return {
		keys: keys ?? createKeys(),
		workspaces: new Map([
			[WORKSPACES.primary, { id: WORKSPACES.primary, accounts: new Set([ACCOUNTS.main, ACCOUNTS.empty]) }],
			[WORKSPACES.secondary, { id: WORKSPACES.secondary, accounts: new Set([ACCOUNTS.main, ACCOUNTS.empty]) }],
			[WORKSPACES.foreign, { id: WORKSPACES.foreign, accounts: new Set([ACCOUNTS.other]) }],
		]),
		credits: new Map([
			[ACCOUNTS.main, initialCredits],
			[ACCOUNTS.empty, 0],
			[ACCOUNTS.other, initialCredits],
		]),
		storageUsed: new Map(),
		connections: defaultConnections(),
		media: new Map(),
		generations: new Map(),
		imageGenerations: new Map(),
		videoGenerations: new Map(),
		posts: new Map(),
		itemIndex: new Map(),
		calendar: new Map(),
		active: { generations: new Set(), images: new Set(), videos: new Set(), posts: new Set() },
	};
}

/** Replace the contents of `target` with `fresh` in place (so references held by tests stay valid). */
export function resetStateInPlace(target: SandboxState, fresh: SandboxState): void {
	const copyMap = <K, V>(t: Map<K, V>, f: Map<K, V>) => {
		t.clear();
		for (const [k, v] of f) t.set(k, v);
	};
	copyMap(target.workspaces, fresh.workspaces);
	copyMap(target.credits, fresh.credits);
	copyMap(target.storageUsed, fresh.storageUsed);
	copyMap(target.connections, fresh.connections);
	copyMap(target.media, fresh.media);
	copyMap(target.generations, fresh.generations);
	copyMap(target.imageGenerations, fresh.imageGenerations);
	copyMap(target.videoGenerations, fresh.videoGenerations);
	copyMap(target.posts, fresh.posts);
	copyMap(target.itemIndex, fresh.itemIndex);
	copyMap(target.calendar, fresh.calendar);
	for (const k of Object.keys(target.active) as (keyof SandboxState['active'])[]) target.active[k].clear();
	// keys (incl. custom ones) survive a reset
}
