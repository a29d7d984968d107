import { SandboxError } from './core/errors';

/** PowerPost's error: `{error: {code, message, ...extra}}` (a SandboxError of the core frame). */
export class ApiError extends SandboxError {
	constructor(
		status: number,
		code: string,
		message: string,
		public readonly extra: Record<string, unknown> = {},
		headers: Record<string, string> = {},
	) {
		super(status, code, message, extra, headers);
	}
	body(): { error: Record<string, unknown> } {
		return { error: { code: this.code, message: this.message, ...this.extra } };
	}
}

export const validation = (message: string) => new ApiError(400, 'VALIDATION_ERROR', message);
export const notFound = (what: string) => new ApiError(404, 'NOT_FOUND', `${what} not found`);

export function check(cond: unknown, message: string): asserts cond {
	if (!cond) throw validation(message);
}

/** Documented error code for a bare HTTP status (used by 'status' faults). */
export function codeForStatus(status: number): string {
	switch (status) {
		case 400:
			return 'VALIDATION_ERROR';
		case 401:
			return 'INVALID_API_KEY';
		case 402:
			return 'INSUFFICIENT_CREDITS';
		case 403:
			return 'FORBIDDEN';
		case 404:
			return 'NOT_FOUND';
		case 409:
			return 'ALREADY_PUBLISHED';
		case 413:
			return 'FILE_TOO_LARGE';
		case 422:
			return 'PLATFORM_NOT_CONNECTED';
		case 429:
			return 'RATE_LIMIT_EXCEEDED';
		default:
			return 'INTERNAL_ERROR';
	}
}
