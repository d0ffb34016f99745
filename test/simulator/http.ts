// Handler-facing request/response types and the error-body helpers (contract §6: `{error, message, ...}`).

export interface ApiResponse {
  readonly status: number;
  readonly body?: unknown;
  /** Pre-serialised JSON bytes, used instead of `body` (the offers pages). */
  readonly rawJson?: Buffer;
  /** Non-JSON answer text (the WAF's 403). */
  readonly text?: string;
  readonly headers?: Readonly<Record<string, string>>;
}

export interface RequestContext {
  readonly params: Readonly<Record<string, string>>;
  readonly query: URLSearchParams;
  /** Parsed JSON body; undefined when there was none. */
  readonly body: unknown;
  /** Simulated clock, read once per request. */
  readonly nowMs: number;
}

export function ok(body: unknown, status = 200): ApiResponse {
  return { status, body };
}

export function fail(
  status: number,
  error: string,
  message: string,
  extra: Readonly<Record<string, unknown>> = {},
): ApiResponse {
  return { status, body: { error, message, ...extra } };
}

export function notFound(what: string): ApiResponse {
  return fail(404, 'Not found', `${what} not found`);
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Thrown by admin/programmatic operations; the admin API answers it with its status. */
export class SimulatorRequestError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'SimulatorRequestError';
  }
}
