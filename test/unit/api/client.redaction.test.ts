// The API key must never show up in an error (message, stack, properties), a log line, or the
// client's own string forms — even when the server echoes it back.
import * as assert from 'node:assert/strict';
import { inspect } from 'node:util';
import { CancelledError, SpheronError } from '../../../src/core/api/errors';
import type { SpheronErrorKind } from '../../../src/core/api/errors';
import { makeClient, useSimulator } from './harness';
import type { ClientHarness } from './harness';

const KEY = 'sk-CANARY-5f2e9d1c-do-not-leak';

function renderings(value: unknown): string[] {
  const forms = [
    String(value),
    JSON.stringify(value) ?? '',
    inspect(value, { showHidden: true, depth: Infinity, getters: true }),
    inspect(value, { showHidden: true, depth: Infinity, customInspect: false }),
  ];
  if (value instanceof Error) {
    forms.push(value.message, value.stack ?? '');
    for (const name of Object.getOwnPropertyNames(value)) {
      forms.push(inspect((value as unknown as Record<string, unknown>)[name], { depth: Infinity }));
    }
  }
  return forms;
}

describe('SpheronClient keeps the API key secret', () => {
  const sim = useSimulator({ apiKeys: [KEY] });
  let harness: ClientHarness;

  beforeEach(() => {
    harness = makeClient(sim(), { timeoutMs: 2_000 });
  });
  afterEach(async () => {
    await harness.client.dispose();
  });

  it('in every kind of error, every log line and the client itself', async () => {
    const { client } = harness;
    const echo = {
      error: `Key ${KEY} refused`,
      message: `Bearer ${KEY}`,
      details: { authorization: `Bearer ${KEY}` },
    };
    const errors: SpheronError[] = [];
    const capture = async (call: () => Promise<unknown>): Promise<void> => {
      try {
        await call();
      } catch (error) {
        assert.ok(error instanceof SpheronError, String(error));
        errors.push(error);
        return;
      }
      assert.fail('expected an error');
    };
    const faultOnce = (route: string, fault: Record<string, unknown>): void => {
      sim().clearFaults();
      sim().injectFault({ route, ...fault });
    };

    faultOnce('GET /api/balance', { status: 401, body: echo });
    await capture(() => client.getBalance());
    faultOnce('GET /api/balance', { status: 403, body: echo });
    await capture(() => client.getBalance());
    faultOnce('GET /api/deployments/:id', { status: 404, body: echo });
    await capture(() => client.getDeployment('0123456789abcdef01234567'));
    faultOnce('PATCH /api/deployments/:id', { status: 400, body: echo });
    await capture(() => client.renameDeployment('0123456789abcdef01234567', 'n'));
    faultOnce('POST /api/ssh-keys', { status: 402, body: echo });
    await capture(() => client.createSshKey({ name: 'n', publicKey: 'ssh-ed25519 AAAA' }));
    faultOnce('DELETE /api/deployments/:id', {
      status: 400,
      body: { ...echo, timeRemaining: 4, minimumRuntime: 20 },
    });
    await capture(() => client.terminateDeployment('0123456789abcdef01234567'));
    faultOnce('GET /api/teams', {
      status: 429,
      headers: { 'Retry-After': '900' },
      body: { ...echo, retryAfter: 900 },
    });
    await capture(() => client.listTeams());
    faultOnce('GET /api/teams', { status: 500, body: echo });
    await capture(() => client.listTeams());
    faultOnce('GET /api/teams', { drop: true });
    await capture(() => client.listTeams());
    faultOnce('GET /api/teams', { latencyMs: 1_000 });
    await capture(() => client.listTeams({ timeoutMs: 50 }));
    faultOnce('GET /api/teams', { latencyMs: 3_000 });
    const controller = new AbortController();
    const sentBefore = harness.sent.length;
    const cancelled = capture(() => client.listTeams({ signal: controller.signal }));
    while (harness.sent.length === sentBefore) {
      await new Promise((resolve) => setImmediate(resolve));
    }
    controller.abort();
    await cancelled;
    faultOnce('GET /api/teams', { badJson: true });
    await capture(() => client.listTeams());
    faultOnce('GET /api/balance', { wrongShape: true });
    await capture(() => client.getBalance());
    sim().clearFaults();
    const brokenStore = makeClient(sim(), {
      getApiKey: () => Promise.reject(new Error(`store failed for ${KEY}`)),
    });
    await capture(() => brokenStore.client.getBalance());
    await brokenStore.client.dispose();

    const kinds = new Set<SpheronErrorKind>(errors.map((error) => error.kind));
    assert.deepEqual([...kinds].sort(), [
      'auth',
      'cancelled',
      'insufficient-balance',
      'minimum-runtime',
      'network',
      'not-found',
      'rate-limit',
      'schema',
      'server',
      'timeout',
      'validation',
    ]);
    assert.ok(errors.some((error) => error instanceof CancelledError));
    for (const error of errors) {
      for (const form of renderings(error)) {
        assert.ok(!form.includes(KEY), `${error.name} leaks the key: ${form.slice(0, 300)}`);
      }
    }
    // The server did echo the key; what reached the error is the redacted form.
    assert.ok(errors.some((error) => inspect(error, { depth: Infinity }).includes('[redacted]')));

    assert.ok(harness.logLines.length > 10);
    for (const line of harness.logLines) {
      assert.ok(!line.includes(KEY), line);
      assert.ok(!/authorization|bearer/i.test(line), line);
    }
    for (const form of renderings(client)) {
      assert.ok(!form.includes(KEY), form);
    }
    assert.equal(String(client), `SpheronClient(${sim().url})`);
    assert.deepEqual(JSON.parse(JSON.stringify(client)), { baseUrl: sim().url });
    // The key did travel, in the header only.
    assert.ok(harness.sent.every((request) => request.headers['Authorization'] === `Bearer ${KEY}`));
  });
});
