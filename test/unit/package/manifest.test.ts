import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { MENU_WHEN } from '../../../src/core/model/contextValue';
import { COMMAND_IDS } from '../../../src/vscode/commands/ids';

interface MenuEntry {
  command?: string;
  when?: string;
  group?: string;
}

const manifest = JSON.parse(readFileSync(path.join(__dirname, '../../../package.json'), 'utf8')) as {
  name: string;
  displayName: string;
  engines: { vscode: string };
  activationEvents: string[];
  extensionKind?: string[];
  contributes: {
    commands: { command: string; title: string; category?: string }[];
    menus?: Record<string, MenuEntry[]>;
    views: Record<string, { id: string }[]>;
    configuration: { properties: Record<string, { scope?: string }> };
  };
  devDependencies: Record<string, string>;
};

describe('package.json', () => {
  it('contributes exactly the commands the registry registers', () => {
    const contributed = manifest.contributes.commands.map((command) => command.command).sort();
    assert.deepEqual(contributed, [...COMMAND_IDS].sort());
  });

  it('uses the spheron prefix and a category for every command', () => {
    for (const command of manifest.contributes.commands) {
      assert.match(command.command, /^spheron\.[a-zA-Z]+(\.[a-zA-Z]+)*(:views)?$/);
      assert.equal(command.category, 'Spheron', command.command);
    }
  });

  it('only references known commands in menus, and every item menu names its view', () => {
    const known = new Set<string>(COMMAND_IDS);
    for (const [menu, entries] of Object.entries(manifest.contributes.menus ?? {})) {
      for (const entry of entries) {
        if (entry.command) {
          assert.ok(known.has(entry.command), `${menu} references unknown ${entry.command}`);
        }
        if (menu === 'view/item/context' || menu === 'view/title') {
          assert.match(
            entry.when ?? '',
            /\bview == spheron\.\w+/,
            `${menu} ${entry.command} must name its view`,
          );
        }
      }
    }
  });

  it('shows Add to kubeconfig only on reachable cluster instances with the Kubernetes add-on', () => {
    const entries = (manifest.contributes.menus?.['view/item/context'] ?? []).filter(
      (entry) => entry.command === 'spheron.instance.addToKubeconfig',
    );
    assert.deepEqual(
      entries.map((entry) => entry.when),
      [MENU_WHEN.instanceKubeconfig],
    );
  });

  it('offers one Refresh in the command palette; each view keeps its own title-bar button', () => {
    const hidden = new Set(
      (manifest.contributes.menus?.commandPalette ?? [])
        .filter((entry) => entry.when === 'never')
        .map((entry) => entry.command),
    );
    const inPalette = manifest.contributes.commands
      .filter((command) => /refresh/i.test(command.command) && !hidden.has(command.command))
      .map((command) => command.command);
    assert.deepEqual(inPalette, ['spheron.refresh']);
    const titleBar = (manifest.contributes.menus?.['view/title'] ?? []).map((entry) => entry.command);
    for (const view of ['offers', 'instances', 'volumes']) {
      assert.ok(titleBar.includes(`spheron.${view}.refresh`), view);
    }
  });

  it('offers Cancel Scheduled Termination in the palette only while something is scheduled', () => {
    const entry = manifest.contributes.menus?.commandPalette?.find(
      (candidate) => candidate.command === 'spheron.instance.cancelScheduledTermination',
    );
    assert.match(entry?.when ?? '', /\bspheron\.hasScheduledTermination\b/);
  });

  it('keeps the identity, engine and activation the design fixes', () => {
    assert.equal(manifest.name, 'spheron-vscode');
    assert.equal(manifest.displayName, 'Spheron GPU Cloud');
    const minimum = /^\^?(\d+)\.(\d+)\.\d+$/.exec(manifest.engines.vscode);
    assert.ok(minimum, manifest.engines.vscode);
    assert.ok(
      Number(minimum[1]) === 1 && Number(minimum[2]) <= 139,
      'engines.vscode must allow code-server 4.139',
    );
    assert.equal(manifest.devDependencies['@types/vscode'], manifest.engines.vscode.replace('^', ''));
    assert.ok(!manifest.activationEvents.includes('onStartupFinished'));
    assert.ok(!manifest.activationEvents.includes('*'));
  });

  it('scopes the API URL to the application so a workspace cannot redirect the key', () => {
    assert.equal(manifest.contributes.configuration.properties['spheron.apiBaseUrl']?.scope, 'application');
  });

  it("runs on the user's side in a Remote-SSH window, and in a browser VS Code where there is no other side", () => {
    // UI first: in a Remote-SSH window it stays local, so the key and ~/.ssh never go to the rented
    // machine. "workspace" second: code-server and other browser VS Codes have no local Node host,
    // and there the server is the user's own machine (with ["ui"] alone the extension is disabled).
    assert.deepEqual(manifest.extensionKind, ['ui', 'workspace']);
  });

  it('defines the three Spheron views in one activity-bar container', () => {
    assert.deepEqual(
      manifest.contributes.views.spheron?.map((view) => view.id),
      ['spheron.offers', 'spheron.instances', 'spheron.volumes'],
    );
  });
});
