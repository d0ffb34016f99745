// What the Terminate command says and offers, from `can-terminate` and the deployment. Pure, so
// the wording and the arithmetic are tested without a window.
import type { CanTerminate, Deployment } from '../domain/types';
import { isEnded } from '../model/classify';
import { formatClockTime, formatRate, formatUsd, plural } from '../model/format';
import { costSoFar, instanceLabel } from '../model/instances';
import type { ScheduledTermination as ViewScheduledTermination } from '../model/instances';
import type { ScheduledTermination } from './terminationScheduler';

export const TERMINATE_BUTTON = 'Terminate';
export const TERMINATE_WHEN_ALLOWED_BUTTON = 'Terminate When Allowed';

export type TerminationPlan =
  | { readonly kind: 'alreadyTerminated'; readonly message: string }
  | {
      readonly kind: 'confirm';
      readonly message: string;
      readonly detail: string;
      readonly button: typeof TERMINATE_BUTTON;
    }
  | {
      readonly kind: 'wait';
      readonly message: string;
      readonly detail: string;
      readonly button: typeof TERMINATE_WHEN_ALLOWED_BUTTON;
      readonly minutesRemaining: number;
      /** When to try: now + the minutes Spheron reported. */
      readonly earliestAtMs: number;
    };

const TERMINATED_REASON = /already (been )?terminated/i;

function costSentence(deployment: Deployment, nowMs: number): string {
  return `It has cost ${formatUsd(costSoFar(deployment, nowMs))} so far at ${formatRate(deployment.hourlyRate)}.`;
}

const DISK_WARNING =
  'Terminating stops billing and destroys the instance and its disk: files that are not on a volume or copied elsewhere are lost. This cannot be undone.';

export interface TerminationPlanOptions {
  readonly nowMs: number;
  /** The pending "terminate when allowed", if any. */
  readonly scheduled?: Pick<ScheduledTermination, 'dueAtMs'>;
  readonly formatClock?: (ms: number) => string;
}

export function planTermination(
  deployment: Deployment,
  allowed: CanTerminate,
  options: TerminationPlanOptions,
): TerminationPlan {
  const name = instanceLabel(deployment);
  const clock = options.formatClock ?? ((ms: number) => formatClockTime(ms));
  if (isEnded(deployment.status) || (!allowed.canTerminate && TERMINATED_REASON.test(allowed.reason ?? ''))) {
    return { kind: 'alreadyTerminated', message: `“${name}” is already terminated.` };
  }
  const cost = costSentence(deployment, options.nowMs);
  if (!allowed.canTerminate && allowed.timeRemainingMinutes > 0) {
    const minutes = Math.ceil(allowed.timeRemainingMinutes);
    const minimum =
      allowed.minimumRuntimeMinutes !== undefined ? ` of ${allowed.minimumRuntimeMinutes} minutes` : '';
    const earliestAtMs = options.nowMs + minutes * 60_000;
    const scheduledNote = options.scheduled
      ? ` It is already scheduled to terminate at ${clock(options.scheduled.dueAtMs)}; choosing again replaces that.`
      : '';
    return {
      kind: 'wait',
      message: `“${name}” can be terminated in ${plural(minutes, 'minute')}.`,
      detail: [
        `Spheron refuses to terminate an instance before its minimum runtime${minimum} has passed, and bills that time in full.`,
        cost,
        `“${TERMINATE_WHEN_ALLOWED_BUTTON}” terminates it as soon as Spheron allows (about ${clock(earliestAtMs)}), while VS Code is open. The schedule survives window reloads and can be cancelled from the instance's context menu.${scheduledNote}`,
        DISK_WARNING,
      ].join('\n\n'),
      button: TERMINATE_WHEN_ALLOWED_BUTTON,
      minutesRemaining: minutes,
      earliestAtMs,
    };
  }
  return {
    kind: 'confirm',
    message: `Terminate “${name}”?`,
    detail: [cost, DISK_WARNING].join('\n\n'),
    button: TERMINATE_BUTTON,
  };
}

/** The scheduler's entries as the Instances view reads them. */
export function scheduledTerminationsForView(
  entries: readonly Pick<ScheduledTermination, 'deploymentId' | 'dueAtMs'>[],
): Map<string, ViewScheduledTermination> {
  return new Map(entries.map((entry) => [entry.deploymentId, { atMs: entry.dueAtMs }]));
}
