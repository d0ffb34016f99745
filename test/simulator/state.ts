// Stored resources and the time-driven rules: the deploying → running transition and per-second billing
// are applied lazily by settle(now) on every request, so no timers run.
import type { SimulatorConfig } from './types';

export const TERMINAL_STATUSES: ReadonlySet<string> = new Set([
  'failed',
  'terminated',
  'terminated-provider',
]);

export interface TeamRecord {
  readonly id: string;
  readonly name: string;
  readonly role: string;
  /** USD; debited as deployments run. */
  balance: number;
  readonly isCurrentTeam: boolean;
}

export interface SshKeyRecord {
  readonly id: string;
  readonly teamId: string;
  readonly name: string;
  readonly fingerprint: string;
  readonly publicKey: string;
  readonly createdAtMs: number;
}

export interface VolumeRecord {
  readonly id: string;
  readonly volumeId: string;
  readonly teamId: string;
  name: string;
  readonly providerId: string;
  readonly region: string;
  sizeInGb: number;
  readonly usedCapacityBytes: number;
  /** USD per GB per hour. */
  readonly hourlyRate: number;
  attachedToDeploymentIds: string[];
  readonly createdAtMs: number;
  /** Set for a volume on its way out (real-world profile); otherwise derived from attachments. */
  readonly status?: 'deleting' | 'deleted';
}

/** Injected trouble in an add-on cluster (admin API): a worker down, or the control plane gone. */
export type ClusterFault = 'degraded' | 'unavailable';

/** A deployment's Kubernetes add-on. */
export interface KubernetesAddonRecord {
  readonly version: string;
  /** A UUID, as the contract describes cluster ids; `GET /api/kubernetes/{clusterId}/health` takes it. */
  readonly clusterId: string;
  /** The OIDC configuration as sent (`authentication_config_b64`); null when none was. */
  readonly authenticationConfigB64: string | null;
  fault: ClusterFault | null;
  /** What the deployment reports as `kubernetesAddon.kubeconfig` (contract: optional); set by admin. */
  kubeconfig?: string;
}

export interface DeploymentRecord {
  readonly id: string;
  readonly teamId: string;
  name: string | null;
  readonly providerId: string;
  readonly gpuType: string;
  readonly offerId: string;
  readonly operatingSystem: string;
  readonly gpuCount: number;
  readonly region: string;
  readonly instanceType: string;
  readonly sshKeyId: string | null;
  readonly tempSshKeyId: string | null;
  readonly sshKeyName: string | null;
  readonly sshKeyFingerprint: string | null;
  /** The address the deployment reports once `ipAssignDelaySeconds` have passed. */
  readonly assignedIp: string;
  status: string;
  /** Set when the admin API chose the status: automatic transitions then leave it alone. */
  statusPinned: boolean;
  readonly createdAtMs: number;
  startedAtMs: number | null;
  stoppedAtMs: number | null;
  readonly hourlyRate: number;
  readonly originalHourlyRate: number;
  readonly vcpus: number;
  readonly memory: number;
  readonly storage: number;
  /** The offer's own minimum runtime, when it has one; otherwise the configured one applies. */
  readonly minimumRuntimeMinutes: number | null;
  /** Whole seconds billed so far. */
  billedSeconds: number;
  /** Start of the not-yet-billed time; null while not billing. */
  billingFromMs: number | null;
  lastCreditDeductionMs: number | null;
  /** Absent (seeds) or undefined: no add-on. */
  kubernetesAddon?: KubernetesAddonRecord;
}

export interface SeedState {
  readonly teams: readonly TeamRecord[];
  readonly sshKeys: readonly SshKeyRecord[];
  readonly volumes: readonly VolumeRecord[];
  readonly deployments: readonly DeploymentRecord[];
}

export interface RuntimeCheck {
  /** Minutes since `startedAt` (or `createdAt` before running). */
  readonly elapsedMinutes: number;
  readonly minimumRuntime: number;
  /** Whole minutes, rounded up, never negative. */
  readonly timeRemaining: number;
  readonly met: boolean;
}

export class SimState {
  teams: TeamRecord[] = [];
  readonly sshKeys = new Map<string, SshKeyRecord>();
  readonly volumes = new Map<string, VolumeRecord>();
  readonly deployments = new Map<string, DeploymentRecord>();
  private idCounter = 0;
  private ipCounter = 0;

  constructor(private readonly config: () => SimulatorConfig) {}

  load(seed: SeedState): void {
    this.teams = seed.teams.map((t) => ({ ...t }));
    this.sshKeys.clear();
    this.volumes.clear();
    this.deployments.clear();
    for (const key of seed.sshKeys) {
      this.sshKeys.set(key.id, { ...key });
    }
    for (const volume of seed.volumes) {
      this.volumes.set(volume.id, {
        ...volume,
        attachedToDeploymentIds: [...volume.attachedToDeploymentIds],
      });
    }
    for (const deployment of seed.deployments) {
      this.deployments.set(deployment.id, { ...deployment });
    }
  }

  /** A fresh 24-hex ObjectId-like id: 4 bytes of simulated seconds, then a counter. */
  newId(nowMs: number): string {
    this.idCounter++;
    const seconds = Math.floor(nowMs / 1000) % 0x100000000;
    return seconds.toString(16).padStart(8, '0') + '5e' + this.idCounter.toString(16).padStart(14, '0');
  }

  /** A fresh UUID-shaped cluster id (version 4 layout), counter-based so runs repeat. */
  newClusterId(): string {
    this.idCounter++;
    const hex = this.idCounter.toString(16).padStart(12, '0');
    return `5e0c1a57-0000-4000-8000-${hex}`;
  }

  /** Addresses from TEST-NET-3 (RFC 5737). */
  newIp(): string {
    this.ipCounter++;
    return `203.0.113.${10 + (this.ipCounter % 240)}`;
  }

  team(id: string): TeamRecord | undefined {
    return this.teams.find((t) => t.id === id);
  }

  currentTeam(): TeamRecord {
    return this.teams.find((t) => t.isCurrentTeam) ?? this.teams[0];
  }

  /** Applies everything that happened up to `nowMs`: lifecycle transitions, then billing. */
  settle(nowMs: number): void {
    const { deployDelaySeconds } = this.config();
    for (const d of this.deployments.values()) {
      const runningAtMs = d.createdAtMs + deployDelaySeconds * 1000;
      if (d.status === 'deploying' && !d.statusPinned && nowMs >= runningAtMs) {
        d.status = 'running';
        d.startedAtMs = runningAtMs;
        d.billingFromMs = runningAtMs;
      }
      this.bill(d, nowMs);
    }
  }

  private bill(d: DeploymentRecord, nowMs: number): void {
    if (d.billingFromMs === null || nowMs <= d.billingFromMs) {
      return;
    }
    const seconds = Math.floor((nowMs - d.billingFromMs) / 1000);
    if (seconds <= 0) {
      return;
    }
    const before = (d.hourlyRate * d.billedSeconds) / 3600;
    d.billedSeconds += seconds;
    d.billingFromMs += seconds * 1000;
    d.lastCreditDeductionMs = d.billingFromMs;
    const team = this.team(d.teamId);
    if (team) {
      team.balance -= (d.hourlyRate * d.billedSeconds) / 3600 - before;
    }
  }

  isBilling(d: DeploymentRecord): boolean {
    return d.billingFromMs !== null;
  }

  totalCost(d: DeploymentRecord): number {
    return (d.hourlyRate * d.billedSeconds) / 3600;
  }

  runtimeCheck(d: DeploymentRecord, nowMs: number): RuntimeCheck {
    const minimumRuntime = d.minimumRuntimeMinutes ?? this.config().minimumRuntimeMinutes;
    const elapsedMinutes = Math.max(0, (nowMs - (d.startedAtMs ?? d.createdAtMs)) / 60_000);
    const timeRemaining = Math.max(0, Math.ceil(minimumRuntime - elapsedMinutes));
    return { elapsedMinutes, minimumRuntime, timeRemaining, met: elapsedMinutes >= minimumRuntime };
  }

  /** Moves a deployment to `status` as of `nowMs` (call settle(nowMs) first). */
  setStatus(d: DeploymentRecord, status: string, nowMs: number, pinned: boolean): void {
    d.status = status;
    d.statusPinned = pinned;
    if (TERMINAL_STATUSES.has(status)) {
      d.stoppedAtMs ??= nowMs;
      d.billingFromMs = null;
      this.detachAll(d.id);
      return;
    }
    d.stoppedAtMs = null;
    if (status === 'running' && d.startedAtMs === null) {
      d.startedAtMs = nowMs;
    }
    // Running, stopped and any unknown status keep billing once the machine has started.
    if (d.startedAtMs !== null && d.billingFromMs === null) {
      d.billingFromMs = nowMs;
    }
  }

  detachAll(deploymentId: string): void {
    for (const v of this.volumes.values()) {
      v.attachedToDeploymentIds = v.attachedToDeploymentIds.filter((id) => id !== deploymentId);
    }
  }

  volumesAttachedTo(deploymentId: string): VolumeRecord[] {
    return [...this.volumes.values()].filter((v) => v.attachedToDeploymentIds.includes(deploymentId));
  }
}
