import * as assert from 'node:assert/strict';
import type { WireBalance } from '../../simulator';
import { startSimulator } from '../../simulator';
import { call, rawGet, useSimulator } from './helpers';

describe('simulator: auth, WAF and robustness', () => {
  const sim = useSimulator();

  it('serves providers and gpu-offers without a key', async () => {
    const providers = await call<string[]>(sim(), 'GET', '/api/providers', { key: null });
    assert.equal(providers.status, 200);
    assert.deepEqual(providers.body, [
      'data-crunch',
      'massed-compute',
      'sesterce',
      'spheron-ai',
      'tensordock',
      'voltage-park',
    ]);
    const offers = await call(sim(), 'GET', '/api/gpu-offers', { key: null });
    assert.equal(offers.status, 200);
  });

  for (const path of [
    '/api/deployments',
    '/api/deployments/66f1c0ffee00000000000d01',
    '/api/ssh-keys',
    '/api/volumes',
    '/api/volumes/regions',
    '/api/balance',
    '/api/teams',
  ]) {
    it(`answers 401 for GET ${path} without a key and with a wrong key`, async () => {
      const missing = await call(sim(), 'GET', path, { key: null });
      assert.equal(missing.status, 401);
      assert.equal(missing.body.error, 'Unauthorized');
      const wrong = await call(sim(), 'GET', path, { key: 'not-a-key' });
      assert.equal(wrong.status, 401);
      assert.match(wrong.body.message, /Invalid API key/);
    });
  }

  it('answers 401 for writes without a key and changes nothing', async () => {
    const before = sim().state.deployments.length;
    const res = await call(sim(), 'POST', '/api/deployments', { key: null, body: {} });
    assert.equal(res.status, 401);
    assert.equal(sim().state.deployments.length, before);
  });

  it('accepts the demo key', async () => {
    const res = await call<WireBalance>(sim(), 'GET', '/api/balance', { key: 'sim-demo-key' });
    assert.equal(res.status, 200);
    assert.equal(res.body.currency, 'USD');
  });

  it('answers 403 (a WAF text body) without a User-Agent, even on public routes', async () => {
    const noUa = await rawGet(sim(), '/api/providers', {});
    assert.equal(noUa.status, 403);
    assert.equal(noUa.text, 'error code: 1010');
    assert.match(noUa.contentType ?? '', /^text\/plain/);
    const python = await rawGet(sim(), '/api/providers', { 'User-Agent': 'Python-urllib/3.12' });
    assert.equal(python.status, 403);
    const curl = await rawGet(sim(), '/api/providers', { 'User-Agent': 'curl/8.5.0' });
    assert.equal(curl.status, 200);
  });

  it('skips the User-Agent check when requireUserAgent is false', async () => {
    const relaxed = await startSimulator({ requireUserAgent: false });
    try {
      const res = await rawGet(relaxed, '/api/providers', {});
      assert.equal(res.status, 200);
      assert.ok((JSON.parse(res.text) as string[]).includes('spheron-ai'));
    } finally {
      await relaxed.close();
    }
  });

  it('answers 404 JSON for unknown routes and unknown methods', async () => {
    const unknown = await call(sim(), 'GET', '/api/nope');
    assert.equal(unknown.status, 404);
    assert.equal(unknown.body.error, 'Not Found');
    const method = await call(sim(), 'PUT', '/api/deployments');
    assert.equal(method.status, 404);
    assert.match(method.body.message, /Cannot PUT \/api\/deployments/);
    const root = await call(sim(), 'GET', '/');
    assert.equal(root.status, 404);
    assert.match(root.headers.get('content-type') ?? '', /application\/json/);
  });

  it('answers 400 to invalid JSON bodies and keeps serving', async () => {
    for (const rawBody of ['{"teamId":', 'not json', '{"a":1}}']) {
      const res = await call(sim(), 'POST', '/api/deployments', { rawBody });
      assert.equal(res.status, 400, rawBody);
      assert.match(res.body.message, /Invalid JSON/);
    }
    const arrayBody = await call(sim(), 'POST', '/api/ssh-keys', { body: [1, 2] });
    assert.equal(arrayBody.status, 400);
    const nullBody = await call(sim(), 'PATCH', '/api/deployments/66f1c0ffee00000000000d01', {
      rawBody: 'null',
    });
    assert.equal(nullBody.status, 400);
    const health = await call(sim(), 'GET', '/api/providers');
    assert.equal(health.status, 200);
  });

  it('answers 413 to an oversized body', async () => {
    const res = await call(sim(), 'POST', '/api/ssh-keys', {
      rawBody: JSON.stringify({ name: 'x'.repeat(2_000_000) }),
    });
    assert.equal(res.status, 413);
  });

  it('survives odd paths and query strings', async () => {
    const encoded = await call(sim(), 'GET', '/api/deployments/%E0%A4%A');
    assert.equal(encoded.status, 404);
    const odd = await call(sim(), 'GET', '/api/gpu-offers?page=-3&limit=abc&sortBy=%00&sortOrder=sideways');
    assert.equal(odd.status, 200);
    const page = odd.body as unknown as { page: number; limit: number };
    assert.equal(page.page, 1);
    assert.equal(page.limit, 10);
  });

  it('closes promptly while a keep-alive connection is open', async () => {
    const own = await startSimulator();
    const res = await call(own, 'GET', '/api/providers');
    assert.equal(res.status, 200);
    const started = Date.now();
    await own.close();
    // An idle keep-alive socket would hold close() for the server's 5 s keep-alive timeout.
    assert.ok(Date.now() - started < 3000, 'close() waited for the idle keep-alive socket');
  });
});
