// Typed failures of the Spheron API client. Messages are written for users and never contain
// the API key, request headers or raw response bodies.

export type SpheronErrorKind =
  | 'auth'
  | 'not-found'
  | 'validation'
  | 'insufficient-balance'
  | 'minimum-runtime'
  | 'rate-limit'
  | 'server'
  | 'network'
  | 'timeout'
  | 'cancelled'
  | 'schema'
  | 'blocked'
  | 'too-large';

export abstract class SpheronError extends Error {
  abstract readonly kind: SpheronErrorKind;
  /** `METHOD /path` with ids replaced by placeholders, e.g. `GET /api/deployments/{id}`. */
  readonly endpoint: string;

  protected constructor(message: string, endpoint: string) {
    super(message);
    this.name = new.target.name;
    this.endpoint = endpoint;
  }
}

/** 401 or 403: the key is missing, wrong or lacks permission. */
export class AuthError extends SpheronError {
  readonly kind = 'auth';
  constructor(
    readonly status: 401 | 403,
    endpoint: string,
    readonly serverMessage: string | undefined,
    /** `missing`: no key was available, so nothing was sent. */
    readonly reason: 'rejected' | 'missing' = 'rejected',
  ) {
    super(
      reason === 'missing'
        ? 'Sign in to Spheron with an API key first.'
        : status === 401
          ? 'Spheron rejected the API key. Sign in again with a valid key.'
          : `Spheron refused access${serverMessage ? `: ${serverMessage}` : ''}. Check the key's team and role.`,
      endpoint,
    );
  }
}

/**
 * A 403 that is not the API's own JSON answer: a web firewall in front of Spheron refused the
 * request (the live API did this to some default user agents), so the key is not the problem.
 */
export class BlockedError extends SpheronError {
  readonly kind = 'blocked';
  readonly status = 403;
  constructor(
    endpoint: string,
    /** The first line of the firewall's page, capped and redacted. */
    readonly serverMessage: string | undefined,
  ) {
    super(
      `A firewall in front of Spheron refused the request (HTTP 403${serverMessage ? `: ${serverMessage}` : ''}). This is not about your API key; if it keeps happening, tell Spheron support.`,
      endpoint,
    );
  }
}

export class NotFoundError extends SpheronError {
  readonly kind = 'not-found';
  constructor(endpoint: string, serverMessage: string | undefined) {
    super(serverMessage ? `Not found: ${serverMessage}` : 'Spheron could not find that resource.', endpoint);
  }
}

/** 400: the request was refused; `serverMessage` is the server's own words. */
export class ValidationError extends SpheronError {
  readonly kind: 'validation' | 'insufficient-balance' = 'validation';
  constructor(
    endpoint: string,
    readonly serverMessage: string,
    readonly details: Readonly<Record<string, unknown>> = {},
  ) {
    super(serverMessage, endpoint);
  }
}

/** The team's balance cannot pay for the request (the API's status for this is uncertain). */
export class InsufficientBalanceError extends ValidationError {
  override readonly kind = 'insufficient-balance';
}

/** DELETE inside the minimum runtime window. */
export class MinimumRuntimeError extends SpheronError {
  readonly kind = 'minimum-runtime';
  constructor(
    endpoint: string,
    /** Whole minutes until termination is allowed. */
    readonly timeRemaining: number,
    readonly minimumRuntime: number | undefined,
  ) {
    super(
      `Spheron allows terminating this instance in ${timeRemaining} minute${timeRemaining === 1 ? '' : 's'} (minimum runtime${minimumRuntime ? ` ${minimumRuntime} minutes` : ''}).`,
      endpoint,
    );
  }
}

export class RateLimitError extends SpheronError {
  readonly kind = 'rate-limit';
  constructor(
    endpoint: string,
    /** How long the server asked us to wait, in milliseconds. */
    readonly retryAfterMs: number,
  ) {
    // No usable wait (none given, or 0): say so rather than "0 s".
    super(
      retryAfterMs > 0
        ? `Spheron's rate limit was reached. Try again in ${Math.ceil(retryAfterMs / 1000)} s.`
        : "Spheron's rate limit was reached. Wait a minute, then try again.",
      endpoint,
    );
  }
}

export class ServerError extends SpheronError {
  readonly kind = 'server';
  constructor(
    readonly status: number,
    endpoint: string,
    readonly serverMessage: string | undefined,
  ) {
    super(
      `Spheron answered with an error (HTTP ${status})${serverMessage ? `: ${serverMessage}` : ''}.`,
      endpoint,
    );
  }
}

export class NetworkError extends SpheronError {
  readonly kind = 'network';
  constructor(
    endpoint: string,
    /** A short cause such as `ECONNREFUSED`; never a URL with credentials. */
    readonly causeCode: string | undefined,
  ) {
    super(
      `Could not reach Spheron${causeCode ? ` (${causeCode})` : ''}. Check the network and the API URL.`,
      endpoint,
    );
  }
}

export class TimeoutError extends SpheronError {
  readonly kind = 'timeout';
  constructor(
    endpoint: string,
    readonly timeoutMs: number,
  ) {
    super(`Spheron did not answer within ${Math.round(timeoutMs / 1000)} s.`, endpoint);
  }
}

/** The answer was larger than the client reads (`limitBytes`); reading stopped there. */
export class ResponseTooLargeError extends SpheronError {
  readonly kind = 'too-large';
  constructor(
    endpoint: string,
    readonly limitBytes: number,
  ) {
    super(
      `Spheron sent an answer larger than ${Math.round(limitBytes / (1024 * 1024))} MB; the extension stopped reading it.`,
      endpoint,
    );
  }
}

/** The caller aborted. Shown to nobody. */
export class CancelledError extends SpheronError {
  readonly kind = 'cancelled';
  constructor(endpoint = '') {
    super('Cancelled.', endpoint);
  }
}

/** The response was not the JSON shape the contract describes. No partial data is returned. */
export class SchemaError extends SpheronError {
  readonly kind = 'schema';
  constructor(
    endpoint: string,
    /** Path of the first failing value, e.g. `data.3.offers.0.price`; empty for invalid JSON. */
    readonly issuePath: string,
    readonly issue: string,
  ) {
    super(
      `Spheron sent a response this extension does not understand (${endpoint}${issuePath ? ` at ${issuePath}` : ''}: ${issue}).`,
      endpoint,
    );
  }
}

export function isCancellation(error: unknown): boolean {
  return (
    error instanceof CancelledError ||
    (error instanceof Error && (error.name === 'AbortError' || error.name === 'Canceled'))
  );
}
