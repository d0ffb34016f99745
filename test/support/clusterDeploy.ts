// A cluster deploy as the extension runs it, on simulated time: the views visible (explorer
// polling), one create through the exactly-once registry, the deployment watcher served by the
// Instances list, and the request budget they all share. Counts the requests of 15 simulated
// minutes (the deploy takes 10) and sends a terminate at minute 15, as a user stopping a $21/h
// cluster would. Used by the bench (requests_per_15min_cluster_deploy) and by a unit test.
import { SpheronClient } from '../../src/core/api/client';
import { RateLimitError } from '../../src/core/api/errors';
import { RequestBudget } from '../../src/core/api/requestBudget';
import { buildCreateDeploymentRequest } from '../../src/core/deploy/createRequest';
import { createDeploySubmissionRegistry } from '../../src/core/deploy/deploySubmission';
import {
  deploymentFromList,
  watchDeployment,
  WATCH_LIST_MAX_AGE_MS,
} from '../../src/core/deploy/watchDeployment';
import { ExplorerData } from '../../src/core/explorer/explorerData';
import { ExplorerPolling } from '../../src/core/explorer/explorerPolling';
import { MemoryKeyValueStore } from '../../src/core/util/keyValueStore';
import { SEED_IDS, type Simulator } from '../simulator';
import { SteppedClock } from './idlePolling';

export const CLUSTER_OFFER_ID = 'vp-h100-sxm5-8x-ib';

export interface ClusterDeployResult {
  /** Requests the simulator saw in the 15 minutes from the create on. */
  readonly requests: number;
  readonly byRoute: Readonly<Record<string, number>>;
  /** 429 answers among them. */
  readonly rateLimited: number;
  /** How the watch ended. */
  readonly watch: string;
  /**
   * The terminate sent at minute 15: `terminated`, or `refused` when Spheron answered with its
   * own refusal (the cluster's 60-minute minimum runtime), or `rate-limited`.
   */
  readonly terminate: 'terminated' | 'refused' | 'rate-limited';
}

/** Simulator options the measurement needs: the cluster takes 10 minutes to deploy. */
export const CLUSTER_DEPLOY_SIM_OPTIONS = { deployDelaySeconds: 600 } as const;

export async function measureClusterDeploy(sim: Simulator, minutes = 15): Promise<ClusterDeployResult> {
  const clock = new SteppedClock(sim.nowMs());
  const budget = new RequestBudget(new MemoryKeyValueStore(), () => clock.now());
  const api = new SpheronClient({
    baseUrl: sim.url,
    getApiKey: () => Promise.resolve(sim.apiKey),
    userAgent: 'spheron-vscode/bench',
    budget,
    sleep: (ms) => new Promise((resolve) => clock.setTimeout(resolve, ms)),
  });
  const data = new ExplorerData({ api, currentTeam: (balance) => balance.teams[0], now: () => clock.now() });
  const polling = new ExplorerPolling({
    data,
    signedIn: () => true,
    now: () => clock.now(),
    scheduledTerminations: () => new Map(),
    timers: clock,
    clock,
    budget,
  });
  let busy = 0;
  const tracked = <T>(work: Promise<T>): Promise<T> => {
    busy += 1;
    return work.finally(() => {
      busy -= 1;
    });
  };
  const settle = async (): Promise<void> => {
    const deadline = Date.now() + 30_000;
    for (;;) {
      await new Promise<void>((resolve) => setImmediate(resolve));
      const pollersIdle = Object.values(polling.pollers).every((poller) => !poller.state.inFlight);
      if (pollersIdle && busy === 0) {
        return;
      }
      if (Date.now() > deadline) {
        throw new Error('the cluster deploy did not settle');
      }
      await new Promise<void>((resolve) => setTimeout(resolve, 2));
    }
  };
  /** Moves both clocks to `targetMs`, firing every timer on the way and letting its work finish. */
  const runUntil = async (targetMs: number): Promise<void> => {
    for (;;) {
      const before = clock.now();
      const fired = clock.fireNext(targetMs);
      const moved = clock.now() - before;
      if (moved > 0) {
        sim.advanceClock(moved / 1000);
      }
      if (!fired) {
        return;
      }
      await settle();
    }
  };
  const controller = new AbortController();
  try {
    polling.setVisibility({ offers: true, anyView: true });
    await runUntil(clock.now());
    sim.resetRequestLog();
    const start = clock.now();

    const catalogue = await tracked(api.listAllGpuOffers({}));
    const group = catalogue.groups.find((g) => g.offers.some((o) => o.offerId === CLUSTER_OFFER_ID));
    const offer = group?.offers.find((o) => o.offerId === CLUSTER_OFFER_ID);
    if (!group || !offer) {
      throw new Error(`offer ${CLUSTER_OFFER_ID} not in the catalogue`);
    }
    sim.resetRequestLog(); // the catalogue was already on screen: not part of the deploy
    const request = buildCreateDeploymentRequest(
      offer,
      group.gpuType,
      {
        name: 'bench-cluster',
        region: offer.regions[0] ?? '',
        operatingSystem: offer.osOptions[0] ?? '',
        sshKey: { kind: 'registered', keyId: SEED_IDS.sshKey },
        volumeIds: [],
        startup: undefined,
      },
      SEED_IDS.team,
    );
    const registry = createDeploySubmissionRegistry({ api, clock });
    const known = (await tracked(api.listDeployments({ teamId: SEED_IDS.team }))).map((d) => d.id);
    const created = await tracked(registry.submit('bench', request, known));
    if (created.kind !== 'created') {
      throw new Error(`the cluster create did not go through: ${JSON.stringify(created)}`);
    }
    // What the deploy panel does next: refresh the Instances view and watch the deployment.
    await tracked(polling.refresh('instances'));
    const getDeployment = deploymentFromList({
      state: () => data.deployments.state,
      refresh: () => polling.refreshInstanceList(),
      getDeployment: (id, options) => api.getDeployment(id, options),
      now: () => clock.now(),
      maxAgeMs: WATCH_LIST_MAX_AGE_MS,
      budget,
    });
    let watchOutcome = 'still watching';
    void watchDeployment({
      id: created.id,
      getDeployment: (id, options) => tracked(getDeployment(id, options)),
      sleep: (ms, signal) =>
        new Promise<void>((resolve, reject) => {
          const onAbort = (): void => {
            clock.clearTimeout(handle);
            reject(new Error('aborted'));
          };
          const handle = clock.setTimeout(() => {
            signal.removeEventListener('abort', onAbort);
            resolve();
          }, ms);
          signal.addEventListener('abort', onAbort, { once: true });
        }),
      now: () => clock.now(),
      signal: controller.signal,
    }).then((outcome) => {
      watchOutcome = outcome.kind;
    });
    await runUntil(start + minutes * 60_000);
    const log = sim.requestLog();

    let terminate: ClusterDeployResult['terminate'];
    try {
      await tracked(api.terminateDeployment(created.id));
      terminate = 'terminated';
    } catch (error) {
      terminate = error instanceof RateLimitError ? 'rate-limited' : 'refused';
    }
    return {
      requests: log.total,
      byRoute: log.byRoute,
      rateLimited: log.entries.filter((entry) => entry.status === 429).length,
      watch: watchOutcome,
      terminate,
    };
  } finally {
    controller.abort();
    polling.dispose();
    data.dispose();
    await api.dispose();
  }
}
