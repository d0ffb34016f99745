import * as assert from 'node:assert/strict';
import type { WireDeployment } from '../../simulator';
import { SEED_IDS } from '../../simulator';
import { call, createBody, useSimulator, waitFor } from './helpers';

describe('simulator: faults', () => {
  const sim = useSimulator({ seedDeployments: false });

  const deploymentCount = (): number => sim().state.deployments.length;

  it('answers an injected status with a default {error, message} body, `times` times', async () => {
    sim().injectFault({ route: 'GET /api/deployments', status: 502, times: 2 });
    for (let i = 0; i < 2; i++) {
      const res = await call(sim(), 'GET', '/api/deployments');
      assert.equal(res.status, 502);
      assert.equal(res.body.error, 'Bad Gateway');
      assert.equal(typeof res.body.message, 'string');
    }
    assert.equal((await call(sim(), 'GET', '/api/deployments')).status, 200);
  });

  it('answers a custom body and headers, and only on the matching route pattern', async () => {
    sim().injectFault({
      route: 'GET /api/deployments/:id',
      status: 503,
      body: { error: 'Service Unavailable', message: 'maintenance window' },
      headers: { 'Retry-After': '7' },
    });
    const hit = await call(sim(), 'GET', '/api/deployments/abc');
    assert.equal(hit.status, 503);
    assert.equal(hit.body.message, 'maintenance window');
    assert.equal(hit.headers.get('retry-after'), '7');
    assert.equal((await call(sim(), 'GET', '/api/deployments')).status, 200, 'other patterns unaffected');
    sim().clearFaults();
    assert.equal((await call(sim(), 'GET', '/api/deployments/abc')).status, 404);
  });

  it('answers 429 faults with RATE_LIMIT_EXCEEDED and Retry-After by default', async () => {
    sim().injectFault({ route: 'POST /api/deployments', status: 429, times: 1 });
    const res = await call(sim(), 'POST', '/api/deployments', { body: createBody() });
    assert.equal(res.status, 429);
    assert.equal(res.body.code, 'RATE_LIMIT_EXCEEDED');
    assert.equal(res.headers.get('retry-after'), '1');
    assert.equal(deploymentCount(), 0, 'a plain fault does not run the handler');
  });

  it('delays the answer by latencyMs', async () => {
    sim().injectFault({ route: 'GET /api/providers', latencyMs: 150, times: 1 });
    const started = Date.now();
    const res = await call(sim(), 'GET', '/api/providers');
    assert.equal(res.status, 200, 'latency alone keeps the real answer');
    assert.ok(Date.now() - started >= 145, `answered after ${Date.now() - started} ms`);
  });

  it('drops the connection without an answer', async () => {
    sim().injectFault({ route: 'GET /api/balance', drop: true, times: 1 });
    await assert.rejects(call(sim(), 'GET', '/api/balance'), TypeError);
    assert.equal((await call(sim(), 'GET', '/api/balance')).status, 200);
  });

  it('answers 200 with truncated JSON for badJson', async () => {
    sim().injectFault({ route: 'GET /api/gpu-offers', badJson: true, times: 1 });
    const res = await call(sim(), 'GET', '/api/gpu-offers');
    assert.equal(res.status, 200);
    assert.ok(res.text.length > 0);
    assert.throws(() => JSON.parse(res.text) as unknown, SyntaxError);
  });

  it('answers 200 with a plausible wrong shape for wrongShape', async () => {
    sim().injectFault({ route: 'GET /api/deployments', wrongShape: true, times: 1 });
    const res = await call<unknown>(sim(), 'GET', '/api/deployments');
    assert.equal(res.status, 200);
    assert.deepEqual(res.body, { data: 'nope' });
  });

  it('matches every public route with "*"', async () => {
    sim().injectFault({ route: '*', status: 500, times: 2 });
    assert.equal((await call(sim(), 'GET', '/api/providers')).status, 500);
    assert.equal((await call(sim(), 'GET', '/api/teams')).status, 500);
    assert.equal((await call(sim(), 'GET', '/api/teams')).status, 200);
  });

  describe('afterHandler: the server acted, the client saw a failure', () => {
    it('a create that answers 504 still creates the deployment', async () => {
      sim().injectFault({ route: 'POST /api/deployments', status: 504, afterHandler: true, times: 1 });
      const res = await call(sim(), 'POST', '/api/deployments', { body: createBody() });
      assert.equal(res.status, 504);
      assert.equal(deploymentCount(), 1);
      const list = await call<WireDeployment[]>(sim(), 'GET', '/api/deployments');
      assert.equal(list.body.length, 1);
      assert.equal(list.body[0].status, 'deploying');
    });

    it('a create whose connection drops still creates the deployment', async () => {
      sim().injectFault({ route: 'POST /api/deployments', drop: true, afterHandler: true, times: 1 });
      await assert.rejects(call(sim(), 'POST', '/api/deployments', { body: createBody() }), TypeError);
      assert.equal(deploymentCount(), 1);
    });

    it('a create that times out on the client still creates the deployment', async () => {
      sim().injectFault({ route: 'POST /api/deployments', latencyMs: 2000, afterHandler: true, times: 1 });
      await assert.rejects(
        call(sim(), 'POST', '/api/deployments', { body: createBody(), signal: AbortSignal.timeout(100) }),
        (error: Error) => error.name === 'TimeoutError' || error.name === 'AbortError',
      );
      await waitFor(() => deploymentCount() === 1, 2000, 'the deployment to exist');
    });

    it('a create committed late: dropped at once, in the list only once the clock reaches the commit', async () => {
      sim().injectFault({ route: 'POST /api/deployments', drop: true, commitDelaySeconds: 4, times: 1 });
      const sentAtMs = sim().nowMs();
      await assert.rejects(call(sim(), 'POST', '/api/deployments', { body: createBody() }), TypeError);
      assert.equal(deploymentCount(), 0);
      sim().advanceClock(3);
      assert.equal((await call<WireDeployment[]>(sim(), 'GET', '/api/deployments')).body.length, 0);
      sim().advanceClock(1);
      const list = await call<WireDeployment[]>(sim(), 'GET', '/api/deployments');
      assert.equal(list.body.length, 1);
      assert.ok(Date.parse(list.body[0].createdAt) >= sentAtMs + 4_000, 'created at the commit');
    });

    it('refuses commitDelaySeconds without an answer to give, or with afterHandler', () => {
      assert.throws(() => sim().injectFault({ route: 'POST /api/deployments', commitDelaySeconds: 4 }));
      assert.throws(() =>
        sim().injectFault({
          route: 'POST /api/deployments',
          status: 504,
          afterHandler: true,
          commitDelaySeconds: 4,
        }),
      );
      assert.throws(() =>
        sim().injectFault({ route: 'POST /api/deployments', drop: true, commitDelaySeconds: -1 }),
      );
    });

    it('a terminate answered with bad JSON still terminates', async () => {
      sim().configure({ minimumRuntimeMinutes: 0 });
      const created = await call<WireDeployment>(sim(), 'POST', '/api/deployments', { body: createBody() });
      sim().injectFault({ route: 'DELETE /api/deployments/:id', badJson: true, afterHandler: true });
      const res = await call(sim(), 'DELETE', `/api/deployments/${created.body.id}`);
      assert.equal(res.status, 200);
      assert.ok(res.text.startsWith('{"message":"Instance destruction initiated"'));
      assert.throws(() => JSON.parse(res.text) as unknown, SyntaxError);
      assert.equal(sim().state.deployments[0].status, 'terminated');
    });

    it('without afterHandler, a failing create leaves no deployment', async () => {
      sim().injectFault({ route: 'POST /api/deployments', status: 500, times: 1 });
      assert.equal((await call(sim(), 'POST', '/api/deployments', { body: createBody() })).status, 500);
      assert.equal(deploymentCount(), 0);
    });
  });

  it('validates faults given through the admin API', async () => {
    const post = (body: unknown): Promise<Response> =>
      fetch(`${sim().url}/__sim/faults`, { method: 'POST', body: JSON.stringify(body) });
    assert.equal((await post({ route: 'GET /api/nothing', status: 500 })).status, 400);
    assert.equal((await post({ route: 'GET /api/deployments', status: 'x' })).status, 400);
    assert.equal((await post({ route: 'GET /api/deployments', drop: true, status: 500 })).status, 400);
    assert.equal((await post({ route: 'GET /api/deployments', nonsense: true })).status, 400);
    assert.equal((await post({ route: `GET /api/deployments/:id`, status: 418, times: 1 })).status, 200);
    assert.equal((await call(sim(), 'GET', `/api/deployments/${SEED_IDS.runningDeployment}`)).status, 418);
    const cleared = await fetch(`${sim().url}/__sim/faults`, { method: 'DELETE' });
    assert.equal(cleared.status, 200);
  });
});
