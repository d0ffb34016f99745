import * as assert from 'node:assert/strict';
import {
  deploymentIdOfServer,
  kernelCommands,
  kernelConnection,
  kernelServers,
  KernelServerUnavailableError,
  serverIdFor,
  usableDeployment,
} from '../../../src/core/jupyter/kernelSource';
import {
  allowsEditorFraming,
  EDITOR_FRAME_ANCESTORS,
  startJupyterCommand,
} from '../../../src/core/ssh/remoteCommands';
import { deployment } from '../model/fixtures';

const running = deployment({
  id: 'dep-run-1',
  name: 'h100-finetune',
  status: 'running',
  rawStatus: 'running',
  gpuType: 'H100_SXM5',
  gpuCount: 1,
  hourlyRate: 2.91,
});
const deploying = deployment({ id: 'dep-new-2', name: 'next', status: 'deploying', rawStatus: 'deploying' });
const ended = deployment({ id: 'dep-old-3', name: 'old', status: 'terminated', rawStatus: 'terminated' });

describe('Spheron kernel source', () => {
  it('lists one server per running instance, labelled with its GPU and price', () => {
    const servers = kernelServers([running, deploying, ended]);
    assert.deepEqual(servers, [
      {
        id: 'spheron-deployment:dep-run-1',
        label: 'h100-finetune · 1× H100_SXM5 · $2.91/h',
        deploymentId: 'dep-run-1',
      },
    ]);
  });

  it('maps server ids back to deployment ids and ignores ids that are not ours', () => {
    assert.equal(deploymentIdOfServer(serverIdFor('dep-run-1')), 'dep-run-1');
    assert.equal(deploymentIdOfServer('colab:abc'), undefined);
    assert.equal(deploymentIdOfServer('spheron-deployment:'), undefined);
    assert.equal(deploymentIdOfServer('spheron-deployment:../../etc'), undefined);
  });

  it('offers Deploy a GPU when signed in and Sign In when not', () => {
    assert.deepEqual(
      kernelCommands(true).map((command) => [command.id, command.label]),
      [['deploy', 'Deploy a GPU…']],
    );
    assert.deepEqual(
      kernelCommands(false).map((command) => [command.id, command.label]),
      [['signIn', 'Sign In to Spheron…']],
    );
  });

  it('resolves only a running instance, and says why for a gone, ended or starting one', () => {
    const list = [running, deploying, ended];
    assert.equal(usableDeployment('dep-run-1', list, 'x'), running);
    const reasonOf = (id: string) => {
      try {
        usableDeployment(id, list, 'the server');
        return 'resolved';
      } catch (error) {
        assert.ok(error instanceof KernelServerUnavailableError);
        return `${error.reason}: ${error.message}`;
      }
    };
    assert.match(reasonOf('dep-gone'), /^gone: .*“the server” is no longer in your team's list/);
    assert.match(reasonOf('dep-old-3'), /^ended: .*“old” has ended \(terminated\); its kernels are gone/);
    assert.match(reasonOf('dep-new-2'), /^not-running: .*“next” is deploying, not running/);
  });

  it('points the connection at the local end of the tunnel with the remote base URL', () => {
    assert.deepEqual(kernelConnection(18888, '/', 'tok'), {
      baseUrl: 'http://127.0.0.1:18888/',
      token: 'tok',
    });
    assert.deepEqual(kernelConnection(18888, '/user/a', ''), {
      baseUrl: 'http://127.0.0.1:18888/user/a/',
      token: '',
    });
  });
});

describe('whether the editor may frame a page', () => {
  const headers = (entries: Record<string, string>) => new Headers(entries);
  it('allows no policy, a wildcard and a policy that names VS Code webviews', () => {
    assert.equal(allowsEditorFraming(headers({})), true);
    assert.equal(allowsEditorFraming(headers({ 'Content-Security-Policy': "default-src 'self'" })), true);
    assert.equal(allowsEditorFraming(headers({ 'Content-Security-Policy': 'frame-ancestors *' })), true);
    assert.equal(
      allowsEditorFraming(headers({ 'Content-Security-Policy': `${EDITOR_FRAME_ANCESTORS}; report-uri /x` })),
      true,
    );
  });
  it("refuses Jupyter's default frame-ancestors 'self' and any X-Frame-Options", () => {
    assert.equal(
      allowsEditorFraming(
        headers({ 'Content-Security-Policy': "frame-ancestors 'self'; report-uri /api/security/csp-report" }),
      ),
      false,
    );
    assert.equal(allowsEditorFraming(headers({ 'X-Frame-Options': 'SAMEORIGIN' })), false);
  });
  it('puts the editor origins into the start command, quoted for the shell', () => {
    const command = startJupyterCommand(8888, { flavour: 'notebook' });
    assert.ok(
      command.includes(
        `--NotebookApp.tornado_settings='{"headers":{"Content-Security-Policy":"frame-ancestors '\\''self'\\'' vscode-webview:`,
      ),
    );
    assert.ok(command.includes('--ServerApp.tornado_settings='));
    assert.ok(!startJupyterCommand(8888, { flavour: 'lab' }).includes('NotebookApp'));
  });
});
