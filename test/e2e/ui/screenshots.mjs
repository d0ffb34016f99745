// `npm run screenshots`: the README's pictures of the product against the simulator, written to
// media/. Started by scripts/screenshots (which starts the simulator and code-server). Add a picture
// by adding an entry to SHOTS: `prepare(t)` gets the same helpers as the UI tests.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { launchBrowser, requiredEnv, workbenchUrl } from '../lib/browser.mjs';
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
];

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
  try {
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
  }
}
await browser.close();
process.exit(failed === 0 ? 0 : 1);
