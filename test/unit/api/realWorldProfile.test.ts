// The client and the explorer model against the simulator's `real-world` profile: answers shaped
// like what public sources show the live API sending. Every other client suite runs against it
// too with `npm run test:unit:real-world`.
import * as assert from 'node:assert/strict';
import { RateLimitError, ValidationError } from '../../../src/core/api/errors';
import { buildInstanceNodes } from '../../../src/core/model/instances';
import type { ModelNode } from '../../../src/core/model/nodes';
import { DEFAULT_OFFER_FILTERS, buildOfferTree } from '../../../src/core/model/offers';
import { buildVolumeNodes } from '../../../src/core/model/volumes';
import { SEED_IDS } from '../../simulator/seed';
import { createRequestFor, currentTeamId, makeClient, useSimulator } from './harness';
import type { ClientHarness } from './harness';

function allText(nodes: readonly ModelNode[]): string {
  return nodes
    .flatMap((node) => [
      node.label,
      node.description ?? '',
      node.tooltip,
      ...(node.kind === 'offerGroup'
        ? node.children.flatMap((child) => [child.label, child.description ?? '', child.tooltip])
        : []),
    ])
    .join('\n');
}

describe('client and model against the real-world profile', () => {
  const sim = useSimulator({ profile: 'real-world' });
  let harness: ClientHarness;

  beforeEach(() => {
    harness = makeClient(sim());
  });
  afterEach(async () => {
    await harness.client.dispose();
  });

  it('reads the whole catalogue: old provider spellings, lower-case gpuTypes, discounts', async () => {
    const catalogue = await harness.client.listAllGpuOffers({});
    assert.equal(catalogue.rejected, 0);
    const offers = catalogue.groups.flatMap((group) => group.offers);
    const providers = new Set(offers.map((offer) => offer.provider));
    assert.ok(providers.has('voltagepark') && providers.has('datacrunch'), [...providers].join(', '));
    assert.ok(catalogue.groups.some((group) => group.gpuType !== group.gpuType.toUpperCase()));
    const discounted = offers.find((offer) => offer.originalPricePerHour !== undefined);
    assert.ok(discounted && discounted.originalPricePerHour !== undefined);
    assert.ok(discounted.originalPricePerHour > discounted.pricePerHour);
    const dedicatedWithSpot = offers.find(
      (offer) => offer.instanceType === 'DEDICATED' && offer.spotPricePerHour !== undefined,
    );
    assert.ok(dedicatedWithSpot, 'a DEDICATED offer carries a spot_price');

    const tree = buildOfferTree(catalogue.groups, { ...DEFAULT_OFFER_FILTERS, showMaintenance: true });
    assert.equal(tree.shownOffers, offers.length);
    const text = allText(tree.nodes);
    assert.doesNotMatch(text, /undefined|null|NaN/);
    const dedicatedRow = tree.groups
      .flatMap((group) => group.children)
      .find((row) => row.offer.offerId === dedicatedWithSpot.offerId);
    assert.doesNotMatch(dedicatedRow?.tooltip ?? '', /Spot price/);
  });

  it('reads instances with deploymentId, no instanceType or sizes, and the SSH user from sshCommand', async () => {
    const deployments = await harness.client.listDeployments({ teamId: SEED_IDS.team });
    assert.equal(deployments.rejected, 0);
    const running = deployments.find((deployment) => deployment.id === SEED_IDS.runningDeployment);
    assert.ok(running, 'the seeded instance is listed under its deploymentId');
    assert.equal(running.instanceType, '');
    assert.equal(running.vcpus, null);
    assert.ok(running.sshUser, 'the user comes from sshCommand');
    assert.equal(running.sshCommand, `ssh ${running.sshUser}@${running.ipAddress} -p ${running.sshPort}`);

    const nodes = buildInstanceNodes(deployments, { nowMs: Date.now(), showEnded: true });
    const text = allText(nodes);
    assert.doesNotMatch(text, /undefined|null|NaN|\(assumed\)/);
    assert.match(text, /Instance type: unknown/);
  });

  it('sees a new instance in the list right after creating it (what the exactly-once check needs)', async () => {
    const catalogue = await harness.client.listAllGpuOffers({});
    const offer = catalogue.groups
      .flatMap((group) => group.offers)
      .find((candidate) => !candidate.maintenance && candidate.provider === 'datacrunch');
    assert.ok(offer);
    const teamId = await currentTeamId(harness.client);
    const created = await harness.client.createDeployment(
      createRequestFor(offer, teamId, { name: 'real-world-1', sshKeyId: SEED_IDS.sshKey }),
    );
    assert.ok(created.id);
    const listed = await harness.client.listDeployments({ teamId });
    assert.ok(listed.some((deployment) => deployment.id === created.id));
  });

  it('shows volumes that are deleting or deleted as such', async () => {
    const volumes = await harness.client.listVolumes();
    const statuses = new Set(volumes.map((volume) => volume.status));
    assert.ok(statuses.has('deleting') && statuses.has('deleted'), [...statuses].join(', '));
    const text = allText(buildVolumeNodes(volumes, { deploymentNames: new Map(), nowMs: Date.now() }));
    assert.match(text, /deleting…/);
    assert.doesNotMatch(text, /unknown status/);
  });

  it('gives the words of plain-text refusals, and reads a 429 without any retry hint', async () => {
    const catalogue = await harness.client.listAllGpuOffers({});
    const offer = catalogue.groups
      .flatMap((group) => group.offers)
      .find((candidate) => !candidate.maintenance);
    assert.ok(offer);
    await assert.rejects(harness.client.createDeployment(createRequestFor(offer, '')), (error: unknown) => {
      assert.ok(error instanceof ValidationError);
      assert.equal(error.message, 'Team ID is required for authenticated deployments');
      return true;
    });
    // Every request so far spent the bucket: the next one is refused, with no hint of when to retry.
    sim().configure({ rateLimit: { general: 1, windowSeconds: 900 } });
    try {
      await assert.rejects(harness.client.getBalance(), RateLimitError);
    } finally {
      sim().configure({ rateLimit: { general: 100, windowSeconds: 900 } });
    }
  });
});
