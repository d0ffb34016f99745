import assert from 'node:assert/strict';
import type * as vscode from 'vscode';
import { spheronApi, waitFor } from './helpers';

// A key of its own, so the API key the other tests rely on (from the environment) stays in charge.
const TEST_SECRET = 'spheron.integration-test.secret';

describe('SecretStorage in the extension host', () => {
  let secrets: vscode.SecretStorage;

  before(async () => {
    secrets = (await spheronApi()).services.context.secrets;
  });

  afterEach(async () => {
    await secrets.delete(TEST_SECRET);
  });

  it('stores, reads back and deletes a secret through the extension context', async () => {
    const value = `value-${Date.now()}`;
    await secrets.store(TEST_SECRET, value);
    assert.equal(await secrets.get(TEST_SECRET), value);
    await secrets.delete(TEST_SECRET);
    assert.equal(await secrets.get(TEST_SECRET), undefined);
  });

  it('reports a change of the stored secret', async () => {
    const changed: string[] = [];
    const subscription = secrets.onDidChange((event) => changed.push(event.key));
    try {
      await secrets.store(TEST_SECRET, 'changed');
      await waitFor(() => changed.includes(TEST_SECRET), { message: 'onDidChange for the test secret' });
    } finally {
      subscription.dispose();
    }
  });
});
