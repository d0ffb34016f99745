// Stored records → the JSON the API serves.
import { isoTime } from './clock';
import { roundTo } from './catalogue';
import type { DeploymentRecord, SimState, SshKeyRecord, TeamRecord, VolumeRecord } from './state';
import type { SimulatorConfig, WireBalance, WireDeployment, WireSshKey, WireTeam, WireVolume } from './types';

/** `{id: value}` or `{_id: value}` per the `idField` option, placed first like a Mongo document. */
export function idProp(config: SimulatorConfig, value: string): { id: string } | { _id: string } {
  return config.idField === '_id' ? { _id: value } : { id: value };
}

function isoOrNull(ms: number | null): string | null {
  return ms === null ? null : isoTime(ms);
}

/** `ubuntu` for Ubuntu images (measured on massed-compute), `root` otherwise (the docs' default). */
export function defaultSshUser(operatingSystem: string): string {
  return /ubuntu/i.test(operatingSystem) ? 'ubuntu' : 'root';
}

export function deploymentToWire(
  d: DeploymentRecord,
  state: SimState,
  config: SimulatorConfig,
  nowMs: number,
): WireDeployment {
  const addressed = d.startedAtMs !== null || nowMs >= d.createdAtMs + config.ipAssignDelaySeconds * 1000;
  const ipAddress = addressed ? (config.sshHost ?? d.assignedIp) : null;
  const user = addressed ? (config.sshUser ?? defaultSshUser(d.operatingSystem)) : null;
  const sshPort = addressed ? (config.sshPort ?? 22) : null;
  return {
    ...idProp(config, d.id),
    name: d.name,
    providerId: d.providerId,
    gpuModelId: d.gpuType,
    gpuType: d.gpuType,
    offerId: d.offerId,
    operatingSystem: d.operatingSystem,
    gpuCount: d.gpuCount,
    region: d.region,
    instanceType: d.instanceType,
    sshKeyId: d.sshKeyId,
    tempSshKeyId: d.tempSshKeyId,
    sshKeyName: d.sshKeyName,
    sshKeyFingerprint: d.sshKeyFingerprint,
    ipAddress,
    user,
    status: d.status,
    startedAt: isoOrNull(d.startedAtMs),
    stoppedAt: isoOrNull(d.stoppedAtMs),
    lastCreditDeduction: isoOrNull(d.lastCreditDeductionMs),
    totalCost: roundTo(state.totalCost(d), 6),
    hourlyRate: d.hourlyRate,
    originalHourlyRate: d.originalHourlyRate,
    discountPercentage: 0,
    hasDiscount: false,
    vcpus: d.vcpus,
    memory: d.memory,
    storage: d.storage,
    sshCommand: d.status === 'running' && ipAddress ? `ssh ${user}@${ipAddress} -p ${sshPort}` : null,
    sshPort,
    kubernetesAddon: d.kubernetesAddon
      ? {
          version: d.kubernetesAddon.version,
          clusterId: d.kubernetesAddon.clusterId,
          ...(d.kubernetesAddon.kubeconfig === undefined ? {} : { kubeconfig: d.kubernetesAddon.kubeconfig }),
        }
      : null,
    createdAt: isoTime(d.createdAtMs),
  };
}

export function sshKeyToWire(key: SshKeyRecord, config: SimulatorConfig): WireSshKey {
  return {
    ...idProp(config, key.id),
    name: key.name,
    fingerprint: key.fingerprint,
    publicKey: key.publicKey,
    createdAt: isoTime(key.createdAtMs),
  };
}

export function volumeToWire(v: VolumeRecord): WireVolume {
  return {
    id: v.id,
    volumeId: v.volumeId,
    name: v.name,
    providerId: v.providerId,
    region: v.region,
    sizeInGb: v.sizeInGb,
    usedCapacityBytes: v.usedCapacityBytes,
    status: v.status ?? (v.attachedToDeploymentIds.length ? 'attached' : 'available'),
    hourlyRate: v.hourlyRate,
    attachedToDeploymentIds: [...v.attachedToDeploymentIds],
    createdAt: isoTime(v.createdAtMs),
  };
}

export function balanceOf(team: TeamRecord): number {
  return roundTo(team.balance, 6);
}

export function balanceToWire(teams: readonly TeamRecord[]): WireBalance {
  return {
    teams: teams.map((t) => ({
      teamId: t.id,
      teamName: t.name,
      balance: balanceOf(t),
      isCurrentTeam: t.isCurrentTeam,
      role: t.role,
    })),
    currency: 'USD',
  };
}

export function teamToWire(team: TeamRecord, config: SimulatorConfig): WireTeam {
  return {
    ...idProp(config, team.id),
    name: team.name,
    role: team.role,
    isCurrentTeam: team.isCurrentTeam,
    balance: balanceOf(team),
  };
}
