// What is burning money right now, and how long the balance lasts at that rate.

import type { Deployment, Volume } from '../domain/types';
import { isEnded, isVolumeBilling, volumeHourlyCost } from './classify';

export interface BurnRate {
  /** USD per hour across everything below. */
  readonly totalPerHour: number;
  /** Deploying, running and unknown-status instances. */
  readonly activeCount: number;
  readonly activePerHour: number;
  /** Stopped instances: still billing on some providers, so counted. */
  readonly stoppedCount: number;
  readonly stoppedPerHour: number;
  /** Every volume not yet deleted, attached or not. */
  readonly volumeCount: number;
  readonly volumesPerHour: number;
}

/**
 * The hourly burn. Every instance that has not ended counts at its hourly rate, including
 * stopped ones (some providers keep billing them) and unknown statuses (better to overstate a
 * burn than to hide one). Volumes bill for their size until deleted.
 */
export function burnRate(deployments: readonly Deployment[], volumes: readonly Volume[]): BurnRate {
  let activeCount = 0;
  let activePerHour = 0;
  let stoppedCount = 0;
  let stoppedPerHour = 0;
  for (const deployment of deployments) {
    if (isEnded(deployment.status)) {
      continue;
    }
    const rate = Math.max(0, deployment.hourlyRate);
    if (deployment.status === 'stopped') {
      stoppedCount += 1;
      stoppedPerHour += rate;
    } else {
      activeCount += 1;
      activePerHour += rate;
    }
  }
  let volumeCount = 0;
  let volumesPerHour = 0;
  for (const volume of volumes) {
    if (isVolumeBilling(volume)) {
      volumeCount += 1;
      volumesPerHour += Math.max(0, volumeHourlyCost(volume));
    }
  }
  return {
    totalPerHour: activePerHour + stoppedPerHour + volumesPerHour,
    activeCount,
    activePerHour,
    stoppedCount,
    stoppedPerHour,
    volumeCount,
    volumesPerHour,
  };
}

export function burnRatePerHour(deployments: readonly Deployment[], volumes: readonly Volume[]): number {
  return burnRate(deployments, volumes).totalPerHour;
}

// The runway lives in its own module so the deploy form's webview (no Node built-ins) can use
// the same function as the status bar.
export { runway, type Runway } from './runway';
