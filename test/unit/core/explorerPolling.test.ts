import * as assert from 'node:assert/strict';
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
});
