import * as assert from 'node:assert/strict';
import {
  deployableOfferPicks,
  findOfferInCatalogue,
  isDeployableOffer,
  offerKey,
  offerRefFrom,
} from '../../../src/core/deploy/offerPicks';
import { group, offer } from '../model/fixtures';

const cheap = offer({ provider: 'tensordock', offerId: 'td-4090', pricePerHour: 0.35, regions: ['us-east'] });
const pricey = offer({
  provider: 'voltage-park',
  offerId: 'vp-h100',
  pricePerHour: 2.5,
  gpuCount: 8,
  regions: ['Dallas, TX'],
  instanceType: 'CLUSTER',
});
const maintenance = offer({
  provider: 'data-crunch',
  offerId: 'dc-a100',
  pricePerHour: 0.1,
  maintenance: true,
});
const unavailable = offer({ provider: 'sesterce', offerId: 'se-l40s', pricePerHour: 0.2, available: false });
const routed = offer({
  provider: 'spheron-ai',
  offerId: 'sp-1',
  pricePerHour: 0.35,
  regions: ['166e655a:culpeper-usa-1', 'a', 'b', 'c', 'd'],
});

const cpu = offer({ provider: 'massed-compute', offerId: 'cpu-1', pricePerHour: 0.12, gpuCount: 0 });

const GROUPS = [
  group('RTX4090_PCIE', 'RTX 4090', [cheap, unavailable, routed]),
  group('H100_SXM5', 'H100 SXM5', [pricey, maintenance]),
  group('CPU', 'CPU only', [cpu]),
];

describe('offers for the deploy form', () => {
  it('reads the offer from a tree row, an offer or a plain reference', () => {
    const node = { kind: 'offer', offer: cheap };
    assert.deepEqual(offerRefFrom(node), {
      provider: 'tensordock',
      offerId: 'td-4090',
      gpuType: 'H100_SXM5',
    });
    assert.deepEqual(offerRefFrom({ provider: 'p', offerId: 'o' }), { provider: 'p', offerId: 'o' });
    assert.equal(offerRefFrom('p/o'), undefined);
    assert.equal(offerRefFrom({ provider: 'p' }), undefined);
    assert.equal(offerRefFrom({ provider: '', offerId: 'o' }), undefined);
    assert.equal(offerRefFrom(undefined), undefined);
    assert.equal(offerRefFrom([{ provider: 'p', offerId: 'o' }]), undefined);
  });

  it('finds the entry with its group, preferring the named group', () => {
    const found = findOfferInCatalogue(GROUPS, { provider: 'voltage-park', offerId: 'vp-h100' });
    assert.equal(found?.offer.pricePerHour, 2.5);
    assert.deepEqual(found?.group, { gpuType: 'H100_SXM5', displayName: 'H100 SXM5' });
    const twice = [group('A', 'A', [cheap]), group('B', 'B', [cheap])];
    assert.equal(
      findOfferInCatalogue(twice, { provider: 'tensordock', offerId: 'td-4090', gpuType: 'B' })?.group
        .gpuType,
      'B',
    );
    // A stale gpuType still finds the entry rather than losing the form.
    assert.equal(
      findOfferInCatalogue(twice, { provider: 'tensordock', offerId: 'td-4090', gpuType: 'Z' })?.group
        .gpuType,
      'A',
    );
    assert.equal(findOfferInCatalogue(GROUPS, { provider: 'tensordock', offerId: 'gone' }), undefined);
    assert.equal(findOfferInCatalogue(GROUPS, { provider: 'other', offerId: 'td-4090' }), undefined);
  });

  it('keys panels by provider and offer id only', () => {
    assert.equal(
      offerKey({ provider: 'p', offerId: 'o', gpuType: 'A' }),
      offerKey({ provider: 'p', offerId: 'o' }),
    );
    assert.notEqual(offerKey({ provider: 'p', offerId: 'o' }), offerKey({ provider: 'p/o', offerId: '' }));
  });

  it('lists deployable offers only, cheapest first, with price, GPU × VRAM, provider, region and type', () => {
    assert.equal(isDeployableOffer(maintenance), false);
    assert.equal(isDeployableOffer(unavailable), false);
    const picks = deployableOfferPicks(GROUPS);
    assert.deepEqual(
      picks.map((pick) => pick.ref.offerId),
      ['cpu-1', 'sp-1', 'td-4090', 'vp-h100'],
    );
    assert.equal(picks.shift()?.label, '$0.12/h · CPU only');
    assert.equal(picks[1]?.label, '$0.35/h · RTX 4090 1× 80 GB');
    assert.equal(picks[1]?.description, 'tensordock · us-east · DEDICATED');
    assert.equal(picks[2]?.label, '$2.50/h · H100 SXM5 8× 80 GB');
    assert.match(picks[2]?.description ?? '', /CLUSTER$/);
    assert.equal(picks[0]?.description, 'spheron-ai · culpeper-usa-1, a, b +2 more · DEDICATED');
    assert.deepEqual(picks[2]?.ref, { provider: 'voltage-park', offerId: 'vp-h100', gpuType: 'H100_SXM5' });
  });
});
