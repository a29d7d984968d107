import type { INodeProperties } from 'n8n-workflow';

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
	return {
		displayName: options.displayName ?? 'Generation',
		name: options.name,
		type: 'resourceLocator',
		default: { mode: 'list', value: '' },
		required: options.required ?? true,
		displayOptions: { show: options.show },
		description: options.description ?? 'The caption generation (from Caption → Generate)',
		modes: [
			{
				displayName: 'From List',
				name: 'list',
				type: 'list',
				placeholder: 'Select a generation...',
				typeOptions: {
					searchListMethod: options.completedOnly ? 'searchCompletedGenerations' : 'searchGenerations',
					searchable: true,
				},
			},
			{
				displayName: 'By ID',
				name: 'id',
				type: 'string',
				placeholder: 'e.g. 550e8400-e29b-41d4-a716-446655440000',
			},
		],
	};
}
