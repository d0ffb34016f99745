// Non-2xx answers → typed errors (contract §4.7, §6). Error bodies are read leniently: any JSON
// object, or the first line of a plain-text or HTML body (live 400s come as plain text; gateways
// and firewalls answer with HTML pages).
import {
  AuthError,
  BlockedError,
  InsufficientBalanceError,
  MinimumRuntimeError,
  NotFoundError,
  RateLimitError,
  ServerError,
  ValidationError,
} from './errors';
import type { SpheronError } from './errors';
import { redactJson, redactText } from './redact';
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
  /** A 2xx whose body said `success: false`: read like a refusal, without claiming an HTTP 400. */
  readonly envelope?: boolean;
}

/**
 * A 2xx answer whose body is `{"success": false, …}`: a failure on every endpoint, read like a
 * 400 (so minimum-runtime and balance refusals keep their types). Undefined for anything else.
 */
export function envelopeFailure(response: Omit<ErrorResponse, 'envelope'>): SpheronError | undefined {
  // Cheap test first: the catalogue is megabytes and never carries the field.
  if (!response.bodyText.includes('"success"')) {
    return undefined;
  }
  let json: unknown;
  try {
    json = JSON.parse(response.bodyText);
  } catch {
    return undefined;
  }
  if (typeof json !== 'object' || json === null || (json as { success?: unknown }).success !== false) {
    return undefined;
  }
  return errorFromResponse({ ...response, status: 400, envelope: true });
}

export function errorFromResponse(response: ErrorResponse): SpheronError {
  const { endpoint, status } = response;
  const json = readErrorBody(response.bodyText, response.secret);
  const body = json ?? {};
  const message = json ? serverMessage(body) : textMessage(response.bodyText, response.secret);
  const details: Readonly<Record<string, unknown>> = body;

  // The API answers its own refusals in JSON; a 403 page is a firewall in front of it.
  if (status === 403 && !json && response.bodyText.trim() !== '') {
    return new BlockedError(endpoint, message);
  }
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
    const fallback = response.envelope
      ? 'Spheron reported that the request failed (success: false).'
      : `Spheron refused the request (HTTP ${status}).`;
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

/** The body as a JSON object, redacted; undefined when it is not JSON (plain text, HTML, empty). */
function readErrorBody(bodyText: string, secret: string | undefined): WireErrorBody | undefined {
  let json: unknown;
  try {
    json = JSON.parse(bodyText);
  } catch {
    return undefined;
  }
  const parsed = errorBodySchema.safeParse(redactJson(json, secret));
  return parsed.success ? parsed.data : {};
}

/** How much of a non-JSON body is looked at for its first line. */
const MAX_TEXT_SCAN = 64 * 1024;

const ENTITIES: Readonly<Record<string, string>> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  nbsp: ' ',
};

/**
 * The first line of a plain-text or HTML body: an HTML page's `<title>`, else its first line of
 * text. Capped and redacted like a JSON message.
 */
function textMessage(bodyText: string, secret: string | undefined): string | undefined {
  const head = bodyText.slice(0, MAX_TEXT_SCAN);
  const isHtml = /^\s*<(!doctype|html|head|body|title|h1|p|div)\b/i.test(head);
  let text = head;
  if (isHtml) {
    const title = /<title[^>]*>([^<]*)<\/title>/i.exec(head)?.[1];
    text = title?.trim()
      ? title
      : head.replace(/<(script|style)\b[^>]*>[^]*?<\/\1>/gi, '\n').replace(/<[^>]*>/g, '\n');
    text = text.replace(/&(#\d+|[a-z]+);/gi, (entity, name: string) =>
      name.startsWith('#') ? codePoint(Number(name.slice(1))) : (ENTITIES[name.toLowerCase()] ?? entity),
    );
  }
  const firstLine = text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .find((line) => line !== '');
  return firstLine === undefined ? undefined : capMessage(redactText(firstLine, secret));
}

function codePoint(value: number): string {
  return Number.isInteger(value) && value > 0 && value <= 0x10ffff ? String.fromCodePoint(value) : ' ';
}

function capMessage(text: string): string {
  const oneLine = text.replace(/\s+/g, ' ').trim();
  return oneLine.length > MAX_SERVER_MESSAGE_LENGTH
    ? `${oneLine.slice(0, MAX_SERVER_MESSAGE_LENGTH - 1)}…`
    : oneLine;
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
  return candidate === undefined ? undefined : capMessage(candidate);
}
