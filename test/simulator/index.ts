// Entry point: startSimulator() runs the Spheron API simulator on 127.0.0.1 (see README.md).
import { applyOptions, DEFAULT_CONFIG } from './config';
import { SimClock } from './clock';
import { SimCore } from './core';
import { SimServer } from './server';
import type { SimulatorProfile } from './realWorld';
import type {
  Fault,
  RequestLogSnapshot,
  SimulatorConfig,
  SimulatorOptions,
  SimulatorStateSnapshot,
  WireDeployment,
} from './types';

export type * from './types';
export { DEFAULT_API_KEY } from './config';
export { generateCatalogue } from './generator';
export { SEED_IDS, SEED_PUBLIC_KEY } from './seed';

export interface Simulator {
  /** `http://127.0.0.1:<port>`, no trailing slash. */
  readonly url: string;
  readonly port: number;
  /** The first accepted key (`sim-demo-key` unless overridden). */
  readonly apiKey: string;
  readonly config: SimulatorConfig;
  /** Stored deployments, volumes, SSH keys and teams, as of now (like `GET /__sim/state`). */
  readonly state: SimulatorStateSnapshot;
  /** The simulated clock, epoch ms. */
  nowMs(): number;
  /** Moves the simulated clock forward; returns the new now. */
  advanceClock(seconds: number): number;
  injectFault(fault: Fault): void;
  clearFaults(): void;
  /** Sets any status string; the lifecycle then leaves the deployment alone. Throws for an unknown id. */
  setDeploymentStatus(id: string, status: string): WireDeployment;
  /** Makes an add-on cluster's health `degraded` or `unavailable`; null clears it. */
  setClusterFault(clusterId: string, fault: 'degraded' | 'unavailable' | null): void;
  /** Sets a team's balance (the current team when `teamId` is omitted). */
  setBalance(balance: number, teamId?: string): void;
  configure(options: Omit<SimulatorOptions, 'port' | 'wallClock'>): void;
  requestLog(): RequestLogSnapshot;
  resetRequestLog(): void;
  /** Back to the seed state; options and the clock stay, faults/limits/log clear. */
  reset(): void;
  close(): Promise<void>;
}

/**
 * The profile when options do not name one: `SPHERON_SIM_PROFILE` lets a whole test tier run
 * against `real-world` (`SPHERON_SIM_PROFILE=real-world npx mocha`).
 */
function profileFromEnvironment(): Pick<SimulatorOptions, 'profile'> {
  const profile = process.env['SPHERON_SIM_PROFILE'];
  return profile ? { profile: profile as SimulatorProfile } : {};
}

export async function startSimulator(options: SimulatorOptions = {}): Promise<Simulator> {
  const { wallClock, ...rest } = options;
  const core = new SimCore(
    applyOptions(DEFAULT_CONFIG, { ...profileFromEnvironment(), ...rest }),
    new SimClock(wallClock),
  );
  const server = new SimServer(core);
  const port = await server.listen(options.port ?? 0);
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    get apiKey() {
      return core.config.apiKeys[0] ?? '';
    },
    get config() {
      return core.config;
    },
    get state() {
      return core.snapshot();
    },
    nowMs: () => core.nowMs(),
    advanceClock: (seconds) => core.advanceClock(seconds),
    injectFault: (fault) => core.injectFault(fault),
    clearFaults: () => core.faults.clear(),
    setDeploymentStatus: (id, status) => core.setDeploymentStatus(id, status),
    setClusterFault: (clusterId, fault) => {
      core.setClusterFault(clusterId, fault);
    },
    setBalance: (balance, teamId) => core.setBalance(balance, teamId),
    configure: (partial) => {
      core.configure(partial);
    },
    requestLog: () => core.requestLog.snapshot(),
    resetRequestLog: () => core.requestLog.reset(),
    reset: () => core.reset(),
    close: () => server.close(),
  };
}
