// Profiles: every sandbox behaviour the contract does not document is a named switch. `strict` turns
// all of them off; `generous` turns on the ones a provider marks as generous. Single switches can be
// overridden on top of a profile (e.g. strict, but local webhook URLs allowed for an e2e run).

export type ProfileName = 'strict' | 'generous';
export const PROFILES: readonly ProfileName[] = ['strict', 'generous'];

export interface SwitchSpec {
	/** what the sandbox does when the switch is on (and, implicitly, that it does not when off) */
	description: string;
	/** value in the generous profile (strict is always off) */
	generous: boolean;
}

export type Switches<S extends string> = Record<S, boolean>;

export function isProfileName(v: unknown): v is ProfileName {
	return v === 'strict' || v === 'generous';
}

export function resolveSwitches<S extends string>(
	specs: Record<S, SwitchSpec>,
	profile: ProfileName,
	overrides: Partial<Record<S, boolean>> = {},
): Switches<S> {
	const out = {} as Switches<S>;
	for (const name of Object.keys(specs) as S[]) {
		out[name] = profile === 'generous' ? specs[name].generous : false;
	}
	for (const [name, value] of Object.entries(overrides) as [S, boolean | undefined][]) {
		if (!(name in specs)) throw new Error(`unknown sandbox switch "${name}" (known: ${Object.keys(specs).join(', ')})`);
		if (typeof value === 'boolean') out[name] = value;
	}
	return out;
}

/**
 * Control routes `GET /switches` and `POST /switches {name: boolean}` (also `{switches: {...}}`):
 * read or flip single switches at run time; unknown names and non-boolean values are refused.
 */
export function switchesControl(profile: ProfileName, switches: Record<string, boolean>) {
	const view = () => ({ profile, switches });
	return [
		{ method: 'GET' as const, path: '/switches', handler: view },
		{
			method: 'POST' as const,
			path: '/switches',
			handler: (body: Record<string, unknown>) => {
				const changes = (body.switches && typeof body.switches === 'object' ? body.switches : body) as Record<string, unknown>;
				for (const [name, value] of Object.entries(changes))
					if (!(name in switches) || typeof value !== 'boolean')
						throw new Error(`unknown switch or non-boolean value: ${name} (known: ${Object.keys(switches).join(', ')})`);
				Object.assign(switches, changes);
				return view();
			},
		},
	];
}
