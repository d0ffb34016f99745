import assert from 'node:assert/strict';
import path from 'node:path';
import * as vscode from 'vscode';
import { COMMAND_IDS } from '../../src/vscode/commands/ids';
import manifest from '../../package.json';
import { activateSpheron, outputChannelText, spheronExtension, waitFor } from './helpers';

describe('the extension in a real extension host', () => {
  before(async () => {
    await activateSpheron();
  });

  it('is loaded from this repository and activates', () => {
    const extension = spheronExtension();
    assert.equal(extension.isActive, true);
    // dist/test/integration/index.js lives three levels below the repository root.
    assert.equal(extension.extensionUri.fsPath, path.resolve(__dirname, '..', '..', '..'));
  });

  it('registers every command in COMMAND_IDS', async () => {
    const registered = new Set(await vscode.commands.getCommands(true));
    const missing = COMMAND_IDS.filter((id) => !registered.has(id));
    assert.deepEqual(missing, []);
  });

  it('contributes the Offers, Instances and Volumes views in the Spheron container', async () => {
    const views = manifest.contributes.views.spheron.map((view) => view.id);
    assert.deepEqual(views, ['spheron.offers', 'spheron.instances', 'spheron.volumes']);
    // VS Code generates `<viewId>.focus` for every registered view; running it opens the view.
    for (const view of views) {
      await vscode.commands.executeCommand(`${view}.focus`);
    }
  });

  it('Show Logs opens the Spheron channel with the activation line', async () => {
    await vscode.commands.executeCommand('spheron.showLogs');
    const text = await waitFor(() => outputChannelText('Spheron'), {
      timeoutMs: 15_000,
      message: 'the Spheron output channel document',
    });
    assert.match(text, /Spheron \S+ activated/);
  });
});
