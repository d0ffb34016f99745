// The simulator's model: configuration, clock, catalogue, stored state, limits, faults and the request log.
// The HTTP server and the programmatic Simulator both drive this one object.
import { Catalogue } from './catalogue';
import { SimClock } from './clock';
import { applyOptions } from './config';
import { FaultRegistry, parseFault } from './faults';
import { generateCatalogue } from './generator';
import { SimulatorRequestError } from './http';
import { RateLimiter } from './rateLimit';
import { RequestLog } from './requestLog';
import { ROUTE_KEYS } from './routes';
import { realWorldGroups, realWorldVolumes } from './realWorld';
import { SEED_IDS, seedCatalogue, seedState } from './seed';
import { SimState, type ClusterFault } from './state';
import type { SimulatorConfig, SimulatorStateSnapshot, WireDeployment } from './types';
import { deploymentToWire, sshKeyToWire, teamToWire, volumeToWire } from './wire';

function buildCatalogue(config: SimulatorConfig): Catalogue {
  const groups = config.catalogue === 'seed' ? seedCatalogue() : generateCatalogue(config.catalogue);
  return new Catalogue(config.profile === 'real-world' ? realWorldGroups(groups) : groups);
}

export class SimCore {
  private currentConfig: SimulatorConfig;
  private currentCatalogue: Catalogue;
  readonly clock: SimClock;
  readonly state: SimState;
  readonly rateLimiter = new RateLimiter();
  readonly faults = new FaultRegistry();
  readonly requestLog = new RequestLog();
  /** Commits a fault delayed (`commitDelaySeconds`), run once the simulated clock reaches `atMs`. */
  private lateCommits: { readonly atMs: number; readonly commit: (nowMs: number) => void }[] = [];

  constructor(config: SimulatorConfig, clock = new SimClock()) {
    this.currentConfig = config;
    this.clock = clock;
    this.currentCatalogue = buildCatalogue(config);
    this.state = new SimState(() => this.currentConfig);
    this.reset();
  }

  get config(): SimulatorConfig {
    return this.currentConfig;
  }

  get catalogue(): Catalogue {
    return this.currentCatalogue;
  }

  nowMs(): number {
    return this.clock.nowMs();
  }

  /** Applies partial options (validated; throws SimulatorConfigError). */
  configure(partial: unknown): SimulatorConfig {
    const next = applyOptions(this.currentConfig, partial);
    // Settle under the old rules first, so a changed delay only affects what happens from now on.
    this.state.settle(this.nowMs());
    if (
      JSON.stringify(next.catalogue) !== JSON.stringify(this.currentConfig.catalogue) ||
      next.profile !== this.currentConfig.profile
    ) {
      this.currentCatalogue = buildCatalogue(next);
    }
    this.currentConfig = next;
    return next;
  }

  /** Back to the seed state. Options and the clock stay; faults, limits and the request log clear. */
  reset(): void {
    // The clock too: a world seeded on a clock a test moved forward would look hours old to the
    // extension, which reads the wall clock.
    this.clock.reset();
    const seed = seedState(this.nowMs(), {
      withDeployments: this.currentConfig.seedDeployments,
      deployDelaySeconds: this.currentConfig.deployDelaySeconds,
    });
    this.state.load(
      this.currentConfig.profile === 'real-world'
        ? { ...seed, volumes: [...seed.volumes, ...realWorldVolumes(SEED_IDS.team, this.nowMs())] }
        : seed,
    );
    this.faults.clear();
    this.lateCommits = [];
    this.rateLimiter.reset();
    this.requestLog.reset();
  }

  advanceClock(seconds: number): number {
    if (typeof seconds !== 'number' || !Number.isFinite(seconds) || seconds < 0) {
      throw new SimulatorRequestError(400, 'seconds must be a non-negative number');
    }
    const now = this.clock.advance(seconds);
    this.runDueCommits();
    return now;
  }

  /** Runs `commit` (at its own time) before the first request, clock advance or snapshot at or after `atMs`. */
  commitAt(atMs: number, commit: (nowMs: number) => void): void {
    this.lateCommits.push({ atMs, commit });
  }

  runDueCommits(): void {
    const now = this.nowMs();
    const due = this.lateCommits.filter((late) => late.atMs <= now).sort((a, b) => a.atMs - b.atMs);
    this.lateCommits = this.lateCommits.filter((late) => late.atMs > now);
    for (const late of due) {
      late.commit(late.atMs);
    }
  }

  injectFault(fault: unknown): void {
    this.faults.add(parseFault(fault, ROUTE_KEYS));
  }

  setDeploymentStatus(id: string, status: unknown): WireDeployment {
    if (typeof status !== 'string' || status === '') {
      throw new SimulatorRequestError(400, 'status must be a non-empty string');
    }
    const now = this.nowMs();
    this.state.settle(now);
    const d = this.state.deployments.get(id);
    if (!d) {
      throw new SimulatorRequestError(404, `Deployment ${id} not found`);
    }
    this.state.setStatus(d, status, now, true);
    return deploymentToWire(d, this.state, this.currentConfig, now);
  }

  /** Injects trouble into an add-on cluster (`degraded`, `unavailable`), or clears it (null). */
  setClusterFault(clusterId: string, fault: unknown): { clusterId: string; fault: ClusterFault | null } {
    if (fault !== null && fault !== 'degraded' && fault !== 'unavailable') {
      throw new SimulatorRequestError(400, 'fault must be "degraded", "unavailable" or null');
    }
    const addon = [...this.state.deployments.values()].find(
      (d) => d.kubernetesAddon?.clusterId === clusterId,
    )?.kubernetesAddon;
    if (!addon) {
      throw new SimulatorRequestError(404, `Cluster ${clusterId} not found`);
    }
    addon.fault = fault;
    return { clusterId, fault };
  }

  /** What the cluster's deployment reports as `kubernetesAddon.kubeconfig`; null: nothing. */
  setClusterKubeconfig(clusterId: string, kubeconfig: unknown): { clusterId: string; kubeconfig: boolean } {
    if (kubeconfig !== null && typeof kubeconfig !== 'string') {
      throw new SimulatorRequestError(400, 'kubeconfig must be a string or null');
    }
    const addon = [...this.state.deployments.values()].find(
      (d) => d.kubernetesAddon?.clusterId === clusterId,
    )?.kubernetesAddon;
    if (!addon) {
      throw new SimulatorRequestError(404, `Cluster ${clusterId} not found`);
    }
    if (kubeconfig === null) {
      delete addon.kubeconfig;
    } else {
      addon.kubeconfig = kubeconfig;
    }
    return { clusterId, kubeconfig: kubeconfig !== null };
  }

  setBalance(balance: unknown, teamId?: unknown): void {
    if (typeof balance !== 'number' || !Number.isFinite(balance)) {
      throw new SimulatorRequestError(400, 'balance must be a number');
    }
    if (teamId !== undefined && typeof teamId !== 'string') {
      throw new SimulatorRequestError(400, 'teamId must be a string');
    }
    this.state.settle(this.nowMs());
    const team = teamId === undefined ? this.state.currentTeam() : this.state.team(teamId);
    if (!team) {
      throw new SimulatorRequestError(404, `Team ${String(teamId)} not found`);
    }
    team.balance = balance;
  }

  snapshot(): SimulatorStateSnapshot {
    this.runDueCommits();
    const now = this.nowMs();
    this.state.settle(now);
    const config = this.currentConfig;
    return {
      deployments: [...this.state.deployments.values()].map((d) => ({
        ...deploymentToWire(d, this.state, config, now),
        teamId: d.teamId,
        kubernetesAuthenticationConfigB64: d.kubernetesAddon?.authenticationConfigB64 ?? null,
      })),
      volumes: [...this.state.volumes.values()].map((v) => ({ ...volumeToWire(v), teamId: v.teamId })),
      sshKeys: [...this.state.sshKeys.values()].map((k) => ({
        ...sshKeyToWire(k, config),
        teamId: k.teamId,
      })),
      teams: this.state.teams.map((t) => teamToWire(t, config)),
    };
  }
}
