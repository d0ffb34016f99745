// Switch Team as a user does it from the palette: every list the views show is the new team's
// (volumes included: the volume list has no team parameter, so the extension scopes it), the switch
// is confirmed, the views name the team, and the status bar shows that team's balance.
import assert from 'node:assert/strict';
import { waitUntil } from '../deployForm.mjs';

const SWITCH_TEAM = 'Spheron: Switch Team…';

async function switchTeam(t, teamName) {
  const { page, workbench } = t;
  await workbench.pickFromPalette(`>${SWITCH_TEAM}`, SWITCH_TEAM);
  const widget = page.locator('.quick-input-widget');
  await widget
    .locator('.quick-input-title', { hasText: 'Spheron: Switch Team' })
    .waitFor({ timeout: 60_000 });
  const input = widget.locator('input');
  await input.fill(teamName);
  await widget
    .locator('.quick-input-list .monaco-list-row.focused', { hasText: teamName })
    .waitFor({ timeout: 60_000 });
  await input.press('Enter');
  await widget.waitFor({ state: 'hidden', timeout: 60_000 });
}

export default [
  {
    name: 'Switch Team shows only the chosen team: its instances, volumes and balance, named in the views',
    async run(t) {
      await t.simulatorAdmin('reset', {});
      await t.open();
      const { page, workbench } = t;
      await workbench.openSpheron();
      await workbench.waitForTreeItem('Instances', 'pro6000-dev');
      await workbench.waitForTreeItem('Volumes', 'checkpoints');
      assert.match(await workbench.viewDescription('Volumes'), /^team research\b/);
      try {
        await switchTeam(t, 'staging');
        await workbench.waitForNotification('Now showing team staging');
        await waitUntil(
          async () => /^team staging\b/.test(await workbench.viewDescription('Instances')),
          'the Instances view to name team staging',
        );
        await waitUntil(
          async () => /^team staging\b/.test(await workbench.viewDescription('Volumes')),
          'the Volumes view to name team staging',
        );
        // research's volumes are not staging's: none is listed, and none bills in the status bar.
        await waitUntil(
          async () => (await workbench.treeItemLabels('Volumes')).length === 0,
          'the Volumes view to drop team research’s volumes',
        );
        assert.deepEqual(await workbench.treeItemLabels('Instances'), []);
        const balance = page
          .locator('.part.statusbar .statusbar-item', { hasText: /\$\d[\d,]*\.\d\d/ })
          .first();
        await waitUntil(async () => /\$12\.50/.test(await balance.innerText()), 'staging’s balance');
        assert.doesNotMatch(await balance.innerText(), /\/h/, 'nothing of research burns in staging');
        await t.shot('switched-to-staging');
      } finally {
        await switchTeam(t, 'research');
        await workbench.waitForTreeItem('Volumes', 'checkpoints');
      }
      assert.match(await workbench.viewDescription('Instances'), /^team research\b/);
    },
  },
];
