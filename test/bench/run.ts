// `npm run bench`: size, speed, memory and API-cost figures for the extension, as a table or
// (`-- --json`) one JSON object. These are measurements, not pass/fail tests; budgets are shown
// next to each figure so a change that moves one is visible.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import {
  measureCatalogueRequests,
  measureClusterDeployRequests,
  measureIdleRequests,
  measureOfferTreeBuild,
  measureSshSync,
  measureSshSyncBigUserConfig,
  median,
} from './nodeMetrics';
import { measureJupyter, type JupyterFigures } from './jupyterMetrics';
import { measureSizes } from './sizes';
import {
  measureTelemetryHidden,
  measureTelemetryProcesses,
  measureTelemetryRefresh,
} from './telemetryMetrics';

const ROOT = join(__dirname, '..', '..');
const json = process.argv.includes('--json');
const skipExtHost = process.argv.includes('--no-ext-host');
const MB = 1024 * 1024;

interface ExtHostRun {
  readonly wasActive: boolean;
  /** False when the host never settled within the wait (the figure then includes start-up noise). */
  readonly settled: boolean;
  readonly activationMs: number;
  readonly activationHeapBytes: number;
  readonly firstUseMs: number;
  readonly firstUseHeapBytes: number;
  readonly offersHeapBytes?: number;
  readonly offersLoaded?: number;
}

function round(value: number, decimals = 1): number {
  return Number(value.toFixed(decimals));
}

function progress(message: string): void {
  if (!json) {
    console.error(`[bench] ${message}`);
  }
}

interface ExtHostResult {
  readonly activations: ExtHostRun[];
  readonly withOffers: ExtHostRun;
  /** The hello-world extension (test/bench/baseline), measured the same way. */
  readonly baseline: Pick<ExtHostRun, 'wasActive' | 'settled' | 'activationMs' | 'activationHeapBytes'>[];
}

function measureExtHost(): ExtHostResult {
  const setup = spawnSync('bash', [join(ROOT, 'test/e2e/setup')], { stdio: ['ignore', 'pipe', 'inherit'] });
  if (setup.status !== 0) {
    throw new Error('test/e2e/setup failed');
  }
  const output = execFileSync('bash', [join(ROOT, 'test/bench/run-ext-host-bench')], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    maxBuffer: 16 * MB,
  });
  const line = output.split('\n').find((candidate) => candidate.startsWith('SPHERON_BENCH_RESULT'));
  if (!line) {
    throw new Error(`the extension-host bench printed no result:\n${output}`);
  }
  return JSON.parse(line.slice('SPHERON_BENCH_RESULT'.length)) as ExtHostResult;
}

interface Row {
  readonly key: string;
  readonly label: string;
  readonly value: number | null;
  readonly unit: string;
  readonly budget?: string;
}

async function main(): Promise<void> {
  progress('sizes (production build + VSIX)');
  const sizes = await measureSizes(ROOT);
  progress('offer tree from 6,000 offers');
  const offerTree = measureOfferTreeBuild();
  progress('catalogue requests');
  const catalogueRequests = await measureCatalogueRequests();
  progress('SSH config sync of 500 instances');
  const sshSync = await measureSshSync();
  progress('SSH config sync of 500 instances with a 2,000-line user config');
  const sshSyncBig = await measureSshSyncBigUserConfig();
  progress('idle requests over 15 simulated minutes');
  const idle = await measureIdleRequests();
  let jupyter: JupyterFigures | undefined;
  if (existsSync('/usr/bin/jupyter-notebook')) {
    progress("Jupyter through a tunnel (Debian's Jupyter Notebook behind a local sshd)");
    jupyter = await measureJupyter();
  } else {
    progress('Jupyter figures skipped: run bash test/e2e/setup to install Jupyter');
  }
  progress('telemetry: ssh processes per instance (real sshd), hidden-view traffic, 8-GPU refresh');
  const telemetryProcesses = await measureTelemetryProcesses();
  const telemetryHidden = await measureTelemetryHidden();
  const telemetryRefreshMs = measureTelemetryRefresh();
  progress('a 10-minute cluster deploy over 15 simulated minutes');
  const clusterDeploy = await measureClusterDeployRequests();
  let extHost: ExtHostResult | undefined;
  if (!skipExtHost) {
    progress('activation in fresh code-server extension hosts (10 cold starts, then 5 of a hello-world)');
    extHost = measureExtHost();
  }
  const activations = extHost?.activations ?? [];
  const baseline = extHost?.baseline ?? [];
  const rows: Row[] = [
    {
      key: 'bundle_bytes',
      label: 'dist/extension.js (loaded on activation)',
      value: sizes.bundleBytes,
      unit: 'B',
      budget: '≤ 300 KB',
    },
    { key: 'lazy_bytes', label: 'lazy chunks (main, http, webviews)', value: sizes.lazyBytes, unit: 'B' },
    { key: 'vsix_bytes', label: 'VSIX', value: sizes.vsixBytes, unit: 'B', budget: '≤ 500 KB' },
    {
      key: 'activation_ms',
      label: 'activate() in a fresh extension host, median',
      value: extHost ? round(median(activations.map((run) => run.activationMs))) : null,
      unit: 'ms',
      budget: '≤ 40 ms',
    },
    {
      key: 'activation_baseline_ms',
      label: 'a hello-world extension, same method, median',
      value: extHost && baseline.length > 0 ? round(median(baseline.map((run) => run.activationMs))) : null,
      unit: 'ms',
    },
    {
      key: 'activation_heap_mb',
      label: 'heap kept by activation, median',
      value: extHost ? round(median(activations.map((run) => run.activationHeapBytes)) / MB, 2) : null,
      unit: 'MB',
      budget: '≤ 3 MB',
    },
    {
      key: 'first_use_ms',
      label: 'first use: load dist/main.js, median',
      value: extHost ? round(median(activations.map((run) => run.firstUseMs))) : null,
      unit: 'ms',
    },
    {
      key: 'first_use_heap_mb',
      label: 'heap kept by first use, median',
      value: extHost ? round(median(activations.map((run) => run.firstUseHeapBytes)) / MB, 2) : null,
      unit: 'MB',
    },
    {
      key: 'offers_6000_build_ms',
      label: '6,000 offers: raw pages → tree nodes',
      value: round(offerTree.medianMs),
      unit: 'ms',
      budget: '≤ 50 ms',
    },
    {
      key: 'offers_6000_requests',
      label: '6,000 offers: HTTP requests to load',
      value: catalogueRequests,
      unit: '',
    },
    {
      key: 'heap_mb_after_6000_offers',
      label: 'heap growth after loading 6,000 offers',
      value:
        extHost?.withOffers.offersHeapBytes === undefined
          ? null
          : round(extHost.withOffers.offersHeapBytes / MB, 2),
      unit: 'MB',
    },
    {
      key: 'ssh_sync_500_ms',
      label: 'SSH config sync, 500 instances, median of 7',
      value: round(sshSync.firstMs),
      unit: 'ms',
      budget: '≤ 50 ms',
    },
    {
      key: 'ssh_sync_noop_writes',
      label: 'SSH config sync, nothing changed: files written',
      value: Math.max(sshSync.noopWrites, sshSyncBig.noopWrites),
      unit: '',
      budget: '0',
    },
    {
      key: 'ssh_sync_500_big_user_config_ms',
      label: `SSH config sync, 500 instances, one changed, ${sshSyncBig.userConfigLines}-line user config, median of 7`,
      value: round(sshSyncBig.changedMs),
      unit: 'ms',
      budget: '≤ 50 ms',
    },
    {
      key: 'ssh_sync_noop_big_user_config_ms',
      label: 'SSH config sync, nothing changed, same config, median of 7',
      value: round(sshSyncBig.noopMs, 2),
      unit: 'ms',
      budget: '≤ 5 ms',
    },
    {
      key: 'idle_requests_per_15min_hidden',
      label: 'requests in 15 min, views hidden',
      value: idle.hidden,
      unit: '',
      budget: '0',
    },
    {
      key: 'idle_requests_per_15min_visible',
      label: 'requests in 15 min, views visible',
      value: idle.visible,
      unit: '',
      budget: '≤ 30',
    },
    {
      key: 'jupyter_open_ms',
      label: 'Open Jupyter: command to page 200 through the tunnel, median of 5',
      value: jupyter ? round(jupyter.openMs) : null,
      unit: 'ms',
    },
    {
      key: 'tunnel_restore_ms',
      label: 'killed tunnel to the kernel answering again, median of 5',
      value: jupyter ? round(jupyter.restoreMs) : null,
      unit: 'ms',
      budget: '≤ 10,000 ms',
    },
    {
      key: 'telemetry_ssh_processes_per_instance',
      label: 'ssh processes for one instance while its telemetry refreshes',
      value: telemetryProcesses,
      unit: '',
      budget: '1',
    },
    {
      key: 'telemetry_requests_hidden',
      label: 'SSH commands + API requests in 15 min, views hidden (telemetry, idle guard, explorer)',
      value: telemetryHidden + idle.hidden,
      unit: '',
      budget: '0',
    },
    {
      key: 'telemetry_refresh_ms',
      label: 'one 8-GPU telemetry refresh: parse + instance rows, median of 20',
      value: round(telemetryRefreshMs, 3),
      unit: 'ms',
      budget: '≤ 5 ms',
    },
    {
      key: 'requests_per_15min_cluster_deploy',
      label: 'requests in 15 min: a 10-minute cluster deploy, watcher on, views visible',
      value: clusterDeploy.requests,
      unit: '',
      budget: '≤ 80',
    },
    {
      key: 'terminate_ok_after_cluster_deploy',
      label: 'a terminate at minute 15 of that run is answered by Spheron, not rate limited',
      value: clusterDeploy.terminateOk,
      unit: '',
      budget: '1',
    },
  ];
  if (json) {
    console.log(JSON.stringify(Object.fromEntries(rows.map((row) => [row.key, row.value]))));
    return;
  }
  const format = (row: Row) =>
    row.value === null
      ? 'n/a'
      : row.unit === 'B'
        ? `${(row.value / 1024).toFixed(1)} KB`
        : `${row.value}${row.unit ? ` ${row.unit}` : ''}`;
  console.log(
    `Spheron for VS Code benchmarks — ${new Date().toISOString()}, ${cpus().length} × ${cpus()[0]?.model ?? 'CPU'}, ${Math.round(totalmem() / 1024 ** 3)} GiB, Node ${process.version}`,
  );
  console.log('');
  const width = Math.max(...rows.map((row) => row.key.length));
  for (const row of rows) {
    console.log(
      `${row.key.padEnd(width)}  ${format(row).padStart(10)}  ${(row.budget ?? '').padEnd(9)}  ${row.label}`,
    );
  }
  if (extHost?.activations.some((run) => run.wasActive)) {
    console.log('\nwarning: the extension was already active in some runs; those were not cold activations');
  }
  const unsettled = [...activations, ...baseline].filter((run) => !run.settled).length;
  if (unsettled > 0) {
    console.log(
      `\nwarning: in ${unsettled} run(s) the extension host never settled (a busy machine?); those figures include VS Code's start-up`,
    );
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
  process.exit(1);
});
