// Issue 12's budget: a 10-minute cluster deploy with the views visible and the watcher on stays
// well under Spheron's 100 requests / 15 min / IP, so a terminate at minute 15 is not rate limited.
import * as assert from 'node:assert/strict';
import { NotFoundError } from '../../../src/core/api/errors';
import { deploymentFromList, WATCH_LIST_MAX_AGE_MS } from '../../../src/core/deploy/watchDeployment';
import { Resource } from '../../../src/core/util/resource';
import { SEED_IDS, startSimulator, type Simulator } from '../../simulator';
import { CLUSTER_DEPLOY_SIM_OPTIONS, measureClusterDeploy } from '../../support/clusterDeploy';
import { makeClient } from './simHarness';

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

describe('the deployment watch served by the Instances list (simulator)', () => {
  let sim: Simulator;

  before(async () => {
    sim = await startSimulator({ port: 0 });
  });
  after(async () => {
    await sim.close();
  });

  it('sends nothing while the list is fresh, lists when it is old, and asks by id only for what the list lacks', async () => {
    let now = Date.now();
    const client = makeClient(sim);
    const list = new Resource(
      (signal) => client.listDeployments({ teamId: SEED_IDS.team }, { signal }),
      () => now,
    );
    const read = deploymentFromList({
      state: () => list.state,
      refresh: () => list.refresh(),
      getDeployment: (id, options) => client.getDeployment(id, options),
      now: () => now,
      maxAgeMs: WATCH_LIST_MAX_AGE_MS,
    });
    try {
      sim.resetRequestLog();
      assert.equal((await read(SEED_IDS.runningDeployment)).status, 'running');
      assert.equal((await read(SEED_IDS.runningDeployment)).status, 'running');
      assert.deepEqual(sim.requestLog().byRoute, { 'GET /api/deployments': 1 });
      now += WATCH_LIST_MAX_AGE_MS;
      await read(SEED_IDS.runningDeployment);
      assert.equal(sim.requestLog().byRoute['GET /api/deployments'], 2);
      await assert.rejects(read('66f1c0ffee0000000000ffff'), NotFoundError);
      assert.equal(sim.requestLog().byRoute['GET /api/deployments/:id'], 1);
    } finally {
      list.dispose();
      await client.dispose();
    }
  });
});
