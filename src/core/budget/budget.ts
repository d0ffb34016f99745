// Budgets: what the team spent today and this month (instances and volumes, from the lists the
// explorer already holds), alerts at 50, 80 and 100 % of the daily and monthly limits, and a
// runway alert when the balance lasts less than the configured minutes at the current burn.
// Pure: periods, spend and which alerts are due are computed from plain numbers. Days and
// months are UTC, like Spheron's billing.
import type { Deployment, Volume } from '../domain/types';
import { isEnded, isVolumeBilling, volumeHourlyCost } from '../model/classify';
import { runway } from '../model/costs';
import { formatRunway, formatUsd } from '../model/format';
import { costSoFar, instanceLabel } from '../model/instances';

const HOUR_MS = 3_600_000;

export const BUDGET_THRESHOLDS = [50, 80, 100] as const;
export type BudgetThreshold = (typeof BUDGET_THRESHOLDS)[number];
export type BudgetPeriod = 'daily' | 'monthly';
export const DEFAULT_RUNWAY_ALERT_MINUTES = 30;
/** The cancellable warning before the opt-in termination at 100 %. */
export const BUDGET_TERMINATION_DELAY_MS = 10 * 60_000;

export interface PeriodBounds {
  readonly period: BudgetPeriod;
  /** `2026-09-22` or `2026-09`: names the period in the alert store. */
  readonly key: string;
  readonly startMs: number;
}

export function periodBounds(period: BudgetPeriod, nowMs: number): PeriodBounds {
  const now = new Date(nowMs);
  const year = now.getUTCFullYear();
  const month = now.getUTCMonth();
  const monthText = `${year}-${String(month + 1).padStart(2, '0')}`;
  if (period === 'monthly') {
    return { period, key: monthText, startMs: Date.UTC(year, month, 1) };
  }
  const day = now.getUTCDate();
  return { period, key: `${monthText}-${String(day).padStart(2, '0')}`, startMs: Date.UTC(year, month, day) };
}

function overlapHours(fromMs: number, toMs: number, periodStartMs: number, nowMs: number): number {
  return Math.max(0, Math.min(toMs, nowMs) - Math.max(fromMs, periodStartMs)) / HOUR_MS;
}

/**
 * What an instance cost inside the period. Started inside it: its whole cost so far (which keeps
 * any minimum charge the API has billed). Started before: its rate over the part inside the
 * period. An ended instance without a stop time counts only if it started inside the period.
 */
export function deploymentSpendInPeriod(
  deployment: Deployment,
  periodStartMs: number,
  nowMs: number,
): number {
  const startedAt = deployment.startedAtMs ?? deployment.createdAtMs;
  if (startedAt === null) {
    return 0;
  }
  if (startedAt >= periodStartMs) {
    return Math.max(0, costSoFar(deployment, nowMs));
  }
  const stoppedAt =
    deployment.status === 'stopped' || isEnded(deployment.status) ? deployment.stoppedAtMs : nowMs;
  if (stoppedAt === null) {
    return 0;
  }
  return Math.max(0, deployment.hourlyRate) * overlapHours(startedAt, stoppedAt, periodStartMs, nowMs);
}

export function volumeSpendInPeriod(volume: Volume, periodStartMs: number, nowMs: number): number {
  if (!isVolumeBilling(volume) || volume.createdAtMs === null) {
    return 0;
  }
  return (
    Math.max(0, volumeHourlyCost(volume)) * overlapHours(volume.createdAtMs, nowMs, periodStartMs, nowMs)
  );
}

export function spendInPeriod(
  deployments: readonly Deployment[],
  volumes: readonly Volume[],
  periodStartMs: number,
  nowMs: number,
): number {
  let total = 0;
  for (const deployment of deployments) {
    total += deploymentSpendInPeriod(deployment, periodStartMs, nowMs);
  }
  for (const volume of volumes) {
    total += volumeSpendInPeriod(volume, periodStartMs, nowMs);
  }
  return total;
}

export interface BudgetLimits {
  /** USD; undefined or ≤ 0 means no daily budget. */
  readonly dailyUsd: number | undefined;
  readonly monthlyUsd: number | undefined;
  readonly runwayAlertMinutes: number;
}

export type BudgetAlert =
  | {
      readonly kind: 'threshold';
      /** Store key: once per threshold per period, across windows. */
      readonly key: string;
      readonly period: BudgetPeriod;
      readonly threshold: BudgetThreshold;
      readonly spendUsd: number;
      readonly limitUsd: number;
      /** Every threshold this crossing covers (a jump from 0 to 90 % covers 50 and 80). */
      readonly coveredKeys: readonly string[];
    }
  | {
      readonly kind: 'runway';
      readonly key: string;
      readonly runwayHours: number;
      readonly burnPerHour: number;
    };

export interface BudgetInput {
  readonly nowMs: number;
  readonly limits: BudgetLimits;
  readonly deployments: readonly Deployment[];
  readonly volumes: readonly Volume[];
  /** Team balance; undefined when unknown (no runway alert then). */
  readonly balance: number | undefined;
  readonly burnPerHour: number;
  /** Alert keys already fired (from the shared store). */
  readonly fired: ReadonlySet<string>;
}

function thresholdKey(bounds: PeriodBounds, threshold: BudgetThreshold): string {
  return `${bounds.period}:${bounds.key}:${threshold}`;
}

/** The alerts due now: for each period, the highest threshold crossed and not yet fired; then runway. */
export function dueBudgetAlerts(input: BudgetInput): BudgetAlert[] {
  const alerts: BudgetAlert[] = [];
  const periods: [BudgetPeriod, number | undefined][] = [
    ['daily', input.limits.dailyUsd],
    ['monthly', input.limits.monthlyUsd],
  ];
  for (const [period, limit] of periods) {
    if (limit === undefined || !(limit > 0)) {
      continue;
    }
    const bounds = periodBounds(period, input.nowMs);
    const spendUsd = spendInPeriod(input.deployments, input.volumes, bounds.startMs, input.nowMs);
    const crossed = BUDGET_THRESHOLDS.filter((threshold) => spendUsd >= (limit * threshold) / 100);
    const highest = crossed.at(-1);
    if (highest === undefined) {
      continue;
    }
    const key = thresholdKey(bounds, highest);
    if (input.fired.has(key)) {
      continue;
    }
    alerts.push({
      kind: 'threshold',
      key,
      period,
      threshold: highest,
      spendUsd,
      limitUsd: limit,
      coveredKeys: crossed.map((threshold) => thresholdKey(bounds, threshold)),
    });
  }
  const minutes = input.limits.runwayAlertMinutes;
  if (input.balance !== undefined && minutes > 0 && input.burnPerHour > 0) {
    const lasts = runway(input.balance, input.burnPerHour);
    const key = `runway:${periodBounds('daily', input.nowMs).key}`;
    if (lasts.hours * 60 < minutes && !input.fired.has(key)) {
      alerts.push({ kind: 'runway', key, runwayHours: lasts.hours, burnPerHour: input.burnPerHour });
    }
  }
  return alerts;
}

export function budgetAlertMessage(alert: BudgetAlert): string {
  if (alert.kind === 'runway') {
    return `Spheron: your balance lasts about ${formatRunway(alert.runwayHours)} at the current burn of ${formatUsd(alert.burnPerHour)}/h. Add credit or stop what you do not need; instances end when the balance runs out.`;
  }
  const percent = Math.floor((alert.spendUsd / alert.limitUsd) * 100);
  const period = alert.period === 'daily' ? 'daily' : 'monthly';
  const over = alert.threshold === 100 ? ' The budget is used up.' : '';
  return `Spheron: you have spent ${formatUsd(alert.spendUsd)} of your ${formatUsd(alert.limitUsd)} ${period} budget (${percent} %).${over}`;
}

/** The instances the opt-in 100 % rule would terminate: everything not yet ended. */
export function instancesToStopAtBudget(deployments: readonly Deployment[]): Deployment[] {
  return deployments.filter((deployment) => !isEnded(deployment.status));
}

export function budgetTerminationWarning(deployments: readonly Deployment[], minutes: number): string {
  const names = deployments.map((deployment) => `“${instanceLabel(deployment)}”`).join(', ');
  return `Spheron: the budget is used up. ${deployments.length === 1 ? 'Instance' : `${deployments.length} instances`} ${names} will be terminated in ${minutes} min (spheron.budget.terminateAtLimit). Cancel to keep ${deployments.length === 1 ? 'it' : 'them'}.`;
}
