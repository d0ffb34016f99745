// The Spheron kernel source, driven through the providers the extension hands to the Jupyter
// extension (which cannot be installed here), against Debian's real Jupyter Notebook running behind
// a real sshd as on an instance. A cell runs on the "instance" (a file appears in its home only),
// the tunnel is killed and comes back by itself, and the same kernel answers again.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { readFile, rm } from 'node:fs/promises';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { JupyterServer } from '@vscode/jupyter-extension';
import type { SpheronExtensionApi } from '../../src/extension';
import { activateSpheron, simulatorAdmin, waitFor } from './helpers';
import { SEED_RUNNING_ID, syncedHost, useSshWorld } from './sshWorld';
import { freePort } from '../unit/ssh/sshdFixture';

const cancellation = (): vscode.CancellationToken => new vscode.CancellationTokenSource().token;

/** The part of the WHATWG WebSocket the test uses (global in the extension host's Node 24). */
interface KernelSocket {
  send(data: string): void;
  close(): void;
  addEventListener(type: 'open' | 'error', listener: () => void): void;
  addEventListener(type: 'message', listener: (event: { data: unknown }) => void): void;
}

function openSocket(url: string): KernelSocket {
  const WebSocketClass = (globalThis as { WebSocket?: new (url: string) => KernelSocket }).WebSocket;
  if (!WebSocketClass) {
    throw new Error('this extension host has no global WebSocket (Node 22 or later needed)');
  }
  return new WebSocketClass(url);
}

interface KernelReply {
  readonly status: string;
  readonly stdout: string;
}

/**
 * Runs code on a kernel through the Jupyter kernel protocol over WebSocket (what the Jupyter
 * extension does), and resolves the execute_reply status with what the cell printed.
 */
function execute(baseUrl: string, token: string, kernelId: string, code: string): Promise<KernelReply> {
  const url = `${baseUrl.replace(/^http/, 'ws')}api/kernels/${kernelId}/channels?token=${encodeURIComponent(token)}`;
  const msgId = `spheron-test-${Date.now()}-${Math.random()}`;
  return new Promise((resolve, reject) => {
    const socket = openSocket(url);
    let stdout = '';
    let status: string | undefined;
    let idle = false;
    const timer = setTimeout(() => {
      socket.close();
      reject(new Error(`no execute_reply from kernel ${kernelId} within 30 s`));
    }, 30_000);
    socket.addEventListener('error', () => {
      clearTimeout(timer);
      reject(new Error(`WebSocket to ${url.replace(/token=[^&]+/, 'token=…')} failed`));
    });
    socket.addEventListener('open', () => {
      socket.send(
        JSON.stringify({
          header: {
            msg_id: msgId,
            username: 'spheron-test',
            session: msgId,
            msg_type: 'execute_request',
            version: '5.3',
            date: new Date().toISOString(),
          },
          parent_header: {},
          metadata: {},
          content: { code, silent: false, store_history: true, user_expressions: {}, allow_stdin: false },
          channel: 'shell',
          buffers: [],
        }),
      );
    });
    socket.addEventListener('message', (event) => {
      const message = JSON.parse(String(event.data)) as {
        channel?: string;
        header: { msg_type: string };
        parent_header: { msg_id?: string };
        content: { status?: string; name?: string; text?: string; execution_state?: string };
      };
      if (message.parent_header.msg_id !== msgId) {
        return;
      }
      if (message.header.msg_type === 'stream' && message.content.name === 'stdout') {
        stdout += message.content.text ?? '';
      }
      if (message.header.msg_type === 'execute_reply') {
        status = message.content.status ?? 'unknown';
      }
      // Outputs come on iopub, the reply on shell, in no fixed order: iopub's idle comes last.
      if (message.header.msg_type === 'status' && message.content.execution_state === 'idle') {
        idle = true;
      }
      if (status !== undefined && idle) {
        clearTimeout(timer);
        socket.close();
        resolve({ status, stdout });
      }
    });
  });
}

describe('Spheron kernel source with real Jupyter behind a real sshd', function () {
  this.timeout(180_000);
  let instanceHome = '';
  before(() => {
    instanceHome = mkdtempSync(join(tmpdir(), 'spheron-instance-home-'));
  });
  const getWorld = useSshWorld({ instanceHome: () => instanceHome, fakeJupyterOnPath: false });
  let api: SpheronExtensionApi;
  let jupyterPort: number;
  let previousForwardPorts: unknown;

  before(async function () {
    if (!existsSync('/usr/bin/jupyter-notebook')) {
      throw new Error('Jupyter is not installed: run bash test/e2e/setup (apt-get install jupyter-notebook)');
    }
    api = await activateSpheron<SpheronExtensionApi>();
    jupyterPort = await freePort();
    const spheron = vscode.workspace.getConfiguration('spheron');
    previousForwardPorts = spheron.inspect('forwardPorts')?.globalValue;
    await spheron.update(
      'forwardPorts',
      [
        { label: 'Jupyter', remotePort: jupyterPort },
        { label: 'TensorBoard', remotePort: 6006 },
      ],
      vscode.ConfigurationTarget.Global,
    );
  });

  after(async function () {
    // The "instance" is this machine: stop the server our command started there.
    spawnSync('pkill', ['-f', '--', `--port ${jupyterPort} `]);
    await vscode.workspace
      .getConfiguration('spheron')
      .update('forwardPorts', previousForwardPorts, vscode.ConfigurationTarget.Global);
    await rm(instanceHome, { recursive: true, force: true });
  });

  it('Open Jupyter starts the classic Notebook the instance has, after showing the command, and opens its tree page', async () => {
    const world = getWorld();
    await syncedHost(world, SEED_RUNNING_ID);
    const url = await vscode.commands.executeCommand<string | undefined>(
      'spheron.instance.openJupyter',
      SEED_RUNNING_ID,
      { answers: ['Start Jupyter'] },
    );
    assert.ok(url, 'Open Jupyter returned the page it opened');
    assert.match(url, /^http:\/\/127\.0\.0\.1:\d+\/tree\?token=[0-9a-f]{32,}$/);
    const page = await fetch(url);
    assert.equal(page.status, 200);
    assert.match(await page.text(), /Jupyter/);
    const log = await readFile(join(instanceHome, '.spheron-jupyter.log'), 'utf8');
    assert.match(
      log,
      new RegExp(`127\\.0\\.0\\.1:${jupyterPort}/`),
      'the server bound the instance loopback',
    );
  });

  it('lists the running instance and a Deploy command, and resolves to the tunnel with the token', async () => {
    const { serverProvider, commandProvider } = api.jupyterProviders;
    const servers = (await serverProvider.provideJupyterServers(cancellation())) ?? [];
    const server = servers.find((entry) => entry.id === `spheron-deployment:${SEED_RUNNING_ID}`);
    assert.ok(server, `the running instance is a server: ${JSON.stringify(servers)}`);
    assert.match(server.label, /^pro6000-dev · \d+× \S+ · \$[\d.]+\/h$/);
    const commands = (await commandProvider.provideCommands(undefined, cancellation())) ?? [];
    assert.deepEqual(
      commands.map((command) => command.label),
      ['Deploy a GPU…'],
    );

    const resolved = (await serverProvider.resolveJupyterServer(server, cancellation())) as JupyterServer;
    const info = resolved.connectionInformation;
    assert.ok(info, 'the server resolves to connection information');
    assert.match(info.baseUrl.toString(), /^http:\/\/127\.0\.0\.1:\d+\/$/);
    assert.match(info.token ?? '', /^[0-9a-f]{32,}$/);
    const refused = await fetch(`${info.baseUrl.toString()}api/kernels`);
    assert.equal(refused.status, 403, 'the server still wants its token');
  });

  it('runs a cell on the instance, and the same kernel answers after the tunnel is killed and restored', async () => {
    const world = getWorld();
    const { serverProvider } = api.jupyterProviders;
    const resolved = (await serverProvider.resolveJupyterServer(
      { id: `spheron-deployment:${SEED_RUNNING_ID}`, label: 'pro6000-dev' },
      cancellation(),
    )) as JupyterServer;
    const baseUrl = resolved.connectionInformation?.baseUrl.toString() ?? '';
    const token = resolved.connectionInformation?.token ?? '';
    const headers = { Authorization: `token ${token}` };
    const started = await fetch(`${baseUrl}api/kernels`, { method: 'POST', headers, body: '{}' });
    assert.equal(started.status, 201);
    const kernel = (await started.json()) as { id: string };

    const first = await execute(
      baseUrl,
      token,
      kernel.id,
      "import os\nopen('spheron-proof.txt', 'w').write('ran on the instance')\nanswer = 41\nprint(os.getcwd())",
    );
    assert.equal(first.status, 'ok');
    assert.equal(first.stdout.trim(), instanceHome, 'the kernel runs in the instance home');
    assert.equal(await readFile(join(instanceHome, 'spheron-proof.txt'), 'utf8'), 'ran on the instance');
    assert.ok(!existsSync(join(homedir(), 'spheron-proof.txt')), 'nothing was written on the local side');

    // Kill the tunnel's ssh as a network drop would; the tunnel comes back on the same port.
    const tunnels = world.services.ssh.tunnels();
    const tunnel = tunnels
      .list()
      .find((entry) => entry.remotePort === jupyterPort && entry.state === 'ready');
    assert.ok(tunnel?.pid, 'a ready Jupyter tunnel with an ssh process');
    const killedAt = Date.now();
    process.kill(tunnel.pid, 'SIGKILL');
    const restored = await waitFor(
      () => {
        const now = tunnels.get(tunnel.id);
        return now?.state === 'ready' && now.pid !== tunnel.pid ? now : undefined;
      },
      { timeoutMs: 10_000, message: 'the Jupyter tunnel back within 10 s' },
    );
    assert.equal(restored.localPort, tunnel.localPort, 'the tunnel keeps its local port');
    const second = await execute(baseUrl, token, kernel.id, 'print(answer + 1)');
    assert.equal(second.status, 'ok');
    assert.equal(second.stdout.trim(), '42', 'the same kernel, with its state, answered');
    world.services.logger.info(`tunnel restored and kernel answered in ${Date.now() - killedAt} ms`);
    await fetch(`${baseUrl}api/kernels/${kernel.id}`, { method: 'DELETE', headers });
  });

  it('says the instance ended instead of waiting on a tunnel', async () => {
    const world = getWorld();
    await simulatorAdmin(`deployments/${SEED_RUNNING_ID}/status`, { status: 'terminated' });
    await world.services.explorer.refresh('instances');
    const { serverProvider } = api.jupyterProviders;
    const servers = (await serverProvider.provideJupyterServers(cancellation())) ?? [];
    assert.ok(!servers.some((entry) => entry.id === `spheron-deployment:${SEED_RUNNING_ID}`));
    await assert.rejects(
      Promise.resolve(
        serverProvider.resolveJupyterServer(
          { id: `spheron-deployment:${SEED_RUNNING_ID}`, label: 'pro6000-dev' },
          cancellation(),
        ),
      ),
      /“pro6000-dev” has ended \(terminated\); its kernels are gone/,
    );
  });
});
