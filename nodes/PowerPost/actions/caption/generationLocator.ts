import type { INodeProperties } from 'n8n-workflow';

import { listOrIdLocator } from '../../../shared/locator';

/**
 * A caption generation picked "From list" (searchGenerations / searchCompletedGenerations) or
 * typed "By ID". Used by Caption → Get, Image → Generate (post mode) and Post → Create.
 */
export function generationLocator(options: {
	name: string;
	displayName?: string;
	show: Record<string, Array<string | boolean>>;
	completedOnly?: boolean;
	required?: boolean;
	description?: string;
}): INodeProperties {
	return listOrIdLocator({
		displayName: options.displayName ?? 'Generation',
		name: options.name,
		required: options.required,
		show: options.show,
		description: options.description ?? 'The caption generation (from Caption → Generate)',
		searchListMethod: options.completedOnly ? 'searchCompletedGenerations' : 'searchGenerations',
		listPlaceholder: 'Select a generation...',
		placeholder: 'e.g. 550e8400-e29b-41d4-a716-446655440000',
	});
}
