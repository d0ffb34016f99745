import * as assert from 'node:assert/strict';
import type {
  RequestLogSnapshot,
  SimulatorStateSnapshot,
  WireBalance,
  WireDeployment,
} from '../../simulator';
import { SEED_IDS } from '../../simulator';
import { call, createBody, TEAM_ID, useSimulator } from './helpers';

interface AdminResult<T> {
  readonly status: number;
  readonly body: T;
}

describe('simulator: admin API and request log', () => {
  const sim = useSimulator();

  async function admin<T = Record<string, unknown>>(
    method: string,
    path: string,
    body?: unknown,
  ): Promise<AdminResult<T>> {
    // No User-Agent or key needed: admin routes bypass the WAF, auth and rate limits.
    const res = await fetch(`${sim().url}${path}`, {
      method,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as T };
  }

  it('counts public requests by route pattern, with entries, excluding admin routes', async () => {
    await call(sim(), 'GET', '/api/deployments');
    await call(sim(), 'GET', `/api/deployments/${SEED_IDS.runningDeployment}`);
    await call(sim(), 'GET', `/api/deployments/${SEED_IDS.terminatedDeployment}`);
    await call(sim(), 'GET', '/api/gpu-offers?page=2&limit=3', { key: null });
    await call(sim(), 'GET', '/api/nowhere');
    await admin('GET', '/__sim/health');
    const log = await admin<RequestLogSnapshot>('GET', '/__sim/requests');
    assert.equal(log.body.total, 5);
    assert.deepEqual(log.body.byRoute, {
      'GET /api/deployments': 1,
      'GET /api/deployments/:id': 2,
      'GET /api/gpu-offers': 1,
      'GET /api/nowhere': 1,
    });
    assert.deepEqual(
      log.body.entries.map((e) => [e.method, e.path, e.status]),
      [
        ['GET', '/api/deployments', 200],
        ['GET', `/api/deployments/${SEED_IDS.runningDeployment}`, 200],
        ['GET', `/api/deployments/${SEED_IDS.terminatedDeployment}`, 200],
        ['GET', '/api/gpu-offers?page=2&limit=3', 200],
        ['GET', '/api/nowhere', 404],
      ],
    );
    assert.ok(log.body.entries.every((e) => typeof e.atMs === 'number'));
    assert.deepEqual(sim().requestLog().byRoute, log.body.byRoute);
    await admin('DELETE', '/__sim/requests');
    assert.equal(sim().requestLog().total, 0);
  });

  it('logs 401/403/429 and dropped requests (status 0)', async () => {
    await call(sim(), 'GET', '/api/balance', { key: null });
    sim().injectFault({ route: 'GET /api/teams', drop: true, times: 1 });
    await assert.rejects(call(sim(), 'GET', '/api/teams'));
    const log = sim().requestLog();
    assert.deepEqual(
      log.entries.map((e) => [e.route, e.status]),
      [
        ['GET /api/balance', 401],
        ['GET /api/teams', 0],
      ],
    );
  });

  it('moves the clock forward and reports it', async () => {
    const before = await admin<{ nowMs: number }>('GET', '/__sim/clock');
    const advanced = await admin<{ nowMs: number }>('POST', '/__sim/clock/advance', { seconds: 3600 });
    assert.ok(advanced.body.nowMs - before.body.nowMs >= 3600_000);
    assert.ok(advanced.body.nowMs - before.body.nowMs < 3660_000);
    assert.equal((await admin('POST', '/__sim/clock/advance', { seconds: -5 })).status, 400);
    assert.equal((await admin('POST', '/__sim/clock/advance', {})).status, 400);
  });

  it('reset puts the clock back on the wall clock, so the seeded instance is 80 minutes old again', async () => {
    await admin('POST', '/__sim/clock/advance', { seconds: 22 * 60 });
    assert.equal((await admin('POST', '/__sim/reset')).status, 200);
    const clock = await admin<{ nowMs: number }>('GET', '/__sim/clock');
    assert.ok(Math.abs(clock.body.nowMs - Date.now()) < 60_000, 'the clock is the wall clock again');
    const running = await call<WireDeployment>(
      sim(),
      'GET',
      `/api/deployments/${SEED_IDS.runningDeployment}`,
    );
    const startedAt = Date.parse(String(running.body.startedAt));
    const ageMinutes = (Date.now() - startedAt) / 60_000;
    assert.ok(ageMinutes >= 79 && ageMinutes < 82, `started ${ageMinutes} minutes ago`);
  });

  it('sets a deployment status and a balance', async () => {
    const set = await admin<WireDeployment>(
      'POST',
      `/__sim/deployments/${SEED_IDS.runningDeployment}/status`,
      {
        status: 'stopped',
      },
    );
    assert.equal(set.status, 200);
    assert.equal(set.body.status, 'stopped');
    assert.equal((await admin('POST', '/__sim/deployments/nope/status', { status: 'failed' })).status, 404);
    assert.equal(
      (await admin('POST', `/__sim/deployments/${SEED_IDS.runningDeployment}/status`, {})).status,
      400,
    );
    const balance = await admin<WireBalance>('POST', '/__sim/balance', { balance: 1.5 });
    assert.equal(balance.body.teams.find((t) => t.teamId === TEAM_ID)?.balance, 1.5);
    const other = await admin<WireBalance>('POST', '/__sim/balance', {
      teamId: SEED_IDS.secondTeam,
      balance: 99,
    });
    assert.equal(other.body.teams.find((t) => t.teamId === SEED_IDS.secondTeam)?.balance, 99);
    assert.equal((await admin('POST', '/__sim/balance', { balance: 'lots' })).status, 400);
  });

  it('changes options through /__sim/config and validates them', async () => {
    const ok = await admin<{
      config: { listShape: string; rateLimit: { general: number; creates: number } };
    }>('POST', '/__sim/config', { listShape: 'wrapped', rateLimit: { general: 3 } });
    assert.equal(ok.status, 200);
    assert.equal(ok.body.config.listShape, 'wrapped');
    assert.deepEqual(ok.body.config.rateLimit, { general: 3, creates: 10, windowSeconds: 900 });
    const list = await call<{ data: unknown[] }>(sim(), 'GET', '/api/deployments');
    assert.ok(Array.isArray(list.body.data));
    for (const bad of [
      { listShape: 'round' },
      { idField: 'uuid' },
      { nonsense: 1 },
      { deployDelaySeconds: -1 },
    ]) {
      assert.equal((await admin('POST', '/__sim/config', bad)).status, 400, JSON.stringify(bad));
    }
  });

  it('switches to a generated catalogue through config', async () => {
    sim().configure({ catalogue: { groups: 12, offersPerGroup: 3, seed: 7 } });
    const page = await call<{ total: number }>(sim(), 'GET', '/api/gpu-offers');
    assert.equal(page.body.total, 12);
  });

  it('returns stored state and resets to the seed (keeping options)', async () => {
    sim().configure({ idField: '_id' });
    const created = await call<WireDeployment>(sim(), 'POST', '/api/deployments', { body: createBody() });
    assert.equal(created.status, 201);
    sim().injectFault({ route: 'GET /api/teams', status: 500 });
    const state = await admin<SimulatorStateSnapshot>('GET', '/__sim/state');
    assert.equal(state.body.deployments.length, 3);
    assert.equal(state.body.deployments.find((d) => d._id === created.body._id)?.teamId, TEAM_ID);
    assert.equal(state.body.volumes.length, 2);
    assert.equal(state.body.sshKeys.length, 1);
    assert.equal(state.body.teams.length, 2);
    assert.equal((await admin('POST', '/__sim/reset')).status, 200);
    assert.equal(sim().state.deployments.length, 2);
    assert.equal(sim().config.idField, '_id', 'options survive reset');
    assert.equal((await call(sim(), 'GET', '/api/teams')).status, 200, 'faults cleared');
    assert.equal(sim().requestLog().total, 1);
  });

  it('answers health and 404 for unknown admin routes', async () => {
    assert.deepEqual((await admin('GET', '/__sim/health')).body, { ok: true });
    assert.equal((await admin('GET', '/__sim/nothing')).status, 404);
    const badJson = await fetch(`${sim().url}/__sim/config`, { method: 'POST', body: '{' });
    assert.equal(badJson.status, 400);
  });
});
