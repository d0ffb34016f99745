// What a deployment costs and whether the team can start it. Spheron bills per second at the
// hourly rate, charges the minimum runtime in full, and refuses to start anything unless the
// balance holds at least $3 (contract §2, §5.2).
import { formatRate, formatRunway, formatUsd } from '../model/format';
import { runway } from '../model/runway';
import type { Offer } from '../domain/types';

export const SPHERON_MINIMUM_DEPLOYMENT_USD = 3;
export const DEFAULT_MINIMUM_RUNTIME_MINUTES = 20;
const HOURS_PER_DAY = 24;
/** Balances are reported in dollars with cents; ignore float noise below that. */
const EPSILON = 1e-9;

export interface DeployCost {
  readonly perHour: number;
  readonly perDay: number;
  readonly minimumRuntimeMinutes: number;
  /** What the minimum runtime costs at this rate; charged even if terminated sooner. */
  readonly minimumCharge: number;
  /** The larger of Spheron's $3 minimum deployment and the minimum charge. */
  readonly requiredBalance: number;
  /** Undefined when the balance could not be loaded. */
  readonly balance: number | undefined;
  /**
   * Hours the balance lasts with this instance added to what already burns (the status bar's
   * runway at the new total); Infinity when nothing would bill.
   */
  readonly runwayHours: number | undefined;
  /** What the team burns now, before this instance (USD per hour). */
  readonly currentBurnPerHour: number;
  readonly canAfford: boolean;
  /** Why not, in plain words; undefined when it can. */
  readonly reason: string | undefined;
}

export function minimumRuntimeOf(offer: Pick<Offer, 'minimumRuntimeMinutes'>): number {
  const minutes = offer.minimumRuntimeMinutes;
  // `minutes !== undefined` only narrows the type: Number.isFinite(undefined) is false already.
  return minutes !== undefined && Number.isFinite(minutes) && minutes >= 0
    ? minutes
    : DEFAULT_MINIMUM_RUNTIME_MINUTES;
}

export function deployCost(input: {
  readonly pricePerHour: number;
  readonly minimumRuntimeMinutes: number;
  readonly balance: number | undefined;
  /** The team's burn now, as the status bar computes it; 0 when unknown. */
  readonly currentBurnPerHour?: number;
}): DeployCost {
  const perHour = Math.max(0, input.pricePerHour);
  const minutes = Math.max(0, input.minimumRuntimeMinutes);
  const minimumCharge = (perHour * minutes) / 60;
  const requiredBalance = Math.max(SPHERON_MINIMUM_DEPLOYMENT_USD, minimumCharge);
  // As above, `!== undefined` only narrows the type (equivalent mutants when dropped).
  const balance = input.balance !== undefined && Number.isFinite(input.balance) ? input.balance : undefined;
  const burn = input.currentBurnPerHour;
  // `burn !== undefined` narrows the type, and `>= 0` for `> 0` only keeps a 0 as 0: equivalent.
  const currentBurnPerHour = burn !== undefined && Number.isFinite(burn) && burn > 0 ? burn : 0;
  const runwayHours = balance === undefined ? undefined : runway(balance, currentBurnPerHour + perHour).hours;
  let reason: string | undefined;
  // `balance !== undefined` narrows the type; undefined + EPSILON is NaN, never below anything.
  if (balance !== undefined && balance + EPSILON < requiredBalance) {
    reason =
      minimumCharge > SPHERON_MINIMUM_DEPLOYMENT_USD
        ? `Your team balance (${formatUsd(balance)}) does not cover the minimum charge of ${formatUsd(minimumCharge)} (${minutes} minutes at ${formatRate(perHour)}). Add credit to deploy.`
        : `Your team balance is ${formatUsd(balance)}. Spheron needs at least ${formatUsd(SPHERON_MINIMUM_DEPLOYMENT_USD)} in the balance to start a deployment. Add credit to deploy.`;
  }
  return {
    perHour,
    perDay: perHour * HOURS_PER_DAY,
    minimumRuntimeMinutes: minutes,
    minimumCharge,
    requiredBalance,
    balance,
    runwayHours,
    currentBurnPerHour,
    canAfford: reason === undefined,
    reason,
  };
}

export interface CostLine {
  readonly id: 'per-hour' | 'kubernetes-addon' | 'per-day' | 'minimum-charge' | 'balance' | 'runway';
  readonly label: string;
  readonly value: string;
}

/** The cost panel's rows, formatted. */
export function costLines(cost: DeployCost): CostLine[] {
  const lines: CostLine[] = [
    { id: 'per-hour', label: 'Price', value: formatRate(cost.perHour) },
    { id: 'per-day', label: 'Per day (24 h)', value: formatUsd(cost.perDay) },
    {
      id: 'minimum-charge',
      label: `Minimum charge (${cost.minimumRuntimeMinutes} min)`,
      value: formatUsd(cost.minimumCharge),
    },
    {
      id: 'balance',
      label: 'Team balance',
      value: cost.balance === undefined ? 'unavailable' : formatUsd(cost.balance),
    },
  ];
  if (cost.runwayHours !== undefined) {
    const now =
      cost.currentBurnPerHour > 0
        ? `now burning ${formatRate(cost.currentBurnPerHour)}`
        : 'nothing else bills now';
    lines.push({
      id: 'runway',
      label: 'Lasts with this instance',
      value: `${formatRunway(cost.runwayHours)} (${now})`,
    });
  }
  return lines;
}

/**
 * The cost panel's rows when the Kubernetes add-on is chosen: `cost` already includes it (priced
 * with pricePerHourWithAddon); a row under the price says how much of it is the add-on.
 */
export function costLinesWithKubernetesAddon(cost: DeployCost, addonPerHour: number | undefined): CostLine[] {
  const lines = costLines(cost);
  if (addonPerHour === undefined) {
    return lines;
  }
  const addon: CostLine = {
    id: 'kubernetes-addon',
    label: 'Kubernetes add-on (in the price)',
    value: formatRate(addonPerHour),
  };
  return [...lines.slice(0, 1), addon, ...lines.slice(1)];
}
