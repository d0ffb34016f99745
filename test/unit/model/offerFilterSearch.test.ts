import * as assert from 'node:assert/strict';
import {
  matchFilterChoices,
  offerCountText,
  providerKey,
  withFilterValue,
} from '../../../src/core/model/offerFilterSearch';
import { DEFAULT_OFFER_FILTERS, buildOfferTree, offerFilterChoices } from '../../../src/core/model/offers';
import { SEED_GROUPS, group, offer } from './fixtures';

describe('model/offerFilterSearch', () => {
  const choices = offerFilterChoices(SEED_GROUPS);

  it('typed "H100" finds the H100 group, with the count the tree shows', () => {
    const matches = matchFilterChoices(choices, 'H100');
    assert.deepEqual(
      matches.map((match) => [match.field, match.value]),
      [['gpuModels', 'H100 SXM5']],
    );
    const tree = buildOfferTree(SEED_GROUPS, DEFAULT_OFFER_FILTERS);
    assert.equal(
      matches[0]?.offerCount,
      tree.groups.find((g) => g.displayName === 'H100 SXM5')?.children.length,
    );
  });

  it('matches providers and regions too, ignoring case, spaces and hyphens', () => {
    assert.deepEqual(
      matchFilterChoices(choices, 'DataCrunch').map((match) => [match.field, match.value]),
      [['providers', 'data-crunch']],
    );
    assert.ok(
      matchFilterChoices(choices, 'fin 01').some((m) => m.field === 'regions' && m.value === 'FIN-01'),
    );
    assert.ok(
      matchFilterChoices(choices, 'rtx4090').some((m) => m.field === 'gpuModels' && m.value === 'RTX 4090'),
    );
    assert.deepEqual(matchFilterChoices(choices, '  -- '), []);
    assert.deepEqual(matchFilterChoices(choices, 'zzz'), []);
  });

  it('provider spellings compare as one: a saved filter never hides offers of its provider', () => {
    assert.equal(providerKey('data-crunch'), providerKey('datacrunch'));
    assert.equal(providerKey('voltage-park'), providerKey('VoltagePark'));
    assert.equal(providerKey('verda'), providerKey('data-crunch'));
    assert.notEqual(providerKey('sesterce'), providerKey('tensordock'));
    const spelled = [
      group('H100_SXM5', 'H100 SXM5', [offer({ offerId: 'a', provider: 'data-crunch' })]),
      group('A100_SXM4', 'A100 SXM4', [offer({ offerId: 'b', provider: 'datacrunch' })]),
      group('L40S', 'L40S', [offer({ offerId: 'c', provider: 'voltagepark' })]),
    ];
    for (const saved of ['datacrunch', 'data-crunch']) {
      const tree = buildOfferTree(spelled, { ...DEFAULT_OFFER_FILTERS, providers: [saved] });
      assert.equal(tree.shownOffers, 2, saved);
    }
    assert.equal(
      buildOfferTree(spelled, { ...DEFAULT_OFFER_FILTERS, providers: ['voltage-park'] }).shownOffers,
      1,
    );
  });

  it('picking a match adds it once to its filter', () => {
    const once = withFilterValue(DEFAULT_OFFER_FILTERS, 'gpuModels', 'H100 SXM5');
    assert.deepEqual(once.gpuModels, ['H100 SXM5']);
    assert.equal(withFilterValue(once, 'gpuModels', 'H100 SXM5'), once);
    const providers = withFilterValue(DEFAULT_OFFER_FILTERS, 'providers', 'data-crunch');
    assert.equal(withFilterValue(providers, 'providers', 'datacrunch'), providers);
  });

  it('the count says what it leaves out even with no filter set', () => {
    const tree = buildOfferTree(SEED_GROUPS, DEFAULT_OFFER_FILTERS);
    assert.equal(
      offerCountText(tree),
      `${tree.shownOffers} of ${tree.totalOffers} offers · 1 in maintenance hidden`,
    );
    assert.equal(offerCountText({ shownOffers: 3, totalOffers: 3, hiddenMaintenance: 0 }), '3 of 3 offers');
  });
});
