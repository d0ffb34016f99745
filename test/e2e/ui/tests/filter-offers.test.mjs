// Filter Offers as a first-time user tries it: typing "H100" in the picker (issue 19, item 8).
import assert from 'node:assert/strict';

export default [
  {
    name: 'typing "H100" in Filter Offers finds the H100 group with the count the tree shows, and picking it filters the view',
    async run(t) {
      const { page, workbench } = t;
      await t.open();
      await workbench.openSpheron();
      await workbench.waitForTreeItem('Offers', 'H100 SXM5');
      try {
        await workbench.clickViewAction('Offers', 'Filter Offers…');
        const widget = page.locator('.quick-input-widget');
        await widget.locator('.quick-input-title', { hasText: 'Filter Offers' }).waitFor({ timeout: 60_000 });
        await widget.locator('input').fill('H100');
        const match = widget
          .locator('.quick-input-list .monaco-list-row', { hasText: 'GPU model: H100 SXM5' })
          .first();
        await match.waitFor({ timeout: 60_000 });
        // The picker says what the tree says: "from $2.91/h · 2 offers", as on the group row.
        assert.match(await match.innerText(), /from \$2\.91\/h · 2 offers/);
        await t.shot('filter-offers-typed-h100');
        await widget.locator('input').press('Enter');

        // Picking it filters the view; the picker comes back for more, and Escape ends it.
        const header = workbench.viewHeader('Offers').locator('.description');
        await header.filter({ hasText: 'H100 SXM5 · 2 of 10 offers' }).waitFor({ timeout: 60_000 });
        await widget.locator('.quick-input-title', { hasText: 'Filter Offers' }).waitFor({ timeout: 60_000 });
        await page.keyboard.press('Escape');
        await widget.waitFor({ state: 'hidden', timeout: 60_000 });
        assert.deepEqual(await workbench.treeItemLabels('Offers', { atLeast: 1 }), [
          'H100 SXM5, from $2.91/h · 2 offers',
        ]);
        await t.shot('filter-offers-h100');
      } finally {
        // Filters live in the window's global state, which the next test's window shares.
        await workbench.runCommand('Spheron: Clear Offer Filters');
      }
      await workbench
        .viewHeader('Offers')
        .locator('.description', { hasText: /^9 of 10 offers/ })
        .waitFor({ timeout: 60_000 });
    },
  },
];
