// Open Jupyter as a user does it: the notebook icon on a running instance's row. The instance is the
// simulator's seeded one, pointed at a real sshd on 127.0.0.1 with a fake JupyterLab behind it
// (started here, in the driver process): the extension reads the token over SSH, forwards the port
// through a managed ssh tunnel, and shows the signed-in page in Simple Browser, inside the editor.
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { SEED_RUNNING_NAME, simpleBrowserPage, startSshInstance } from '../sshInstance.mjs';

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

async function waitUntil(condition, what, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) {
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

export default [
  {
    name: 'Open Jupyter on a running instance shows the forwarded, signed-in JupyterLab in the editor and a tunnel row',
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

        // The page: Simple Browser's webview, then its frame with the forwarded URL.
        const jupyter = await simpleBrowserPage(t.page, '#fake-jupyter', { timeout: 90_000 });
        assert.equal(await jupyter.locator('#fake-jupyter').innerText(), instance.jupyter.signedInText);
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
        // That local port is the forwarded JupyterLab: it answers with the token only.
        const page = await fetch(`http://127.0.0.1:${localPort}/lab?token=${instance.jupyter.token}`);
        assert.match(await page.text(), new RegExp(instance.jupyter.signedInText));
        await t.shot('instance-row-with-tunnel');

        // Stop Port Forwarding (the row's inline button, shown on hover) closes it.
        await tunnel.hover();
        await tunnel.getByRole('button', { name: 'Stop Port Forwarding' }).click();
        await tunnel.waitFor({ state: 'detached', timeout: 30_000 });
        await waitUntil(() => portCloses(localPort), `127.0.0.1:${localPort} to close`);
      } finally {
        await instance.stop();
      }
    },
  },
];
