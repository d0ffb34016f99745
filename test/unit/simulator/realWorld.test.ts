// `--profile real-world`: the shapes public sources show the live API sending.
import * as assert from 'node:assert/strict';
import { SEED_IDS } from '../../simulator/seed';
import { call, useSimulator } from './helpers';

describe('simulator: real-world profile', () => {
  const sim = useSimulator({ profile: 'real-world' });

  it('sends deployments with deploymentId, an sshCommand, and no id, user, instanceType or sizes', async () => {
    const { body } = await call<Record<string, unknown>[]>(
      sim(),
      'GET',
      `/api/deployments?teamId=${SEED_IDS.team}`,
    );
    const running = body.find((item) => item['deploymentId'] === SEED_IDS.runningDeployment);
    assert.ok(running);
    for (const absent of ['id', '_id', 'user', 'instanceType', 'vcpus', 'memory', 'storage']) {
      assert.ok(!(absent in running), absent);
    }
    assert.match(String(running['sshCommand']), /^ssh (ubuntu|root)@\S+ -p \d+$/);
  });

  it('spells providers the old way, lower-cases some gpuTypes, prices spot on DEDICATED and discounts', async () => {
    const { body } = await call<{ data: { gpuType: string; offers: Record<string, unknown>[] }[] }>(
      sim(),
      'GET',
      '/api/gpu-offers?limit=100',
    );
    const offers = body.data.flatMap((group) => group.offers);
    const providers = new Set(offers.map((offer) => offer['provider']));
    assert.ok(providers.has('voltagepark') && providers.has('datacrunch'));
    assert.ok(!providers.has('voltage-park') && !providers.has('data-crunch'));
    assert.ok(body.data.some((group) => group.gpuType === group.gpuType.toLowerCase()));
    assert.ok(
      offers.some(
        (offer) => offer['instanceType'] === 'DEDICATED' && typeof offer['spot_price'] === 'number',
      ),
    );
    assert.ok(
      offers.some(
        (offer) => typeof offer['originalPrice'] === 'number' && offer['discountedPrice'] === offer['price'],
      ),
    );
  });

  it('lists volumes that are deleting and deleted', async () => {
    const { body } = await call<{ volumes: { status: string }[] }>(sim(), 'GET', '/api/volumes');
    const statuses = body.volumes.map((volume) => volume.status);
    assert.ok(statuses.includes('deleting') && statuses.includes('deleted'), statuses.join(', '));
  });

  it('answers plain refusals as plain text, keeps data-carrying ones JSON, and gives 429 no hint', async () => {
    const refused = await call(sim(), 'POST', '/api/deployments', { body: {} });
    assert.equal(refused.status, 400);
    assert.match(refused.headers.get('content-type') ?? '', /^text\/plain/);
    assert.equal(refused.text, 'Team ID is required for authenticated deployments');

    sim().configure({ rateLimit: { general: 1 } });
    await call(sim(), 'GET', '/api/balance');
    const limited = await call<Record<string, unknown>>(sim(), 'GET', '/api/balance');
    assert.equal(limited.status, 429);
    assert.equal(limited.headers.get('retry-after'), null);
    assert.ok(!('retryAfter' in limited.body));
  });

  it('is refused for an unknown profile name', async () => {
    const response = await call(sim(), 'POST', '/__sim/config', { body: { profile: 'staging' } });
    assert.equal(response.status, 400);
    assert.match(response.text, /profile must be one of default, real-world/);
  });
});
