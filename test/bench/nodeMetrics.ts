// Benchmarks that run in plain Node: offer-tree building, catalogue request count, SSH sync,
// and the explorer's idle request budget. Each returns numbers; nothing here asserts a budget.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { SpheronClient } from '../../src/core/api/client';
import { normalizeOfferPage } from '../../src/core/api/normalize';
import type { Deployment } from '../../src/core/api/types';
import { buildOfferTree, DEFAULT_OFFER_FILTERS } from '../../src/core/model/offers';
import { syncSshConfig } from '../../src/core/ssh/sync';
import { generateCatalogue, startSimulator } from '../simulator';
import { CLUSTER_DEPLOY_SIM_OPTIONS, measureClusterDeploy } from '../support/clusterDeploy';
import { measureIdlePolling } from '../support/idlePolling';

export const BIG_CATALOGUE = { groups: 300, offersPerGroup: 20 } as const;
const PAGE_SIZE = 100;

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/** The raw JSON pages the API would send for the big catalogue, `PAGE_SIZE` groups each. */
function rawCataloguePages(): string[] {
  const groups = generateCatalogue(BIG_CATALOGUE);
  const totalPages = Math.ceil(groups.length / PAGE_SIZE);
  return Array.from({ length: totalPages }, (_, index) =>
    JSON.stringify({
      data: groups.slice(index * PAGE_SIZE, (index + 1) * PAGE_SIZE),
      total: groups.length,
      page: index + 1,
      limit: PAGE_SIZE,
      totalPages,
    }),
  );
}

/** Raw API pages → validated domain groups → Offers tree nodes with default filters; median ms. */
export function measureOfferTreeBuild(runs = 15): { medianMs: number; offers: number; nodes: number } {
  const pages = rawCataloguePages();
  const timings: number[] = [];
  let offers = 0;
  let nodes = 0;
  for (let run = 0; run < runs; run++) {
    const start = performance.now();
    const groups = pages.flatMap(
      (text, index) =>
        normalizeOfferPage('GET /api/gpu-offers', text, { page: index + 1, limit: PAGE_SIZE }).groups,
    );
    const tree = buildOfferTree(groups, DEFAULT_OFFER_FILTERS);
    timings.push(performance.now() - start);
    offers = tree.totalOffers;
    nodes = tree.nodes.length;
  }
  return { medianMs: median(timings), offers, nodes };
}

/** HTTP requests the real client needs to load the whole big catalogue from the simulator. */
export async function measureCatalogueRequests(): Promise<number> {
  const sim = await startSimulator({ port: 0, catalogue: BIG_CATALOGUE });
  const client = new SpheronClient({
    baseUrl: sim.url,
    getApiKey: () => Promise.resolve(sim.apiKey),
    userAgent: 'spheron-vscode/bench',
  });
  try {
    sim.resetRequestLog();
    const catalogue = await client.listAllGpuOffers({});
    const seen = sim.requestLog().total;
    if (seen !== catalogue.requests) {
      throw new Error(`client counted ${catalogue.requests} requests, simulator saw ${seen}`);
    }
    return seen;
  } finally {
    await client.dispose();
    await sim.close();
  }
}

function runningDeployment(index: number): Deployment {
  const id = (0x6a0000000000000000000000 + index).toString(16).padStart(24, '0');
  return {
    id,
    name: `train-${index}`,
    provider: 'data-crunch',
    gpuType: 'H100_SXM5',
    gpuCount: 1,
    region: 'FIN-01',
    instanceType: 'DEDICATED',
    operatingSystem: 'Ubuntu 22.04',
    offerId: 'dc-1h100',
    status: 'running',
    rawStatus: 'running',
    ipAddress: `10.${(index >> 8) & 255}.${index & 255}.7`,
    sshUser: 'ubuntu',
    sshPort: 22,
    sshCommand: null,
    sshKeyId: null,
    createdAtMs: 1_780_000_000_000 + index,
    startedAtMs: 1_780_000_060_000 + index,
    stoppedAtMs: null,
    totalCost: 0,
    hourlyRate: 2.91,
    originalHourlyRate: 2.91,
    vcpus: 30,
    memoryGb: 120,
    storageGb: 500,
  };
}

/**
 * A first sync of 500 running instances into an empty home, then a sync with nothing changed.
 * The first sync is timed in `runs` fresh homes (median): one cold run is mostly JIT warm-up and
 * whatever the previous metric left for the garbage collector.
 */
export async function measureSshSync(
  count = 500,
  runs = 7,
): Promise<{ firstMs: number; noopMs: number; noopWrites: number }> {
  const deployments = Array.from({ length: count }, (_, index) => runningDeployment(index));
  const firstTimings: number[] = [];
  let noopMs = 0;
  let noopWrites = 0;
  for (let run = 0; run < runs; run++) {
    const home = mkdtempSync(join(tmpdir(), 'spheron-bench-ssh-'));
    try {
      const settings = { homeDir: home, userConfigPath: join(home, '.ssh', 'config') };
      const firstStart = performance.now();
      await syncSshConfig(deployments, settings);
      firstTimings.push(performance.now() - firstStart);
      const noopStart = performance.now();
      const noop = await syncSshConfig(deployments, settings);
      noopMs = performance.now() - noopStart;
      noopWrites = Math.max(noopWrites, noop.filesWritten.length);
    } finally {
      rmSync(home, { recursive: true, force: true });
    }
  }
  return { firstMs: median(firstTimings), noopMs, noopWrites };
}

/** Requests in 15 simulated minutes, views hidden and visible, every instance running. */
export async function measureIdleRequests(): Promise<{ hidden: number; visible: number }> {
  const sim = await startSimulator({ port: 0 });
  try {
    const hidden = await measureIdlePolling(sim, { offers: false, anyView: false });
    const visible = await measureIdlePolling(sim, { offers: true, anyView: true });
    return { hidden: hidden.requests, visible: visible.requests };
  } finally {
    await sim.close();
  }
}

/** Issue 12's cluster deploy: requests in 15 min, and whether a terminate at minute 15 got through. */
export async function measureClusterDeployRequests(): Promise<{ requests: number; terminateOk: number }> {
  const sim = await startSimulator({ port: 0, ...CLUSTER_DEPLOY_SIM_OPTIONS });
  try {
    const result = await measureClusterDeploy(sim);
    // Spheron answered the terminate itself (done, or its minimum-runtime refusal that "Terminate
    // When Allowed" handles): the user was not locked out by the rate limit.
    return { requests: result.requests, terminateOk: result.terminate === 'rate-limited' ? 0 : 1 };
  } finally {
    await sim.close();
  }
}
