// Issue 12's budget: a 10-minute cluster deploy with the views visible and the watcher on stays
// well under Spheron's 100 requests / 15 min / IP, so a terminate at minute 15 is not rate limited.
import * as assert from 'node:assert/strict';
import { startSimulator, type Simulator } from '../../simulator';
import { CLUSTER_DEPLOY_SIM_OPTIONS, measureClusterDeploy } from '../../support/clusterDeploy';

describe('request budget during a cluster deploy (simulator, simulated time)', function () {
  this.timeout(60_000);
  let sim: Simulator;

  before(async () => {
    sim = await startSimulator({ port: 0, ...CLUSTER_DEPLOY_SIM_OPTIONS });
  });
  after(async () => {
    await sim.close();
  });

  it('makes at most 80 requests in 15 minutes, none refused, and the terminate at minute 15 gets through', async () => {
    const result = await measureClusterDeploy(sim);
    assert.ok(result.requests <= 80, `${result.requests} requests: ${JSON.stringify(result.byRoute)}`);
    assert.equal(result.rateLimited, 0);
    assert.equal(result.watch, 'running');
    assert.equal(result.byRoute['GET /api/deployments/:id'] ?? 0, 0, 'the watch is served by the list');
    assert.equal(result.byRoute['POST /api/deployments'], 1);
    assert.notEqual(result.terminate, 'rate-limited');
  });
});
