// Telemetry figures for `npm run bench`: ssh processes per watched instance (real OpenSSH against
// a throwaway sshd, with the nvidia-smi stand-in printing the recorded 8× H100 output), SSH
// commands and API requests in 15 minutes with the views hidden (fake time), and one 8-GPU refresh
// (frame parse + instance rows) timed.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { IdleGuard } from '../../src/core/guard/idleGuard';
import { buildInstanceNodes } from '../../src/core/model/instances';
import { withInstanceExtras } from '../../src/core/telemetry/instanceRows';
import { FRAME_BEGIN, FRAME_END, FrameSplitter, type ProbeFrame } from '../../src/core/telemetry/probe';
import { TelemetryManager, type InstanceTelemetry } from '../../src/core/telemetry/telemetryManager';
import { createFakeNvidiaSmi, NVIDIA_SMI_FIXTURES } from '../support/fakeNvidiaSmi';
import { FakeTime, MemoryStore } from '../unit/deploy/fakeTime';
import { settle } from '../unit/model/fakeClock';
import { HOUR, NOW, deployment } from '../unit/model/fixtures';
import { startSshd, writeSshdClientConfig } from '../unit/ssh/sshdFixture';
import { median } from './nodeMetrics';

const ALIAS = 'bench-gpu-box';

/** OS-level count of ssh processes talking to the bench host while telemetry refreshes. */
export async function measureTelemetryProcesses(): Promise<number> {
  const fake = await createFakeNvidiaSmi('h100-8x.csv');
  const sshd = await startSshd({ sessionPath: `${fake.binDir}:/usr/local/bin:/usr/bin:/bin` });
  const config = await writeSshdClientConfig(sshd, ALIAS);
  const manager = new TelemetryManager({
    sshPath: () => 'ssh',
    userConfigPath: () => config,
    intervalSeconds: 1,
  });
  try {
    let frames = 0;
    const threeFrames = new Promise<void>((resolve) =>
      manager.onDidChange((id) => {
        if (manager.get(id)?.state === 'ok' && ++frames === 3) {
          resolve();
        }
      }),
    );
    // Asked repeatedly, as expanding, re-rendering and visibility changes do.
    for (let i = 0; i < 5; i += 1) {
      manager.watch({ deploymentId: 'd1', alias: ALIAS });
    }
    await threeFrames;
    const processes = execFileSync('ps', ['-eo', 'args='], { encoding: 'utf8' })
      .split('\n')
      .filter((line) => line.startsWith('ssh ') && line.includes(` ${ALIAS} `));
    return processes.length;
  } finally {
    manager.dispose();
    await sshd.stop();
    await fake.stop();
  }
}

/**
 * SSH commands and API requests in 15 minutes with the views hidden and default settings:
 * telemetry watches nothing (hidden views unwatch everything) and the idle guard is off.
 * Counted at the seams: every ssh spawn, every guard look, every scheduler call.
 */
export async function measureTelemetryHidden(): Promise<number> {
  const time = new FakeTime(NOW);
  let commands = 0;
  const manager = new TelemetryManager({
    sshPath: () => 'ssh',
    userConfigPath: () => '/dev/null',
    timers: time,
    now: () => time.now(),
    spawn: () => {
      commands += 1;
      return {
        pid: undefined,
        kill: () => undefined,
        onStdout: () => undefined,
        onStderr: () => undefined,
        onExit: () => undefined,
      };
    },
  });
  manager.watch({ deploymentId: 'd1', alias: ALIAS });
  manager.unwatchAll(); // the views were hidden
  commands = 0;
  const guard = new IdleGuard({
    store: new MemoryStore(),
    clock: time,
    timers: time,
    logger: { info: () => undefined, warn: () => undefined },
    deployments: () => [deployment({ id: 'd1', status: 'running', startedAtMs: NOW - HOUR, hourlyRate: 2 })],
    settingMinutes: () => 0,
    observe: () => {
      commands += 1;
      return Promise.reject(new Error('no look while the guard is off'));
    },
    isScheduled: () => false,
    schedule: () => {
      commands += 1;
      return Promise.resolve();
    },
    warn: () => Promise.resolve(undefined),
  });
  guard.start();
  for (let minute = 0; minute <= 15; minute += 1) {
    time.advance(60_000);
    await settle();
  }
  guard.dispose();
  manager.dispose();
  return commands;
}

/** One refresh of an 8-GPU instance: split and parse the frame, rebuild the instance rows. */
export function measureTelemetryRefresh(runs = 20): number {
  const csv = readFileSync(join(NVIDIA_SMI_FIXTURES, 'h100-8x.csv'), 'utf8');
  const frameText = `${FRAME_BEGIN}\n${csv}@@gpu-exit 0\n@@sessions 1\n@@kernels []\n${FRAME_END}\n`;
  const deployments = Array.from({ length: 20 }, (_, i) =>
    deployment({
      id: `d${i}`,
      name: `box-${i}`,
      status: 'running',
      ipAddress: '203.0.113.7',
      startedAtMs: NOW - HOUR,
      hourlyRate: 20,
    }),
  );
  const times: number[] = [];
  for (let run = 0; run < runs; run += 1) {
    const started = performance.now();
    let frame: ProbeFrame | undefined;
    new FrameSplitter((parsed) => (frame = parsed)).push(frameText);
    const telemetry: InstanceTelemetry | undefined =
      frame?.gpu.kind === 'ok' ? { state: 'ok', atMs: NOW, gpus: frame.gpu.gpus, frame } : undefined;
    const nodes = withInstanceExtras(buildInstanceNodes(deployments, { nowMs: NOW, showEnded: false }), {
      nowMs: NOW,
      telemetry: (id) => (id === 'd0' ? telemetry : undefined),
      idleLine: () => undefined,
    });
    times.push(performance.now() - started);
    if (nodes.length !== deployments.length || telemetry === undefined) {
      throw new Error('telemetry refresh bench built the wrong rows');
    }
  }
  return median(times);
}
