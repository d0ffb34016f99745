// Creates are not idempotent: a user once got three VMs from a retried create. These tests pin
// down which requests the client repeats.
import * as assert from 'node:assert/strict';
import { NetworkError, RateLimitError, ServerError, TimeoutError } from '../../../src/core/api/errors';
import { RequestBudget } from '../../../src/core/api/requestBudget';
import type { Offer } from '../../../src/core/domain/types';
import { MemoryKeyValueStore } from '../../../src/core/util/keyValueStore';
import {
  countRequests,
  createRequestFor,
  currentTeamId,
  findOffer,
  makeClient,
  newPublicKey,
  useSimulator,
} from './harness';
import type { ClientHarness } from './harness';

async function waitFor(condition: () => boolean, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) {
      throw new Error('condition not met in time');
    }
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('SpheronClient retry rules (against the simulator)', () => {
  const sim = useSimulator();
  let harness: ClientHarness;
  let offer: Offer;
  let teamId: string;

  beforeEach(async () => {
    harness = makeClient(sim());
    offer = await findOffer(harness.client, 'rtx-5090-spheron-ai-1');
    teamId = await currentTeamId(harness.client);
  });
  afterEach(async () => {
    await harness.client.dispose();
  });

  const deploymentCount = (): number => sim().state.deployments.length;

  it('does not retry a create that failed with 500 (and the server did create it)', async () => {
    const before = deploymentCount();
    sim().injectFault({ route: 'POST /api/deployments', status: 500, afterHandler: true, times: 1 });
    await assert.rejects(
      harness.client.createDeployment(createRequestFor(offer, teamId, { sshPublicKey: newPublicKey() })),
      ServerError,
    );
    assert.equal(countRequests(sim(), 'POST /api/deployments'), 1);
    assert.equal(deploymentCount(), before + 1);
    assert.deepEqual(harness.delays, []);
  });

  it('does not retry a create that timed out', async () => {
    const before = deploymentCount();
    sim().injectFault({ route: 'POST /api/deployments', latencyMs: 1_500, afterHandler: true, times: 1 });
    await assert.rejects(
      harness.client.createDeployment(createRequestFor(offer, teamId, { sshPublicKey: newPublicKey() }), {
        timeoutMs: 150,
      }),
      TimeoutError,
    );
    assert.equal(harness.sent.filter((request) => request.method === 'POST').length, 1);
    // The simulator logs a request when it answers, after the injected latency.
    await waitFor(() => countRequests(sim(), 'POST /api/deployments') > 0);
    assert.equal(countRequests(sim(), 'POST /api/deployments'), 1);
    assert.equal(deploymentCount(), before + 1);
  });

  it('does not retry a create whose connection dropped', async () => {
    sim().injectFault({ route: 'POST /api/deployments', drop: true, afterHandler: true, times: 1 });
    await assert.rejects(
      harness.client.createDeployment(createRequestFor(offer, teamId, { sshPublicKey: newPublicKey() })),
      NetworkError,
    );
    assert.equal(countRequests(sim(), 'POST /api/deployments'), 1);
    assert.equal(harness.sent.filter((request) => request.method === 'POST').length, 1);
  });

  it('does not resend a create after 429: the submission decides after a list check', async () => {
    const before = deploymentCount();
    sim().injectFault({
      route: 'POST /api/deployments',
      status: 429,
      headers: { 'Retry-After': '3' },
      body: { error: 'Too many requests', code: 'RATE_LIMIT_EXCEEDED', retryAfter: 3 },
      times: 1,
    });
    const error = await harness.client
      .createDeployment(createRequestFor(offer, teamId, { sshPublicKey: newPublicKey() }))
      .then(
        () => undefined,
        (rejected: unknown) => rejected,
      );
    assert.ok(error instanceof RateLimitError);
    assert.equal(error.retryAfterMs, 3_000);
    assert.deepEqual(harness.delays, []);
    assert.equal(countRequests(sim(), 'POST /api/deployments'), 1);
    assert.equal(deploymentCount(), before);
  });

  it('backs a GET off 5 s, then 15 s, after 429s without a wait hint', async () => {
    sim().resetRequestLog();
    sim().injectFault({ route: 'GET /api/balance', status: 429, headers: {}, body: {}, times: 2 });
    const balance = await harness.client.getBalance();
    assert.ok(balance.teams.length > 0);
    assert.deepEqual(harness.delays, [5_000, 15_000]);
    assert.equal(countRequests(sim(), 'GET /api/balance'), 3);
  });

  it("counts every attempt in the shared request budget, and a 429 pauses background work for the server's wait", async () => {
    let now = 5_000_000;
    const budget = new RequestBudget(new MemoryKeyValueStore(), () => now);
    const budgeted = makeClient(sim(), { budget });
    try {
      sim().injectFault({
        route: 'GET /api/balance',
        status: 429,
        headers: { 'Retry-After': '30' },
        times: 1,
      });
      await budgeted.client.getBalance();
      assert.equal(budget.used(), 2, 'the 429 and the retry');
      assert.equal(budget.backgroundWaitMs(), 30_000);
      now += 30_000;
      assert.equal(budget.backgroundWaitMs(), 0);
    } finally {
      await budgeted.client.dispose();
    }
  });

  it('does not retry other POSTs on 5xx', async () => {
    sim().injectFault({ route: 'POST /api/ssh-keys', status: 503, times: 1 });
    await assert.rejects(harness.client.createSshKey({ name: 'k', publicKey: newPublicKey() }), ServerError);
    assert.equal(countRequests(sim(), 'POST /api/ssh-keys'), 1);

    sim().injectFault({ route: 'POST /api/volumes', status: 502, times: 1 });
    await assert.rejects(
      harness.client.createVolume({ name: 'v', sizeGb: 10, provider: 'data-crunch', region: 'FIN-01' }),
      ServerError,
    );
    assert.equal(countRequests(sim(), 'POST /api/volumes'), 1);
  });

  it('retries DELETE and PATCH after 5xx', async () => {
    const created = await harness.client.createDeployment(
      createRequestFor(offer, teamId, { sshPublicKey: newPublicKey() }),
    );
    sim().injectFault({ route: 'PATCH /api/deployments/:id', status: 502, times: 1 });
    assert.equal((await harness.client.renameDeployment(created.id, 'again')).name, 'again');
    assert.equal(countRequests(sim(), 'PATCH /api/deployments/:id'), 2);

    sim().advanceClock(60 * 60);
    sim().injectFault({ route: 'DELETE /api/deployments/:id', status: 503, times: 1 });
    const result = await harness.client.terminateDeployment(created.id);
    assert.equal(result.status, 'terminated');
    assert.equal(countRequests(sim(), 'DELETE /api/deployments/:id'), 2);
  });

  it('honours maxAttempts from the options', async () => {
    const once = makeClient(sim(), { retry: { maxAttempts: 1 } });
    try {
      sim().injectFault({ route: 'GET /api/teams', status: 503, times: 1 });
      await assert.rejects(once.client.listTeams(), ServerError);
      assert.equal(countRequests(sim(), 'GET /api/teams'), 1);
    } finally {
      await once.client.dispose();
    }
  });
});
