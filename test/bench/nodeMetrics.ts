// Benchmarks that run in plain Node: offer-tree building, catalogue request count, SSH sync,
// and the explorer's idle request budget. Each returns numbers; nothing here asserts a budget.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { SpheronClient } from '../../src/core/api/client';
import { normalizeOfferPage } from '../../src/core/api/normalize';
import type { Deployment } from '../../src/core/domain/types';
import { buildOfferTree, DEFAULT_OFFER_FILTERS } from '../../src/core/model/offers';
import { SshSyncCache, syncSshConfig } from '../../src/core/ssh/sync';
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
  // Built as text: a 24-hex number is beyond a double's precision, and 500 equal ids would be one instance.
  const id = `6a${index.toString(16).padStart(22, '0')}`;
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

/**
 * A user's SSH config of about `lines` lines as people grow them: global defaults, a `Host *`
 * block, many host blocks with HostName/User/Port/IdentityFile/forwards and comments, a few
 * wildcard and Match blocks. A handful of names look like ours (`spheron-…`).
 */
export function bigUserConfig(lines = 2_000): string {
  const out = [
    '# ~/.ssh/config',
    'AddKeysToAgent yes',
    'ServerAliveInterval 60',
    '',
    'Host *.corp.example.com',
    '  User jdoe',
    '  ProxyJump bastion',
    '',
    'Match host *.lab exec "test -f ~/.ssh/lab"',
    '  IdentityFile ~/.ssh/lab_ed25519',
    '',
  ];
  for (let index = 0; out.length < lines - 6; index++) {
    const name = index % 50 === 7 ? `spheron-train-${index}` : `box-${index}`;
    out.push(
      `# ${name}: project ${index % 17}`,
      `Host ${name} ${name}.internal`,
      `  HostName 10.${(index >> 8) & 255}.${index & 255}.20`,
      '  User deploy',
      `  Port ${2200 + (index % 50)}`,
      '  IdentityFile ~/.ssh/id_ed25519',
      index % 3 === 0 ? `  LocalForward 127.0.0.1:${9000 + index} localhost:80` : '  ForwardAgent no',
      '',
    );
  }
  out.push(
    'Host *',
    '  IdentitiesOnly yes',
    '  HashKnownHosts yes',
    '  UserKnownHostsFile ~/.ssh/known_hosts',
    '',
  );
  return out.join('\n');
}

/**
 * 500 instances with a realistic 2,000-line user config, as on every instance refresh: our file
 * already holds the 500 hosts and one instance changed (its IP), so the sync parses our file and
 * the user's, plans, renders, verifies what changed and writes (median of `runs`, a different
 * instance each time, after 3 unmeasured warm-up refreshes). Then, with the window's sync cache,
 * a sync with nothing changed (median).
 */
export async function measureSshSyncBigUserConfig(
  count = 500,
  runs = 7,
): Promise<{ changedMs: number; noopMs: number; noopWrites: number; userConfigLines: number }> {
  const deployments = Array.from({ length: count }, (_, index) => runningDeployment(index));
  const userText = bigUserConfig();
  const changedTimings: number[] = [];
  const noopTimings: number[] = [];
  let noopWrites = 0;
  const home = mkdtempSync(join(tmpdir(), 'spheron-bench-ssh-big-'));
  try {
    mkdirSync(join(home, '.ssh'), { mode: 0o700 });
    writeFileSync(join(home, '.ssh', 'config'), userText, { mode: 0o600 });
    const settings = { homeDir: home, userConfigPath: join(home, '.ssh', 'config'), teamId: 'bench-team' };
    const cache = new SshSyncCache();
    await syncSshConfig(deployments, settings, { cache });
    // A window refreshes for hours: time the warm path, after a few unmeasured refreshes.
    const warmUps = 3;
    for (let run = -warmUps; run < runs; run++) {
      const index = (run + warmUps) * 37;
      const changed = deployments[index];
      if (changed) {
        deployments[index] = { ...changed, ipAddress: `192.0.2.${run + warmUps + 1}` };
      }
      const changedStart = performance.now();
      const result = await syncSshConfig(deployments, settings, { cache });
      const changedMs = performance.now() - changedStart;
      if (result.filesWritten.length !== 1) {
        throw new Error(`expected one file written, got ${result.filesWritten.join(', ')}`);
      }
      const noopStart = performance.now();
      const noop = await syncSshConfig(deployments, settings, { cache });
      const noopMs = performance.now() - noopStart;
      noopWrites = Math.max(noopWrites, noop.filesWritten.length);
      if (run >= 0) {
        changedTimings.push(changedMs);
        noopTimings.push(noopMs);
      }
    }
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
  return {
    changedMs: median(changedTimings),
    noopMs: median(noopTimings),
    noopWrites,
    userConfigLines: userText.split('\n').length,
  };
}
