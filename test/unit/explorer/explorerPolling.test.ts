import * as assert from 'node:assert/strict';
import { SpheronClient } from '../../../src/core/api/client';
import { ExplorerData } from '../../../src/core/explorer/explorerData';
import { ExplorerPolling } from '../../../src/core/explorer/explorerPolling';
import { startSimulator, type Simulator } from '../../simulator';
import { measureIdlePolling } from '../../support/idlePolling';

describe('ExplorerPolling request budget (simulated 15 minutes against the simulator)', () => {
  let sim: Simulator;
  before(async () => {
    sim = await startSimulator({ port: 0 });
  });
  after(async () => {
    await sim.close();
  });

  it('makes no requests while every Spheron view is hidden', async () => {
    const result = await measureIdlePolling(sim, { offers: false, anyView: false });
    assert.equal(result.requests, 0, JSON.stringify(result.byRoute));
  });

  it('stays under a third of the 100-requests-per-15-minutes limit with the views visible', async () => {
    const result = await measureIdlePolling(sim, { offers: true, anyView: true });
    assert.ok(result.requests > 0, 'visible views do poll');
    assert.ok(result.requests <= 30, `${result.requests} requests: ${JSON.stringify(result.byRoute)}`);
    assert.ok((result.byRoute['GET /api/deployments'] ?? 0) >= 10, 'instances poll about once a minute');
  });

  it('reloads only the account data (not the catalogue) after a new key or team, views hidden or not', async () => {
    const api = new SpheronClient({
      baseUrl: sim.url,
      getApiKey: () => Promise.resolve(sim.apiKey),
      userAgent: 'spheron-vscode/test',
    });
    const data = new ExplorerData({ api, currentTeam: (balance) => balance.teams[0], now: Date.now });
    const polling = new ExplorerPolling({
      data,
      signedIn: () => true,
      now: Date.now,
      scheduledTerminations: () => new Map(),
    });
    try {
      sim.resetRequestLog();
      await polling.refreshAccountViews();
      assert.ok(data.deployments.state.value && data.volumes.state.value && data.balance.state.value);
      assert.deepEqual(sim.requestLog().byRoute, {
        'GET /api/balance': 1,
        'GET /api/deployments': 1,
        'GET /api/volumes': 1,
      });
    } finally {
      polling.dispose();
      data.dispose();
      await api.dispose();
    }
  });
});
