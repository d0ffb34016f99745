import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildInstanceNodes } from '../../../src/core/model/instances';
import type { InstanceNode, ModelNode } from '../../../src/core/model/nodes';
import { withInstanceExtras, type InstanceExtras } from '../../../src/core/telemetry/instanceRows';
import { parseGpuQuery } from '../../../src/core/telemetry/nvidiaSmi';
import type { InstanceTelemetry } from '../../../src/core/telemetry/telemetryManager';
import { NVIDIA_SMI_FIXTURES } from '../../support/fakeNvidiaSmi';
import { HOUR, NOW, deployment } from '../model/fixtures';

const EIGHT = parseGpuQuery(readFileSync(join(NVIDIA_SMI_FIXTURES, 'h100-8x.csv'), 'utf8'));
const GPUS = EIGHT.kind === 'ok' ? EIGHT.gpus : [];

const box = deployment({
  id: 'd1',
  name: 'trainer',
  status: 'running',
  ipAddress: '203.0.113.7',
  startedAtMs: NOW - HOUR,
  hourlyRate: 2,
});

function rows(telemetry: InstanceTelemetry | undefined, extras: Partial<InstanceExtras> = {}): InstanceNode {
  const nodes = buildInstanceNodes([box], { nowMs: NOW, showEnded: false });
  const [node] = withInstanceExtras(nodes, {
    nowMs: NOW,
    telemetry: () => telemetry,
    idleLine: () => undefined,
    ...extras,
  });
  assert.equal(node?.kind, 'instance');
  return node;
}

const labels = (node: InstanceNode) => (node.children ?? []).map((child: ModelNode) => child.label);

describe('telemetry/instanceRows', () => {
  it('a running instance can be expanded, and says it is connecting until the first reading', () => {
    const node = rows(undefined);
    assert.equal(node.collapsible, 'collapsed');
    assert.deepEqual(labels(node), ['GPU telemetry: connecting…']);
  });

  it('one row per GPU and an 8-GPU summary in the description', () => {
    const node = rows({
      state: 'ok',
      atMs: NOW,
      gpus: GPUS,
      frame: { gpu: EIGHT, sshSessions: 0, kernels: [] },
    });
    assert.equal(labels(node).length, 8);
    assert.equal(labels(node)[0], 'GPU 0 · 100 % · 77.1/80 GB');
    assert.ok(node.description?.endsWith(' · 8 GPUs · 99 % avg · 387.0/637 GB'), node.description);
    assert.equal(node.children?.[0]?.id, 'telemetry:d1:gpu:0');
  });

  it('no nvidia-smi, or SSH failing: one row that says so', () => {
    const missing = rows({
      state: 'no-gpu',
      atMs: NOW,
      message: 'nvidia-smi is not installed on this instance',
      frame: { gpu: { kind: 'missing' }, sshSessions: 0, kernels: undefined },
    });
    assert.deepEqual(labels(missing), ['No GPU readings']);
    assert.equal(missing.children?.[0]?.description, 'nvidia-smi is not installed on this instance');
    const failed = rows({ state: 'ssh-failed', message: 'Connection refused', retryAtMs: NOW + 30_000 });
    assert.deepEqual(labels(failed), ['GPU telemetry: SSH failed, will retry']);
    assert.equal(failed.children?.[0]?.tooltip, 'SSH failed: Connection refused. Retrying in 30 s.');
    const noHost = rows(undefined, { unavailable: () => 'no SSH host (spheron.ssh.manageConfig is off)' });
    assert.deepEqual(labels(noHost), [
      'GPU telemetry unavailable: no SSH host (spheron.ssh.manageConfig is off)',
    ]);
  });

  it('the tooltip carries the idle guard line', () => {
    const node = rows(undefined, { idleLine: () => 'idle for 23 min · guard at 60 min' });
    assert.ok(node.tooltip.endsWith('\n\nIdle guard: idle for 23 min · guard at 60 min'));
  });

  it('leaves instances that are not running alone', () => {
    const stopped = { ...box, status: 'stopped' as const };
    const [node] = withInstanceExtras(buildInstanceNodes([stopped], { nowMs: NOW, showEnded: true }), {
      nowMs: NOW,
      telemetry: () => undefined,
      idleLine: () => undefined,
    });
    assert.equal(node?.collapsible, 'none');
  });
});
