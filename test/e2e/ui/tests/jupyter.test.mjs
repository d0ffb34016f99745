// Open Jupyter as a user does it: the notebook icon on a running instance's row. The instance is the
// simulator's seeded one, pointed at a real sshd on 127.0.0.1 with Debian's real Jupyter Notebook
// installed and not yet running: the extension offers to start it (showing the command), reads the
// token over SSH, forwards the port through a managed ssh tunnel, and shows the signed-in Notebook
// page in Simple Browser, inside the editor.
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { waitUntil } from '../deployForm.mjs';
import {
  SEED_RUNNING_NAME,
  simpleBrowserPage,
  startJupyterFromDialog,
  startSshInstance,
} from '../sshInstance.mjs';

/** Whether a connection to 127.0.0.1:<port> is refused now. */
function portCloses(port) {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', () => resolve(true));
  });
}

export default [
  {
    name: 'Open Jupyter on a running instance starts Jupyter after showing the command, shows the forwarded, signed-in page in the editor and a tunnel row that comes back after a window reload',
    async run(t) {
      const instance = await startSshInstance(t.simulatorAdmin);
      try {
        await t.open();
        await t.workbench.openSpheron();
        const row = await t.workbench.waitForTreeItem('Instances', SEED_RUNNING_NAME);
        // The inline actions show on hover, as for a user pointing at the row.
        await row.hover();
        const openJupyter = row.getByRole('button', { name: 'Open Jupyter' });
        await openJupyter.waitFor({ timeout: 30_000 });
        await openJupyter.click();
        await t.page.locator('.monaco-dialog-box', { hasText: 'Start it?' }).waitFor({ timeout: 60_000 });
        await t.shot('start-jupyter-dialog');
        await startJupyterFromDialog(t.page);

        // The page: Simple Browser's webview, then its frame with the forwarded URL. The classic
        // Notebook's file tree lists the instance's home, signed in with the token.
        const jupyter = await simpleBrowserPage(t.page, '#notebook_list', { timeout: 90_000 });
        await jupyter.locator('#notebook_list').waitFor({ timeout: 30_000 });
        // In an editor tab, not an external browser.
        await t.page
          .locator('.editor-group-container .tab', { hasText: /Simple Browser|JupyterLab|127\.0\.0\.1/ })
          .first()
          .waitFor({ timeout: 30_000 });
        await t.shot('jupyter-in-editor');

        // The tunnel under the instance: "Jupyter → localhost:<port>", open.
        const tunnel = t.workbench
          .view('Instances')
          .getByRole('treeitem', { name: /^Jupyter → localhost:\d+, open$/ });
        await tunnel.waitFor({ timeout: 30_000 });
        const label = await tunnel.getAttribute('aria-label');
        const localPort = Number(/localhost:(\d+)/.exec(label ?? '')?.[1]);
        assert.ok(localPort > 0 && localPort !== instance.jupyter.port, `tunnel row: ${label}`);
        // That local port is the forwarded Jupyter: its API answers with the token only.
        const token = await instance.jupyter.token();
        assert.ok(token, 'jupyter notebook list on the instance shows the server the extension started');
        assert.equal((await fetch(`http://127.0.0.1:${localPort}/api/status`)).status, 403);
        assert.equal((await fetch(`http://127.0.0.1:${localPort}/api/status?token=${token}`)).status, 200);
        await t.shot('instance-row-with-tunnel');

        // Reload the window: its extension host stops (and the tunnel with it); the new one brings
        // the tunnel back on the same local port without being asked, and Jupyter answers again.
        await t.page.reload({ timeout: 120_000 });
        await t.page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
        // The new window may show the instance collapsed: open it to see its tunnel rows.
        const rowAfterReload = await t.workbench.waitForTreeItem('Instances', SEED_RUNNING_NAME);
        if ((await rowAfterReload.getAttribute('aria-expanded')) === 'false') {
          await rowAfterReload.locator('.monaco-tl-twistie').click();
        }
        const restored = t.workbench
          .view('Instances')
          .getByRole('treeitem', { name: new RegExp(`^Jupyter → localhost:${localPort}, open$`) });
        await restored.waitFor({ timeout: 90_000 });
        assert.equal((await fetch(`http://127.0.0.1:${localPort}/api/status?token=${token}`)).status, 200);
        await t.shot('tunnel-restored-after-reload');

        // Stop Port Forwarding (the row's inline button, shown on hover) closes it.
        await t.workbench.clickRowButtonUntilGone(restored, 'Stop Port Forwarding', { timeout: 30_000 });
        await waitUntil(() => portCloses(localPort), `127.0.0.1:${localPort} to close`, 30_000);
      } finally {
        await instance.stop();
      }
    },
  },
];
