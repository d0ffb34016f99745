// Deploying a GPU like a user: "Deploy GPU Instance…" from an offer's context menu in the Offers
// view, the form in the webview (nested iframes), a deliberate double click on Deploy, the
// progress notification, the instance running in the Instances view, then Terminate from its
// context menu through the modal dialog, once the simulated clock is past the minimum runtime.
import assert from 'node:assert/strict';
import { RTX4090, fillDeployForm, openDeployFormFromOffers } from '../deployForm.mjs';
import { fitPageWidth, horizontalFit } from '../narrowColumn.mjs';
import { ensureClientKey } from '../sshInstance.mjs';

const STEP = 60_000;
/** The simulator's seed key registered with the team (test/simulator/seed.ts). */
const KEY_NAME = 'dev-laptop';

async function newDeployments(t, before) {
  return (await t.simulatorAdmin('state')).deployments.filter((d) => !before.includes(d.id));
}

async function createPosts(t) {
  return (await t.simulatorAdmin('requests')).byRoute['POST /api/deployments'] ?? 0;
}

function escapeRegExp(text) {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

export default [
  {
    name: 'deploy from an offer: fill the form, double-click Deploy, one deployment, running, then terminate',
    async run(t) {
      await t.simulatorAdmin('reset', {});
      // Rate limiting is not the subject; the clock jumps below would reset its windows anyway.
      const { config } = await t.simulatorAdmin('config', {});
      await t.simulatorAdmin('config', { rateLimit: { general: 0, creates: 0 } });
      try {
        await deployAndTerminate(t);
      } finally {
        await t.simulatorAdmin('config', { rateLimit: config.rateLimit });
      }
    },
  },
  {
    name: 'deploy form in a narrow column with too little balance: one column, says so, Deploy disabled',
    async run(t) {
      await t.simulatorAdmin('reset', {});
      await t.simulatorAdmin('balance', { balance: 2 });
      try {
        await tooLittleBalance(t);
      } finally {
        await t.simulatorAdmin('balance', { balance: 250 });
      }
    },
  },
  {
    name: 'deploy form in a 320 px editor column: nothing clipped, cost labels on one line',
    async run(t) {
      await t.simulatorAdmin('reset', {});
      await narrowColumn(t);
    },
  },
];

async function narrowColumn(t) {
  const { workbench, page } = t;
  // A local key Spheron does not know, so the form offers "Upload my local key (<fingerprint>)".
  await ensureClientKey(process.env.SPHERON_E2E_HOME);
  await page.setViewportSize({ width: 780, height: 900 });
  await t.open();
  const form = await openDeployFormFromOffers(workbench);
  // The longest controls: the upload button carries the key's fingerprint (no break in it).
  await form.locator('#upload-key').waitFor({ timeout: STEP });
  assert.match(await form.locator('#upload-key').innerText(), /SHA256:/);

  const width = await fitPageWidth(page, form, 320);
  assert.ok(Math.abs(width - 320) <= 2, `the form's page is ${width}px wide`);
  const fit = await horizontalFit(form);
  await t.shot('deploy-form-320px');
  assert.ok(fit.scrollWidth <= fit.clientWidth, `the form scrolls sideways: ${JSON.stringify(fit)}`);
  assert.deepEqual(fit.clipped, [], 'elements run past the right edge');

  // Every cost label stays on one line: a long value moves under its label instead.
  const labels = await form.locator('#cost-rows dt').evaluateAll((terms) =>
    terms.map((term) => ({
      text: term.textContent,
      height: term.getBoundingClientRect().height,
      lineHeight: parseFloat(term.ownerDocument.defaultView.getComputedStyle(term).lineHeight),
    })),
  );
  assert.ok(labels.length >= 4, JSON.stringify(labels));
  for (const label of labels) {
    assert.ok(label.height < label.lineHeight * 1.5, `"${label.text}" wraps: ${JSON.stringify(label)}`);
  }
  await form.locator('#cost-panel').scrollIntoViewIfNeeded();
  await t.shot('deploy-form-320px-cost');
}

async function tooLittleBalance(t) {
  const { workbench, page } = t;
  await t.simulatorAdmin('requests', undefined, 'DELETE');
  // A narrow window: the editor column is a little over 400 px wide beside the side bar.
  await page.setViewportSize({ width: 780, height: 900 });
  await t.open();
  const form = await openDeployFormFromOffers(workbench);

  // Nothing runs off the right edge, and the cost panel sits below the fields, above the buttons.
  const layout = await form.locator('body').evaluate((body) => {
    const box = (selector) => body.querySelector(selector).getBoundingClientRect();
    const root = body.ownerDocument.documentElement;
    return {
      overflow: root.scrollWidth - root.clientWidth,
      fieldsBottom: box('.fields').bottom,
      costTop: box('#cost-panel').top,
      costBottom: box('#cost-panel').bottom,
      deployTop: box('#deploy').top,
      sshKeyRight: box('#ssh-key').right,
      width: root.clientWidth,
    };
  });
  assert.ok(layout.overflow <= 0, `the form overflows by ${layout.overflow}px: ${JSON.stringify(layout)}`);
  assert.ok(layout.sshKeyRight <= layout.width, JSON.stringify(layout));
  assert.ok(layout.costTop >= layout.fieldsBottom, `cost panel beside the fields: ${JSON.stringify(layout)}`);
  assert.ok(layout.deployTop >= layout.costBottom, JSON.stringify(layout));

  // The cost panel says why before anything is sent, and Deploy cannot be pressed.
  const warning = form.locator('#cost-warning');
  await warning.scrollIntoViewIfNeeded();
  await warning.waitFor({ timeout: STEP });
  const text = await warning.innerText();
  // $2 set above, less what the seed's running instance has billed since.
  assert.match(text, /balance is \$(1\.9\d|2\.00)\b/, text);
  assert.match(text, /at least \$3\.00/, text);
  assert.match(text, /Add credit/, text);
  assert.ok(await form.locator('#top-up').isVisible(), '"Add credit…" is offered');
  assert.equal(
    await form.locator('#deploy').evaluate((button) => button.disabled),
    true,
    'Deploy is disabled',
  );
  await t.shot('deploy-form-narrow-low-balance');
  // Enter in the name field is the other way to submit: still nothing is sent.
  await form.locator('#name input').press('Enter');
  assert.equal(await form.locator('#submit-status').isVisible(), false);
  assert.equal(await createPosts(t), 0);
}

async function deployAndTerminate(t) {
  const { workbench, page } = t;
  const before = (await t.simulatorAdmin('state')).deployments.map((d) => d.id);
  await t.simulatorAdmin('requests', undefined, 'DELETE');
  await t.open();

  const form = await openDeployFormFromOffers(workbench);
  const name = `ui-${Date.now().toString(36)}`;
  await fillDeployForm(form, {
    name,
    region: RTX4090.region,
    os: RTX4090.os,
    sshKey: KEY_NAME,
    packages: 'htop git-lfs',
    commands: 'nvidia-smi\necho ready > /tmp/ready',
  });
  // The cost panel: price, per day, minimum charge (20 min), the team's balance and its runway.
  const cost = await form.locator('#cost-panel').innerText();
  assert.match(cost, /Price\s+\$0\.38\/h/, cost);
  assert.match(cost, /Per day.*\s+\$9\.12/, cost);
  assert.match(cost, /Minimum charge \(20 min\)\s+\$0\.13/, cost);
  assert.match(cost, /Team balance\s+\$2(49|50)\.\d\d/, cost);
  // The runway is the status bar's at the new total: what burns now (the status bar's rate)
  // plus this offer's $0.38/h, not the balance over $0.38/h alone (27 days).
  const statusText = (
    await page
      .locator('.part.statusbar .statusbar-item', { hasText: /\$\d[\d,]*\.\d\d/ })
      .first()
      .innerText()
  ).trim();
  const status = /^\$(\d+\.\d\d) · \$(\d+\.\d\d)\/h$/.exec(statusText);
  assert.ok(status, `status bar: "${statusText}"`);
  const lasts =
    /Lasts with this instance\s+(?:(\d+) days?)?\s*(?:(\d+) h)?\s*\(now burning \$(\d+\.\d\d)\/h\)/.exec(
      cost,
    );
  assert.ok(lasts, cost);
  assert.equal(lasts[3], status[2], `form burn vs status bar: ${cost} / ${statusText}`);
  const shownHours = Number(lasts[1] ?? 0) * 24 + Number(lasts[2] ?? 0);
  const expectedHours = Number(status[1]) / (Number(status[2]) + 0.38);
  assert.ok(Math.abs(shownHours - expectedHours) <= 1.5, `${shownHours} h vs ${expectedHours} h: ${cost}`);
  assert.equal(await form.locator('#cost-warning').isVisible(), false);
  await t.shot('deploy-form-filled');

  // Deploy, clicked twice quickly on purpose.
  await form.locator('#deploy').dblclick();
  await form.locator('#submit-status[data-state="created"]').waitFor({ timeout: STEP });
  const created = await newDeployments(t, before);
  assert.equal(created.length, 1, `new deployments: ${JSON.stringify(created.map((d) => d.name))}`);
  assert.equal(await createPosts(t), 1);
  const [deployment] = created;
  assert.equal(deployment.name, name);
  assert.equal(deployment.offerId, RTX4090.offerId);
  assert.equal(deployment.region, RTX4090.region);
  assert.equal(deployment.operatingSystem, RTX4090.os);
  assert.equal(deployment.status, 'deploying');
  // The form says so (scrolled into view), and a progress notification follows it.
  assert.match(await form.locator('#submit-message').innerText(), new RegExp(`"${name}" was created`));
  assert.ok(await form.locator('#show-deployment').isVisible(), '"Show in Instances" is offered');
  assert.equal(await form.locator('#deploy').isVisible(), false, 'no second Deploy is offered');
  await workbench.notification(`Deploying ${name}`).waitFor({ timeout: STEP });
  // Beside the progress (which has no "Cancel" of its own), buttons that say what they do, and what
  // cancelling still costs: the RTX 4090's 20 minutes at $0.38/h.
  const actions = workbench.notification(`“${name}” is deploying`);
  await actions.waitFor({ timeout: STEP });
  assert.match(await actions.innerText(), /minimum charge of \$0\.13 \(20 min\)/);
  assert.ok(await actions.getByRole('button', { name: 'Stop Watching' }).isVisible());
  assert.ok(await actions.getByRole('button', { name: 'Cancel Deployment…' }).isVisible());
  assert.equal(
    await workbench.notification(`Deploying ${name}`).getByRole('button', { name: 'Cancel' }).count(),
    0,
    'the progress has no Cancel button',
  );
  await workbench
    .view('Instances')
    .getByRole('treeitem', { name: new RegExp(`^${name}, \\$[^,]* · deploying\\b`) })
    .waitFor({
      timeout: STEP,
    });
  await t.shot('deploy-submitted');

  // The provider brings it up 45 simulated seconds after the create.
  await t.simulatorAdmin('clock/advance', { seconds: 60 });
  await workbench.waitForNotification(`“${name}” is running`, { timeout: STEP });
  const instanceRow = workbench
    .view('Instances')
    .getByRole('treeitem', { name: new RegExp(`^${escapeRegExp(name)}, \\$[^,]* · running\\b`) });
  await instanceRow.waitFor({ timeout: STEP });
  await t.shot('deploy-running');
  // The form's outcome follows the instance: no "takes a few minutes to start" once it runs.
  await form.locator('#submit-message', { hasText: `"${name}" is running` }).waitFor({ timeout: STEP });
  assert.doesNotMatch(await form.locator('#submit-message').innerText(), /few minutes/);

  // Past the 20-minute minimum runtime, terminate it from its context menu.
  await t.simulatorAdmin('clock/advance', { seconds: 21 * 60 });
  await workbench.contextMenu(instanceRow, 'Terminate Instance…');
  const dialog = page.locator('.monaco-dialog-box');
  await dialog.waitFor({ timeout: STEP });
  const question = await dialog.innerText();
  assert.match(question, new RegExp(`Terminate “${escapeRegExp(name)}”\\?`));
  assert.match(question, /\$0\.38\/h/);
  assert.match(question, /cannot be undone/);
  // Keep Running comes first and holds the default focus, so Enter does not terminate.
  await dialog.getByRole('button', { name: 'Keep Running', exact: true }).waitFor({ timeout: STEP });
  const focused = await page.evaluate(() => globalThis.document.activeElement?.textContent?.trim() ?? '');
  assert.equal(focused, 'Keep Running', 'the harmless button has the default focus');
  await t.shot('terminate-dialog');
  await dialog.getByRole('button', { name: 'Terminate', exact: true }).click();
  await workbench.waitForNotification(`Terminated “${name}”`, { timeout: STEP });
  // Ended instances are hidden by default.
  await instanceRow.waitFor({ state: 'detached', timeout: STEP });
  const after = await newDeployments(t, before);
  assert.equal(after.length, 1);
  assert.equal(after[0].status, 'terminated');
  assert.equal(await createPosts(t), 1);
  await t.shot('terminated');
}
