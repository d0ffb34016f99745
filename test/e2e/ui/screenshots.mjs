// `npm run screenshots`: the README's pictures of the product against the simulator, written to
// media/. Started by scripts/screenshots (which starts the simulator and code-server). Add a picture
// by adding an entry to SHOTS: `prepare(t)` gets the same helpers as the UI tests.
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { launchBrowser, requiredEnv, workbenchUrl } from '../lib/browser.mjs';
import { RTX4090, fillDeployForm, openDeployFormFromOffers } from './deployForm.mjs';
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
    // The deploy form, filled, beside its cost panel.
    file: 'screenshot-deploy.png',
    async prepare(t) {
      // The usual setup: this computer's key is the one registered with the team (`dev-laptop`,
      // SEED_PUBLIC_KEY in test/simulator/seed.ts). HOME is this run's throwaway home; the private
      // half is a placeholder, nothing connects with it.
      const ssh = path.join(os.homedir(), '.ssh');
      mkdirSync(ssh, { recursive: true, mode: 0o700 });
      writeFileSync(
        path.join(ssh, 'id_ed25519.pub'),
        'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIEkw/1qSzSq9ZQcGZUBGUUEMBNr1MCtGnxzZTI2YS1Nn dev@laptop\n',
      );
      writeFileSync(path.join(ssh, 'id_ed25519'), 'placeholder private key for the screenshot\n', {
        mode: 0o600,
      });
      const form = await openDeployFormFromOffers(t.workbench);
      await fillDeployForm(form, {
        name: 'llm-finetune',
        region: RTX4090.region,
        os: RTX4090.os,
        sshKey: 'dev-laptop',
        packages: 'htop nvtop git-lfs',
        commands: 'pip install -U torch transformers',
      });
      // Back to the top of the form; a click on the title takes the focus ring off the last field.
      await form.locator('#title').scrollIntoViewIfNeeded();
      await form.locator('#title').click();
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
