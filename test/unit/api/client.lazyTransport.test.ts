import * as assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { makeClient, useSimulator } from './harness';

const run = promisify(execFile);

describe('SpheronClient loads its HTTP layer lazily', () => {
  const sim = useSimulator();

  it('loads the transport once, on the first request', async () => {
    const harness = makeClient(sim());
    try {
      assert.equal(harness.transportLoads(), 0);
      await harness.client.listProviders();
      assert.equal(harness.transportLoads(), 1);
      await Promise.all([
        harness.client.listProviders(),
        harness.client.getBalance(),
        harness.client.listTeams(),
      ]);
      assert.equal(harness.transportLoads(), 1);
    } finally {
      await harness.client.dispose();
    }
  });

  it('loads the transport once even when the first requests race', async () => {
    const harness = makeClient(sim());
    try {
      await Promise.all([harness.client.listProviders(), harness.client.listProviders()]);
      assert.equal(harness.transportLoads(), 1);
    } finally {
      await harness.client.dispose();
    }
  });

  it('does not load undici until the first request (fresh process, default loader)', async function () {
    // A fresh Node process compiling TypeScript takes a few seconds on a cold machine.
    this.timeout(30_000);
    const child = path.join(__dirname, 'lazyUndiciChild.ts');
    const { stdout } = await run(process.execPath, ['--import', 'tsx', child], {
      env: { ...process.env, SIM_URL: sim().url },
      timeout: 15_000,
    });
    const report = JSON.parse(stdout.trim()) as Record<string, unknown>;
    assert.deepEqual(report, {
      atStart: false,
      afterConstruct: false,
      afterRequest: true,
      providers: report['providers'],
    });
    assert.ok(typeof report['providers'] === 'number' && report['providers'] > 0);
  });
});
