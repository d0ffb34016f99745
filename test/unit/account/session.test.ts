import * as assert from 'node:assert/strict';
import {
  API_KEY_SECRET,
  apiKeySecret,
  environmentKeyAllowed,
  resolveApiKey,
  type SecretStore,
} from '../../../src/core/account/apiKey';
import { DEFAULT_API_BASE_URL } from '../../../src/core/settings/settings';
import { SpheronClient } from '../../../src/core/api/client';
import { AuthError, NetworkError } from '../../../src/core/api/errors';
import { ExplorerData } from '../../../src/core/explorer/explorerData';
import { InvalidApiKeyError, Session } from '../../../src/core/account/session';
import { MemoryKeyValueStore } from '../../../src/core/util/keyValueStore';
import { startSimulator, type Simulator } from '../../simulator';

class MemorySecretStore implements SecretStore {
  readonly values = new Map<string, string>();
  get(key: string) {
    return Promise.resolve(this.values.get(key));
  }
  store(key: string, value: string) {
    this.values.set(key, value);
    return Promise.resolve();
  }
  delete(key: string) {
    this.values.delete(key);
    return Promise.resolve();
  }
}

describe('Session against the simulator', () => {
  let sim: Simulator;
  let baseUrl: string;
  before(async () => {
    sim = await startSimulator({ port: 0 });
    baseUrl = sim.url;
  });
  after(async () => {
    await sim.close();
  });
  beforeEach(() => {
    baseUrl = sim.url;
    sim.reset();
  });

  function makeSession(env: Record<string, string | undefined> = {}) {
    const secrets = new MemorySecretStore();
    const state = new MemoryKeyValueStore();
    const learnt: string[] = [];
    const session = new Session({
      secrets,
      env,
      state,
      baseUrl: () => baseUrl,
      learnSecret: (key) => learnt.push(key),
      createApi: (getApiKey) =>
        new SpheronClient({
          baseUrl,
          getApiKey,
          userAgent: 'spheron-vscode/test',
          retry: { maxAttempts: 1 },
        }),
    });
    return { session, secrets, state, learnt };
  }

  it('stores a key only after /api/balance accepted it', async () => {
    const { session, secrets } = makeSession();
    const balance = await session.signIn(`  ${sim.apiKey}\n`);
    assert.equal(secrets.values.get(apiKeySecret(sim.url)), sim.apiKey, 'trimmed key stored for this API');
    assert.equal(secrets.values.get(API_KEY_SECRET), undefined);
    assert.ok(balance.teams.length > 0);
    assert.deepEqual(await session.state(), { signedIn: true, source: 'secretStorage' });
  });

  it('refuses a wrong key with a clear message and stores nothing', async () => {
    const { session, secrets } = makeSession();
    await assert.rejects(session.signIn('not-a-real-key'), (error: unknown) => {
      assert.ok(error instanceof InvalidApiKeyError);
      assert.match(error.message, /rejected this API key/);
      assert.doesNotMatch(error.message, /not-a-real-key/);
      return true;
    });
    assert.equal(secrets.values.size, 0);
    assert.deepEqual(await session.state(), { signedIn: false });
  });

  it('refuses empty keys and keys with whitespace inside without calling the API', async () => {
    const { session } = makeSession();
    sim.resetRequestLog();
    await assert.rejects(session.signIn('   '), InvalidApiKeyError);
    await assert.rejects(session.signIn('abc def'), InvalidApiKeyError);
    assert.equal(sim.requestLog().total, 0);
  });

  it('propagates a network failure as such, not as a wrong key', async () => {
    const { session, secrets } = makeSession();
    baseUrl = 'http://127.0.0.1:9';
    await assert.rejects(session.signIn(sim.apiKey), NetworkError);
    assert.equal(secrets.values.size, 0);
  });

  it('falls back to SPHERON_API_KEY when SecretStorage is empty, and prefers SecretStorage', async () => {
    const { session, secrets } = makeSession({ SPHERON_API_KEY: sim.apiKey });
    assert.deepEqual(await session.state(), { signedIn: true, source: 'environment' });
    const balance = await session.api.getBalance();
    assert.ok(balance.teams.length > 0, 'the environment key reaches the API');
    secrets.values.set(apiKeySecret(sim.url), 'stale-key');
    await assert.rejects(session.api.getBalance(), AuthError, 'SecretStorage wins over the environment');
  });

  it('signing out forgets the key and the chosen team', async () => {
    const { session, secrets } = makeSession();
    await session.signIn(sim.apiKey);
    await session.selectTeam('66f1c0ffee00000000000a02');
    await session.signOut();
    assert.equal(secrets.values.size, 0);
    assert.equal(session.selectedTeamId(), undefined);
    await assert.rejects(session.api.getBalance(), (error: unknown) => {
      assert.ok(error instanceof AuthError);
      assert.equal(error.reason, 'missing');
      return true;
    });
  });

  it("never sends one API's key to another: keys are stored per API URL", async () => {
    const other = await startSimulator({ port: 0 });
    try {
      const { session, secrets } = makeSession();
      await session.signIn(sim.apiKey);
      baseUrl = other.url;
      session.rebuildClient();
      other.resetRequestLog();
      assert.deepEqual(await session.state(), { signedIn: false });
      await assert.rejects(session.api.getBalance(), (error: unknown) => {
        assert.ok(error instanceof AuthError);
        assert.equal(error.reason, 'missing');
        return true;
      });
      assert.equal(other.requestLog().total, 0, 'nothing was sent to the other API');
      baseUrl = sim.url;
      session.rebuildClient();
      assert.ok((await session.api.getBalance()).teams.length > 0, 'the key still works for its own API');
      assert.deepEqual([...secrets.values.keys()], [apiKeySecret(sim.url)]);
    } finally {
      await other.close();
    }
  });

  it('tells the log scrubber every key it resolves or signs in with', async () => {
    const { session, learnt } = makeSession({ SPHERON_API_KEY: ' env-key ' });
    await session.state();
    assert.deepEqual(learnt, ['env-key']);
    await session.signIn(sim.apiKey);
    assert.ok(learnt.includes(sim.apiKey));
  });

  it('remembers the chosen team and falls back to the API current team', async () => {
    const { session } = makeSession();
    const balance = await session.signIn(sim.apiKey);
    const apiCurrent = balance.teams.find((team) => team.isCurrentTeam);
    assert.ok(apiCurrent);
    assert.equal(session.currentTeam(balance)?.teamId, apiCurrent.teamId);
    const other = balance.teams.find((team) => !team.isCurrentTeam);
    assert.ok(other, 'the simulator seeds a second team');
    await session.selectTeam(other.teamId);
    assert.equal(session.currentTeam(balance)?.teamId, other.teamId);
    await session.selectTeam('no-such-team');
    assert.equal(session.currentTeam(balance)?.teamId, apiCurrent.teamId, 'a vanished team falls back');
  });

  it('rebuilds the client when the API URL changes, and holders of api follow', async () => {
    const { session } = makeSession({ SPHERON_API_KEY: sim.apiKey });
    const api = session.api;
    baseUrl = 'http://127.0.0.1:9';
    session.rebuildClient();
    await assert.rejects(api.getBalance(), NetworkError);
    baseUrl = sim.url;
    session.rebuildClient();
    assert.ok((await api.getBalance()).teams.length > 0);
  });

  it('scopes deployments to the chosen team through ExplorerData', async () => {
    const { session } = makeSession({ SPHERON_API_KEY: sim.apiKey });
    const data = new ExplorerData({
      api: session.api,
      currentTeam: (balance) => session.currentTeam(balance),
      now: () => 0,
    });
    await data.deployments.refresh();
    assert.equal(data.deployments.state.error, undefined);
    const seeded = data.deployments.state.value ?? [];
    assert.ok(seeded.length > 0, 'the default team has the seeded deployments');
    const requests = sim.requestLog().entries.filter((entry) => entry.path.startsWith('/api/deployments'));
    assert.ok(
      requests.every((entry) => entry.path.includes('teamId=')),
      'teamId is always sent',
    );

    const other = data.balance.state.value?.teams.find((team) => !team.isCurrentTeam);
    assert.ok(other);
    await session.selectTeam(other.teamId);
    data.resetTeamData();
    await data.deployments.refresh();
    assert.deepEqual(data.deployments.state.value, [], 'the second team has no deployments');
    data.dispose();
  });

  it("scopes volumes to the chosen team: the API's volume list has no team parameter", async () => {
    const { session } = makeSession({ SPHERON_API_KEY: sim.apiKey });
    const data = new ExplorerData({
      api: session.api,
      currentTeam: (balance) => session.currentTeam(balance),
      now: () => 0,
    });
    await data.volumes.refresh();
    const names = (data.volumes.state.value ?? []).map((volume) => volume.name).sort();
    const currentTeamId = data.balance.state.value?.teams.find((team) => team.isCurrentTeam)?.teamId;
    // The seeded volumes, plus the deleting/deleted ones the real-world profile also lists.
    const teamVolumes = sim.state.volumes.filter((volume) => volume.teamId === currentTeamId);
    assert.ok(teamVolumes.some((volume) => volume.name === 'checkpoints'));
    assert.deepEqual(
      names,
      teamVolumes.map((volume) => volume.name).sort(),
      "the account's current team has its volumes",
    );

    // The walk: after switching to staging, research's unattached volumes stayed listed.
    const other = data.balance.state.value?.teams.find((team) => !team.isCurrentTeam);
    assert.ok(other);
    await session.selectTeam(other.teamId);
    data.resetTeamData();
    await data.volumes.refresh();
    assert.equal(data.volumes.state.error, undefined);
    assert.deepEqual(data.volumes.state.value, [], "staging lists none of research's volumes");
    data.dispose();
  });

  it('does not list deployments of every team when the balance (and so the team) cannot load', async () => {
    const { session } = makeSession({ SPHERON_API_KEY: sim.apiKey });
    const data = new ExplorerData({
      api: session.api,
      currentTeam: (balance) => session.currentTeam(balance),
      now: () => 0,
    });
    sim.injectFault({ route: 'GET /api/balance', status: 500 });
    sim.resetRequestLog();
    await data.deployments.refresh();
    assert.equal(data.deployments.state.value, undefined);
    assert.match(String((data.deployments.state.error as Error | undefined)?.message), /HTTP 500/);
    const lists = sim.requestLog().entries.filter((entry) => entry.path.startsWith('/api/deployments'));
    assert.deepEqual(lists, [], 'no unscoped deployment list');

    sim.clearFaults();
    await data.deployments.refresh();
    assert.ok((data.deployments.state.value ?? []).length > 0);
    data.dispose();
  });
});

describe('API key storage (no server)', () => {
  it("moves an earlier version's key to the default API, and only there", async () => {
    const secrets = new MemorySecretStore();
    secrets.values.set(API_KEY_SECRET, 'sk-old');
    assert.equal(await resolveApiKey(secrets, {}, 'https://staging.example.com'), undefined);
    assert.equal(secrets.values.get(API_KEY_SECRET), 'sk-old', 'left alone for another API');
    assert.deepEqual(await resolveApiKey(secrets, {}, `${DEFAULT_API_BASE_URL}/`), {
      key: 'sk-old',
      source: 'secretStorage',
    });
    assert.deepEqual([...secrets.values.entries()], [[apiKeySecret(DEFAULT_API_BASE_URL), 'sk-old']]);
  });

  it('sends SPHERON_API_KEY only to the default API or one on this machine', async () => {
    const env = { SPHERON_API_KEY: 'sk-env' };
    const empty = new MemorySecretStore();
    assert.ok(environmentKeyAllowed(DEFAULT_API_BASE_URL));
    assert.ok(environmentKeyAllowed('http://127.0.0.1:8787'));
    assert.ok(environmentKeyAllowed('http://localhost:8787/'));
    assert.ok(!environmentKeyAllowed('https://api.example.com'));
    assert.equal(await resolveApiKey(empty, env, 'https://api.example.com'), undefined);
    assert.equal((await resolveApiKey(empty, env, 'http://[::1]:8787'))?.key, 'sk-env');
  });

  it('names one entry per URL, whatever the trailing slash or case of the host', () => {
    assert.equal(apiKeySecret('https://App.Spheron.ai/'), apiKeySecret('https://app.spheron.ai'));
    assert.notEqual(apiKeySecret('https://app.spheron.ai'), apiKeySecret('https://staging.spheron.ai'));
  });
});
