// A "running instance" that really accepts SSH, for UI tests and screenshots, set up from the
// Playwright driver process (outside code-server): a real sshd on 127.0.0.1 (the repository's
// TypeScript fixture, loaded through its tsx) whose sessions have their own HOME, with Debian's real
// Jupyter Notebook installed (the extension starts it when asked), the extension's default key in
// code-server's HOME, `spheron.forwardPorts` in its user settings, and the simulator pointing every
// deployment at the sshd. `stop()` undoes all of it, the Jupyter server included.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import os from 'node:os';
import { createRequire } from 'node:module';
import path from 'node:path';
import { promisify } from 'node:util';
import { requiredEnv } from '../lib/browser.mjs';

const run = promisify(execFile);

/** The simulator's seeded running deployment, `pro6000-dev` (test/simulator/seed.ts). */
export const SEED_RUNNING_ID = '66f1c0ffee00000000000d01';
export const SEED_RUNNING_NAME = 'pro6000-dev';

/** Imports a TypeScript module of the repository with the repository's tsx. */
async function importTs(relativePath) {
  const repoRoot = requiredEnv('REPO_ROOT');
  const require = createRequire(path.join(repoRoot, 'package.json'));
  const { tsImport } = await import(require.resolve('tsx/esm/api'));
  return tsImport(path.join(repoRoot, relativePath), import.meta.url);
}

/** `$HOME/.ssh/id_ed25519` of code-server (the extension's default identity file), made once. */
export async function ensureClientKey(home) {
  const sshDir = path.join(home, '.ssh');
  await mkdir(sshDir, { recursive: true, mode: 0o700 });
  const key = path.join(sshDir, 'id_ed25519');
  if (!existsSync(key)) {
    await run('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'spheron-ui-test', '-f', key]);
  }
  return { key, publicKey: await readFile(`${key}.pub`, 'utf8') };
}

async function forgetHostKeys(knownHosts) {
  const text = await readFile(knownHosts, 'utf8').catch(() => undefined);
  if (text !== undefined) {
    await writeFile(
      knownHosts,
      text
        .split('\n')
        .filter((line) => !line.startsWith(`spheron-${SEED_RUNNING_ID} `))
        .join('\n'),
    );
  }
}

/**
 * Merges `values` into code-server's user settings.json (plain JSON, as test/e2e/lib.sh writes it);
 * returns a function that puts the file back as it was. A window reads it when it loads.
 */
export async function patchUserSettings(values) {
  const file = requiredEnv('SPHERON_E2E_USER_SETTINGS');
  const original = await readFile(file, 'utf8');
  await writeFile(file, `${JSON.stringify({ ...JSON.parse(original), ...values }, null, 2)}\n`);
  return () => writeFile(file, original);
}

/** A port nobody listens on right now. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/**
 * @param {(path: string, body?: unknown, method?: string) => Promise<unknown>} simulatorAdmin
 * @param {{ binDirs?: string[] }} [options] more folders for the sessions' PATH, first (e.g. a fake nvidia-smi)
 * @returns {Promise<{ jupyter: { port: number, home: string, token(): Promise<string | undefined> },
 *   sshd: { port: number, user: string }, stop(): Promise<void> }>}
 */
export async function startSshInstance(simulatorAdmin, { binDirs = [] } = {}) {
  if (!existsSync('/usr/bin/jupyter-notebook')) {
    throw new Error('Jupyter is not installed: run bash test/e2e/setup (apt-get install jupyter-notebook)');
  }
  const home = requiredEnv('SPHERON_E2E_HOME');
  const { startSshd } = await importTs('test/unit/ssh/sshdFixture.ts');
  const { publicKey } = await ensureClientKey(home);
  // Every sshd here has a new host key, while the seeded instance keeps its id (its HostKeyAlias):
  // forget a key an earlier start pinned, as for a reinstalled instance.
  await forgetHostKeys(path.join(home, '.ssh', 'spheron', 'known_hosts'));
  const instanceHome = await mkdtemp(path.join(os.tmpdir(), 'spheron-ui-instance-'));
  const port = await freePort();
  const jupyter = {
    port,
    home: instanceHome,
    /** The token of the server the extension started, as `jupyter notebook list` shows it. */
    async token() {
      // As on the instance: its HOME, none of this run's XDG folders (Jupyter reads XDG_DATA_HOME).
      const env = Object.fromEntries(
        Object.entries(process.env).filter(([name]) => !name.startsWith('XDG_')),
      );
      const { stdout } = await run('jupyter', ['notebook', 'list', '--json'], {
        env: { ...env, HOME: instanceHome },
      }).catch(() => ({ stdout: '' }));
      const server = stdout
        .split('\n')
        .filter((line) => line.startsWith('{'))
        .map((line) => JSON.parse(line))
        .find((entry) => entry.port === port);
      return server?.token;
    },
  };
  const cleanups = [
    () => rm(instanceHome, { recursive: true, force: true }),
    // The server the extension started over SSH is not a child of anything here.
    () => run('pkill', ['-f', '--', `--port ${port} `]).catch(() => undefined),
  ];
  const stop = async () => {
    for (const cleanup of cleanups.reverse()) {
      await cleanup().catch((error) => console.error(`    cleanup: ${error?.message ?? error}`));
    }
  };
  try {
    const sshd = await startSshd({
      authorizedKeys: [publicKey],
      sessionPath: [...binDirs, '/usr/local/bin', '/usr/bin', '/bin'].join(':'),
      sessionHome: instanceHome,
    });
    cleanups.push(() => sshd.stop());
    cleanups.push(
      await patchUserSettings({
        'spheron.forwardPorts': [
          { label: 'Jupyter', remotePort: port },
          { label: 'TensorBoard', remotePort: 6006 },
        ],
      }),
    );
    await simulatorAdmin('reset', {});
    cleanups.push(async () => {
      await simulatorAdmin('config', { sshHost: null, sshPort: null, sshUser: null });
      await simulatorAdmin('reset', {});
    });
    await simulatorAdmin('config', { sshHost: '127.0.0.1', sshPort: sshd.port, sshUser: sshd.user });
    return { jupyter, sshd, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/**
 * The instance `npm start` gives a newcomer: the sandbox sshd the tier started with
 * `e2e_start_sandbox_sshd` (test/e2e/lib.sh; running as the current user, its sessions' HOME in the
 * run's temp tree, Debian's Jupyter on their PATH), with the simulator's deployments pointed at it as
 * `npm start` does with `--ssh-host/--ssh-port/--ssh-user`. Only Jupyter's port differs from the
 * demo's 8888, so a Jupyter someone else runs on this machine cannot answer instead. `stop()` undoes
 * the settings and the simulator; the tier stops what runs in the sandbox when it ends.
 * @param {(path: string, body?: unknown, method?: string) => Promise<unknown>} simulatorAdmin
 */
export async function useSandboxInstance(simulatorAdmin) {
  const port = Number(requiredEnv('SPHERON_E2E_SANDBOX_SSHD_PORT'));
  const home = requiredEnv('SPHERON_E2E_INSTANCE_HOME');
  const user = os.userInfo().username;
  // The sandbox sshd's host key is not the one an earlier test's sshd pinned for this instance.
  await forgetHostKeys(path.join(requiredEnv('SPHERON_E2E_HOME'), '.ssh', 'spheron', 'known_hosts'));
  const jupyterPort = await freePort();
  const restoreSettings = await patchUserSettings({
    'spheron.forwardPorts': [
      { label: 'Jupyter', remotePort: jupyterPort },
      { label: 'TensorBoard', remotePort: 6006 },
    ],
  });
  await simulatorAdmin('reset', {});
  await simulatorAdmin('config', { sshHost: '127.0.0.1', sshPort: port, sshUser: user });
  return {
    jupyter: { port: jupyterPort, home },
    async stop() {
      await run('pkill', ['-f', '--', `--port ${jupyterPort} `]).catch(() => undefined);
      await restoreSettings();
      await simulatorAdmin('config', { sshHost: null, sshPort: null, sshUser: null });
      await simulatorAdmin('reset', {});
    },
  };
}

/**
 * Answers the extension's "Jupyter is not running … Start it?" dialog with Start Jupyter, after
 * checking that it shows the command it will run. Returns the dialog's text.
 */
export async function startJupyterFromDialog(page) {
  const dialog = page.locator('.monaco-dialog-box', { hasText: 'Start it?' });
  await dialog.waitFor({ timeout: 60_000 });
  const text = await dialog.innerText();
  if (!/nohup jupyter notebook --no-browser --ip 127\.0\.0\.1/.test(text)) {
    throw new Error(`the dialog does not show the start command: ${text}`);
  }
  await dialog.getByRole('button', { name: 'Start Jupyter', exact: true }).click();
  return text;
}

/**
 * The page Simple Browser shows: VS Code hosts the Simple Browser webview in `iframe.webview.ready`
 * → `#active-frame`, and that page shows the URL in an iframe of its own. Waits until a visible one
 * has `selector`; returns its FrameLocator.
 */
export async function simpleBrowserPage(page, selector, { timeout = 60_000 } = {}) {
  const deadline = Date.now() + timeout;
  const hosts = page.locator('iframe.webview.ready');
  for (;;) {
    const count = await hosts.count();
    for (let index = 0; index < count; index++) {
      const host = hosts.nth(index);
      if (!(await host.isVisible().catch(() => false))) {
        continue;
      }
      const shown = host
        .contentFrame()
        .locator('#active-frame')
        .contentFrame()
        .locator('iframe')
        .first()
        .contentFrame();
      if (
        (await shown
          .locator(selector)
          .count()
          .catch(() => 0)) > 0
      ) {
        return shown;
      }
    }
    if (Date.now() >= deadline) {
      throw new Error(`no Simple Browser page with ${selector} after ${timeout} ms`);
    }
    await page.waitForTimeout(200); // polling interval between checks, not a wait for an effect
  }
}
