// What a first-time user sees in a narrow side bar, and an SSH terminal to a host that does not
// answer (issue 19, items 4 and 9).
import assert from 'node:assert/strict';
import { SEED_RUNNING_NAME, patchUserSettings } from '../sshInstance.mjs';

const SIDEBAR_WIDTH = 280;

/** Drags the sash on the side bar's right edge until the side bar is `width` px wide, as a user does. */
async function resizeSideBar(page, width) {
  const sidebar = page.locator('.part.sidebar');
  let box = await sidebar.boundingBox();
  for (let attempt = 0; attempt < 5 && box && Math.abs(box.width - width) > 2; attempt += 1) {
    const edge = box.x + box.width;
    const sashes = await page.locator('.monaco-sash.vertical').evaluateAll((elements) =>
      elements.map((element) => {
        const rect = element.getBoundingClientRect();
        return { x: rect.x + rect.width / 2, top: rect.top, height: rect.height };
      }),
    );
    const sash = sashes
      .filter((candidate) => candidate.height > 100)
      .sort((a, b) => Math.abs(a.x - edge) - Math.abs(b.x - edge))[0];
    assert.ok(
      sash && Math.abs(sash.x - edge) <= 6,
      `a sash on the side bar's edge (${edge}): ${JSON.stringify(sashes)}`,
    );
    const y = sash.top + sash.height / 2;
    await page.mouse.move(sash.x, y);
    await page.mouse.down();
    await page.mouse.move(sash.x + (width - box.width), y, { steps: 10 });
    await page.mouse.up();
    box = await sidebar.boundingBox();
  }
  assert.ok(box && Math.abs(box.width - width) <= 2, `side bar width ${box?.width}, wanted ${width}`);
  return box;
}

/**
 * How far the row's description is visible: the right edge of the first `chars` characters of its
 * text, and the right edge of the area the row clips to.
 */
async function descriptionPrefixFits(row, chars) {
  return row.evaluate((element, count) => {
    const description = element.querySelector('.label-description');
    const container = element.querySelector('.monaco-icon-label-container') ?? element;
    const text = description?.firstChild;
    if (!description || !text) {
      return { text: '', right: Number.POSITIVE_INFINITY, clip: 0 };
    }
    const range = element.ownerDocument.createRange();
    range.setStart(text, 0);
    range.setEnd(text, Math.min(count, text.textContent.length));
    return {
      text: range.toString(),
      right: range.getBoundingClientRect().right,
      clip: Math.min(container.getBoundingClientRect().right, element.getBoundingClientRect().right),
    };
  }, chars);
}

export default [
  {
    name: `a ${SIDEBAR_WIDTH} px side bar still shows what an instance and an offer group cost: money leads the row`,
    async run(t) {
      await t.open();
      await t.workbench.openSpheron();
      const sidebar = await resizeSideBar(t.page, SIDEBAR_WIDTH);

      const instance = await t.workbench.waitForTreeItem('Instances', SEED_RUNNING_NAME);
      const instanceName = (await instance.getAttribute('aria-label')) ?? '';
      assert.match(instanceName, /^pro6000-dev, \$\d+\.\d\d · \$2\.39\/h · running 1h \d+m$/);
      // "$3.21 · $2.39/h": both figures are inside the row, not cut off.
      const instanceMoney = await descriptionPrefixFits(instance, '$0.00 · $2.39/h'.length);
      assert.match(instanceMoney.text, /^\$\d+\.\d\d · \$2\.39\/h$/);
      assert.ok(instanceMoney.right <= instanceMoney.clip, JSON.stringify(instanceMoney));

      const h100 = await t.workbench.waitForTreeItem('Offers', 'H100 SXM5');
      assert.equal(await h100.getAttribute('aria-label'), 'H100 SXM5, from $2.91/h · 2 offers');
      const offerMoney = await descriptionPrefixFits(h100, 'from $2.91/h'.length);
      assert.equal(offerMoney.text, 'from $2.91/h');
      assert.ok(offerMoney.right <= offerMoney.clip, JSON.stringify(offerMoney));
      assert.ok(offerMoney.clip <= sidebar.x + sidebar.width + 1, 'the row ends inside the side bar');
      await t.shot(`sidebar-${SIDEBAR_WIDTH}px`);
    },
  },
  {
    name: 'Open SSH Terminal to a host that does not answer says where it connects, then gives up with the reason and the next step',
    async run(t) {
      // The seeded instance's address is 198.51.100.42 (TEST-NET-2): nothing answers there.
      const restore = await patchUserSettings({
        'spheron.ssh.connectTimeoutSeconds': 3,
        // The DOM renderer, so the terminal's text can be read.
        'terminal.integrated.gpuAcceleration': 'off',
      });
      try {
        await t.open();
        await t.workbench.openSpheron();
        const row = await t.workbench.waitForTreeItem('Instances', SEED_RUNNING_NAME);
        await t.workbench.contextMenu(row, 'Open SSH Terminal');
        const rows = t.page.locator('.terminal-wrapper.active .xterm-rows, .terminal .xterm-rows').first();
        const terminalText = async () =>
          ((await rows.innerText().catch(() => '')) || '').replace(/\s+/g, ' ');
        const deadline = Date.now() + 60_000;
        let text = '';
        while (!/Press any key to close/.test(text) && Date.now() < deadline) {
          text = await terminalText();
          await t.page.waitForTimeout(250);
        }
        await t.shot('ssh-terminal-unreachable');
        assert.match(
          text,
          /Connecting to pro6000-dev \(198\.51\.100\.42:22\) as ubuntu… \(gives up after 3 s\)/,
        );
        assert.match(
          text,
          /Could not connect to pro6000-dev \(198\.51\.100\.42:22\) as ubuntu: the (host did not answer in time|address cannot be reached from here) \(/,
        );
        assert.match(text, /Next: run "Spheron: Open SSH Terminal" again, or "Spheron: Check SSH Setup"/);
        // The explanation stays on screen, without VS Code's "terminated with exit code" alert.
        assert.equal(
          await t.page.locator('.notification-toast', { hasText: 'terminated with exit code' }).count(),
          0,
        );
        await t.page.keyboard.press('Enter');
        await rows.waitFor({ state: 'detached', timeout: 30_000 });
      } finally {
        await restore();
      }
    },
  },
];
