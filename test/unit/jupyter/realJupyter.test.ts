// The remote commands that detect, start and list Jupyter, run by a real shell against Debian's
// real Jupyter (the classic Notebook 6 and jupyter_server, no JupyterLab: the "Debian-style" server
// an instance may have). Installed by test/e2e/setup (apt: jupyter-notebook python3-ipykernel).
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  allowsEditorFraming,
  EDITOR_FRAME_ANCESTORS,
  jupyterBrowserUrl,
  jupyterFlavoursCommand,
  jupyterListCommand,
  parseJupyterFlavours,
  parseJupyterServers,
  pickJupyterServer,
  startJupyterCommand,
} from '../../../src/core/ssh/remoteCommands';
import { freePort } from '../ssh/sshdFixture';

/** Runs a remote command the way sshd would: `sh -c` in the instance user's environment. */
function remoteShell(command: string, home: string): { stdout: string; status: number | null } {
  const result = spawnSync('sh', ['-c', command], {
    encoding: 'utf8',
    env: { HOME: home, PATH: '/usr/local/bin:/usr/bin:/bin' },
    timeout: 30_000,
  });
  return { stdout: result.stdout, status: result.status };
}

describe("remote Jupyter commands against Debian's real Jupyter", function () {
  this.timeout(90_000);
  let home: string;

  before(function () {
    if (!existsSync('/usr/bin/jupyter-notebook')) {
      throw new Error('Jupyter is not installed: run bash test/e2e/setup (apt-get install jupyter-notebook)');
    }
  });
  beforeEach(async () => {
    home = await mkdtemp(join(tmpdir(), 'spheron-jupyter-home-'));
  });
  afterEach(async () => {
    // The server was started with nohup: stop whatever this test's home started.
    spawnSync('pkill', ['-f', '--', `--notebook-dir=${home}`]);
    await rm(home, { recursive: true, force: true });
  });

  it('finds the classic Notebook and no JupyterLab', () => {
    const flavours = parseJupyterFlavours(remoteShell(jupyterFlavoursCommand(), home).stdout);
    assert.deepEqual(flavours, ['notebook']);
    assert.equal(parseJupyterFlavours('bash: line 1: syntax error'), undefined);
  });

  it('starts the Notebook in the background on loopback, then lists it with its token and the tree page', async () => {
    const port = await freePort();
    const started = remoteShell(startJupyterCommand(port, { flavour: 'notebook', rootDir: home }), home);
    assert.equal(started.status, 0);
    let server;
    const deadline = Date.now() + 45_000;
    while (!server && Date.now() < deadline) {
      server = pickJupyterServer(parseJupyterServers(remoteShell(jupyterListCommand(), home).stdout), port);
      if (!server) {
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
    }
    assert.ok(server, 'jupyter notebook list shows the server started by our command');
    assert.equal(server.rootDir, home);
    assert.match(server.token, /^[0-9a-f]{32,}$/);
    const url = jupyterBrowserUrl(server, port, 'notebook');
    assert.equal(url, `http://127.0.0.1:${port}/tree?token=${server.token}`);
    const page = await fetch(url);
    assert.equal(page.status, 200);
    assert.match(await page.text(), /Jupyter/);
    assert.equal(page.headers.get('content-security-policy'), EDITOR_FRAME_ANCESTORS);
    assert.ok(allowsEditorFraming(page.headers), 'the editor may show the page');
    const refused = await fetch(`http://127.0.0.1:${port}/api/kernels`);
    assert.equal(refused.status, 403, 'the server wants its token');
  });

  it('recognises a server started without our settings as one the editor cannot frame', async () => {
    const port = await freePort();
    remoteShell(
      `nohup jupyter notebook --no-browser --ip 127.0.0.1 --port ${port} --notebook-dir=${home} $([ "$(id -u)" = 0 ] && echo --allow-root) > /dev/null 2>&1 &`,
      home,
    );
    let response: Response | undefined;
    const deadline = Date.now() + 45_000;
    while (!response && Date.now() < deadline) {
      response = await fetch(`http://127.0.0.1:${port}/login`).catch(() => undefined);
      if (!response) {
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
    }
    assert.ok(response, 'the plain server answers');
    assert.match(response.headers.get('content-security-policy') ?? '', /frame-ancestors 'self'/);
    assert.equal(allowsEditorFraming(response.headers), false);
  });

  it('does not hop to another port when the port is taken', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const address = blocker.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    try {
      remoteShell(startJupyterCommand(port, { flavour: 'notebook', rootDir: home }), home);
      // The server says why it gives up in the log our command writes.
      const log = join(home, '.spheron-jupyter.log');
      const deadline = Date.now() + 45_000;
      let text = '';
      while (!/already in use/.test(text) && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 250));
        text = await readFile(log, 'utf8').catch(() => '');
      }
      assert.match(text, /already in use/);
      const listed = parseJupyterServers(remoteShell(jupyterListCommand(), home).stdout);
      assert.deepEqual(listed, []);
    } finally {
      blocker.close();
    }
  });
});
