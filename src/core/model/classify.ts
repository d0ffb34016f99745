// Small predicates over domain objects, shared by the node builders, contextValue and costs.

import { isIP } from 'node:net';
import type { Deployment, DeploymentStatus, Volume } from '../domain/types';

/** The flag an instance status contributes to contextValue; `terminated-provider` reads as `reclaimed`. */
export type InstanceStatusFlag =
  'deploying' | 'running' | 'stopped' | 'failed' | 'terminated' | 'reclaimed' | 'unknown';

export function instanceStatusFlag(status: DeploymentStatus): InstanceStatusFlag {
  return status === 'terminated-provider' ? 'reclaimed' : status;
}

/** Terminal statuses: nothing runs, nothing bills, nothing can be done but look. */
export function isEnded(status: DeploymentStatus): boolean {
  return status === 'terminated' || status === 'terminated-provider' || status === 'failed';
}

/**
 * May be billing: everything that has not ended. `stopped` bills on some providers, and an
 * unknown status is counted so the burn rate errs high rather than low.
 */
export function isLive(status: DeploymentStatus): boolean {
  return !isEnded(status);
}

export function hasUsableIp(ipAddress: string | null): ipAddress is string {
  if (!ipAddress) {
    return false;
  }
  const family = isIP(ipAddress);
  return family !== 0 && ipAddress !== '0.0.0.0' && ipAddress !== '::';
}

/** Readiness is the status, never "an IP is present" (the API sets the IP while deploying). */
export function isConnectable(deployment: Pick<Deployment, 'status' | 'ipAddress'>): boolean {
  return deployment.status === 'running' && hasUsableIp(deployment.ipAddress);
}

/**
 * Whether the instance has the Kubernetes add-on. Only Cluster instances support it; an instance
 * whose type the API left out is taken at the add-on's word.
 */
export function hasKubernetesAddon(
  deployment: Pick<Deployment, 'kubernetesAddon' | 'instanceType'>,
): boolean {
  return (
    deployment.kubernetesAddon !== undefined &&
    (deployment.instanceType === 'CLUSTER' || deployment.instanceType === '')
  );
}

export function isSpot(instanceType: string): boolean {
  return instanceType.toUpperCase() === 'SPOT';
}

/** `spot`, `dedicated`, `cluster`, or undefined for a type the API invented later. */
export function instanceTypeFlag(instanceType: string): 'spot' | 'dedicated' | 'cluster' | undefined {
  switch (instanceType.toUpperCase()) {
    case 'SPOT':
      return 'spot';
    case 'DEDICATED':
      return 'dedicated';
    case 'CLUSTER':
      return 'cluster';
    default:
      return undefined;
  }
}

export function isVolumeAttached(volume: Pick<Volume, 'status' | 'attachedDeploymentIds'>): boolean {
  return volume.status === 'attached' || volume.attachedDeploymentIds.length > 0;
}

/** Storage is billed until the volume is deleted, whether or not anything uses it. */
export function isVolumeBilling(volume: Pick<Volume, 'status'>): boolean {
  return volume.status !== 'deleted';
}

/** Costs money and serves nothing: the case the Volumes view warns about. */
export function isVolumeUnattachedBilling(
  volume: Pick<Volume, 'status' | 'attachedDeploymentIds' | 'hourlyRatePerGb' | 'sizeGb'>,
): boolean {
  return (
    volume.status === 'available' &&
    !isVolumeAttached(volume) &&
    volume.hourlyRatePerGb > 0 &&
    volume.sizeGb > 0
  );
}

export function volumeHourlyCost(volume: Pick<Volume, 'hourlyRatePerGb' | 'sizeGb'>): number {
  return volume.hourlyRatePerGb * volume.sizeGb;
}

/** Billing months are taken as 730 hours (365 × 24 / 12). */
export const HOURS_PER_MONTH = 730;
