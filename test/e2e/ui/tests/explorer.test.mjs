// The Spheron side bar, opened the way a user does: its activity-bar icon.
import assert from 'node:assert/strict';

export default [
  {
    name: 'the Spheron activity bar shows the Offers, Instances and Volumes views with simulator data',
    async run(t) {
      await t.open();
      await t.workbench.openSpheron();
      assert.deepEqual(
        (await t.workbench.viewNames()).map((name) => name.toLowerCase()),
        ['offers', 'instances', 'volumes'],
      );
      // Rows from the simulator's seed (test/simulator/seed.ts), signed in with SPHERON_API_KEY.
      await t.workbench.waitForTreeItem('Offers', 'H100 SXM5');
      await t.workbench.waitForTreeItem('Instances', 'pro6000-dev');
      await t.workbench.waitForTreeItem('Volumes', 'checkpoints');
      const offers = await t.workbench.treeItemLabels('Offers', { atLeast: 1 });
      assert.ok(
        offers.some((label) => /H100 SXM5/.test(label)),
        `offers: ${offers.join(' | ')}`,
      );
      await t.shot('spheron-views');
    },
  },
];
