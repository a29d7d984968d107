/** @type {import('jest').Config} */
const base = {
	testEnvironment: 'node',
	transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.test.json' }] },
	// fresh N8N_USER_FOLDER per test file (n8n-core must never write ~/.n8n)
	setupFiles: ['<rootDir>/test/harness/setup.ts'],
	// A hang guard, not a timing assertion: jest's 5 s default fails healthy tests on a loaded
	// 2-core machine (the first test of a file loads n8n-core).
	testTimeout: 60_000,
};

module.exports = {
	// an upper bound for hung tests, not a speed check: on a shared 2-core machine under load a
	// sandbox round trip can take seconds, and jest's 5 s default failed tests that were only slow
	testTimeout: 60_000,
	projects: [
		{
			...base,
			displayName: 'unit',
			testMatch: ['<rootDir>/test/unit/**/*.test.ts', '<rootDir>/test/sandbox/**/*.test.ts'],
		},
		{
			...base,
			displayName: 'contract',
			testMatch: ['<rootDir>/test/contract/**/*.test.ts'],
		},
		{
			...base,
			displayName: 'scripts',
			testMatch: ['<rootDir>/test/scripts/**/*.test.ts'],
		},
		{
			...base,
			displayName: 'faults',
			testMatch: ['<rootDir>/test/faults/**/*.test.ts'],
		},
	],
};
