// How long a balance lasts at a burn rate: the one function behind the status bar's tooltip, the
// budget's runway alert and the deploy form. No Node imports: the webview bundles it.

import { formatRunway } from './format';

export interface Runway {
  /** Hours until the balance reaches zero; Infinity when nothing burns. */
  readonly hours: number;
  /** `2 days 3 h`, `5 h 20 min`, `45 min`, `∞`. */
  readonly text: string;
}

export function runway(balance: number, burnRatePerHour: number): Runway {
  if (!(burnRatePerHour > 0)) {
    return { hours: Number.POSITIVE_INFINITY, text: formatRunway(Number.POSITIVE_INFINITY) };
  }
  const hours = Math.max(0, balance) / burnRatePerHour;
  return { hours, text: formatRunway(hours) };
}
