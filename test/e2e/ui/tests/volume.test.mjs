// The create-volume form as a user opens it (Spheron: Create Volume…), in a narrow editor column.
import assert from 'node:assert/strict';
import { chooseOption, waitUntil } from '../deployForm.mjs';
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

      // Voltage Park's 100 GB: a small rate keeps its digits, as the rate per GB does.
      const perHour = await form.locator('#price-per-hour').innerText();
      assert.doesNotMatch(perHour, /^\$0\.0\d\/h$/, `a rounded small rate: ${perHour}`);
      // Another provider keeps a size it allows, and names each region with its id once.
      await form.locator('#size input').fill('500');
      await chooseOption(form, 'provider', 'DataCrunch');
      await chooseOption(form, 'region', 'FIN-02');
      assert.equal(await form.locator('#size input').inputValue(), '500');
      const regions = await form.locator('#region [role="option"]').allTextContents();
      assert.ok(
        regions.some((text) => text.includes('Finland (FIN-02)')),
        regions.join(' | '),
      );
      assert.ok(!regions.some((text) => /\(FIN-0\d\) \(FIN-0\d\)/.test(text)), regions.join(' | '));
    },
  },
];
