import * as assert from 'node:assert/strict';
import type { OfferGroup } from '../../../src/core/domain/types';
import type { ModelNode, OfferGroupNode, OfferNode } from '../../../src/core/model/nodes';
import type { OfferFilters } from '../../../src/core/model/offers';
import {
  DEFAULT_OFFER_FILTERS,
  buildOfferTree,
  describeOfferFilters,
  isDefaultOfferFilters,
  offerFilterChoices,
  parseOfferFilters,
  regionLabel,
} from '../../../src/core/model/offers';
import { MINUTE, NOW, SEED, SEED_GROUPS, group, largeCatalogue, offer } from './fixtures';

function filters(overrides: Partial<OfferFilters>): OfferFilters {
  return { ...DEFAULT_OFFER_FILTERS, ...overrides };
}

function offerIds(groups: readonly OfferGroupNode[]): string[] {
  return groups.flatMap((g) => g.children.map((child) => child.offer.offerId));
}

function findOffer(groups: readonly OfferGroupNode[], offerId: string): OfferNode {
  const node = groups.flatMap((g) => g.children).find((child) => child.offer.offerId === offerId);
  assert.ok(node, `offer ${offerId} not in tree`);
  return node;
}

describe('model/offers', () => {
  describe('buildOfferTree with default filters (contract seed)', () => {
    const tree = buildOfferTree(SEED_GROUPS, DEFAULT_OFFER_FILTERS);

    it('sorts groups by their cheapest remaining offer', () => {
      assert.deepEqual(
        tree.groups.map((g) => g.label),
        ['CPU', 'RTX 4090', 'RTX 5090', 'L40S', 'A100 80GB SXM4', 'RTX PRO 6000', 'H100 SXM5', 'B200 SXM6'],
      );
      assert.deepEqual(tree.nodes, tree.groups);
    });

    it('hides maintenance offers and counts them', () => {
      assert.equal(tree.totalOffers, 10);
      assert.equal(tree.shownOffers, 9);
      assert.equal(tree.hiddenMaintenance, 1);
      assert.ok(!offerIds(tree.groups).includes('dc-1a100-80g-sxm4-b'));
    });

    it('describes groups with offer count and price range', () => {
      const byLabel = new Map(tree.groups.map((g) => [g.label, g]));
      assert.equal(byLabel.get('H100 SXM5')?.description, 'from $2.91/h · 2 offers');
      assert.equal(byLabel.get('A100 80GB SXM4')?.description, '$1.69/h · 1 offer');
      assert.equal(byLabel.get('B200 SXM6')?.description, '$57.61/h · 1 offer');
      const h100 = byLabel.get('H100 SXM5');
      assert.equal(h100?.id, 'group:H100 SXM5');
      assert.equal(h100?.contextValue, 'spheron.offerGroup');
      assert.equal(h100?.collapsible, 'collapsed');
      assert.match(h100?.tooltip ?? '', /2 offers from 2 providers/);
      assert.match(h100?.tooltip ?? '', /`H100_SXM5`/);
    });

    it('sorts offers inside a group by price', () => {
      const h100 = tree.groups.find((g) => g.label === 'H100 SXM5');
      assert.deepEqual(
        h100?.children.map((c) => c.offer.offerId),
        ['dc-1h100-sxm5-spot', 'vp-h100-sxm5-8x-ib'],
      );
    });

    const rows: [string, string, string, string][] = [
      [
        'vp-h100-sxm5-8x-ib',
        '$21.52/h · 8× 80 GB',
        'voltage-park · Dallas, TX · Cluster',
        'server-environment',
      ],
      ['dc-1h100-sxm5-spot', '$2.91/h · 1× 80 GB', 'data-crunch · FIN-01 · Spot', 'zap'],
      ['dc-1a100-80g-sxm4', '$1.69/h · 1× 80 GB', 'data-crunch · FIN-02', 'server'],
      ['rtx-4090-tensordock-1', '$0.38/h · 1× 24 GB', 'tensordock · us-east-1', 'server'],
      ['ses-l40s-1x-kc', '$0.88/h · 1× 48 GB', 'sesterce · kansascity-usa-1, culpeper-usa-1', 'server'],
      ['sai-b200-8x-ca1', '$57.61/h · 8× 192 GB', 'spheron-ai · CANADA-1', 'server'],
      ['rtx-5090-spheron-ai-1', '$0.76/h · 1× 32 GB', 'spheron-ai · CANADA-1', 'server'],
      [
        'gpu_1x_pro_6000_blackwell_us-central-9',
        '$2.39/h · 1× 96 GB',
        'massed-compute · us-central-9',
        'server',
      ],
      ['cpu_small_us-central-3', '$0.12/h · CPU only', 'massed-compute · us-central-3', 'server-process'],
    ];
    for (const [offerId, label, description, codicon] of rows) {
      it(`labels ${offerId} as “${label}” / “${description}”`, () => {
        const node = findOffer(tree.groups, offerId);
        assert.equal(node.label, label);
        assert.equal(node.description, description);
        assert.equal(node.icon.codicon, codicon);
        assert.equal(node.id, `offer:${node.offer.provider}:${offerId}`);
        assert.match(node.contextValue ?? '', /\+deployable\b/);
      });
    }

    it('explains spot offers in the tooltip', () => {
      const tooltip = findOffer(tree.groups, 'dc-1h100-sxm5-spot').tooltip;
      assert.match(tooltip, /^\*\*\$2\.91\/h\*\* — 1 × H100 SXM5 80 GB · data-crunch/);
      assert.match(tooltip, /Spot: can be reclaimed by the provider at any time\./);
      assert.match(tooltip, /- Region: FIN-01/);
      assert.match(tooltip, /- OS: Ubuntu 22\.04 CUDA 12\.4/);
      assert.match(tooltip, /- Interconnect: SXM5/);
      assert.match(tooltip, /- Offer: `dc-1h100-sxm5-spot`/);
      assert.doesNotMatch(tooltip, /Per GPU/);
    });

    it('explains cluster offers with per-GPU price, hardware and fabric', () => {
      const tooltip = findOffer(tree.groups, 'vp-h100-sxm5-8x-ib').tooltip;
      assert.match(tooltip, /8-GPU bare metal, InfiniBand/);
      assert.match(tooltip, /- Per GPU: \$2\.69\/h/);
      assert.match(tooltip, /- GPUs: 8 × 80 GB VRAM/);
      assert.match(tooltip, /- CPU \/ RAM \/ disk: 208 vCPU · 1\.8 TB RAM · 19\.5 TB disk/);
      assert.match(tooltip, /- Cloud-init startup script: supported/);
      assert.match(tooltip, /- Availability: available/);
    });

    it('shows every region, OS option and the lack of cloud-init for Sesterce', () => {
      const tooltip = findOffer(tree.groups, 'ses-l40s-1x-kc').tooltip;
      assert.match(tooltip, /- Regions: kansascity-usa-1, culpeper-usa-1/);
      assert.match(tooltip, /- OS: Ubuntu Server 22\.04 LTS R570 CUDA 12\.8; AlmaLinux 9 Plain/);
      assert.match(tooltip, /- Cloud-init startup script: not supported/);
    });

    it('describes CPU-only offers', () => {
      const tooltip = findOffer(tree.groups, 'cpu_small_us-central-3').tooltip;
      assert.match(tooltip, /— CPU only · massed-compute/);
      assert.match(tooltip, /- GPUs: none \(CPU only\)/);
    });
  });

  describe('tooltip details when the API provides them', () => {
    const detailed = offer({
      provider: 'p',
      offerId: 'o',
      gpuCount: 2,
      pricePerHour: 4,
      originalPricePerHour: 5,
      minimumRuntimeMinutes: 60,
      unitsAvailable: 3,
      instanceType: 'SPOT',
      spotPricePerHour: 3.5,
    });
    const tooltip = findOffer(
      buildOfferTree([group('X', 'X', [detailed])], DEFAULT_OFFER_FILTERS).groups,
      'o',
    ).tooltip;

    it('lists discount, spot price, minimum runtime and units', () => {
      assert.match(tooltip, /- Per GPU: \$2\.00\/h/);
      assert.match(tooltip, /- Before team discount: \$5\.00\/h/);
      assert.match(tooltip, /- Spot price: \$3\.50\/h/);
      assert.match(tooltip, /- Minimum runtime: 60 min/);
      assert.match(tooltip, /- Availability: 3 units available/);
    });
  });

  describe('filters', () => {
    const cases: [string, Partial<OfferFilters>, string[]][] = [
      [
        'SPOT only (re-filtered per offer, not per group)',
        { instanceTypes: ['SPOT'] },
        ['dc-1h100-sxm5-spot'],
      ],
      ['CLUSTER only', { instanceTypes: ['CLUSTER'] }, ['vp-h100-sxm5-8x-ib']],
      [
        'SPOT or CLUSTER',
        { instanceTypes: ['SPOT', 'CLUSTER'] },
        ['dc-1h100-sxm5-spot', 'vp-h100-sxm5-8x-ib'],
      ],
      ['one provider', { providers: ['spheron-ai'] }, ['rtx-5090-spheron-ai-1', 'sai-b200-8x-ca1']],
      [
        'GPU model by display name',
        { gpuModels: ['H100 SXM5'] },
        ['dc-1h100-sxm5-spot', 'vp-h100-sxm5-8x-ib'],
      ],
      [
        'minimum VRAM 80 GB (CPU-only never passes)',
        { minVramGb: 80 },
        [
          'dc-1a100-80g-sxm4',
          'gpu_1x_pro_6000_blackwell_us-central-9',
          'dc-1h100-sxm5-spot',
          'vp-h100-sxm5-8x-ib',
          'sai-b200-8x-ca1',
        ],
      ],
      ['GPU count 8', { gpuCounts: [8] }, ['vp-h100-sxm5-8x-ib', 'sai-b200-8x-ca1']],
      ['GPU count 0 finds CPU nodes', { gpuCounts: [0] }, ['cpu_small_us-central-3']],
      [
        'max price $0.88/h (inclusive)',
        { maxPricePerHour: 0.88 },
        ['cpu_small_us-central-3', 'rtx-4090-tensordock-1', 'rtx-5090-spheron-ai-1', 'ses-l40s-1x-kc'],
      ],
      ['region by label matches a prefixed region id', { regions: ['culpeper-usa-1'] }, ['ses-l40s-1x-kc']],
      [
        'two regions',
        { regions: ['CANADA-1', 'FIN-01'] },
        ['rtx-5090-spheron-ai-1', 'dc-1h100-sxm5-spot', 'sai-b200-8x-ca1'],
      ],
      [
        'search is not applied locally',
        { search: 'rtx-4090' },
        [
          'cpu_small_us-central-3',
          'rtx-4090-tensordock-1',
          'rtx-5090-spheron-ai-1',
          'ses-l40s-1x-kc',
          'dc-1a100-80g-sxm4',
          'gpu_1x_pro_6000_blackwell_us-central-9',
          'dc-1h100-sxm5-spot',
          'vp-h100-sxm5-8x-ib',
          'sai-b200-8x-ca1',
        ],
      ],
      [
        'combined: dedicated, ≥ 48 GB, ≤ $3/h',
        { instanceTypes: ['DEDICATED'], minVramGb: 48, maxPricePerHour: 3 },
        ['ses-l40s-1x-kc', 'dc-1a100-80g-sxm4', 'gpu_1x_pro_6000_blackwell_us-central-9'],
      ],
      [
        'combined: data-crunch in FIN-02 or FIN-03, maintenance shown',
        { providers: ['data-crunch'], regions: ['FIN-02', 'FIN-03'], showMaintenance: true },
        ['dc-1a100-80g-sxm4-b', 'dc-1a100-80g-sxm4'],
      ],
      ['combined with no match', { providers: ['tensordock'], instanceTypes: ['SPOT'] }, []],
    ];
    for (const [name, overrides, expected] of cases) {
      it(name, () => {
        const tree = buildOfferTree(SEED_GROUPS, filters(overrides));
        assert.deepEqual(offerIds(tree.groups), expected);
        assert.equal(tree.shownOffers, expected.length);
      });
    }

    it('drops groups left empty by the filter', () => {
      const tree = buildOfferTree(SEED_GROUPS, filters({ instanceTypes: ['SPOT'] }));
      assert.deepEqual(
        tree.groups.map((g) => g.label),
        ['H100 SXM5'],
      );
      assert.equal(tree.groups[0]?.description, '$2.91/h · 1 offer');
    });
  });

  describe('maintenance offers when shown', () => {
    const tree = buildOfferTree(SEED_GROUPS, filters({ showMaintenance: true }));
    const node = findOffer(tree.groups, 'dc-1a100-80g-sxm4-b');

    it('are marked clearly and are not deployable', () => {
      assert.equal(node.description, '⚠ maintenance · data-crunch · FIN-03');
      assert.deepEqual(node.icon, { codicon: 'warning', color: 'list.warningForeground' });
      assert.equal(node.contextValue, 'spheron.offer+dedicated+maintenance');
      assert.match(node.tooltip, /⚠ \*\*Maintenance\*\*/);
      assert.match(node.tooltip, /- Availability: not deployable \(under maintenance\)/);
      assert.doesNotMatch(node.tooltip, /Availability: (\d+ units? )?available/);
      assert.equal(tree.hiddenMaintenance, 0);
    });

    it('still sort by price within their group', () => {
      const a100 = tree.groups.find((g) => g.label === 'A100 80GB SXM4');
      assert.deepEqual(
        a100?.children.map((c) => c.offer.offerId),
        ['dc-1a100-80g-sxm4-b', 'dc-1a100-80g-sxm4'],
      );
      assert.equal(a100?.description, 'from $1.59/h · 2 offers');
    });
  });

  describe('grouping', () => {
    const groups: OfferGroup[] = [
      group('H100_SXM5', 'H100 SXM5', [offer({ provider: 'b', offerId: 'x1', pricePerHour: 3 })]),
      group('H100_SXM5_LOW_RAM', 'H100 SXM5', [
        offer({ provider: 'a', offerId: 'x2', pricePerHour: 3 }),
        offer({ provider: 'c', offerId: 'x3', pricePerHour: 2 }),
      ]),
      group('A10', 'A10', [offer({ provider: 'a', offerId: 'y1', pricePerHour: 2 })]),
    ];
    const tree = buildOfferTree(groups, DEFAULT_OFFER_FILTERS);

    it('merges groups that share a display name', () => {
      assert.deepEqual(
        tree.groups.map((g) => [g.label, g.gpuTypes]),
        [
          ['A10', ['A10']],
          ['H100 SXM5', ['H100_SXM5', 'H100_SXM5_LOW_RAM']],
        ],
      );
    });

    it('orders offers by price, then provider', () => {
      assert.deepEqual(
        tree.groups[1]?.children.map((c) => c.offer.offerId),
        ['x3', 'x2', 'x1'],
      );
    });

    it('ties between groups break on the name', () => {
      assert.equal(tree.groups[0]?.label, 'A10');
    });

    it('keeps ids unique when the API repeats an offer', () => {
      const dup = offer({ provider: 'a', offerId: 'same' });
      const repeated = buildOfferTree(
        [group('G1', 'G1', [dup]), group('G2', 'G2', [dup])],
        DEFAULT_OFFER_FILTERS,
      );
      const ids = repeated.groups.flatMap((g) => g.children.map((c) => c.id));
      assert.deepEqual(ids, ['offer:a:same', 'offer:a:same#2']);
    });

    it('caps long region lists', () => {
      const many = offer({ provider: 'p', offerId: 'r', regions: ['r1', 'r2', 'r3', 'r4', 'r5'] });
      const three = offer({ provider: 'p', offerId: 's', regions: ['r1', 'r2', 'r3'] });
      const t = buildOfferTree([group('G', 'G', [many, three])], DEFAULT_OFFER_FILTERS);
      assert.equal(findOffer(t.groups, 'r').description, 'p · r1, r2 +3 more');
      assert.equal(findOffer(t.groups, 's').description, 'p · r1, r2, r3');
    });
  });

  describe('empty and stale states', () => {
    it('explains an empty result and offers to clear the filters', () => {
      const tree = buildOfferTree(SEED_GROUPS, filters({ providers: ['nobody'] }));
      assert.equal(tree.groups.length, 0);
      const [row] = tree.nodes;
      assert.equal(row?.kind, 'message');
      assert.equal(row?.label, 'No offers match the filters');
      assert.equal(row?.description, '10 offers hidden');
      assert.equal(row?.command?.id, 'spheron.offers.clearFilters');
    });

    it('says so when only maintenance capacity matches', () => {
      const onlyMaintenance = [group('A100', 'A100', [SEED.dcA100Maintenance])];
      const tree = buildOfferTree(onlyMaintenance, DEFAULT_OFFER_FILTERS);
      assert.equal(tree.nodes[0]?.label, 'Every matching offer is under maintenance');
    });

    it('is empty for an empty catalogue, so the welcome view shows', () => {
      assert.deepEqual(buildOfferTree([], DEFAULT_OFFER_FILTERS).nodes, []);
    });

    it('puts a stale row above the offers', () => {
      const tree = buildOfferTree(SEED_GROUPS, DEFAULT_OFFER_FILTERS, {
        nowMs: NOW,
        stale: { sinceMs: NOW - 3 * MINUTE, reason: 'Could not reach Spheron.' },
      });
      const first: ModelNode | undefined = tree.nodes[0];
      assert.equal(first?.kind, 'error');
      assert.equal(first?.label, 'Not up to date — last updated 3 min ago');
      assert.equal(tree.nodes.length, tree.groups.length + 1);
    });
    it('still marks stale data when the caller gives no time', () => {
      const tree = buildOfferTree(SEED_GROUPS, DEFAULT_OFFER_FILTERS, {
        stale: { sinceMs: NOW - 3 * MINUTE, reason: 'Could not reach Spheron.' },
      });
      assert.equal(tree.nodes[0]?.label, 'Not up to date — last update time unknown');
    });
  });

  describe('describeOfferFilters', () => {
    const cases: [Partial<OfferFilters>, string][] = [
      [{}, ''],
      [
        {
          instanceTypes: ['SPOT'],
          gpuModels: ['H100 SXM5'],
          minVramGb: 48,
          maxPricePerHour: 3,
          regions: ['a', 'b'],
        },
        'SPOT · H100 SXM5 · ≥ 48 GB · ≤ $3/h · 2 regions',
      ],
      [{ instanceTypes: ['SPOT', 'CLUSTER'] }, 'SPOT/CLUSTER'],
      [{ gpuModels: ['A', 'B', 'C'] }, '3 models'],
      [{ providers: ['data-crunch'] }, 'data-crunch'],
      [{ providers: ['a', 'b'] }, '2 providers'],
      [{ gpuCounts: [8, 1] }, '1/8 GPUs'],
      [{ gpuCounts: [1] }, '1 GPU'],
      [{ maxPricePerHour: 2.5 }, '≤ $2.50/h'],
      [{ minVramGb: 1024 }, '≥ 1 TB'],
      [{ regions: ['FIN-01'] }, 'FIN-01'],
      [{ search: '4090' }, '“4090”'],
      [{ showMaintenance: true }, 'incl. maintenance'],
    ];
    for (const [overrides, expected] of cases) {
      it(`${JSON.stringify(overrides)} → “${expected}”`, () => {
        assert.equal(describeOfferFilters(filters(overrides)), expected);
      });
    }

    it('recognises the defaults', () => {
      assert.equal(isDefaultOfferFilters(DEFAULT_OFFER_FILTERS), true);
      assert.equal(isDefaultOfferFilters(filters({ showMaintenance: true })), false);
    });
  });

  describe('offerFilterChoices', () => {
    // With maintenance shown, every offer counts.
    const choices = offerFilterChoices(SEED_GROUPS, { showMaintenance: true });

    it('counts what the tree shows: offers in maintenance only while they are shown', () => {
      const hidden = offerFilterChoices(SEED_GROUPS);
      const tree = buildOfferTree(SEED_GROUPS, DEFAULT_OFFER_FILTERS);
      for (const model of hidden.gpuModels) {
        const row = tree.groups.find((g) => g.displayName === model.value);
        assert.equal(model.offerCount, row?.children.length, model.value);
      }
      assert.equal(hidden.providers.find((c) => c.value === 'data-crunch')?.offerCount, 2);
      assert.equal(
        hidden.gpuModels.reduce((sum, c) => sum + c.offerCount, 0),
        tree.shownOffers,
      );
    });

    it('merges spellings of one provider under the first one seen', () => {
      const spelled = [
        group('H100_SXM5', 'H100 SXM5', [offer({ offerId: 'x1', provider: 'data-crunch', pricePerHour: 2 })]),
        group('A100_SXM4', 'A100 SXM4', [offer({ offerId: 'x2', provider: 'datacrunch', pricePerHour: 1 })]),
      ];
      assert.deepEqual(
        offerFilterChoices(spelled).providers.map((c) => [c.value, c.offerCount, c.lowestPricePerHour]),
        [['data-crunch', 2, 1]],
      );
    });

    it('lists distinct providers with counts and starting prices', () => {
      assert.deepEqual(
        choices.providers.map((c) => [c.value, c.offerCount, c.lowestPricePerHour]),
        [
          ['data-crunch', 3, 1.59],
          ['massed-compute', 2, 0.12],
          ['sesterce', 1, 0.88],
          ['spheron-ai', 2, 0.76],
          ['tensordock', 1, 0.38],
          ['voltage-park', 1, 21.52],
        ],
      );
    });

    it('lists GPU models, regions (prefix stripped), counts, VRAM sizes and types', () => {
      assert.deepEqual(
        choices.gpuModels.map((c) => c.value),
        ['A100 80GB SXM4', 'B200 SXM6', 'CPU', 'H100 SXM5', 'L40S', 'RTX 4090', 'RTX 5090', 'RTX PRO 6000'],
      );
      assert.ok(choices.regions.some((c) => c.value === 'culpeper-usa-1'));
      assert.ok(!choices.regions.some((c) => c.value.includes(':')));
      assert.equal(choices.regions.length, 10);
      assert.deepEqual(
        choices.gpuCounts.map((c) => c.value),
        [0, 1, 8],
      );
      assert.deepEqual(
        choices.vramSizesGb.map((c) => c.value),
        [24, 32, 48, 80, 96, 192],
      );
      assert.deepEqual(
        choices.instanceTypes.map((c) => [c.value, c.offerCount]),
        [
          ['CLUSTER', 1],
          ['DEDICATED', 8],
          ['SPOT', 1],
        ],
      );
    });
  });

  describe('regionLabel', () => {
    const cases: [string, string][] = [
      ['166e655a:culpeper-usa-1', 'culpeper-usa-1'],
      ['culpeper-usa-1', 'culpeper-usa-1'],
      ['Dallas, TX', 'Dallas, TX'],
      ['EU: North', 'EU: North'],
      ['abcdef:', 'abcdef:'],
    ];
    for (const [input, expected] of cases) {
      it(`${input} → ${expected}`, () => {
        assert.equal(regionLabel(input), expected);
      });
    }
  });

  describe('parseOfferFilters', () => {
    const cases: [string, unknown, OfferFilters][] = [
      ['undefined', undefined, DEFAULT_OFFER_FILTERS],
      ['null', null, DEFAULT_OFFER_FILTERS],
      ['a string', 'SPOT', DEFAULT_OFFER_FILTERS],
      ['an array', [1, 2], DEFAULT_OFFER_FILTERS],
      ['an empty object', {}, DEFAULT_OFFER_FILTERS],
      [
        'a valid object round-trips',
        {
          instanceTypes: ['SPOT'],
          providers: ['data-crunch'],
          gpuModels: ['H100 SXM5'],
          minVramGb: 48,
          gpuCounts: [1, 8],
          maxPricePerHour: 3,
          regions: ['FIN-01'],
          showMaintenance: true,
          search: '4090',
        },
        {
          instanceTypes: ['SPOT'],
          providers: ['data-crunch'],
          gpuModels: ['H100 SXM5'],
          minVramGb: 48,
          gpuCounts: [1, 8],
          maxPricePerHour: 3,
          regions: ['FIN-01'],
          showMaintenance: true,
          search: '4090',
        },
      ],
      [
        'bad fields fall back one by one, bad items are dropped',
        {
          instanceTypes: ['SPOT', 'BARE_METAL', 7, 'SPOT'],
          providers: 'data-crunch',
          gpuModels: [' H100 SXM5 ', '', null],
          minVramGb: -5,
          gpuCounts: [1, 1.5, -1, '8', 8],
          maxPricePerHour: Number.POSITIVE_INFINITY,
          regions: { a: 1 },
          showMaintenance: 'yes',
          search: '   ',
          extra: 'ignored',
        },
        { ...DEFAULT_OFFER_FILTERS, instanceTypes: ['SPOT'], gpuModels: ['H100 SXM5'], gpuCounts: [1, 8] },
      ],
      ['NaN price', { maxPricePerHour: Number.NaN }, DEFAULT_OFFER_FILTERS],
    ];
    for (const [name, raw, expected] of cases) {
      it(name, () => {
        const parsed = parseOfferFilters(raw);
        assert.deepEqual(parsed, expected);
        assert.equal('minVramGb' in parsed, expected.minVramGb !== undefined);
      });
    }

    it('never throws, even on hostile input', () => {
      const hostile = Object.create(null) as Record<string, unknown>;
      hostile.instanceTypes = new Proxy([], {});
      assert.doesNotThrow(() => parseOfferFilters(hostile));
    });
  });

  describe('a large catalogue (300 groups × 20 offers)', () => {
    const catalogue = largeCatalogue();
    const all = catalogue.flatMap((g) => g.offers);

    it('keeps every non-maintenance offer, grouped and sorted, with unique ids', () => {
      const tree = buildOfferTree(catalogue, DEFAULT_OFFER_FILTERS);
      const expected = all.filter((o) => !o.maintenance).length;
      assert.equal(tree.totalOffers, 6000);
      assert.equal(tree.shownOffers, expected);
      assert.equal(tree.hiddenMaintenance, 6000 - expected);
      assert.equal(tree.groups.length, 250);
      const ids = new Set(tree.groups.flatMap((g) => [g.id, ...g.children.map((c) => c.id)]));
      assert.equal(ids.size, 250 + expected);
      const lows = tree.groups.map((g) => g.children[0]?.offer.pricePerHour ?? 0);
      assert.deepEqual(
        lows,
        [...lows].sort((a, b) => a - b),
      );
    });

    it('applies combined filters the same way a naive filter does', () => {
      const f = filters({
        instanceTypes: ['SPOT'],
        gpuCounts: [1, 8],
        maxPricePerHour: 20,
        regions: ['region-3'],
      });
      const tree = buildOfferTree(catalogue, f);
      const naive = all.filter(
        (o) =>
          o.instanceType === 'SPOT' &&
          (o.gpuCount === 1 || o.gpuCount === 8) &&
          o.pricePerHour <= 20 &&
          o.regions.some((r) => r.replace(/^abcdef12:/, '') === 'region-3') &&
          !o.maintenance,
      );
      assert.ok(naive.length > 0);
      assert.deepEqual(new Set(offerIds(tree.groups)), new Set(naive.map((o) => o.offerId)));
    });

    it('collects filter choices from every offer', () => {
      const choices = offerFilterChoices(catalogue, { showMaintenance: true });
      assert.equal(choices.regions.length, 40);
      assert.equal(
        choices.providers.reduce((sum, c) => sum + c.offerCount, 0),
        6000,
      );
    });
  });
});
