// Managed tunnels (Open Jupyter, services.ssh.openTunnel) in the real extension host, through a real
// sshd on 127.0.0.1: HTTP from the "instance" side reaches the local port, the Instances view shows
// the tunnel under its instance, and the tunnel stops when the instance is terminated.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { ModelNode } from '../../src/core/model/nodes';
import type { TerminateResult } from '../../src/vscode/commands/terminate';
import { simulatorAdmin, waitFor } from './helpers';
import {
  SEED_RUNNING_ID,
  instanceRow,
  portAcceptsConnections,
  syncedHost,
  useSshWorld,
  type SshWorld,
} from './sshWorld';

type TunnelRow = Extract<ModelNode, { kind: 'tunnel' }>;

function tunnelRows(world: SshWorld, deploymentId: string): TunnelRow[] {
  return (instanceRow(world.services, deploymentId)?.children ?? []).filter(
    (node): node is TunnelRow => node.kind === 'tunnel',
  );
}

/** The tunnel row for a remote port once its phase is `phase`. */
function waitForTunnelRow(world: SshWorld, remotePort: number, phase: string): Promise<TunnelRow> {
  return waitFor(
    () =>
      tunnelRows(world, SEED_RUNNING_ID).find(
        (row) => row.tunnel.remotePort === remotePort && row.tunnel.phase === phase,
      ),
    { timeoutMs: 20_000, message: `the ${phase} tunnel row for remote port ${remotePort}` },
  );
}

function waitForPortClosed(port: number): Promise<boolean> {
  return waitFor(async () => !(await portAcceptsConnections(port)), {
    timeoutMs: 20_000,
    message: `127.0.0.1:${port} to close`,
  });
}

/** Opens Jupyter through the command and returns the URL it opened in Simple Browser. */
async function openJupyter(): Promise<URL> {
  const opened = await vscode.commands.executeCommand<string | undefined>(
    'spheron.instance.openJupyter',
    SEED_RUNNING_ID,
  );
  assert.ok(opened, 'Open Jupyter returned no URL');
  return new URL(opened);
}

describe('managed tunnels against a real sshd', function () {
  this.timeout(90_000);
  const world = useSshWorld();

  it('Open Jupyter forwards the instance-side JupyterLab over a tunnel and opens it signed in, in Simple Browser', async () => {
    const w = world();
    await syncedHost(w, SEED_RUNNING_ID);
    const url = await openJupyter();
    assert.equal(url.hostname, '127.0.0.1');
    assert.equal(url.pathname, '/lab');
    // The token was read over SSH from `jupyter server list --json` on the instance.
    assert.equal(url.searchParams.get('token'), w.jupyter.token);
    const localPort = Number(url.port);
    // The fake JupyterLab holds its own port on this machine (the "instance" is local), so the
    // forwarded one is another: what answers there came through ssh.
    assert.notEqual(localPort, w.jupyter.port);

    const page = await fetch(url, { signal: AbortSignal.timeout(15_000) });
    assert.equal(page.status, 200);
    assert.match(await page.text(), new RegExp(w.jupyter.signedInText));
    const withoutToken = await fetch(`http://127.0.0.1:${localPort}/lab`, {
      signal: AbortSignal.timeout(15_000),
    });
    assert.equal(withoutToken.status, 403);

    const row = await waitForTunnelRow(w, w.jupyter.port, 'open');
    assert.equal(row.label, `Jupyter → localhost:${localPort}`);
    assert.equal(row.description, 'open');
    assert.equal(row.tunnel.localPort, localPort);

    // The page opened inside the editor: a Simple Browser tab.
    await waitFor(
      () =>
        vscode.window.tabGroups.all
          .flatMap((group) => group.tabs)
          .some(
            (tab) => tab.input instanceof vscode.TabInputWebview && /simpleBrowser/.test(tab.input.viewType),
          ),
      { timeoutMs: 20_000, message: 'a Simple Browser tab' },
    );

    // Opening it again reuses the running tunnel.
    const again = await openJupyter();
    assert.equal(again.port, url.port);
    assert.equal(tunnelRows(w, SEED_RUNNING_ID).length, 1);
  });

  it('services.ssh.openTunnel carries HTTP from a server on the instance side; Stop Port Forwarding closes it', async () => {
    const w = world();
    const host = await syncedHost(w, SEED_RUNNING_ID);
    const server: Server = createServer((request, response) =>
      response.end(`instance says ${request.url ?? ''}`),
    );
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    const remotePort = typeof address === 'object' && address ? address.port : 0;
    try {
      const tunnel = await w.services.ssh.openTunnel(host, 'Web', remotePort);
      assert.equal(tunnel.state, 'ready');
      assert.notEqual(tunnel.localPort, remotePort);
      const answer = await fetch(`http://127.0.0.1:${tunnel.localPort}/hello?x=1`, {
        signal: AbortSignal.timeout(15_000),
      });
      assert.equal(await answer.text(), 'instance says /hello?x=1');

      const row = await waitForTunnelRow(w, remotePort, 'open');
      assert.equal(row.label, `Web → localhost:${tunnel.localPort}`);
      // What the row's inline button runs.
      await vscode.commands.executeCommand('spheron.tunnel.stop', row);
      await waitForPortClosed(tunnel.localPort);
      await waitFor(() => !tunnelRows(w, SEED_RUNNING_ID).some((r) => r.tunnel.remotePort === remotePort), {
        message: 'the Web tunnel row to go',
      });
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('an instance the API reports terminated loses its SSH entry and known host, and its tunnel stops', async () => {
    const w = world();
    const host = await syncedHost(w, SEED_RUNNING_ID);
    const knownHosts = join(w.home, '.ssh', 'spheron', 'known_hosts');
    try {
      const url = await openJupyter();
      const localPort = Number(url.port);
      assert.equal(await portAcceptsConnections(localPort), true);
      assert.match(await readFile(knownHosts, 'utf8'), new RegExp(`^${host.hostKeyAlias} `, 'm'));

      // Terminated elsewhere (the dashboard, the provider): the next list shows it.
      await simulatorAdmin(`deployments/${SEED_RUNNING_ID}/status`, { status: 'terminated' });
      await w.services.explorer.refresh('instances');
      await waitFor(
        async () => !(await readFile(w.ourConfig, 'utf8')).includes(`# spheron-id: ${SEED_RUNNING_ID}`),
        { timeoutMs: 20_000, message: 'the host block to be removed' },
      );
      assert.doesNotMatch(await readFile(w.ourConfig, 'utf8'), new RegExp(`Host ${host.alias}\\b`));
      await waitForPortClosed(localPort);
      assert.equal(w.services.ssh.hostFor(SEED_RUNNING_ID), undefined);
      assert.deepEqual(tunnelRows(w, SEED_RUNNING_ID), []);
      assert.doesNotMatch(await readFile(knownHosts, 'utf8'), new RegExp(`^${host.hostKeyAlias} `, 'm'));
    } finally {
      await simulatorAdmin('reset', {});
    }
  });

  it('Terminate from the extension stops the tunnel and drops the SSH entry', async () => {
    const w = world();
    await simulatorAdmin('reset', {});
    const host = await syncedHost(w, SEED_RUNNING_ID);
    try {
      const url = await openJupyter();
      const localPort = Number(url.port);
      await waitForTunnelRow(w, w.jupyter.port, 'open');
      // Past the minimum runtime (the seeded instance started 80 minutes ago; make sure anyway).
      await simulatorAdmin('clock/advance', { seconds: 21 * 60 });
      const result = await vscode.commands.executeCommand<TerminateResult>(
        'spheron.instance.terminate',
        SEED_RUNNING_ID,
        { answers: ['Terminate'] },
      );
      assert.equal(result, 'terminated');
      await waitForPortClosed(localPort);
      await waitFor(
        async () => !(await readFile(w.ourConfig, 'utf8')).includes(`# spheron-id: ${SEED_RUNNING_ID}`),
        { timeoutMs: 20_000, message: 'the host block to be removed' },
      );
      assert.doesNotMatch(await readFile(w.ourConfig, 'utf8'), new RegExp(`Host ${host.alias}\\b`));
      assert.deepEqual(tunnelRows(w, SEED_RUNNING_ID), []);
    } finally {
      await simulatorAdmin('reset', {});
    }
  });
});
