// The explorer as a user meets it: signing in through the Sign In command's password input, then
// offers, instances and volumes, a filter from the Offers view's title bar, and the status bar.
//
// The UI tier's code-server has SPHERON_API_KEY=sim-demo-key in its environment (the extension's
// fallback when SecretStorage holds no key), and Sign Out cannot take an environment variable away.
// So this test starts where a user with a revoked key starts: the simulator accepts only a new key,
// the views say the key was rejected and offer Sign In, and the user signs in with the new key.
import assert from 'node:assert/strict';

const NEW_KEY = 'sk-ui-rotated-key';
const OLD_KEY = 'sim-demo-key';

/** The quick input (quick pick or input box) once it shows the given title. */
async function quickInput(page, title) {
  const widget = page.locator('.quick-input-widget');
  await widget.locator('.quick-input-title', { hasText: title }).waitFor({ timeout: 60_000 });
  return widget;
}

/** A row of the open quick pick whose label is exactly `label`. */
function quickPickRow(widget, label) {
  return (
    widget
      .locator('.quick-input-list .monaco-list-row')
      // Codicons in a label (`$(server) Instance type`) leave a space before the text.
      .filter({ has: widget.page().locator('.label-name', { hasText: new RegExp(`^\\s*${label}\\s*$`) }) })
      .first()
  );
}

/** Types a key into the Sign In password box and presses Enter. */
async function typeKey(t, key) {
  const box = await quickInput(t.page, 'Spheron: Sign In');
  const input = box.locator('input');
  assert.equal(await input.getAttribute('type'), 'password', 'the key is typed into a password box');
  await input.fill(key);
  await t.shot(`sign-in-typed-${key === NEW_KEY ? 'new' : 'old'}-key`);
  await input.press('Enter');
}

const money = (amount) => `$${amount.toFixed(2)}`;

async function simulatorGet(t, apiPath, key) {
  const response = await fetch(`${t.simulatorUrl}/api/${apiPath}`, {
    headers: { authorization: `Bearer ${key}`, 'user-agent': 'spheron-ui-tests' },
    signal: AbortSignal.timeout(10_000),
  });
  assert.equal(response.status, 200, `GET /api/${apiPath}`);
  return response.json();
}

export default [
  {
    name: 'a user signs in, sees offers, instances and volumes, filters the offers and reads the status bar',
    async run(t) {
      await t.simulatorAdmin('reset', {});
      await t.simulatorAdmin('config', { apiKeys: [NEW_KEY] });
      try {
        await t.open();
        await t.workbench.openSpheron();
        const { page, workbench } = t;

        // The key from the environment is no longer accepted: the Instances view says so and
        // offers Sign In, and nothing of the account is shown.
        await workbench.waitForTreeItem('Instances', 'Spheron rejected the API key');
        const signInRow = workbench.view('Instances').getByRole('treeitem', { name: 'Sign In', exact: true });
        await signInRow.waitFor({ timeout: 60_000 });
        await workbench.waitForTreeItem('Volumes', 'Spheron rejected the API key');
        await t.shot('key-rejected');

        // A wrong key first: a clear message, and Try Again asks again.
        await signInRow.click();
        await typeKey(t, OLD_KEY);
        const refused = workbench.notification('Spheron rejected this API key');
        await refused.waitFor({ timeout: 60_000 });
        await t.shot('wrong-key-refused');
        await refused.getByRole('button', { name: 'Try Again' }).click();
        await typeKey(t, NEW_KEY);

        const welcome = await workbench.waitForNotification('Signed in to Spheron');
        assert.match(welcome, /team “research”, balance \$\d+\.\d\d/);

        // The account's data loads: the running instance with its cost, and the volumes.
        const instance = await workbench.waitForTreeItem('Instances', 'pro6000-dev');
        assert.match(
          (await instance.getAttribute('aria-label')) ?? '',
          /^pro6000-dev, \$\d+\.\d\d · \$2\.39\/h · running 1h \d+m$/,
        );
        await workbench.waitForTreeItem('Volumes', 'checkpoints');
        await workbench.waitForTreeItem('Volumes', 'datasets-01');
        const volumes = await workbench.treeItemLabels('Volumes', { atLeast: 2 });
        assert.deepEqual(volumes, [
          'checkpoints, 500 GB · data-crunch · FIN-01 · unattached',
          'datasets-01, 1 TB · voltage-park · Dallas, TX · unattached',
        ]);
        await t.shot('signed-in');

        // Offers: groups by GPU model, cheapest first; a group opens to its offers.
        const groups = await workbench.treeItemLabels('Offers', { atLeast: 8 });
        assert.equal(groups[0], 'CPU only, $0.12/h · 1 offer');
        assert.ok(groups.includes('H100 SXM5, from $2.91/h · 2 offers'), groups.join(' | '));
        assert.equal(await workbench.viewDescription('Offers'), '9 of 10 offers · 1 in maintenance hidden');
        await (await workbench.waitForTreeItem('Offers', 'H100 SXM5')).click();
        await workbench.waitForTreeItem('Offers', '$21.52/h · 8× 80 GB');
        const expanded = await workbench.treeItemLabels('Offers');
        assert.ok(expanded.includes('$2.91/h · 1× 80 GB, data-crunch · FIN-01 · Spot'), expanded.join(' | '));
        const rowsBefore = expanded.length;
        await t.shot('offers');

        // Filter Offers… in the view's title bar: Instance type → SPOT → OK, then Escape.
        await workbench.clickViewAction('Offers', 'Filter Offers…');
        let picker = await quickInput(page, 'Filter Offers');
        await quickPickRow(picker, 'Instance type').click();
        picker = await quickInput(page, 'Instance type');
        await quickPickRow(picker, 'SPOT').click();
        await picker.getByText('1 Selected').waitFor({ timeout: 60_000 });
        await t.shot('filter-spot-picked');
        await picker.getByRole('button', { name: 'OK' }).click();
        picker = await quickInput(page, 'Filter Offers');
        await picker
          .locator('.quick-input-list .monaco-list-row', { hasText: 'Instance type' })
          .filter({ hasText: 'SPOT' })
          .waitFor({ timeout: 60_000 });
        await page.keyboard.press('Escape');
        await page.locator('.quick-input-widget').waitFor({ state: 'hidden', timeout: 60_000 });

        const header = workbench.viewHeader('Offers').locator('.description');
        await header.filter({ hasText: 'SPOT · 1 of 10 offers' }).waitFor({ timeout: 60_000 });
        const filtered = await workbench.treeItemLabels('Offers', { atLeast: 1 });
        assert.ok(
          filtered.length < rowsBefore,
          `${filtered.length} rows after the filter, ${rowsBefore} before`,
        );
        assert.deepEqual(filtered, [
          'H100 SXM5, $2.91/h · 1 offer',
          '$2.91/h · 1× 80 GB, data-crunch · FIN-01 · Spot',
        ]);
        await t.shot('offers-filtered');

        // The status bar: the team's balance and what burns now (the instance and both volumes),
        // as the simulator reports them.
        const balance = await simulatorGet(t, 'balance', NEW_KEY);
        const team = balance.teams.find((candidate) => candidate.isCurrentTeam);
        const { volumes: wireVolumes } = await simulatorGet(t, 'volumes', NEW_KEY);
        const burn = 2.39 + wireVolumes.reduce((sum, volume) => sum + volume.sizeInGb * volume.hourlyRate, 0);
        const statusItem = page
          .locator('.part.statusbar .statusbar-item', { hasText: /\$\d[\d,]*\.\d\d/ })
          .first();
        await statusItem.waitFor({ timeout: 60_000 });
        const text = (await statusItem.innerText()).trim();
        const match = /^\$(\d+\.\d\d) · (\$\d+\.\d\d\/h)$/.exec(text);
        assert.ok(match, `status bar: "${text}"`);
        assert.equal(match[2], `${money(burn)}/h`);
        // The balance moves with per-second billing between the two reads: a few cents at most.
        assert.ok(Math.abs(Number(match[1]) - team.balance) < 0.05, `${match[1]} vs ${team.balance}`);
        await statusItem.hover();
        await page
          .locator('.monaco-hover, .workbench-hover-container', { hasText: 'Lasts about' })
          .first()
          .waitFor({ timeout: 60_000 });
        await t.shot('status-bar');
      } finally {
        await t.simulatorAdmin('config', { apiKeys: [OLD_KEY] });
      }
    },
  },
];
