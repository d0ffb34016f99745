// Answers that look like success but are not: a 200 saying `success: false`, an empty 200 to
// terminate, and refusals sent as plain text or as a firewall's page.
import * as assert from 'node:assert/strict';
import { BlockedError, SchemaError, ValidationError } from '../../../src/core/api/errors';
import type { Deployment } from '../../../src/core/domain/types';
import { makeClient, useSimulator } from './harness';
import type { ClientHarness } from './harness';

describe('SpheronClient envelopes and non-JSON answers (against the simulator)', () => {
  const sim = useSimulator();
  let harness: ClientHarness;

  beforeEach(() => {
    harness = makeClient(sim());
  });
  afterEach(async () => {
    await harness.client.dispose();
  });

  async function runningDeployment(): Promise<Deployment> {
    const running = (await harness.client.listDeployments({})).find((item) => item.status === 'running');
    assert.ok(running, 'the seed has a running instance');
    return running;
  }

  it('treats a 200 with success: false as a failure when deleting an SSH key or a volume', async () => {
    const [key] = await harness.client.listSshKeys();
    assert.ok(key);
    sim().injectFault({
      route: 'DELETE /api/ssh-keys/:id',
      status: 200,
      body: { success: false, error: 'SSH key is used by a running deployment' },
      times: 1,
    });
    await assert.rejects(harness.client.deleteSshKey(key.id), (error: unknown) => {
      assert.ok(error instanceof ValidationError);
      assert.equal(error.message, 'SSH key is used by a running deployment');
      return true;
    });
    assert.ok((await harness.client.listSshKeys()).some((candidate) => candidate.id === key.id));

    const [volume] = await harness.client.listVolumes();
    assert.ok(volume);
    sim().injectFault({ route: 'DELETE /api/volumes/:id', status: 200, body: { success: false }, times: 1 });
    await assert.rejects(harness.client.deleteVolume(volume.id), ValidationError);
  });

  it('reports an empty 200 to terminate as success only after the instance says it ended', async () => {
    const running = await runningDeployment();
    sim().injectFault({
      route: 'DELETE /api/deployments/:id',
      status: 200,
      text: '',
      afterHandler: true,
      times: 1,
    });
    const result = await harness.client.terminateDeployment(running.id);
    assert.equal(result.status, 'terminated');
    assert.equal(result.alreadyTerminated, false);
    assert.equal((await harness.client.getDeployment(running.id)).status, 'terminated');
  });

  it('does not report success for an empty 200 to terminate when the instance still runs', async () => {
    const running = await runningDeployment();
    sim().injectFault({ route: 'DELETE /api/deployments/:id', status: 200, text: '', times: 1 });
    await assert.rejects(harness.client.terminateDeployment(running.id), (error: unknown) => {
      assert.ok(error instanceof SchemaError);
      assert.match(error.message, /the instance still reports “running”/);
      return true;
    });
  });

  it('gives the words of a plain-text 400 and names a firewall 403', async () => {
    sim().injectFault({
      route: 'GET /api/balance',
      status: 400,
      text: 'Team ID is required for authenticated deployments',
      times: 1,
    });
    await assert.rejects(
      harness.client.getBalance(),
      /^ValidationError: Team ID is required for authenticated deployments$/,
    );
    sim().injectFault({ route: 'GET /api/balance', status: 403, text: 'Forbidden\nRay ID: 1234', times: 1 });
    await assert.rejects(harness.client.getBalance(), (error: unknown) => {
      assert.ok(error instanceof BlockedError);
      assert.match(error.message, /firewall .*\(HTTP 403: Forbidden\)/);
      return true;
    });
  });
});
