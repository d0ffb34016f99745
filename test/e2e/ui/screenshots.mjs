// `npm run screenshots`: the README's pictures of the product against the simulator, written to
// media/. Started by scripts/screenshots (which starts the simulator and code-server). Add a picture
// by adding an entry to SHOTS: `prepare(t)` gets the same helpers as the UI tests; an optional
// `setup()` runs before the window opens and may return `{ stop() }`, called after the picture.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { launchBrowser, requiredEnv, workbenchUrl } from '../lib/browser.mjs';
import { SEED_RUNNING_NAME, simpleBrowserPage, startSshInstance } from './sshInstance.mjs';
import { Workbench } from './workbench.mjs';

const SHOTS = [
  {
    file: 'screenshot-explorer.png',
    async prepare(t) {
      await t.workbench.openSpheron();
      // The seed data of the simulator (test/simulator/seed.ts).
      await t.workbench.waitForTreeItem('Offers', 'H100 SXM5');
      await t.workbench.waitForTreeItem('Instances', 'pro6000-dev');
      await t.workbench.waitForTreeItem('Volumes', 'checkpoints');
    },
  },
  {
    // Open Jupyter on the seeded instance, pointed at a real sshd with a fake JupyterLab behind it.
    file: 'screenshot-jupyter.png',
    async setup() {
      return startSshInstance(simulatorAdmin);
    },
    async prepare(t) {
      await t.workbench.openSpheron();
      const row = await t.workbench.waitForTreeItem('Instances', SEED_RUNNING_NAME);
      await row.hover();
      await row.getByRole('button', { name: 'Open Jupyter' }).click();
      await simpleBrowserPage(t.page, '#fake-jupyter', { timeout: 90_000 });
      await t.workbench
        .view('Instances')
        .getByRole('treeitem', { name: /^Jupyter → localhost:\d+, open$/ })
        .waitFor({ timeout: 30_000 });
    },
  },
];

const simulatorUrl = requiredEnv('SPHERON_SIM_URL');

/** The simulator's admin API (`/__sim/<path>`); GET without a body, POST with one. */
async function simulatorAdmin(adminPath, body) {
  const response = await fetch(`${simulatorUrl}/__sim/${adminPath}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(10_000),
  });
  const text = await response.text();
  if (!response.ok) {
    throw new Error(`simulator admin /__sim/${adminPath} answered ${response.status}: ${text}`);
  }
  return text ? JSON.parse(text) : undefined;
}

const baseUrl = requiredEnv('CODE_SERVER_URL');
const workspaceRoot = requiredEnv('SPHERON_E2E_WORKSPACE');
const outDir = path.join(requiredEnv('REPO_ROOT'), 'media');
const only = process.argv[2];

const browser = await launchBrowser();
let failed = 0;
for (const shot of SHOTS.filter((s) => !only || s.file === only)) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, deviceScaleFactor: 1 });
  const page = await context.newPage();
  const workspace = path.join(workspaceRoot, 'spheron-demo');
  mkdirSync(workspace, { recursive: true });
  const workbench = new Workbench(page);
  let prepared;
  try {
    // Before the window loads: a setup may change the user settings it reads.
    prepared = await shot.setup?.();
    await workbench.open(workbenchUrl(baseUrl, workspace));
    await shot.prepare({ page, workbench, workspace });
    await workbench.settle();
    await page.screenshot({ path: path.join(outDir, shot.file) });
    console.log(`wrote media/${shot.file}`);
  } catch (error) {
    failed++;
    console.error(`media/${shot.file} failed: ${error?.stack ?? error}`);
  } finally {
    await context.close();
    await prepared?.stop();
  }
}
await browser.close();
process.exit(failed === 0 ? 0 : 1);
