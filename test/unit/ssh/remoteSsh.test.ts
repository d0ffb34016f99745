import * as assert from 'node:assert/strict';
import {
  REMOTE_SSH_EXTENSION_IDS,
  defaultRemoteHome,
  mergePortsAttributes,
  remoteAuthority,
  remoteFolderUri,
} from '../../../src/core/ssh/remoteSsh';

describe('ssh/remoteSsh', () => {
  it('builds the Remote-SSH authority and folder URI', () => {
    assert.equal(remoteAuthority('spheron-train'), 'ssh-remote+spheron-train');
    assert.equal(
      remoteFolderUri('spheron-train', '/home/ubuntu'),
      'vscode-remote://ssh-remote+spheron-train/home/ubuntu',
    );
    assert.equal(
      remoteFolderUri('spheron-train', '/root/my project/'),
      'vscode-remote://ssh-remote+spheron-train/root/my%20project',
    );
    assert.equal(defaultRemoteHome('root'), '/root');
    assert.equal(defaultRemoteHome('ubuntu'), '/home/ubuntu');
    assert.throws(() => remoteAuthority('evil/../x'), /Not a Spheron host alias/);
    assert.throws(() => remoteAuthority('spheron-x.tunnel'), /Not a Spheron host alias/);
  });

  it('lists Remote-SSH and its forks', () => {
    assert.deepEqual(REMOTE_SSH_EXTENSION_IDS, [
      'ms-vscode-remote.remote-ssh',
      'anysphere.remote-ssh',
      'codeium.windsurf-remote-openssh',
      'jeanp413.open-remote-ssh',
      'google.antigravity-remote-openssh',
    ]);
  });

  it('adds port labels without overwriting what the user set', () => {
    const ports = [
      { port: 8888, label: 'Jupyter' },
      { port: 6006, label: 'TensorBoard' },
      { port: 7860, label: 'Gradio' },
    ];
    const existing = {
      '8888': { label: 'My notebook', onAutoForward: 'silent' },
      '7000-7999': { label: 'range' },
    };
    const merged = mergePortsAttributes(existing, ports);
    assert.equal(merged.changed, true);
    assert.deepEqual(merged.value, {
      '8888': { label: 'My notebook', onAutoForward: 'silent' },
      '7000-7999': { label: 'range' },
      '6006': { label: 'TensorBoard' },
    });
    assert.deepEqual(existing, {
      '8888': { label: 'My notebook', onAutoForward: 'silent' },
      '7000-7999': { label: 'range' },
    });

    assert.deepEqual(mergePortsAttributes(undefined, ports.slice(0, 1)), {
      changed: true,
      value: { '8888': { label: 'Jupyter' } },
    });
    assert.equal(mergePortsAttributes(merged.value, ports).changed, false);
    assert.equal(mergePortsAttributes('not an object', ports).changed, false);
    assert.equal(mergePortsAttributes([], ports).changed, false);
  });
});
