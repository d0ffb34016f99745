import { singleLine } from './text';

/** What core code may log to. The vscode layer backs it with a LogOutputChannel. */
export interface Logger {
  trace(message: string): void;
  debug(message: string): void;
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

export const silentLogger: Logger = {
  trace: () => undefined,
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};

/**
 * Removes every occurrence of the given secrets from a line before it is logged.
 * Defence in depth: nothing should pass a key to a logger in the first place.
 */
export function redactSecrets(text: string, secrets: readonly (string | undefined)[]): string {
  let result = text;
  for (const secret of secrets) {
    if (secret && secret.length >= 4) {
      result = result.split(secret).join('«redacted»');
    }
  }
  return result;
}

/** A log line is at most this long: an API value must not flood the log. */
export const MAX_LOG_LINE_LENGTH = 4000;

/**
 * What reaches the log: the secrets removed, then one line (line breaks and control characters
 * collapsed, so a name from the API cannot forge a log line), capped in length.
 */
export function logLine(message: string, secrets: readonly (string | undefined)[]): string {
  return singleLine(redactSecrets(message, secrets), MAX_LOG_LINE_LENGTH);
}
