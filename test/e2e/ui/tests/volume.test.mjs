// The create-volume form as a user opens it (Spheron: Create Volume…), in a narrow editor column.
import assert from 'node:assert/strict';
import { waitUntil } from '../deployForm.mjs';
import { fitPageWidth, horizontalFit } from '../narrowColumn.mjs';

const STEP = 60_000;

export default [
  {
    name: 'volume form in a 320 px editor column: nothing clipped, the price shown',
    async run(t) {
      await t.simulatorAdmin('reset', {});
      const { workbench, page } = t;
      await page.setViewportSize({ width: 780, height: 900 });
      await t.open();
      await workbench.openSpheron();
      await workbench.runCommand('Spheron: Create Volume…');
      const form = await workbench.webview({ hasText: 'Create a volume' });
      await form.locator('#create').waitFor({ timeout: STEP });
      await waitUntil(
        async () =>
          /\$/.test(
            await form
              .locator('#price-per-hour')
              .innerText()
              .catch(() => ''),
          ),
        'the price of the default size',
      );

      const width = await fitPageWidth(page, form, 320);
      assert.ok(Math.abs(width - 320) <= 2, `the form's page is ${width}px wide`);
      const fit = await horizontalFit(form);
      await t.shot('volume-form-320px');
      assert.ok(fit.scrollWidth <= fit.clientWidth, `the form scrolls sideways: ${JSON.stringify(fit)}`);
      assert.deepEqual(fit.clipped, [], 'elements run past the right edge');
      assert.equal(await form.locator('#create').isVisible(), true);
    },
  },
];
