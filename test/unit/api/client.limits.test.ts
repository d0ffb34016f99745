// Bounds on what the client reads: response bodies stop at a size limit, and redaction of a
// hostile error body cannot overflow the stack.
import * as assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ResponseTooLargeError, ValidationError } from '../../../src/core/api/errors';
import { MAX_REDACT_DEPTH, REDACTED_TOO_DEEP, redactJson } from '../../../src/core/api/redact';
import { errorFromResponse } from '../../../src/core/api/responseErrors';
import { DEFAULT_MAX_RESPONSE_BYTES } from '../../../src/core/api/transport';
import { makeClient, useSimulator } from './harness';

describe('SpheronClient limits', () => {
  const sim = useSimulator();

  it('reads 16 MB at most by default', () => {
    assert.equal(DEFAULT_MAX_RESPONSE_BYTES, 16 * 1024 * 1024);
  });

  it('fails with ResponseTooLargeError when the answer declares more than the limit', async () => {
    const harness = makeClient(sim(), { maxResponseBytes: 4096 });
    try {
      await assert.rejects(harness.client.listAllGpuOffers({}), (error: unknown) => {
        assert.ok(error instanceof ResponseTooLargeError);
        assert.equal(error.endpoint, 'GET /api/gpu-offers');
        return true;
      });
      assert.equal(harness.delays.length, 0, 'not retried');
      // Small answers still pass under the same limit.
      assert.ok((await harness.client.getBalance()).teams.length > 0);
    } finally {
      await harness.client.dispose();
    }
  });

  it('stops reading a chunked answer without a length once it passes the limit', async () => {
    // The simulator always sends Content-Length; this server streams without one, forever.
    let chunksWritten = 0;
    const server = createServer((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.write('[');
      const timer = setInterval(() => {
        chunksWritten++;
        res.write(`"${'x'.repeat(1024)}",`);
      }, 1);
      res.on('close', () => clearInterval(timer));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const harness = makeClient(sim(), { maxResponseBytes: 32 * 1024 });
    const streaming = makeClient(
      { ...sim(), url: `http://127.0.0.1:${port}` },
      { maxResponseBytes: 32 * 1024 },
    );
    try {
      await assert.rejects(streaming.client.listProviders(), ResponseTooLargeError);
      assert.ok(chunksWritten < 200, `stopped early (${chunksWritten} chunks written)`);
    } finally {
      await streaming.client.dispose();
      await harness.client.dispose();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });

  it('redacts an error body nested 200,000 deep without overflowing the stack', () => {
    const depth = 200_000;
    const body = `{"message":"bad sk-secret-value","nested":${'['.repeat(depth)}${']'.repeat(depth)}}`;
    const error = errorFromResponse({
      endpoint: 'POST /api/deployments',
      status: 400,
      headers: {},
      bodyText: body,
      nowMs: 0,
      secret: 'sk-secret-value',
    });
    assert.ok(error instanceof ValidationError);
    assert.equal(error.message, 'bad [redacted]');
    let nested: unknown = redactJson(
      JSON.parse(`${'['.repeat(100)}"sk-secret-value"${']'.repeat(100)}`),
      'sk-secret-value',
    );
    let levels = 0;
    while (Array.isArray(nested)) {
      nested = nested[0];
      levels++;
    }
    assert.equal(levels, MAX_REDACT_DEPTH);
    assert.equal(nested, REDACTED_TOO_DEEP);
  });
});
