// `npm run screenshots`: the README's pictures of the product against the simulator, written to
// media/. Started by scripts/screenshots (which starts the simulator and code-server). Add a picture
// by adding an entry to SHOTS: `prepare(t)` gets the same helpers as the UI tests; an optional
// `setup()` runs before the window opens and may return `{ stop() }`, called after the picture;
// `afterSettle(t)`, if given, runs once the pointer was moved away (e.g. to hover a row for its
// tooltip).
import { mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { launchBrowser, requiredEnv, workbenchUrl } from '../lib/browser.mjs';
import { RTX4090, fillDeployForm, openDeployFormFromOffers } from './deployForm.mjs';
import {
  SEED_RUNNING_NAME,
  simpleBrowserPage,
  startJupyterFromDialog,
  startSshInstance,
} from './sshInstance.mjs';
import { Workbench } from './workbench.mjs';

const SHOTS = [
  {
    // A rich explorer: an offer group open (spot and cluster), a running instance with its cost, a
    // second one deploying with a volume attached at launch, the unattached volume's warning, and
    // the balance and burn rate in the status bar with its tooltip over the empty editor area.
    file: 'screenshot-explorer.png',
    async prepare(t) {
      await simulatorApi('POST', 'deployments', {
        teamId: SEED.team,
        provider: 'data-crunch',
        offerId: 'dc-1h100-sxm5-spot',
        gpuType: 'H100_SXM5',
        gpuCount: 1,
        instanceType: 'SPOT',
        region: 'FIN-01',
        operatingSystem: 'Ubuntu 22.04 CUDA 12.4',
        sshKeyId: SEED.sshKey,
        volumeIds: [SEED.checkpointsVolume],
        name: 'h100-finetune',
      });
      await t.workbench.openSpheron();
      await widenSideBar(t.page, 560);
      // The seed data of the simulator (test/simulator/seed.ts) and the deployment above.
      await t.workbench.waitForTreeItem('Instances', 'pro6000-dev');
      await t.workbench.waitForTreeItem('Instances', 'h100-finetune');
      await t.workbench.waitForTreeItem('Volumes', 'checkpoints');
      await t.workbench.treeItem('Volumes', /attached to h100-finetune/).waitFor({ timeout: 60_000 });
      // Room for every group with one of them open: the Instances pane gives up some height.
      await movePaneTop(t.page, t.workbench.viewHeader('Instances'), 50);
      await (await t.workbench.waitForTreeItem('Offers', 'H100 SXM5')).click();
      await t.workbench.waitForTreeItem('Offers', '$21.52/h · 8× 80 GB');
      await t.page
        .locator('.part.statusbar .statusbar-item', { hasText: /\$\d+\.\d\d · \$\d+\.\d\d\/h/ })
        .waitFor({ timeout: 60_000 });
    },
    async afterSettle(t) {
      // The status bar item's tooltip (balance, what burns, how long it lasts) over the editor.
      await t.page
        .locator('.part.statusbar .statusbar-item', { hasText: /\$\d[\d,]*\.\d\d/ })
        .first()
        .hover();
      await t.page
        .locator('.workbench-hover-container, .monaco-hover', { hasText: 'Lasts about' })
        .first()
        .waitFor({ timeout: 30_000 });
    },
  },
  {
    // Open Jupyter on the seeded instance, pointed at a real sshd with Debian's Jupyter behind it.
    file: 'screenshot-jupyter.png',
    async setup() {
      const instance = await startSshInstance(simulatorAdmin);
      // Something to show in the file list: a notebook in the instance's home.
      writeFileSync(
        path.join(instance.jupyter.home, 'finetune.ipynb'),
        JSON.stringify({ cells: [], metadata: {}, nbformat: 4, nbformat_minor: 5 }),
      );
      return instance;
    },
    async prepare(t) {
      await t.workbench.openSpheron();
      const row = await t.workbench.waitForTreeItem('Instances', SEED_RUNNING_NAME);
      await row.hover();
      await row.getByRole('button', { name: 'Open Jupyter' }).click();
      await startJupyterFromDialog(t.page);
      const jupyter = await simpleBrowserPage(t.page, '#notebook_list', { timeout: 90_000 });
      await jupyter.getByText('finetune.ipynb').waitFor({ timeout: 30_000 });
      await t.workbench
        .view('Instances')
        .getByRole('treeitem', { name: /^Jupyter → localhost:\d+, open$/ })
        .waitFor({ timeout: 30_000 });
    },
  },
  {
    // A local .ipynb whose kernel is the seeded instance (the built-in Spheron kernel: code-server
    // has no Jupyter extension), its cells run by Debian's real Jupyter behind a real sshd.
    file: 'screenshot-notebook.png',
    async setup() {
      const instance = await startSshInstance(simulatorAdmin);
      // What the instance has and this computer does not: files in the instance's home.
      for (const folder of ['checkpoints', 'data']) {
        mkdirSync(path.join(instance.jupyter.home, folder), { recursive: true });
      }
      writeFileSync(path.join(instance.jupyter.home, 'train.py'), 'print("training")\n');
      const workspace = path.join(requiredEnv('SPHERON_E2E_WORKSPACE'), 'spheron-demo');
      mkdirSync(workspace, { recursive: true });
      writeFileSync(path.join(workspace, NOTEBOOK_FILE), JSON.stringify(demoNotebook(), null, 1));
      return instance;
    },
    async prepare(t) {
      await t.workbench.openFile(NOTEBOOK_FILE);
      await t.workbench.pickFromPalette(`>${RUN_ON_GPU}`, RUN_ON_GPU);
      await t.workbench.pickKernel(`Spheron: ${SEED_RUNNING_NAME}`);
      await t.workbench.runCommand('Notebook: Run All');
      await startJupyterFromDialog(t.page);
      const outputs = await t.workbench.webview({ hasText: 'checkpoints', timeout: 120_000 });
      await outputs.getByText(SUM_OF_SQUARES).waitFor({ timeout: 60_000 });
    },
  },
  {
    // GPU telemetry under an expanded 8× H100 instance: a real sshd whose nvidia-smi stand-in prints
    // the 8× H100 output recorded on a real machine (test/fixtures/nvidia-smi/README.md).
    file: 'screenshot-telemetry.png',
    async setup() {
      const { createFakeNvidiaSmi } = await importRepoTs('test/support/fakeNvidiaSmi.ts');
      const fake = await createFakeNvidiaSmi('h100-8x.csv');
      const instance = await startSshInstance(simulatorAdmin, { binDirs: [fake.binDir] });
      await simulatorApi('POST', 'deployments', {
        teamId: SEED.team,
        provider: 'voltage-park',
        offerId: 'vp-h100-sxm5-8x-ib',
        gpuType: 'H100_SXM5',
        gpuCount: 8,
        instanceType: 'CLUSTER',
        region: 'Dallas, TX',
        operatingSystem: 'ubuntu-22.04',
        sshKeyId: SEED.sshKey,
        name: 'h100x8-train',
      });
      await simulatorAdmin('clock/advance', { seconds: 120 });
      return {
        async stop() {
          await instance.stop();
          await fake.stop();
        },
      };
    },
    async prepare(t) {
      await t.workbench.openSpheron();
      await widenSideBar(t.page, 600);
      const row = await t.workbench.waitForTreeItem('Instances', 'h100x8-train');
      await row.click();
      await t.workbench.waitForTreeItem('Instances', /^GPU 7 · /);
      await t.workbench.treeItem('Instances', /8 GPUs · /).waitFor({ timeout: 60_000 });
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

const NOTEBOOK_FILE = 'finetune.ipynb';
const RUN_ON_GPU = 'Spheron: Run Notebook on a Spheron GPU…';
/** What the notebook's last cell computes: sum(i * i for i in range(10_000_000)). */
const SUM_OF_SQUARES = '333333283333335000000';

/** The notebook of screenshot-notebook.png: where it runs, then some work there. */
function demoNotebook() {
  const code = (source) => ({
    cell_type: 'code',
    execution_count: null,
    metadata: {},
    outputs: [],
    source,
  });
  return {
    cells: [
      {
        cell_type: 'markdown',
        metadata: {},
        source: '## Runs on the rented GPU\nThe kernel is a Spheron instance; this window stays local.',
      },
      code(
        'import os, platform\nprint(f"Python {platform.python_version()} in {os.getcwd()}")\n[name for name in sorted(os.listdir()) if not name.startswith(".")]',
      ),
      code(
        '# Some work for the instance: the sum of the first ten million squares\nsum(i * i for i in range(10_000_000))',
      ),
    ],
    metadata: {
      kernelspec: { display_name: 'Python 3', language: 'python', name: 'python3' },
      language_info: { name: 'python' },
    },
    nbformat: 4,
    nbformat_minor: 5,
  };
}

const simulatorUrl = requiredEnv('SPHERON_SIM_URL');

/** Imports a TypeScript module of the repository with the repository's tsx. */
async function importRepoTs(relativePath) {
  const repoRoot = requiredEnv('REPO_ROOT');
  const require = createRequire(path.join(repoRoot, 'package.json'));
  const { tsImport } = await import(require.resolve('tsx/esm/api'));
  return tsImport(path.join(repoRoot, relativePath), import.meta.url);
}

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

/** Ids from the simulator's seed (test/simulator/seed.ts). */
const SEED = {
  team: '66f1c0ffee00000000000a01',
  sshKey: '66f1c0ffee00000000000b01',
  checkpointsVolume: '66f1c0ffee00000000000c02',
};

/** Calls the simulator's public API with the demo key, as the extension would. */
async function simulatorApi(method, apiPath, body) {
  const response = await fetch(`${requiredEnv('SPHERON_SIM_URL')}/api/${apiPath}`, {
    method,
    headers: {
      authorization: `Bearer ${process.env.SPHERON_API_KEY || 'sim-demo-key'}`,
      'content-type': 'application/json',
      'user-agent': 'spheron-screenshots',
    },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(10_000),
  });
  if (!response.ok) {
    throw new Error(`${method} /api/${apiPath} answered ${response.status}: ${await response.text()}`);
  }
  return response.json();
}

/** Drags the sash above a side-bar pane (found by its header) down by `pixels`. */
async function movePaneTop(page, header, pixels) {
  const box = await header.boundingBox();
  if (!box) {
    throw new Error('the pane header is not shown');
  }
  const x = box.x + box.width / 2;
  await page.mouse.move(x, box.y + 1);
  await page.mouse.down();
  await page.mouse.move(x, box.y + 1 + pixels / 2, { steps: 5 });
  await page.mouse.move(x, box.y + 1 + pixels, { steps: 5 });
  await page.mouse.up();
}

/** Drags the sash between the side bar and the editor until the side bar is `width` px wide. */
async function widenSideBar(page, width) {
  const sidebar = await page.locator('.part.sidebar').boundingBox();
  if (!sidebar || sidebar.width >= width) {
    return;
  }
  const edge = sidebar.x + sidebar.width;
  const y = sidebar.y + sidebar.height / 2;
  await page.mouse.move(edge, y);
  await page.mouse.down();
  await page.mouse.move(edge + (width - sidebar.width) / 2, y, { steps: 5 });
  await page.mouse.move(sidebar.x + width, y, { steps: 5 });
  await page.mouse.up();
  await page.waitForFunction(
    (target) =>
      (globalThis.document.querySelector('.part.sidebar')?.getBoundingClientRect().width ?? 0) >= target - 4,
    width,
    { timeout: 10_000 },
  );
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
    await shot.afterSettle?.({ page, workbench, workspace });
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
