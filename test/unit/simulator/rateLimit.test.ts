import * as assert from 'node:assert/strict';
import { call, createBody, useSimulator } from './helpers';

const T0 = Date.parse('2026-11-20T12:00:00.000Z');

describe('simulator: rate limits', () => {
  const sim = useSimulator({
    wallClock: () => T0,
    apiKeys: ['key-a', 'key-b'],
    rateLimit: { general: 5, creates: 2, windowSeconds: 60 },
  });

  it('answers 429 with Retry-After and retryAfter once the general bucket is spent, until the window passes', async () => {
    for (let i = 0; i < 5; i++) {
      assert.equal((await call(sim(), 'GET', '/api/balance')).status, 200);
    }
    sim().advanceClock(15);
    const limited = await call(sim(), 'GET', '/api/balance');
    assert.equal(limited.status, 429);
    assert.equal(limited.headers.get('retry-after'), '45');
    assert.equal(limited.body.error, 'Too many requests');
    assert.equal(limited.body.code, 'RATE_LIMIT_EXCEEDED');
    assert.equal(limited.body.retryAfter, 45);
    sim().advanceClock(44);
    assert.equal((await call(sim(), 'GET', '/api/teams')).status, 429);
    sim().advanceClock(1);
    assert.equal((await call(sim(), 'GET', '/api/teams')).status, 200);
  });

  it('counts general requests per IP, shared by every key and by requests without one', async () => {
    await call(sim(), 'GET', '/api/balance', { key: 'key-a' });
    await call(sim(), 'GET', '/api/balance', { key: 'key-b' });
    await call(sim(), 'GET', '/api/providers', { key: null });
    await call(sim(), 'GET', '/api/balance', { key: 'key-a' });
    assert.equal((await call(sim(), 'GET', '/api/balance', { key: 'key-b' })).status, 200, 'the 5th');
    assert.equal((await call(sim(), 'GET', '/api/balance', { key: 'key-a' })).status, 429);
    assert.equal((await call(sim(), 'GET', '/api/balance', { key: 'key-b' })).status, 429);
    assert.equal((await call(sim(), 'GET', '/api/gpu-offers', { key: null })).status, 429);
  });

  it('counts creates per key', async () => {
    sim().configure({ rateLimit: { general: 100 } });
    assert.equal(
      (await call(sim(), 'POST', '/api/deployments', { body: createBody(), key: 'key-a' })).status,
      201,
    );
    assert.equal(
      (await call(sim(), 'POST', '/api/deployments', { body: createBody(), key: 'key-a' })).status,
      201,
    );
    assert.equal(
      (await call(sim(), 'POST', '/api/deployments', { body: createBody(), key: 'key-a' })).status,
      429,
    );
    assert.notEqual(
      (await call(sim(), 'POST', '/api/deployments', { body: createBody(), key: 'key-b' })).status,
      429,
      "another key's creates have their own bucket",
    );
  });

  it('limits creates separately, failed creates included', async () => {
    sim().configure({ rateLimit: { general: 100 } });
    const first = await call(sim(), 'POST', '/api/deployments', { body: createBody() });
    assert.equal(first.status, 201);
    const invalid = await call(sim(), 'POST', '/api/deployments', { body: { teamId: 'x' } });
    assert.equal(invalid.status, 403);
    const third = await call(sim(), 'POST', '/api/deployments', { body: createBody() });
    assert.equal(third.status, 429);
    assert.equal(third.headers.get('retry-after'), '60');
    assert.equal(sim().state.deployments.filter((d) => d.status === 'deploying').length, 1);
    assert.equal((await call(sim(), 'GET', '/api/deployments')).status, 200, 'other routes still pass');
  });

  it('never counts or limits admin routes', async () => {
    for (let i = 0; i < 20; i++) {
      const res = await fetch(`${sim().url}/__sim/health`);
      assert.equal(res.status, 200);
    }
    assert.equal((await call(sim(), 'GET', '/api/balance')).status, 200);
  });

  it('disables a bucket set to 0', async () => {
    sim().configure({ rateLimit: { general: 0, creates: 0 } });
    for (let i = 0; i < 12; i++) {
      assert.equal((await call(sim(), 'GET', '/api/teams')).status, 200);
    }
  });

  it('starts from empty buckets after reset', async () => {
    for (let i = 0; i < 6; i++) {
      await call(sim(), 'GET', '/api/teams');
    }
    assert.equal((await call(sim(), 'GET', '/api/teams')).status, 429);
    sim().reset();
    assert.equal((await call(sim(), 'GET', '/api/teams')).status, 200);
  });
});
