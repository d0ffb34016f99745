import * as assert from 'node:assert/strict';
import { createServer } from 'node:net';
import {
  AuthError,
  CancelledError,
  InsufficientBalanceError,
  MinimumRuntimeError,
  NetworkError,
  NotFoundError,
  RateLimitError,
  SchemaError,
  ServerError,
  SpheronError,
  TimeoutError,
  ValidationError,
} from '../../../src/core/api/errors';
import { realSleep } from '../../../src/core/api/retry';
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

const UNKNOWN_ID = '0123456789abcdef01234567';

async function rejection(promise: Promise<unknown>): Promise<SpheronError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof SpheronError, `expected a SpheronError, got ${String(error)}`);
    return error;
  }
  assert.fail('expected a rejection');
}

async function waitFor(condition: () => boolean, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) {
      throw new Error('condition not met in time');
    }
    await new Promise((resolve) => setImmediate(resolve));
  }
}

/** A port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  assert.ok(address && typeof address === 'object');
  return address.port;
}

describe('SpheronClient errors (against the simulator)', () => {
  const sim = useSimulator();
  let harness: ClientHarness;

  beforeEach(() => {
    harness = makeClient(sim());
  });
  afterEach(async () => {
    await harness.client.dispose();
  });

  describe('auth', () => {
    it('maps a rejected key to AuthError 401', async () => {
      const wrongKey = makeClient(sim(), { getApiKey: () => Promise.resolve('not-a-valid-key') });
      try {
        const error = await rejection(wrongKey.client.getBalance());
        assert.ok(error instanceof AuthError);
        assert.equal(error.status, 401);
        assert.equal(error.endpoint, 'GET /api/balance');
      } finally {
        await wrongKey.client.dispose();
      }
    });

    it('refuses a private endpoint without a key, without sending anything', async () => {
      const signedOut = makeClient(sim(), { getApiKey: () => Promise.resolve(undefined) });
      try {
        const error = await rejection(signedOut.client.listDeployments({}));
        assert.ok(error instanceof AuthError);
        assert.equal(signedOut.sent.length, 0);
      } finally {
        await signedOut.client.dispose();
      }
    });

    it('maps a failing key store to AuthError', async () => {
      const broken = makeClient(sim(), { getApiKey: () => Promise.reject(new Error('keychain locked')) });
      try {
        assert.ok((await rejection(broken.client.getBalance())) instanceof AuthError);
      } finally {
        await broken.client.dispose();
      }
    });

    it('maps 403 to AuthError 403 with the server message', async () => {
      sim().injectFault({ route: 'GET /api/teams', status: 403, body: { error: 'Forbidden for this role' } });
      const error = await rejection(harness.client.listTeams());
      assert.ok(error instanceof AuthError);
      assert.equal(error.status, 403);
      assert.equal(error.serverMessage, 'Forbidden for this role');
    });
  });

  it('maps 404 to NotFoundError with the templated endpoint', async () => {
    const error = await rejection(harness.client.getDeployment(UNKNOWN_ID));
    assert.ok(error instanceof NotFoundError);
    assert.equal(error.endpoint, 'GET /api/deployments/{id}');
    assert.ok(!error.message.includes(UNKNOWN_ID) || error.message.startsWith('Not found'));
    assert.equal(countRequests(sim(), 'GET /api/deployments/:id'), 1, '404 is not retried');
  });

  describe('validation', () => {
    it("maps the simulator's own 400 to ValidationError with its message", async () => {
      const offer = await findOffer(harness.client, 'dc-1h100-sxm5-spot');
      const teamId = await currentTeamId(harness.client);
      const error = await rejection(
        harness.client.createDeployment(
          createRequestFor(offer, teamId, {
            region: 'not-a-region-of-this-offer',
            sshPublicKey: newPublicKey(),
          }),
        ),
      );
      assert.ok(error instanceof ValidationError);
      assert.ok(!(error instanceof InsufficientBalanceError));
      assert.ok(error.serverMessage.length > 0);
      assert.equal(error.message, error.serverMessage);
      assert.equal(error.endpoint, 'POST /api/deployments');
    });

    it('reads a nested error.message', async () => {
      sim().injectFault({
        route: 'PATCH /api/deployments/:id',
        status: 400,
        body: { error: { message: 'Name too long' } },
      });
      const error = await rejection(harness.client.renameDeployment(UNKNOWN_ID, 'x'.repeat(300)));
      assert.ok(error instanceof ValidationError);
      assert.equal(error.serverMessage, 'Name too long');
    });

    it('refuses an empty id without a request', async () => {
      assert.ok((await rejection(harness.client.getDeployment(''))) instanceof ValidationError);
      assert.equal(harness.sent.length, 0);
    });
  });

  describe('terminate', () => {
    it('maps the minimum-runtime refusal to MinimumRuntimeError', async () => {
      const offer = await findOffer(harness.client, 'rtx-5090-spheron-ai-1');
      const teamId = await currentTeamId(harness.client);
      const created = await harness.client.createDeployment(
        createRequestFor(offer, teamId, { sshPublicKey: newPublicKey() }),
      );
      const error = await rejection(harness.client.terminateDeployment(created.id));
      assert.ok(error instanceof MinimumRuntimeError);
      assert.ok(error.timeRemaining > 0 && error.timeRemaining <= 20, String(error.timeRemaining));
      assert.equal(error.minimumRuntime, 20);
      assert.equal(error.endpoint, 'DELETE /api/deployments/{id}');
      assert.equal(countRequests(sim(), 'DELETE /api/deployments/:id'), 1);
    });

    it('treats "already terminated" as success', async () => {
      const [terminated] = await harness.client.listDeployments({ status: 'terminated' });
      assert.ok(terminated);
      const result = await harness.client.terminateDeployment(terminated.id);
      assert.deepEqual(result, {
        id: terminated.id,
        alreadyTerminated: true,
        status: 'terminated',
        stoppedAtMs: null,
      });
    });

    it('treats terminated-provider as already terminated too', async () => {
      sim().injectFault({
        route: 'DELETE /api/deployments/:id',
        status: 400,
        body: {
          error: 'Cannot terminate instance',
          message: 'Instance has already been terminated.',
          currentStatus: 'terminated-provider',
          canTerminate: false,
        },
      });
      const result = await harness.client.terminateDeployment(UNKNOWN_ID);
      assert.equal(result.alreadyTerminated, true);
      assert.equal(result.status, 'terminated-provider');
    });
  });

  describe('insufficient balance', () => {
    async function createWithEmptyBalance(): Promise<SpheronError> {
      const offer = await findOffer(harness.client, 'rtx-5090-spheron-ai-1');
      const teamId = await currentTeamId(harness.client);
      sim().setBalance(0);
      return rejection(
        harness.client.createDeployment(createRequestFor(offer, teamId, { sshPublicKey: newPublicKey() })),
      );
    }

    it('maps the 402 answer to InsufficientBalanceError', async () => {
      sim().configure({ insufficientBalanceStatus: 402 });
      const error = await createWithEmptyBalance();
      assert.ok(error instanceof InsufficientBalanceError);
      assert.equal(error.kind, 'insufficient-balance');
    });

    it('maps a 400 answer that talks about the balance to InsufficientBalanceError', async () => {
      sim().configure({ insufficientBalanceStatus: 400 });
      const error = await createWithEmptyBalance();
      assert.ok(error instanceof InsufficientBalanceError);
    });
  });

  describe('rate limits', () => {
    it('waits the Retry-After delay and retries a GET', async () => {
      sim().injectFault({
        route: 'GET /api/balance',
        status: 429,
        headers: { 'Retry-After': '7' },
        body: { error: 'Too many requests', code: 'RATE_LIMIT_EXCEEDED', retryAfter: 7 },
        times: 1,
      });
      const balance = await harness.client.getBalance();
      assert.ok(balance.teams.length > 0);
      assert.deepEqual(harness.delays, [7_000]);
      assert.equal(countRequests(sim(), 'GET /api/balance'), 2);
      assert.match(harness.logLines[0], /^debug GET \/api\/balance -> 429 in \d+ ms, retrying in 7000 ms$/);
      assert.match(harness.logLines[1], /^debug GET \/api\/balance -> 200 in \d+ ms \(attempt 2\/3\)$/);
    });

    it("uses the body's retryAfter when there is no header", async () => {
      sim().injectFault({
        route: 'GET /api/balance',
        status: 429,
        headers: {},
        body: { retryAfter: 4 },
        times: 1,
      });
      await harness.client.getBalance();
      assert.deepEqual(harness.delays, [4_000]);
    });

    it('does not wait out a delay above the cap: RateLimitError at once', async () => {
      sim().injectFault({
        route: 'GET /api/balance',
        status: 429,
        headers: { 'Retry-After': '600' },
        times: 1,
      });
      const error = await rejection(harness.client.getBalance());
      assert.ok(error instanceof RateLimitError);
      assert.equal(error.retryAfterMs, 600_000);
      assert.deepEqual(harness.delays, []);
      assert.equal(countRequests(sim(), 'GET /api/balance'), 1);
    });

    it("gives up with RateLimitError on the simulator's own limiter", async () => {
      // The window's length comes from the 429's hint, which the real-world profile leaves out.
      const profile = sim().config.profile;
      sim().configure({ rateLimit: { general: 2, windowSeconds: 900 }, profile: 'default' });
      try {
        await harness.client.getBalance();
        await harness.client.getBalance();
        const error = await rejection(harness.client.getBalance());
        assert.ok(error instanceof RateLimitError);
        assert.ok(error.retryAfterMs > 60_000, 'the window is longer than the cap');
      } finally {
        sim().configure({ profile });
      }
    });
  });

  describe('server errors', () => {
    it('retries a GET after 5xx with growing backoff, then succeeds', async () => {
      sim().injectFault({ route: 'GET /api/deployments', status: 503, times: 2 });
      const deployments = await harness.client.listDeployments({});
      assert.ok(deployments.length > 0);
      // random() is 0.5: half the step plus a quarter, for steps of 500 and 1000 ms.
      assert.deepEqual(harness.delays, [375, 750]);
      assert.equal(countRequests(sim(), 'GET /api/deployments'), 3);
      assert.match(harness.logLines[1], /-> 503 in \d+ ms \(attempt 2\/3\), retrying in 750 ms$/);
    });

    it('gives up after maxAttempts with ServerError', async () => {
      sim().injectFault({ route: 'GET /api/deployments', status: 500, body: { error: 'upstream exploded' } });
      const error = await rejection(harness.client.listDeployments({}));
      assert.ok(error instanceof ServerError);
      assert.equal(error.status, 500);
      assert.equal(countRequests(sim(), 'GET /api/deployments'), 3);
    });
  });

  describe('network', () => {
    it('maps a dropped connection to NetworkError with a short code, after retrying the GET', async () => {
      sim().injectFault({ route: 'GET /api/balance', drop: true });
      const error = await rejection(harness.client.getBalance());
      assert.ok(error instanceof NetworkError);
      assert.match(error.causeCode ?? '', /^[A-Z_]+$/);
      assert.equal(harness.sent.length, 3);
    });

    it('maps a refused connection to NetworkError ECONNREFUSED without the URL', async () => {
      const port = await closedPort();
      const refused = makeClient(sim(), { baseUrl: `http://127.0.0.1:${port}`, retry: { maxAttempts: 1 } });
      try {
        const error = await rejection(refused.client.listProviders());
        assert.ok(error instanceof NetworkError);
        assert.equal(error.causeCode, 'ECONNREFUSED');
        assert.ok(!error.message.includes('127.0.0.1'));
      } finally {
        await refused.client.dispose();
      }
    });

    it('maps a slow answer to TimeoutError', async () => {
      sim().injectFault({ route: 'GET /api/balance', latencyMs: 2_000 });
      const slow = makeClient(sim(), { timeoutMs: 100, retry: { maxAttempts: 1 } });
      try {
        const error = await rejection(slow.client.getBalance());
        assert.ok(error instanceof TimeoutError);
        assert.equal(error.timeoutMs, 100);
      } finally {
        await slow.client.dispose();
      }
    });

    it('retries a GET that timed out', async () => {
      // The retry gets the same 1 s: long enough for a busy machine, far below the held answer.
      sim().injectFault({ route: 'GET /api/balance', latencyMs: 10_000, times: 1 });
      const balance = await harness.client.getBalance({ timeoutMs: 1_000 });
      assert.ok(balance.teams.length > 0);
      assert.equal(harness.sent.length, 2);
    });
  });

  describe('cancellation', () => {
    it('rejects with CancelledError when the caller aborts mid-request', async () => {
      sim().injectFault({ route: 'GET /api/balance', latencyMs: 30_000 });
      const controller = new AbortController();
      const startedMs = Date.now();
      const pending = rejection(harness.client.getBalance({ signal: controller.signal }));
      await waitFor(() => harness.sent.length === 1);
      controller.abort();
      const error = await pending;
      assert.ok(error instanceof CancelledError);
      assert.ok(Date.now() - startedMs < 15_000, 'the abort did not wait for the 30 s answer');
      assert.equal(harness.sent.length, 1, 'a cancelled request is not retried');
    });

    it('rejects at once, without a request, when already aborted', async () => {
      const error = await rejection(harness.client.getBalance({ signal: AbortSignal.abort() }));
      assert.ok(error instanceof CancelledError);
      assert.equal(harness.sent.length, 0);
    });

    it('rejects promptly when aborted during a backoff wait', async () => {
      sim().injectFault({ route: 'GET /api/balance', status: 429, headers: { 'Retry-After': '30' } });
      const delays: number[] = [];
      const waiting = makeClient(sim(), {
        sleep: (ms, signal) => {
          delays.push(ms);
          return realSleep(ms, signal);
        },
      });
      try {
        const controller = new AbortController();
        const pending = rejection(waiting.client.getBalance({ signal: controller.signal }));
        await waitFor(() => delays.length === 1);
        const abortedAtMs = Date.now();
        controller.abort();
        const error = await pending;
        assert.ok(error instanceof CancelledError);
        assert.ok(Date.now() - abortedAtMs < 15_000, 'the abort did not wait out the 30 s backoff');
        assert.deepEqual(delays, [30_000]);
      } finally {
        await waiting.client.dispose();
      }
    });
  });

  describe('bad bodies', () => {
    it('maps truncated JSON to SchemaError with the endpoint and an empty path', async () => {
      const [deployment] = await harness.client.listDeployments({});
      sim().injectFault({ route: 'GET /api/deployments/:id', badJson: true });
      const error = await rejection(harness.client.getDeployment(deployment.id));
      assert.ok(error instanceof SchemaError);
      assert.equal(error.endpoint, 'GET /api/deployments/{id}');
      assert.equal(error.issuePath, '');
      assert.equal(error.issue, 'invalid JSON');
      assert.equal(countRequests(sim(), 'GET /api/deployments/:id'), 1, 'a bad body is not retried');
    });

    it('maps a plausible but wrong shape to SchemaError with the issue path', async () => {
      sim().injectFault({ route: 'GET /api/gpu-offers', wrongShape: true });
      const error = await rejection(harness.client.listGpuOffers({ page: 1, limit: 5 }));
      assert.ok(error instanceof SchemaError);
      assert.equal(error.endpoint, 'GET /api/gpu-offers');
      assert.ok(error.issuePath.length > 0);
      assert.match(error.message, /GET \/api\/gpu-offers at /);
    });

    it('rejects a wrong shape on every kind of endpoint', async () => {
      const [deployment] = await harness.client.listDeployments({});
      const cases: [string, () => Promise<unknown>][] = [
        ['GET /api/deployments', () => harness.client.listDeployments({})],
        ['GET /api/deployments/:id', () => harness.client.getDeployment(deployment.id)],
        ['GET /api/ssh-keys', () => harness.client.listSshKeys()],
        ['GET /api/volumes', () => harness.client.listVolumes()],
        ['GET /api/balance', () => harness.client.getBalance()],
        ['GET /api/teams', () => harness.client.listTeams()],
        ['GET /api/providers', () => harness.client.listProviders()],
        ['GET /api/volumes/regions', () => harness.client.getVolumeRegions('data-crunch')],
      ];
      for (const [route, call] of cases) {
        sim().clearFaults();
        sim().injectFault({ route, wrongShape: true, times: 1 });
        const error = await rejection(call());
        assert.ok(error instanceof SchemaError, `${route}: ${String(error)}`);
      }
    });
  });
});
