// Defence in depth: the key is never put into errors or logs by us, but a server could echo it back
// in an error message. Anything taken from a response is scrubbed before it reaches an error.

export const REDACTED = '[redacted]';

export function redactText(text: string, secret: string | undefined): string {
  return secret ? text.split(secret).join(REDACTED) : text;
}

/** A copy of a parsed JSON value with every occurrence of `secret` in strings and keys replaced. */
export function redactJson(value: unknown, secret: string | undefined): unknown {
  if (!secret) {
    return value;
  }
  if (typeof value === 'string') {
    return redactText(value, secret);
  }
  if (Array.isArray(value)) {
    return value.map((item) => redactJson(item, secret));
  }
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [redactText(key, secret), redactJson(item, secret)]),
    );
  }
  return value;
}
