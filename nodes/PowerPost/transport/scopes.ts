/** Contract §2.3 / §16: the scope each endpoint needs, used to name it when a 403 does not. */
const SCOPE_BY_ENDPOINT: Array<[string, RegExp, string]> = [
	['GET', /^\/account\/credits$/, 'account:read'],
	['POST', /^\/media\/upload$/, 'media:write'],
	['POST', /^\/content\/generate$/, 'content:generate'],
	['GET', /^\/content\/generations(\/[^/]+)?$/, 'content:read'],
	['POST', /^\/images\/generate$/, 'images:generate'],
	['GET', /^\/images\/generations\/[^/]+$/, 'images:read'],
	['POST', /^\/videos\/generate$/, 'videos:generate'],
	['GET', /^\/videos\/generations\/[^/]+$/, 'videos:read'],
	['POST', /^\/posts$/, 'posts:write'],
	['GET', /^\/posts(\/[^/]+)?$/, 'posts:read'],
	['POST', /^\/posts\/[^/]+\/(publish|schedule|cancel-publish)$/, 'posts:publish'],
	['GET', /^\/post-items\/[^/]+\/analytics$/, 'analytics:read'],
	['GET', /^\/calendar\/entries(\/[^/]+)?$/, 'calendar:read'],
	['POST', /^\/calendar\/entries$/, 'calendar:write'],
	['PATCH', /^\/calendar\/entries\/[^/]+$/, 'calendar:write'],
	['DELETE', /^\/calendar\/entries\/[^/]+$/, 'calendar:write'],
];

export function scopeFor(method: string, path: string): string | undefined {
	const bare = path.split('?')[0];
	return SCOPE_BY_ENDPOINT.find(([m, pattern]) => m === method && pattern.test(bare))?.[2];
}

/** Which dashboard key presets include a scope (contract §2.3 presets). */
export function presetsWith(scope: string): string[] {
	const presets = ['Full access'];
	if (scope !== 'posts:publish') presets.push('Draft only');
	if (scope.endsWith(':read')) presets.push('Read only');
	return presets;
}
