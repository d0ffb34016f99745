// What the idle warning says: the instance, how long it has been idle, when it will be
// terminated, and what it has cost so far. Pure, for tests.
import type { Deployment } from '../domain/types';
import { formatClockTime, formatRate, formatUsd } from '../model/format';
import { costSoFar, instanceLabel } from '../model/instances';

export const KEEP_1H_BUTTON = 'Keep 1 h more';
export const KEEP_4H_BUTTON = 'Keep 4 h more';
export const TERMINATE_NOW_BUTTON = 'Terminate now';
export const IDLE_WARNING_BUTTONS = [KEEP_1H_BUTTON, KEEP_4H_BUTTON, TERMINATE_NOW_BUTTON] as const;
export type IdleWarningChoice = (typeof IDLE_WARNING_BUTTONS)[number];

export function idleWarningMessage(
  deployment: Deployment,
  options: {
    readonly nowMs: number;
    readonly idleMs: number;
    readonly deadlineMs: number;
    readonly formatClock?: (ms: number) => string;
  },
): string {
  const clock = options.formatClock ?? ((ms: number) => formatClockTime(ms));
  const idleMinutes = Math.floor(options.idleMs / 60_000);
  const minutesLeft = Math.max(1, Math.round((options.deadlineMs - options.nowMs) / 60_000));
  return (
    `Spheron: “${instanceLabel(deployment)}” has been idle for ${idleMinutes} min (no SSH session, busy ` +
    `kernel or GPU load) and will be terminated in ${minutesLeft} min, at ${clock(options.deadlineMs)}. ` +
    `It has cost ${formatUsd(costSoFar(deployment, options.nowMs))} so far at ${formatRate(deployment.hourlyRate)}.`
  );
}
