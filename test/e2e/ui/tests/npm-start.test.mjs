// `npm start` as a newcomer meets it: started the way package.json's `start` script starts it
// (`bash scripts/start`), it serves its own code-server, simulator and sandbox sshd, signed out, so
// the first thing on screen is the welcome view's Sign In; signing in with the key it printed
// shows the account.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { SEED_RUNNING_NAME, freePort } from '../sshInstance.mjs';

const REPO_ROOT = process.env.REPO_ROOT ?? path.resolve(import.meta.dirname, '../../../..');
const START_TIMEOUT_MS = 300_000;

/** Runs `npm start`'s script in its own process group; resolves with its URL and printed key. */
async function startNpmStart(port) {
  const env = { ...process.env };
  delete env.SPHERON_API_KEY;
  delete env.SPHERON_SIM_URL;
  const child = spawn('bash', ['scripts/start', '--no-desktop', '--port', String(port)], {
    cwd: REPO_ROOT,
    env,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk) => (output += chunk));
  child.stderr.on('data', (chunk) => (output += chunk));
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const stop = async () => {
    try {
      process.kill(-child.pid, 'SIGINT');
    } catch {
      return;
    }
    await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 20_000))]);
    try {
      process.kill(-child.pid, 'SIGKILL');
    } catch {
      // Already gone.
    }
  };
  const deadline = Date.now() + START_TIMEOUT_MS;
  let code;
  void exited.then((status) => (code = status));
  while (!/^\s+Open (http\S+)/m.test(output)) {
    if (code !== undefined || Date.now() > deadline) {
      await stop();
      throw new Error(`npm start did not serve the workbench (exit ${code}):\n${output.slice(-3000)}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  const url = /^\s+Open (http\S+)/m.exec(output)[1];
  const key = /signed out: run Spheron: Sign In and paste (\S+);/.exec(output)?.[1];
  return { url, key, output: () => output, stop };
}

export default [
  {
    name: 'npm start begins signed out: the welcome view offers Sign In, and the key it printed signs in',
    timeoutMs: START_TIMEOUT_MS + 180_000,
    async run(t) {
      const manifest = JSON.parse(readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8'));
      assert.equal(manifest.scripts.start, 'bash scripts/start', 'this test starts what `npm start` runs');
      const started = await startNpmStart(await freePort());
      try {
        assert.ok(started.key, `npm start names the key to sign in with:\n${started.output()}`);
        const { workbench, page } = t;
        await workbench.open(started.url);
        await workbench.openSpheron();
        const instances = workbench.view('Instances');
        await instances.getByText('Sign in with a Spheron API key').waitFor({ timeout: 60_000 });
        const signIn = instances.getByRole('button', { name: 'Sign In', exact: true });
        await signIn.waitFor({ timeout: 60_000 });
        assert.equal(await workbench.view('Instances').getByRole('treeitem').count(), 0);
        await t.shot('npm-start-signed-out');

        await signIn.click();
        const box = page.locator('.quick-input-widget');
        await box.locator('.quick-input-title', { hasText: 'Spheron: Sign In' }).waitFor({ timeout: 60_000 });
        const input = box.locator('input');
        assert.equal(await input.getAttribute('type'), 'password');
        await input.fill(started.key);
        await input.press('Enter');
        await workbench.waitForNotification('Signed in to Spheron');
        await workbench.waitForTreeItem('Instances', SEED_RUNNING_NAME, { timeout: 60_000 });
        await t.shot('npm-start-signed-in');
      } finally {
        await started.stop();
      }
    },
  },
];
