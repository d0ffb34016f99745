// Jupyter through a managed tunnel, measured against Debian's real Jupyter Notebook behind a real
// sshd on 127.0.0.1 (the "instance" is this machine, with its own HOME). The steps are the ones
// Open Jupyter and the kernel source run (src/vscode/jupyter/instanceTools.ts), without the UI.
import { spawnSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execProgram } from '../../src/core/ssh/exec';
import {
  jupyterBrowserUrl,
  jupyterFlavoursCommand,
  jupyterListCommand,
  parseJupyterFlavours,
  parseJupyterServers,
  parsePortProbe,
  pickJupyterServer,
  portProbeCommand,
  startJupyterCommand,
} from '../../src/core/ssh/remoteCommands';
import { TunnelManager, type TunnelInfo } from '../../src/core/ssh/tunnel';
import { freePort, startSshd, writeSshdClientConfig } from '../unit/ssh/sshdFixture';
import { median } from './nodeMetrics';

const ALIAS = 'bench-instance.tunnel';

export interface JupyterFigures {
  /** Command to the page answering 200 through the tunnel, server already running: median of 5. */
  readonly openMs: number;
  /** A killed tunnel to the kernel answering again through it: median of 5. */
  readonly restoreMs: number;
}

function waitForTunnel(
  manager: TunnelManager,
  id: string,
  accept: (tunnel: TunnelInfo) => boolean,
): Promise<TunnelInfo> {
  return new Promise((resolve, reject) => {
    const check = (tunnel: TunnelInfo | undefined) => {
      if (tunnel && accept(tunnel)) {
        listener.dispose();
        resolve(tunnel);
      } else if (tunnel?.state === 'failed') {
        listener.dispose();
        reject(new Error(`tunnel failed: ${tunnel.lastError ?? 'no reason'}`));
      }
    };
    const listener = manager.onDidChange((tunnel) => tunnel.id === id && check(tunnel));
    check(manager.get(id));
  });
}

async function untilOk(url: string, headers: Record<string, string> = {}, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const status = await fetch(url, { headers }).then(
      (response) => response.status,
      () => 0,
    );
    if (status === 200) {
      return;
    }
    if (Date.now() > deadline) {
      throw new Error(`${url.replace(/token=[^&]+/, 'token=…')} did not answer 200 within ${timeoutMs} ms`);
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

export async function measureJupyter(): Promise<JupyterFigures> {
  const home = await mkdtemp(join(tmpdir(), 'spheron-bench-instance-'));
  const sshd = await startSshd({ sessionPath: '/usr/local/bin:/usr/bin:/bin', sessionHome: home });
  const configPath = await writeSshdClientConfig(sshd, ALIAS);
  const remote = (command: string) =>
    execProgram('ssh', ['-F', configPath, '-o', 'BatchMode=yes', '--', ALIAS, command], {
      timeoutMs: 30_000,
    });
  const jupyterPort = await freePort();
  const manager = new TunnelManager({ userConfigPath: configPath });
  try {
    await remote(startJupyterCommand(jupyterPort, { flavour: 'notebook' }));
    let server;
    for (let attempt = 0; attempt < 100 && !server; attempt++) {
      server = pickJupyterServer(
        parseJupyterServers((await remote(jupyterListCommand())).stdout),
        jupyterPort,
      );
    }
    if (!server) {
      throw new Error('Jupyter did not start on the bench instance');
    }

    const openTimes: number[] = [];
    for (let run = 0; run < 5; run++) {
      const started = performance.now();
      const flavour = parseJupyterFlavours((await remote(jupyterFlavoursCommand())).stdout)?.[0];
      if (parsePortProbe((await remote(portProbeCommand(jupyterPort))).stdout) !== true) {
        throw new Error('the port probe did not see Jupyter');
      }
      const tunnel = await manager.start({
        deploymentId: 'bench',
        alias: ALIAS,
        label: 'Jupyter',
        remotePort: jupyterPort,
      });
      const ready = await waitForTunnel(manager, tunnel.id, (info) => info.state === 'ready');
      const listed = pickJupyterServer(
        parseJupyterServers((await remote(jupyterListCommand())).stdout),
        jupyterPort,
      );
      await untilOk(jupyterBrowserUrl(listed ?? server, ready.localPort, flavour));
      openTimes.push(performance.now() - started);
      await manager.stop(tunnel.id);
    }

    const tunnel = await manager.start({
      deploymentId: 'bench',
      alias: ALIAS,
      label: 'Jupyter',
      remotePort: jupyterPort,
    });
    const ready = await waitForTunnel(manager, tunnel.id, (info) => info.state === 'ready');
    const headers = { Authorization: `token ${server.token}` };
    const base = `http://127.0.0.1:${ready.localPort}/`;
    const kernel = (await (
      await fetch(`${base}api/kernels`, { method: 'POST', headers, body: '{}' })
    ).json()) as {
      id: string;
    };
    const restoreTimes: number[] = [];
    for (let run = 0; run < 5; run++) {
      const before = await waitForTunnel(manager, tunnel.id, (info) => info.state === 'ready');
      const started = performance.now();
      if (before.pid === undefined) {
        throw new Error('the tunnel has no ssh process');
      }
      process.kill(before.pid, 'SIGKILL');
      await waitForTunnel(manager, tunnel.id, (info) => info.state === 'ready' && info.pid !== before.pid);
      await untilOk(`${base}api/kernels/${kernel.id}`, headers);
      restoreTimes.push(performance.now() - started);
    }
    await fetch(`${base}api/kernels/${kernel.id}`, { method: 'DELETE', headers });
    return { openMs: median(openTimes), restoreMs: median(restoreTimes) };
  } finally {
    await manager.dispose();
    spawnSync('pkill', ['-f', '--', `--port ${jupyterPort} `]);
    await sshd.stop();
    await rm(home, { recursive: true, force: true });
  }
}
