import * as assert from 'node:assert/strict';
import { parseTunnelMemos, tunnelMemos, tunnelsToRestore } from '../../../src/core/ssh/tunnelMemory';
import type { TunnelInfo } from '../../../src/core/ssh/tunnel';
import { deployment } from '../model/fixtures';

function tunnel(overrides: Partial<TunnelInfo>): TunnelInfo {
  return {
    id: 'tunnel-1',
    deploymentId: 'dep-1',
    alias: 'spheron-a.tunnel',
    label: 'Jupyter',
    remotePort: 8888,
    localPort: 18888,
    state: 'ready',
    failures: 0,
    lastError: undefined,
    pid: 42,
    ...overrides,
  };
}

describe('tunnels remembered across a window reload', () => {
  it('remembers live tunnels by instance, label and ports, not the stopped or failed ones', () => {
    const memos = tunnelMemos([
      tunnel({}),
      tunnel({
        id: 'tunnel-2',
        label: 'TensorBoard',
        remotePort: 6006,
        localPort: 6006,
        state: 'restarting',
      }),
      tunnel({ id: 'tunnel-3', state: 'stopped' }),
      tunnel({ id: 'tunnel-4', state: 'failed' }),
    ]);
    assert.deepEqual(memos, [
      { deploymentId: 'dep-1', label: 'Jupyter', remotePort: 8888, localPort: 18888 },
      { deploymentId: 'dep-1', label: 'TensorBoard', remotePort: 6006, localPort: 6006 },
    ]);
  });

  it('reads the stored list as untrusted and keeps only well-formed entries', () => {
    assert.deepEqual(parseTunnelMemos(undefined), []);
    assert.deepEqual(parseTunnelMemos('x'), []);
    assert.deepEqual(
      parseTunnelMemos([
        { deploymentId: 'dep-1', label: 'Jupyter', remotePort: 8888, localPort: 18888 },
        { deploymentId: '../etc', label: 'Jupyter', remotePort: 8888, localPort: 18888 },
        { deploymentId: 'dep-2', label: 'Jupyter', remotePort: 0, localPort: 18888 },
        { deploymentId: 'dep-3', label: '', remotePort: 8888, localPort: 18888 },
        null,
      ]),
      [{ deploymentId: 'dep-1', label: 'Jupyter', remotePort: 8888, localPort: 18888 }],
    );
  });

  it('restores only the tunnels of instances that still run', () => {
    const memos = [
      { deploymentId: 'dep-run', label: 'Jupyter', remotePort: 8888, localPort: 18888 },
      { deploymentId: 'dep-ended', label: 'Jupyter', remotePort: 8888, localPort: 18889 },
      { deploymentId: 'dep-gone', label: 'Jupyter', remotePort: 8888, localPort: 18890 },
    ];
    const deployments = [
      deployment({ id: 'dep-run', status: 'running' }),
      deployment({ id: 'dep-ended', status: 'terminated' }),
    ];
    assert.deepEqual(
      tunnelsToRestore(memos, deployments).map((memo) => memo.deploymentId),
      ['dep-run'],
    );
  });
});
