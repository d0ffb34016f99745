import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FRAME_BEGIN, FRAME_END, FrameSplitter, type ProbeFrame } from '../../../src/core/telemetry/probe';
import {
  RETRY_DELAYS_MS,
  TelemetryManager,
  type StreamingProcess,
} from '../../../src/core/telemetry/telemetryManager';
import { FakeTime } from '../deploy/fakeTime';
import { NVIDIA_SMI_FIXTURES } from '../../support/fakeNvidiaSmi';

const H100 = readFileSync(join(NVIDIA_SMI_FIXTURES, 'h100-8x.csv'), 'utf8');
const FRAME = `${FRAME_BEGIN}\n${H100}@@gpu-exit 0\n@@sessions 3\n@@kernels []\n${FRAME_END}\n`;

class FakeProcess implements StreamingProcess {
  readonly pid = 4242;
  killed = false;
  readonly #stdout: ((text: string) => void)[] = [];
  readonly #stderr: ((text: string) => void)[] = [];
  readonly #exit: ((code: number | null) => void)[] = [];
  kill(): void {
    this.killed = true;
  }
  onStdout(listener: (text: string) => void): void {
    this.#stdout.push(listener);
  }
  onStderr(listener: (text: string) => void): void {
    this.#stderr.push(listener);
  }
  onExit(listener: (code: number | null) => void): void {
    this.#exit.push(listener);
  }
  print(text: string): void {
    this.#stdout.forEach((listener) => listener(text));
  }
  fail(stderr: string, code: number): void {
    this.#stderr.forEach((listener) => listener(stderr));
    this.#exit.forEach((listener) => listener(code));
  }
}

describe('telemetry/FrameSplitter', () => {
  it('reassembles frames split across chunks and ignores noise between them', () => {
    const frames: ProbeFrame[] = [];
    const splitter = new FrameSplitter((frame) => frames.push(frame));
    const stream = `motd noise\n${FRAME}${FRAME}`;
    for (let at = 0; at < stream.length; at += 37) {
      splitter.push(stream.slice(at, at + 37));
    }
    assert.equal(frames.length, 2);
    assert.equal(frames[0]?.sshSessions, 2, 'the probe’s own session is not counted');
    assert.deepEqual(frames[0]?.kernels, []);
    assert.equal(frames[0]?.gpu.kind, 'ok');
  });
});

describe('telemetry/TelemetryManager', () => {
  function setup() {
    const time = new FakeTime(1_000_000);
    const spawned: FakeProcess[] = [];
    const manager = new TelemetryManager({
      sshPath: () => 'ssh',
      userConfigPath: () => '/home/u/.ssh/config',
      timers: time,
      now: () => time.now(),
      spawn: () => {
        const child = new FakeProcess();
        spawned.push(child);
        return child;
      },
    });
    return { time, spawned, manager };
  }

  it('shows connecting, then the readings of each frame', () => {
    const { spawned, manager } = setup();
    manager.watch({ deploymentId: 'd1', alias: 'spheron-a.tunnel' });
    assert.deepEqual(manager.get('d1'), { state: 'connecting' });
    spawned[0]?.print(FRAME);
    const telemetry = manager.get('d1');
    assert.equal(telemetry?.state, 'ok');
    assert.equal(telemetry?.state === 'ok' ? telemetry.gpus.length : 0, 8);
  });

  it('a failed ssh says why in one row and retries with growing delays, not in a storm', () => {
    const { time, spawned, manager } = setup();
    manager.watch({ deploymentId: 'd1', alias: 'spheron-a.tunnel' });
    spawned[0]?.fail('ssh: connect to host 10.0.0.9 port 22: Connection refused\n', 255);
    assert.deepEqual(manager.get('d1'), {
      state: 'ssh-failed',
      message: 'ssh: connect to host 10.0.0.9 port 22: Connection refused',
      retryAtMs: time.now() + RETRY_DELAYS_MS[0],
    });
    assert.equal(manager.processCount(), 0);
    time.advance(RETRY_DELAYS_MS[0] - 1);
    assert.equal(spawned.length, 1, 'no retry before the delay');
    time.advance(1);
    assert.equal(spawned.length, 2);
    spawned[1]?.fail('', 255);
    time.advance(RETRY_DELAYS_MS[1] - 1);
    assert.equal(spawned.length, 2, 'the second delay is longer');
    time.advance(1);
    assert.equal(spawned.length, 3);
  });

  it('unwatching kills the process and cancels a pending retry', () => {
    const { time, spawned, manager } = setup();
    manager.watch({ deploymentId: 'd1', alias: 'a' });
    manager.watch({ deploymentId: 'd2', alias: 'b' });
    assert.equal(manager.processCount(), 2);
    spawned[1]?.fail('', 255);
    manager.unwatchAll();
    assert.equal(spawned[0]?.killed, true);
    time.advance(10 * 60_000);
    assert.equal(spawned.length, 2, 'no relaunch after unwatch');
    assert.deepEqual(manager.watched(), []);
  });
});
