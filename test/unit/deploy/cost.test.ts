import * as assert from 'node:assert/strict';
import {
  DEFAULT_MINIMUM_RUNTIME_MINUTES,
  SPHERON_MINIMUM_DEPLOYMENT_USD,
  costLines,
  deployCost,
  minimumRuntimeOf,
} from '../../../src/core/deploy/cost';
import { hiddenVolumesSummary, volumesForOffer } from '../../../src/core/deploy/volumeCompatibility';
import { runway } from '../../../src/core/model/costs';
import { offer, volume } from '../webview/fixtures';

describe('deploy cost', () => {
  it('computes per hour, per day, minimum charge and runway', () => {
    const cost = deployCost({ pricePerHour: 21.52, minimumRuntimeMinutes: 60, balance: 250 });
    assert.equal(cost.perHour, 21.52);
    assert.ok(Math.abs(cost.perDay - 516.48) < 1e-9);
    assert.ok(Math.abs(cost.minimumCharge - 21.52) < 1e-9);
    assert.ok(Math.abs(cost.requiredBalance - 21.52) < 1e-9);
    assert.ok(Math.abs((cost.runwayHours ?? 0) - 250 / 21.52) < 1e-9);
    assert.equal(cost.canAfford, true);
    assert.equal(cost.reason, undefined);
  });

  it('uses the offer minimum runtime, else 20 minutes', () => {
    assert.equal(minimumRuntimeOf({ minimumRuntimeMinutes: 60 }), 60);
    assert.equal(minimumRuntimeOf({ minimumRuntimeMinutes: undefined }), DEFAULT_MINIMUM_RUNTIME_MINUTES);
    assert.equal(minimumRuntimeOf({ minimumRuntimeMinutes: Number.NaN }), 20);
    assert.equal(minimumRuntimeOf({ minimumRuntimeMinutes: 0 }), 0);
  });

  it('ignores a negative or infinite minimum runtime from the API, so the minimum charge is never $0', () => {
    assert.equal(minimumRuntimeOf({ minimumRuntimeMinutes: -30 }), DEFAULT_MINIMUM_RUNTIME_MINUTES);
    assert.equal(minimumRuntimeOf({ minimumRuntimeMinutes: -Number.MIN_VALUE }), 20);
    assert.equal(minimumRuntimeOf({ minimumRuntimeMinutes: Number.POSITIVE_INFINITY }), 20);
    const cost = deployCost({
      pricePerHour: 60,
      minimumRuntimeMinutes: minimumRuntimeOf({ minimumRuntimeMinutes: -30 }),
      balance: 100,
    });
    assert.equal(cost.minimumCharge, 20);
  });

  it('refuses by the $3 minimum deployment when the minimum charge is smaller', () => {
    const cost = deployCost({ pricePerHour: 0.38, minimumRuntimeMinutes: 20, balance: 2.99 });
    assert.equal(cost.requiredBalance, SPHERON_MINIMUM_DEPLOYMENT_USD);
    assert.equal(cost.canAfford, false);
    assert.match(cost.reason ?? '', /balance is \$2\.99\. Spheron needs at least \$3\.00 .* Add credit/);
    assert.equal(deployCost({ pricePerHour: 0.38, minimumRuntimeMinutes: 20, balance: 3 }).canAfford, true);
  });

  it('refuses by the minimum charge when it exceeds $3', () => {
    // 20 minutes of an 8×B200 at 57.6071/h is 19.20.
    const cost = deployCost({ pricePerHour: 57.6071, minimumRuntimeMinutes: 20, balance: 19 });
    assert.equal(cost.canAfford, false);
    assert.match(
      cost.reason ?? '',
      /\(\$19\.00\) does not cover the minimum charge of \$19\.20 \(20 minutes at \$57\.61\/h\)/,
    );
    assert.equal(
      deployCost({ pricePerHour: 57.6071, minimumRuntimeMinutes: 20, balance: 19.21 }).canAfford,
      true,
    );
  });

  it('treats float noise at the boundary as enough', () => {
    assert.equal(
      deployCost({ pricePerHour: 0.9, minimumRuntimeMinutes: 20, balance: 3 - 1e-12 }).canAfford,
      true,
    );
    assert.equal(
      deployCost({ pricePerHour: 0.9, minimumRuntimeMinutes: 20, balance: 3 - 1e-6 }).canAfford,
      false,
    );
  });

  it('counts a balance exactly at the requirement once float noise is added back as enough', () => {
    assert.equal(
      deployCost({ pricePerHour: 0.9, minimumRuntimeMinutes: 20, balance: 3 - 1e-9 }).canAfford,
      true,
    );
  });

  it('names the $3 minimum, not the minimum charge, when the minimum charge is exactly $3', () => {
    const cost = deployCost({ pricePerHour: 9, minimumRuntimeMinutes: 20, balance: 2 });
    assert.equal(cost.minimumCharge, 3);
    assert.match(cost.reason ?? '', /^Your team balance is \$2\.00\. Spheron needs at least \$3\.00/);
  });

  it('treats a balance that is not a number as unknown, and a free offer as lasting forever', () => {
    const nan = deployCost({ pricePerHour: 1, minimumRuntimeMinutes: 20, balance: Number.NaN });
    assert.equal(nan.balance, undefined);
    assert.equal(nan.runwayHours, undefined);
    assert.equal(nan.canAfford, true);
    const freeAtZero = deployCost({ pricePerHour: 0, minimumRuntimeMinutes: 20, balance: 0 });
    assert.equal(freeAtZero.runwayHours, Number.POSITIVE_INFINITY);
  });

  it('handles a zero balance, a negative balance, a free offer and an unknown balance', () => {
    const zero = deployCost({ pricePerHour: 1, minimumRuntimeMinutes: 20, balance: 0 });
    assert.equal(zero.canAfford, false);
    assert.equal(zero.runwayHours, 0);
    assert.equal(deployCost({ pricePerHour: 1, minimumRuntimeMinutes: 20, balance: -5 }).runwayHours, 0);
    const free = deployCost({ pricePerHour: 0, minimumRuntimeMinutes: 20, balance: 10 });
    assert.equal(free.runwayHours, Number.POSITIVE_INFINITY);
    assert.equal(free.minimumCharge, 0);
    assert.equal(free.canAfford, true);
    const unknown = deployCost({ pricePerHour: 1, minimumRuntimeMinutes: 20, balance: undefined });
    assert.equal(unknown.canAfford, true);
    assert.equal(unknown.runwayHours, undefined);
  });

  it('counts a negative, infinite or unreadable current burn as nothing burning', () => {
    // The burn comes from the status bar's sum over live instances; a refund shown as a negative
    // price or a corrupt rate must not stretch or zero the runway of the new instance.
    const alone = deployCost({ pricePerHour: 2, minimumRuntimeMinutes: 20, balance: 100 });
    for (const burn of [-5, Number.POSITIVE_INFINITY, Number.NaN, undefined]) {
      const cost = deployCost({
        pricePerHour: 2,
        minimumRuntimeMinutes: 20,
        balance: 100,
        currentBurnPerHour: burn,
      });
      assert.equal(cost.currentBurnPerHour, 0, `burn ${burn}`);
      assert.equal(cost.runwayHours, alone.runwayHours, `burn ${burn}`);
    }
    assert.equal(
      deployCost({ pricePerHour: 2, minimumRuntimeMinutes: 20, balance: 100, currentBurnPerHour: 3 })
        .runwayHours,
      20,
    );
  });

  it('formats the cost panel rows', () => {
    const lines = costLines(deployCost({ pricePerHour: 2.91, minimumRuntimeMinutes: 20, balance: 250 }));
    assert.deepEqual(
      lines.map((l) => [l.id, l.label, l.value]),
      [
        ['per-hour', 'Price', '$2.91/h'],
        ['per-day', 'Per day (24 h)', '$69.84'],
        ['minimum-charge', 'Minimum charge (20 min)', '$0.97'],
        ['balance', 'Team balance', '$250.00'],
        ['runway', 'Lasts with this instance', '3 days 13 h (nothing else bills now)'],
      ],
    );
    // The walk: the status bar burned $5.96/h, so with an H100 at $2.91/h the balance
    // lasts 250 / 8.87 h, the status bar's runway at the new total, not 250 / 2.91 h.
    const burning = deployCost({
      pricePerHour: 2.91,
      minimumRuntimeMinutes: 20,
      balance: 250,
      currentBurnPerHour: 5.96,
    });
    assert.equal(burning.runwayHours, runway(250, 5.96 + 2.91).hours);
    assert.equal(
      costLines(burning).find((l) => l.id === 'runway')?.value,
      `${runway(250, 8.87).text} (now burning $5.96/h)`,
    );
    assert.equal(runway(250, 8.87).text, '1 day 4 h');
    const unknown = costLines(deployCost({ pricePerHour: 1, minimumRuntimeMinutes: 20, balance: undefined }));
    assert.equal(unknown.find((l) => l.id === 'balance')?.value, 'unavailable');
    assert.equal(
      unknown.some((l) => l.id === 'runway'),
      false,
    );
  });
});

describe('compatible volumes', () => {
  const dcOffer = offer({ provider: 'data-crunch', regions: ['FIN-01', 'FIN-02'] });
  const vpOffer = offer({ provider: 'voltage-park', regions: ['Dallas, TX'], instanceType: 'CLUSTER' });

  it('keeps data-crunch volumes of the chosen region, attached ones too (multi-attach)', () => {
    const here = volume({ id: 'here', region: 'FIN-01' });
    const shared = volume({
      id: 'shared',
      region: 'FIN-01',
      status: 'attached',
      attachedDeploymentIds: ['d9'],
    });
    const there = volume({ id: 'there', region: 'FIN-02' });
    const unknownRegion = volume({ id: 'nowhere', region: null });
    const rebranded = volume({ id: 'verda', provider: 'verda', region: 'FIN-01' });
    const result = volumesForOffer([here, shared, there, unknownRegion, rebranded], dcOffer, 'FIN-01');
    assert.deepEqual(
      result.compatible.map((v) => v.id),
      ['here', 'shared', 'verda'],
    );
    assert.deepEqual(
      result.hidden.map((h) => [h.volume.id, h.reason]),
      [
        ['there', 'other-region'],
        ['nowhere', 'other-region'],
      ],
    );
    assert.match(result.hidden[0]?.explanation ?? '', /It is in FIN-02; this instance will be in FIN-01/);
    assert.equal(result.maxSelectable, undefined);
    assert.match(result.providerRule ?? '', /same region/);
    assert.deepEqual(
      volumesForOffer([here, there], dcOffer, 'FIN-02').compatible.map((v) => v.id),
      ['there'],
    );
  });

  it('keeps only unattached voltage-park volumes, one at most, and hides other providers', () => {
    const free = volume({ id: 'free', provider: 'voltage-park', region: 'Dallas, TX' });
    const busy = volume({
      id: 'busy',
      provider: 'voltage-park',
      region: 'Dallas, TX',
      attachedDeploymentIds: ['d1'],
    });
    const dc = volume({ id: 'dc', provider: 'data-crunch' });
    const deleting = volume({
      id: 'deleting',
      provider: 'voltage-park',
      status: 'deleting',
      rawStatus: 'deleting',
    });
    const result = volumesForOffer([free, busy, dc, deleting], vpOffer, 'Dallas, TX');
    assert.deepEqual(
      result.compatible.map((v) => v.id),
      ['free'],
    );
    assert.deepEqual(
      result.hidden.map((h) => h.reason),
      ['attached', 'other-provider', 'unusable'],
    );
    assert.equal(result.maxSelectable, 1);
    assert.equal(
      hiddenVolumesSummary(result.hidden),
      '3 volumes are hidden: 1 attached elsewhere, 1 from another provider, 1 being deleted or unavailable.',
    );
  });

  it('hides everything for a provider without volumes', () => {
    const result = volumesForOffer([volume()], offer({ provider: 'massed-compute' }), 'FIN-01');
    assert.equal(result.compatible.length, 0);
    assert.equal(result.hidden[0]?.reason, 'no-volume-support');
    assert.equal(result.providerRule, undefined);
    assert.equal(hiddenVolumesSummary([]), undefined);
    assert.equal(hiddenVolumesSummary(result.hidden), '1 volume is hidden: 1 not usable with this provider.');
  });
});
