import { SpheronError, isCancellation } from '../api/errors';

export interface ErrorAction {
  readonly title: string;
  readonly command: string;
  /** Passed to the command, e.g. the instance to retry on. */
  readonly args?: readonly unknown[];
}

/**
 * A failure that knows what to do next (Retry, Check SSH Setup…): the funnel offers its actions,
 * then Show Logs. Its message is written for users; the log gets no stack.
 */
export class ActionableError extends Error {
  constructor(
    message: string,
    readonly actions: readonly ErrorAction[],
  ) {
    super(message);
    this.name = new.target.name;
  }
}

export interface ErrorPresentation {
  readonly message: string;
  readonly actions: readonly ErrorAction[];
  /** Full detail for the log; may include a stack, never the key. */
  readonly logDetail: string;
}

export const SIGN_IN_ACTION: ErrorAction = { title: 'Sign In', command: 'spheron.signIn' };
export const SHOW_LOGS_ACTION: ErrorAction = { title: 'Show Logs', command: 'spheron.showLogs' };

/**
 * Turns any failure into what the user sees: one sentence and the action that fixes it.
 * Returns undefined for cancellations, which stay silent.
 */
export function presentError(error: unknown, doing?: string): ErrorPresentation | undefined {
  if (isCancellation(error)) {
    return undefined;
  }
  const prefix = doing ? `${doing} failed: ` : '';
  if (error instanceof SpheronError) {
    const actions = error.kind === 'auth' ? [SIGN_IN_ACTION, SHOW_LOGS_ACTION] : [SHOW_LOGS_ACTION];
    return {
      message: prefix + error.message,
      actions,
      logDetail: `${error.name} (${error.kind}) at ${error.endpoint || 'n/a'}: ${error.message}`,
    };
  }
  if (error instanceof ActionableError) {
    return {
      message: prefix + error.message,
      actions: [...error.actions, SHOW_LOGS_ACTION],
      logDetail: `${error.name}: ${error.message}`,
    };
  }
  const text = error instanceof Error ? error.message : String(error);
  const firstLine = text.split(/\r?\n/, 1)[0] ?? '';
  return {
    message: prefix + (firstLine || 'Something went wrong.'),
    actions: [SHOW_LOGS_ACTION],
    logDetail: error instanceof Error ? (error.stack ?? error.message) : text,
  };
}
