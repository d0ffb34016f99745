import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { parseSettings } from '../../src/core/settings/settings';
import { simulatorAdmin, simulatorUrl } from './helpers';

describe('settings in the extension host', () => {
  it('the simulator this run started is up', async () => {
    assert.deepEqual(await simulatorAdmin('health'), { ok: true });
  });

  it('spheron.apiBaseUrl holds the simulator URL from the user settings', () => {
    const config = vscode.workspace.getConfiguration('spheron');
    assert.equal(config.inspect<string>('apiBaseUrl')?.globalValue, simulatorUrl());
    assert.equal(parseSettings((key) => config.get(key)).apiBaseUrl, simulatorUrl());
  });
});
