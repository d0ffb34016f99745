// Defence in depth: the key is never put into errors or logs by us, but a server could echo it back
// in an error message. Anything taken from a response is scrubbed before it reaches an error.

export const REDACTED = '[redacted]';

export function redactText(text: string, secret: string | undefined): string {
  return secret ? text.split(secret).join(REDACTED) : text;
}

/** Nesting below this depth is replaced by REDACTED_TOO_DEEP: no error body needs more. */
export const MAX_REDACT_DEPTH = 64;
export const REDACTED_TOO_DEEP = '[too deeply nested]';

/**
 * A copy of a parsed JSON value with every occurrence of `secret` in strings and keys replaced.
 * Depth-capped, so a hostile body nested 200,000 deep cannot overflow the stack.
 */
export function redactJson(value: unknown, secret: string | undefined, depth = 0): unknown {
  if (!secret) {
    return value;
  }
  if (typeof value === 'string') {
    return redactText(value, secret);
  }
  if (typeof value !== 'object' || value === null) {
    return value;
  }
  if (depth >= MAX_REDACT_DEPTH) {
    return REDACTED_TOO_DEEP;
  }
  if (Array.isArray(value)) {
    return value.map((item) => redactJson(item, secret, depth + 1));
  }
  return Object.fromEntries(
    Object.entries(value).map(([key, item]) => [
      redactText(key, secret),
      redactJson(item, secret, depth + 1),
    ]),
  );
}
