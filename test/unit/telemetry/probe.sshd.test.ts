// The probe over real OpenSSH (a throwaway sshd) with an nvidia-smi stand-in printing recorded
// outputs, and SSH sessions the test opens itself.
import * as assert from 'node:assert/strict';
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import {
  probeOnceCommand,
  parseFrame,
  FRAME_BEGIN,
  FRAME_END,
  type ProbeFrame,
} from '../../../src/core/telemetry/probe';
import { TelemetryManager, type InstanceTelemetry } from '../../../src/core/telemetry/telemetryManager';
import { createFakeNvidiaSmi, DRIVER_NOT_LOADED_EXIT, type FakeNvidiaSmi } from '../../support/fakeNvidiaSmi';
import { startSshd, writeSshdClientConfig, type SshdFixture } from '../ssh/sshdFixture';

const ALIAS = 'gpu-box';

function writeConfig(sshd: SshdFixture): Promise<string> {
  return writeSshdClientConfig(sshd, ALIAS);
}

function sshRun(config: string, command: string): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      'ssh',
      ['-F', config, '-T', '-o', 'BatchMode=yes', '--', ALIAS, command],
      (error, stdout, stderr) => (error ? reject(new Error(`${error.message}\n${stderr}`)) : resolve(stdout)),
    );
  });
}

async function probeOnce(config: string): Promise<ProbeFrame> {
  const output = await sshRun(config, probeOnceCommand());
  const begin = output.indexOf(`${FRAME_BEGIN}\n`);
  const end = output.indexOf(`${FRAME_END}\n`);
  assert.ok(begin >= 0 && end > begin, `no frame in:\n${output}`);
  return parseFrame(output.slice(begin + FRAME_BEGIN.length + 1, end));
}

/** An interactive-less session that stays open until killed; resolves once the far side runs. */
function openSession(config: string): Promise<ChildProcess> {
  const child = spawn('ssh', ['-F', config, '-T', '--', ALIAS, 'echo ready; exec sleep 600'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return new Promise((resolve, reject) => {
    child.stdout.once('data', () => resolve(child));
    child.once('exit', (code) => reject(new Error(`session ssh exited with ${String(code)}`)));
  });
}

describe('telemetry probe over a real sshd', function () {
  this.timeout(60_000);
  let fake: FakeNvidiaSmi;
  let sshd: SshdFixture;
  let config: string;
  const sessions: ChildProcess[] = [];

  before(async () => {
    fake = await createFakeNvidiaSmi('h100-1x-load.csv');
    sshd = await startSshd({ sessionPath: `${fake.binDir}:/usr/local/bin:/usr/bin:/bin` });
    config = await writeConfig(sshd);
  });

  afterEach(() => {
    for (const child of sessions.splice(0)) {
      child.kill();
    }
  });

  after(async () => {
    await sshd?.stop();
    await fake?.stop();
  });

  it('reads the recorded H100 output and counts the SSH sessions the test opened', async () => {
    assert.equal((await probeOnce(config)).sshSessions, 0, 'only the probe itself');
    sessions.push(await openSession(config), await openSession(config));
    const frame = await probeOnce(config);
    assert.equal(frame.sshSessions, 2);
    // python3 is on this machine, so the kernel query ran: no Jupyter server here, so no kernel.
    assert.deepEqual(frame.kernels, []);
    assert.equal(frame.gpu.kind, 'ok');
    if (frame.gpu.kind === 'ok') {
      assert.equal(frame.gpu.gpus[0]?.utilizationPercent, 100);
      assert.equal(frame.gpu.gpus[0]?.memoryTotalMiB, 81559);
    }
  });

  it('reports the recorded driver failure', async () => {
    await fake.use('driver-failure.txt', DRIVER_NOT_LOADED_EXIT);
    try {
      const frame = await probeOnce(config);
      assert.equal(frame.gpu.kind, 'driver-failure');
    } finally {
      await fake.use('h100-1x-load.csv');
    }
  });

  it('streams frames over one long-lived ssh while watched, and stops it when unwatched', async () => {
    await fake.use('h100-8x.csv');
    const manager = new TelemetryManager({
      sshPath: () => 'ssh',
      userConfigPath: () => config,
      intervalSeconds: 1,
    });
    try {
      const frames: InstanceTelemetry[] = [];
      const twoFrames = new Promise<void>((resolve) => {
        manager.onDidChange((id) => {
          const telemetry = manager.get(id);
          if (telemetry?.state === 'ok') {
            frames.push(telemetry);
            if (frames.length === 2) {
              resolve();
            }
          }
        });
      });
      manager.watch({ deploymentId: 'd1', alias: ALIAS });
      manager.watch({ deploymentId: 'd1', alias: ALIAS });
      assert.equal(manager.processCount(), 1, 'one ssh per instance, however often it is asked');
      await twoFrames;
      const last = frames.at(-1);
      assert.equal(last?.state === 'ok' ? last.gpus.length : 0, 8);
      assert.equal(manager.processCount(), 1);
      manager.unwatch('d1');
      assert.equal(manager.processCount(), 0);
      assert.equal(manager.get('d1'), undefined);
    } finally {
      manager.dispose();
      await fake.use('h100-1x-load.csv');
    }
  });
});

describe('telemetry probe on an instance without nvidia-smi', function () {
  this.timeout(60_000);
  it('says nvidia-smi is missing instead of failing', async () => {
    const sshd = await startSshd({ sessionPath: '/usr/local/bin:/usr/bin:/bin' });
    try {
      const config = await writeConfig(sshd);
      const frame = await probeOnce(config);
      assert.equal(frame.gpu.kind, 'missing');
    } finally {
      await sshd.stop();
    }
  });
});
