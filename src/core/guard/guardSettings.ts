// The idle guard's and the budgets' settings, parsed from `spheron.idle.*` and `spheron.budget.*`.
import { DEFAULT_RUNWAY_ALERT_MINUTES, type BudgetLimits } from '../budget/budget';
import type { SettingReader } from '../settings/settings';

export interface GuardSettings {
  /** Minutes of inactivity before the guard terminates; 0 = off (the default). */
  readonly idleMinutes: number;
  readonly budget: BudgetLimits;
  /** Terminate running instances at 100 % of a budget, after a cancellable warning. */
  readonly terminateAtBudget: boolean;
}

function nonNegative(value: unknown, fallback: number): number {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : fallback;
}

function optionalUsd(value: unknown): number | undefined {
  const usd = nonNegative(value, 0);
  return usd > 0 ? usd : undefined;
}

export function parseGuardSettings(read: SettingReader): GuardSettings {
  return {
    idleMinutes: Math.round(nonNegative(read('idle.minutes'), 0)),
    budget: {
      dailyUsd: optionalUsd(read('budget.dailyUsd')),
      monthlyUsd: optionalUsd(read('budget.monthlyUsd')),
      runwayAlertMinutes: nonNegative(read('budget.runwayAlertMinutes'), DEFAULT_RUNWAY_ALERT_MINUTES),
    },
    terminateAtBudget: read('budget.terminateAtLimit') === true,
  };
}
