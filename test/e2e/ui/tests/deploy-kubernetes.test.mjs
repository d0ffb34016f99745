// The Kubernetes add-on in the deploy form as a user sees it: the Voltage Park H100 SXM5 cluster's
// form offers the checkbox and the versions, and ticking it adds the add-on to the cost card and
// shows the optional OIDC configuration, checked as it is typed.
import assert from 'node:assert/strict';
import { RTX4090, openDeployFormFromOffers, waitUntil } from '../deployForm.mjs';
import { fitPageWidth, horizontalFit } from '../narrowColumn.mjs';

/** The seed's Voltage Park H100 SXM5 cluster ($21.52/h; the add-on adds $0.50/h). */
const VP_CLUSTER = { group: 'H100 SXM5', row: /^\$21\.52\/h/, price: '$21.52' };

export default [
  {
    name: 'deploy form: the Kubernetes add-on on a Voltage Park cluster, priced in the cost card',
    async run(t) {
      await t.simulatorAdmin('reset', {});
      await t.open();
      const form = await openDeployFormFromOffers(t.workbench, VP_CLUSTER);
      const fieldset = form.locator('#kubernetes');
      await fieldset.waitFor({ state: 'visible', timeout: 60_000 });
      assert.match(await form.locator('#kubernetes-addon-cost').innerText(), /adds \$0\.50\/h/);
      const costPanel = form.locator('#cost-panel');
      assert.doesNotMatch(await costPanel.innerText(), /Kubernetes add-on/);

      await form.locator('#kubernetes-addon').click();
      await waitUntil(
        async () => (await costPanel.innerText()).includes('$22.02/h'),
        'the cost card to include the add-on',
      );
      const cost = await costPanel.innerText();
      assert.match(cost, /Kubernetes add-on \(in the price\)\s*\$0\.50\/h/);
      assert.match(cost, /\$528\.48/);
      const versions = await form
        .locator('#kubernetes-version > vscode-option')
        .evaluateAll((options) => options.map((option) => option.textContent.trim()));
      assert.deepEqual(versions.filter(Boolean), ['1.35', '1.34']);
      await fieldset.scrollIntoViewIfNeeded();
      await t.shot('deploy-kubernetes-addon');
    },
  },
  {
    name: 'deploy form: the Kubernetes add-on’s OIDC configuration, checked as typed, in a 320 px column',
    async run(t) {
      await t.simulatorAdmin('reset', {});
      await t.page.setViewportSize({ width: 780, height: 900 });
      await t.open();
      const form = await openDeployFormFromOffers(t.workbench, VP_CLUSTER);
      await form.locator('#kubernetes').waitFor({ state: 'visible', timeout: 60_000 });
      const oidc = form.locator('#kubernetes-oidc');
      assert.equal(await oidc.isVisible(), false, 'no OIDC field before the box is ticked');
      await form.locator('#kubernetes-addon').click();
      await oidc.waitFor({ state: 'visible', timeout: 60_000 });
      assert.match(
        await form.locator('#kubernetes-oidc-help').innerText(),
        /Empty: the cluster uses its own/,
      );
      const deployDisabled = () => form.locator('#deploy').evaluate((button) => button.disabled);
      await waitUntil(async () => !(await deployDisabled()), 'Deploy to be enabled with the add-on ticked');

      const text = form.locator('#kubernetes-oidc-config textarea');
      await text.fill('apiVersion: v1\nkind: Config\n');
      const error = form.locator('#kubernetes-oidc-error');
      await error.waitFor({ state: 'visible', timeout: 60_000 });
      assert.match(
        await error.innerText(),
        /This is a Kubernetes Config, not an AuthenticationConfiguration/,
      );
      assert.equal(await deployDisabled(), true, 'Deploy is disabled while the text is invalid');

      // The field and its error fit a narrow editor column.
      const width = await fitPageWidth(t.page, form, 320);
      assert.ok(Math.abs(width - 320) <= 2, `the form's page is ${width}px wide`);
      const fit = await horizontalFit(form);
      await oidc.scrollIntoViewIfNeeded();
      await t.shot('deploy-kubernetes-oidc-320px');
      assert.ok(fit.scrollWidth <= fit.clientWidth, `the form scrolls sideways: ${JSON.stringify(fit)}`);
      assert.deepEqual(fit.clipped, [], 'elements run past the right edge');

      await text.fill('');
      await error.waitFor({ state: 'hidden', timeout: 60_000 });
      await waitUntil(async () => !(await deployDisabled()), 'Deploy to be enabled again once cleared');
    },
  },
  {
    name: 'deploy form: nothing about the Kubernetes add-on on another offer',
    async run(t) {
      await t.simulatorAdmin('reset', {});
      await t.open();
      const form = await openDeployFormFromOffers(t.workbench, RTX4090);
      assert.equal(await form.locator('#kubernetes').isVisible(), false);
      assert.doesNotMatch(await form.locator('body').innerText(), /Kubernetes/);
    },
  },
];
