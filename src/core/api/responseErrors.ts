// Non-2xx answers → typed errors (contract §4.7, §6). Error bodies are read leniently: any JSON
// object, or nothing at all (a gateway's HTML page).
import {
  AuthError,
  InsufficientBalanceError,
  MinimumRuntimeError,
  NotFoundError,
  RateLimitError,
  ServerError,
  ValidationError,
} from './errors';
import type { SpheronError } from './errors';
import { redactJson } from './redact';
import { rateLimitDelayMs } from './retry';
import { errorBodySchema } from './schemas';
import type { WireErrorBody } from './schemas';

export const TERMINATE_ENDPOINT = 'DELETE /api/deployments/{id}';
export const TERMINATED_STATUSES: readonly string[] = ['terminated', 'terminated-provider'];

const MAX_SERVER_MESSAGE_LENGTH = 300;

export interface ErrorResponse {
  readonly endpoint: string;
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly bodyText: string;
  readonly nowMs: number;
  /** Scrubbed from everything taken from the body. */
  readonly secret: string | undefined;
}

export function errorFromResponse(response: ErrorResponse): SpheronError {
  const { endpoint, status } = response;
  const body = readErrorBody(response.bodyText, response.secret);
  const message = serverMessage(body);
  const details: Readonly<Record<string, unknown>> = body;

  if (status === 401 || status === 403) {
    return new AuthError(status, endpoint, message);
  }
  if (status === 404) {
    return new NotFoundError(endpoint, message);
  }
  if (status === 429) {
    return new RateLimitError(
      endpoint,
      rateLimitDelayMs(response.headers['retry-after'], body.retryAfter, response.nowMs),
    );
  }
  if (status === 402) {
    return new InsufficientBalanceError(
      endpoint,
      message ?? 'The team balance is too low for this request.',
      details,
    );
  }
  if (status >= 400 && status < 500) {
    if (endpoint === TERMINATE_ENDPOINT && typeof body.timeRemaining === 'number') {
      return new MinimumRuntimeError(
        endpoint,
        Math.max(0, Math.ceil(body.timeRemaining)),
        typeof body.minimumRuntime === 'number' ? body.minimumRuntime : undefined,
      );
    }
    const fallback = `Spheron refused the request (HTTP ${status}).`;
    const alreadyTerminated =
      endpoint === TERMINATE_ENDPOINT &&
      typeof body.currentStatus === 'string' &&
      TERMINATED_STATUSES.includes(body.currentStatus);
    if (
      !alreadyTerminated &&
      (body.code === 'INSUFFICIENT_BALANCE' || /\b(balance|credits?)\b/i.test(message ?? ''))
    ) {
      return new InsufficientBalanceError(endpoint, message ?? fallback, details);
    }
    return new ValidationError(endpoint, message ?? fallback, details);
  }
  return new ServerError(status, endpoint, message);
}

function readErrorBody(bodyText: string, secret: string | undefined): WireErrorBody {
  let json: unknown;
  try {
    json = JSON.parse(bodyText);
  } catch {
    return {};
  }
  const parsed = errorBodySchema.safeParse(redactJson(json, secret));
  return parsed.success ? parsed.data : {};
}

/** The server's words: `message`, `error`, nested `error.message`, or `error_message`. */
function serverMessage(body: WireErrorBody): string | undefined {
  const nested =
    typeof body.error === 'object' && body.error !== null
      ? (body.error as Record<string, unknown>).message
      : undefined;
  const candidate = [body.message, body.error, nested, body.error_message].find(
    (value): value is string => typeof value === 'string' && value.trim() !== '',
  );
  if (candidate === undefined) {
    return undefined;
  }
  const oneLine = candidate.replace(/\s+/g, ' ').trim();
  return oneLine.length > MAX_SERVER_MESSAGE_LENGTH
    ? `${oneLine.slice(0, MAX_SERVER_MESSAGE_LENGTH - 1)}…`
    : oneLine;
}
