// The demo `npm start` offers a newcomer, clicked through as they would: the simulator's running
// instance is the sandbox sshd `npm start` starts (test/e2e/lib.sh e2e_start_sandbox_sshd, started
// by run-ui), Open Jupyter starts Debian's Jupyter there and shows its file tree, and a local
// notebook whose kernel is that instance runs its cells there: one prints a file only the instance
// has, the next reads a line with input() from an input box.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import {
  SEED_RUNNING_NAME,
  simpleBrowserPage,
  startJupyterFromDialog,
  useSandboxInstance,
} from '../sshInstance.mjs';

const MARKER_FILE = 'hello-from-the-instance.txt';
const RUN_ON_GPU = 'Spheron: Run Notebook on a Spheron GPU…';

export default [
  {
    name: "npm start's demo: pick the sandbox instance, Open Jupyter, then run a local notebook's cell on it",
    async run(t) {
      const instance = await useSandboxInstance(t.simulatorAdmin);
      const marker = `written in the sandbox instance's home at ${new Date().toISOString()}`;
      writeFileSync(path.join(instance.jupyter.home, MARKER_FILE), marker);
      writeFileSync(
        path.join(t.workspace, 'demo.ipynb'),
        JSON.stringify({
          cells: [
            {
              cell_type: 'code',
              execution_count: null,
              metadata: {},
              outputs: [],
              source: `print(open(${JSON.stringify(MARKER_FILE)}).read())`,
            },
            {
              cell_type: 'code',
              execution_count: null,
              metadata: {},
              outputs: [],
              source: "name = input('Your name: ')\nprint(f'Hello, {name}, from the instance')",
            },
          ],
          metadata: { language_info: { name: 'python' } },
          nbformat: 4,
          nbformat_minor: 5,
        }),
      );
      try {
        await t.open();
        await t.workbench.openSpheron();
        const row = await t.workbench.waitForTreeItem('Instances', SEED_RUNNING_NAME);
        await row.hover();
        await row.getByRole('button', { name: 'Open Jupyter' }).click();
        await startJupyterFromDialog(t.page);
        // The Notebook's file tree is the instance's home: the marker file is listed.
        const jupyter = await simpleBrowserPage(t.page, '#notebook_list', { timeout: 90_000 });
        await jupyter.getByText(MARKER_FILE).waitFor({ timeout: 30_000 });
        await t.shot('demo-jupyter-tree');

        await t.workbench.openFile('demo.ipynb');
        await t.workbench.pickFromPalette(`>${RUN_ON_GPU}`, RUN_ON_GPU);
        await t.workbench.pickKernel(`Spheron: ${SEED_RUNNING_NAME}`);
        await t.workbench.runCommand('Notebook: Run All');
        // Jupyter already runs there: no dialog this time, the output comes from the instance.
        const outputs = await t.workbench.webview({ hasText: marker, timeout: 120_000 });
        await outputs.getByText(marker).waitFor({ timeout: 30_000 });
        // The second cell waits in input(): VS Code asks for the line, and the cell goes on with it.
        const inputBox = t.page.locator('.quick-input-widget', {
          hasText: `Input for the cell on “${SEED_RUNNING_NAME}”`,
        });
        await inputBox.waitFor({ timeout: 60_000 });
        assert.match(await inputBox.innerText(), /Your name:/);
        await inputBox.locator('input').fill('Ada');
        await t.shot('demo-notebook-input');
        await t.page.keyboard.press('Enter');
        const greeted = await t.workbench.webview({
          hasText: 'Hello, Ada, from the instance',
          timeout: 60_000,
        });
        await greeted.getByText('Your name: Ada').waitFor({ timeout: 30_000 });
        await t.shot('demo-notebook-cell-ran');
        // With the Spheron kernel selected, the notebook toolbar's More Actions lists its restart…
        await t.page.locator('.notebook-toolbar-container .codicon-toolbar-more').first().click();
        await t.page
          .locator('.monaco-menu .action-label', { hasText: 'Restart Spheron Kernel' })
          .waitFor({ timeout: 30_000 });
        await t.page.keyboard.press('Escape');
        // …and so does the palette; it asks first.
        await t.workbench.pickFromPalette('>Restart Spheron Kernel', 'Spheron: Restart Spheron Kernel');
        const dialog = t.page.locator('.monaco-dialog-box', {
          hasText: 'Restart the kernel on “pro6000-dev”',
        });
        await dialog.waitFor({ timeout: 30_000 });
        assert.match(await dialog.innerText(), /Every variable of this notebook is lost/);
        await dialog.getByRole('button', { name: 'Restart', exact: true }).click();
        await t.page.locator('.statusbar', { hasText: 'Kernel restarted on' }).waitFor({ timeout: 30_000 });
        await t.shot('demo-notebook-kernel-restarted');
        // Run again, and answer the input box with Escape: the cell stops, as Interrupt stops it.
        await t.workbench.runCommand('Notebook: Run All');
        await inputBox.waitFor({ timeout: 60_000 });
        await t.page.keyboard.press('Escape');
        const stopped = await t.workbench.webview({ hasText: 'KeyboardInterrupt', timeout: 60_000 });
        await stopped.getByText('KeyboardInterrupt').first().waitFor({ timeout: 30_000 });
        await t.shot('demo-notebook-input-escaped');
      } finally {
        await instance.stop();
      }
    },
  },
];
