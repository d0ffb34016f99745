// Error and stale rows. A failed load never pops a modal: with nothing to show, the view gets an
// error row plus fix-it rows; with older data on screen, the data stays and one warning row on
// top (plus a view-description suffix) says it is stale.

import {
  AuthError,
  NetworkError,
  RateLimitError,
  ServerError,
  SpheronError,
  TimeoutError,
  isCancellation,
} from '../api/errors';
import { contextValueFor } from './contextValue';
import { escapeMarkdown, formatAgo, plural } from './format';
import type {
  ErrorFix,
  ErrorNode,
  ExplorerView,
  MessageNode,
  ModelNode,
  NodeCommand,
  StaleState,
} from './nodes';
import { MODEL_COMMAND_IDS } from './nodes';
import { singleLine } from '../util/text';

export interface ErrorRowOptions {
  /** Rows from an earlier successful load are still shown. */
  readonly hasData: boolean;
  /** Passed to `spheron.refresh` and used in row ids. */
  readonly view?: ExplorerView;
  /** With `lastUpdatedMs`, lets the stale row say how old the data is. */
  readonly nowMs?: number;
  readonly lastUpdatedMs?: number;
}

/** Auth failures are fixed by signing in; everything else by trying again. */
export function fixFor(error: unknown): ErrorFix {
  return error instanceof SpheronError && error.kind === 'auth' ? 'signIn' : 'retry';
}

/** The one line a user sees for a failure. */
export function errorMessage(error: unknown): string {
  if (error instanceof SpheronError) {
    return error.message;
  }
  const text = error instanceof Error ? error.message : typeof error === 'string' ? error : '';
  const firstLine = text.split(/\r?\n/, 1)[0]?.trim() ?? '';
  return firstLine || 'Something went wrong.';
}

/** A StaleState for a refresh that failed after an earlier success; undefined for cancellations. */
export function staleFromError(error: unknown, lastSuccessMs: number): StaleState | undefined {
  if (isCancellation(error)) {
    return undefined;
  }
  const brief = briefReason(error);
  return {
    sinceMs: lastSuccessMs,
    reason: errorMessage(error),
    fix: fixFor(error),
    ...(brief ? { brief } : {}),
  };
}

/** The failure in a few words, so the reason survives a narrow side bar; undefined for the rest. */
export function briefReason(error: unknown): string | undefined {
  if (error instanceof AuthError) {
    return 'key rejected';
  }
  if (error instanceof NetworkError) {
    return 'offline';
  }
  if (error instanceof TimeoutError) {
    return 'timed out';
  }
  if (error instanceof RateLimitError) {
    return 'rate limited';
  }
  if (error instanceof ServerError) {
    return 'Spheron error';
  }
  return undefined;
}

function retryCommand(view: ExplorerView | undefined): NodeCommand {
  return view
    ? { id: MODEL_COMMAND_IDS.refresh, title: 'Retry', args: [view] }
    : { id: MODEL_COMMAND_IDS.refresh, title: 'Retry' };
}

const SIGN_IN_COMMAND: NodeCommand = { id: MODEL_COMMAND_IDS.signIn, title: 'Sign In' };
const SHOW_LOGS_COMMAND: NodeCommand = { id: MODEL_COMMAND_IDS.showLogs, title: 'Show Logs' };

function fixCommand(fix: ErrorFix, view: ExplorerView | undefined): NodeCommand {
  return fix === 'signIn' ? SIGN_IN_COMMAND : retryCommand(view);
}

function errorTooltip(message: string, error: unknown): string {
  const lines = [`**${escapeMarkdown(message)}**`];
  if (error instanceof SpheronError && error.endpoint) {
    lines.push(`Request: ${escapeMarkdown(error.endpoint)}`);
  }
  lines.push('Details are in the Spheron log (Show Logs).');
  return lines.join('\n\n');
}

function fixItRow(id: string, command: NodeCommand, codicon: string): MessageNode {
  return {
    kind: 'message',
    severity: 'info',
    id,
    label: command.title,
    tooltip: command.title,
    icon: { codicon },
    collapsible: 'none',
    command,
  };
}

/**
 * The rows for a failed load. Cancellation gives none. With data already shown, a single
 * stale warning row to put above it; otherwise an error row followed by its fix-it rows.
 */
export function errorRowsFor(error: unknown, options: ErrorRowOptions): ModelNode[] {
  if (isCancellation(error)) {
    return [];
  }
  const view = options.view;
  const prefix = `error:${view ?? 'view'}`;
  const fix = fixFor(error);
  const message = errorMessage(error);
  if (options.hasData) {
    const brief = briefReason(error);
    const stale: StaleState = {
      sinceMs: options.lastUpdatedMs ?? Number.NaN,
      reason: message,
      fix,
      ...(brief ? { brief } : {}),
    };
    return [staleRow(stale, { view, nowMs: options.nowMs, error })];
  }
  const errorRow: ErrorNode = {
    kind: 'error',
    id: prefix,
    label: message,
    tooltip: errorTooltip(message, error),
    icon: { codicon: fix === 'signIn' ? 'key' : 'error', color: 'errorForeground' },
    contextValue: contextValueFor({ kind: 'error', fix, stale: false }),
    collapsible: 'none',
    stale: false,
    fix,
    error,
  };
  const fixIts =
    fix === 'signIn'
      ? [fixItRow(`${prefix}:signIn`, SIGN_IN_COMMAND, 'sign-in')]
      : [
          fixItRow(`${prefix}:retry`, retryCommand(view), 'refresh'),
          fixItRow(`${prefix}:showLogs`, SHOW_LOGS_COMMAND, 'output'),
        ];
  return [errorRow, ...fixIts];
}

/** `last updated 3 min ago`, or `last update time unknown`. */
function lastUpdatedText(sinceMs: number, nowMs: number | undefined): string {
  return Number.isFinite(sinceMs) && nowMs !== undefined
    ? `last updated ${formatAgo(sinceMs, nowMs)}`
    : 'last update time unknown';
}

/** The warning row above data that could not be refreshed. Clicking it retries (or signs in). */
export function staleRow(
  stale: StaleState,
  options: { readonly view?: ExplorerView; readonly nowMs?: number; readonly error?: unknown },
): ErrorNode {
  const fix = stale.fix ?? 'retry';
  const updated = lastUpdatedText(stale.sinceMs, options.nowMs);
  return {
    kind: 'error',
    id: `stale:${options.view ?? 'view'}`,
    // The reason first: in a narrow side bar the end of the label is what gets cut.
    label: stale.brief ? `Not up to date (${stale.brief}) — ${updated}` : `Not up to date — ${updated}`,
    description: stale.reason,
    tooltip: [
      `⚠ **Not up to date** — ${updated}.`,
      `The last refresh failed: ${escapeMarkdown(stale.reason)}`,
      fix === 'signIn' ? 'Click to sign in again.' : 'Click to try again; details are in the Spheron log.',
    ].join('\n\n'),
    icon: { codicon: 'warning', color: 'list.warningForeground' },
    contextValue: contextValueFor({ kind: 'error', fix, stale: true }),
    collapsible: 'none',
    command: fixCommand(fix, options.view),
    stale: true,
    fix,
    error: options.error,
  };
}

/** `(stale — last updated 3 min ago)`, for the end of a view description. */
export function staleSuffix(stale: StaleState, nowMs: number): string {
  return `(stale — ${lastUpdatedText(stale.sinceMs, nowMs)})`;
}

/** `team staging · 1 running`: a team-scoped view says whose list it shows. */
export function teamDescription(teamName: string | undefined, text: string): string {
  const team = teamName ? `team ${singleLine(teamName, 40)}` : '';
  return [team, text].filter((part) => part !== '').join(' · ');
}

/** The confirmation after Switch Team: every list, the balance and the burn are now this team's. */
export function switchedTeamMessage(teamName: string): string {
  return `Now showing team ${singleLine(teamName, 40)}: its instances, volumes, SSH keys, balance and burn.`;
}

/** Joins view-description parts with ` · ` and appends the stale suffix when stale. */
export function viewDescription(base: string, stale: StaleState | undefined, nowMs: number): string {
  if (!stale) {
    return base;
  }
  const suffix = staleSuffix(stale, nowMs);
  return base ? `${base} ${suffix}` : suffix;
}

/** Puts the stale row on top of `rows` when stale. */
export function withStaleRow(
  rows: readonly ModelNode[],
  stale: StaleState | undefined,
  view: ExplorerView,
  nowMs: number | undefined,
): ModelNode[] {
  return stale ? [staleRow(stale, { view, nowMs }), ...rows] : [...rows];
}

/**
 * “2 offers could not be read”: items the API sent that the list had to leave out (each reason
 * is in the log). Clicking it shows the log.
 */
export function unreadableRow(count: number, noun: string, view: ExplorerView): MessageNode {
  return {
    kind: 'message',
    severity: 'warning',
    id: `unreadable:${view}`,
    label: `${plural(count, noun)} could not be read`,
    description: 'Show Logs',
    tooltip: `Spheron sent ${plural(count, noun)} without what this extension needs to show ${count === 1 ? 'it' : 'them'}; the rest of the list is shown. The reasons are in the Spheron log.`,
    icon: { codicon: 'warning', color: 'list.warningForeground' },
    collapsible: 'none',
    command: SHOW_LOGS_COMMAND,
  };
}

/** Puts the unreadable-items row on top of `rows` when the list left items out. */
export function withUnreadableRow(
  rows: readonly ModelNode[],
  rejected: number | undefined,
  noun: string,
  view: ExplorerView,
): ModelNode[] {
  return rejected ? [unreadableRow(rejected, noun, view), ...rows] : [...rows];
}
