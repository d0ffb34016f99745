// Checks of the UI harness itself, on what VS Code ships, so the helpers are known to work before the
// extension's own webviews use them.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';

export default [
  {
    name: 'the webview helper reads the content of a Markdown preview (nested iframes)',
    async run(t) {
      writeFileSync(
        path.join(t.workspace, 'PREVIEW.md'),
        '# Webview helper check\n\nSeen through two iframes.\n',
      );
      await t.open();
      await t.workbench.openFile('PREVIEW.md');
      await t.workbench.runCommand('Markdown: Open Preview');
      const preview = await t.workbench.webview({ hasText: 'Webview helper check' });
      assert.equal(await preview.locator('h1').first().innerText(), 'Webview helper check');
      await t.shot('markdown-preview');
    },
  },
];
