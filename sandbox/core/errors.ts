// A provider-neutral API error. The provider decides how it is serialized (its documented error shape).

export class SandboxError extends Error {
	constructor(
		public readonly status: number,
		public readonly code: string,
		message: string,
		public readonly details?: Record<string, unknown>,
		public readonly headers: Record<string, string> = {},
	) {
		super(message);
	}
}
