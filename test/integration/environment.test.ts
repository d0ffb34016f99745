import assert from 'node:assert/strict';
import { API_KEY_ENV_VAR, resolveApiKey, type SecretStore } from '../../src/core/account/apiKey';
import { simulatorApi, simulatorUrl } from './helpers';

const emptyStore: SecretStore = {
  get: () => Promise.resolve(undefined),
  store: () => Promise.resolve(),
  delete: () => Promise.resolve(),
};

describe('SPHERON_API_KEY in the extension host', () => {
  it('reaches the extension host from the environment code-server was started with', () => {
    assert.equal(process.env[API_KEY_ENV_VAR], 'sim-demo-key');
  });

  it('is the key used when SecretStorage holds none, and the simulator accepts it', async () => {
    const resolved = await resolveApiKey(emptyStore, process.env, simulatorUrl());
    assert.ok(resolved);
    assert.deepEqual(resolved, { key: 'sim-demo-key', source: 'environment' });
    assert.equal((await simulatorApi('balance', resolved.key)).status, 200);
    assert.equal((await simulatorApi('balance', 'not-a-key')).status, 401);
  });
});
