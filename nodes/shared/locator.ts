import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { Checker } from './validation';

/** A resource locator: pick from a searchable list, or give the ID. */
export function listOrIdLocator(options: {
	displayName: string;
	name: string;
	description: string;
	searchListMethod: string;
	show: Record<string, Array<string | boolean>>;
	placeholder: string;
	/** Placeholder of the "From List" search box. */
	listPlaceholder?: string;
	required?: boolean;
}): INodeProperties {
	return {
		displayName: options.displayName,
		name: options.name,
		type: 'resourceLocator',
		default: { mode: 'list', value: '' },
		required: options.required ?? true,
		description: options.description,
		displayOptions: { show: options.show },
		modes: [
			{
				displayName: 'From List',
				name: 'list',
				type: 'list',
				...(options.listPlaceholder ? { placeholder: options.listPlaceholder } : {}),
				typeOptions: { searchListMethod: options.searchListMethod, searchable: true },
			},
			{ displayName: 'By ID', name: 'id', type: 'string', placeholder: options.placeholder },
		],
	};
}

/** Reads the value of a resource locator (or a plain string mapped into it), trimmed and required. */
export function locatorValue(ctx: IExecuteFunctions, name: string, field: string, itemIndex: number, rules: { max?: number } = {}): string {
	const raw = ctx.getNodeParameter(name, itemIndex, '', { extractValue: true }) as unknown;
	return new Checker(ctx.getNode(), itemIndex).requiredText(field, raw, rules);
}
