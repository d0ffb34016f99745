import * as assert from 'node:assert/strict';
import type { VolumeRegions } from '../../../src/core/domain/types';
import {
  canonicalProvider,
  sameProvider,
  volumeProviderLabel,
  volumeProviderRules,
} from '../../../src/core/volumes/providerRules';
import {
  HOURS_PER_MONTH,
  buildCreateVolumeRequest,
  sizeLimits,
  validateVolumeForm,
  validateVolumeName,
  volumePrice,
} from '../../../src/core/volumes/volumeForm';
import type { VolumeFormValues } from '../../../src/core/volumes/volumeForm';
import { checkAttach, checkDelete, checkDetach, listInWords } from '../../../src/core/volumes/volumeRules';
import type { VolumeTargetInstance } from '../../../src/core/volumes/volumeRules';
import { volume } from '../webview/fixtures';

const dcRegions: VolumeRegions = {
  hasAnyOffers: true,
  regions: ['FIN-01', 'FIN-02', 'FIN-03'].map((id) => ({
    id,
    name: id,
    hasGpuOffers: true,
    minSizeGb: 1,
    maxSizeGb: 10_240,
    hourlyRatePerGb: 0.0002,
  })),
};
const vpRegions: VolumeRegions = {
  hasAnyOffers: true,
  regions: [
    {
      id: 'Dallas, TX',
      name: 'Dallas, TX',
      hasGpuOffers: true,
      minSizeGb: 10,
      maxSizeGb: 65_536,
      hourlyRatePerGb: 0.000109,
    },
  ],
};

function form(overrides: Partial<VolumeFormValues> = {}): VolumeFormValues {
  return { name: 'datasets-01', provider: 'data-crunch', region: 'FIN-01', sizeGb: '100', ...overrides };
}

describe('volume form', () => {
  describe('name', () => {
    for (const name of ['a', 'datasets_01', 'x-y_z-9', 'a'.repeat(60)]) {
      it(`accepts "${name.slice(0, 20)}"`, () => assert.equal(validateVolumeName(name), undefined));
    }
    const bad: [string, RegExp][] = [
      ['', /Enter a name/],
      ['a'.repeat(61), /at most 60/],
      ['Datasets', /lowercase letters/],
      ['my data', /lowercase letters/],
      ['data.set', /lowercase letters/],
    ];
    for (const [name, message] of bad) {
      it(`refuses "${name.slice(0, 12)}"`, () => assert.match(validateVolumeName(name) ?? '', message));
    }
  });

  describe('validateVolumeForm', () => {
    it('accepts a data-crunch volume with its region', () => {
      const result = validateVolumeForm(form(), { regions: dcRegions });
      assert.ok(result.ok);
      assert.equal(result.value.sizeGb, 100);
      assert.equal(result.value.region, 'FIN-01');
      assert.deepEqual(buildCreateVolumeRequest(result.value, 'team-1'), {
        name: 'datasets-01',
        sizeGb: 100,
        provider: 'data-crunch',
        region: 'FIN-01',
        teamId: 'team-1',
      });
    });

    it('requires a region for data-crunch', () => {
      const result = validateVolumeForm(form({ region: '' }), { regions: dcRegions });
      assert.equal(result.ok, false);
      assert.match(result.ok ? '' : (result.fieldErrors.region ?? ''), /Choose a region/);
      const unknown = validateVolumeForm(form({ region: 'FIN-09' }), { regions: dcRegions });
      assert.match(unknown.ok ? '' : (unknown.fieldErrors.region ?? ''), /no region "FIN-09"/);
      const loading = validateVolumeForm(form(), { regions: undefined });
      assert.match(loading.ok ? '' : (loading.fieldErrors.region ?? ''), /still loading/);
    });

    it('does not send a region for voltage-park but uses its limits', () => {
      const result = validateVolumeForm(form({ provider: 'voltage-park', region: '', sizeGb: '65536' }), {
        regions: vpRegions,
      });
      assert.ok(result.ok);
      assert.equal(result.value.region, undefined);
      assert.equal(result.value.pricedRegion?.id, 'Dallas, TX');
      assert.equal('region' in buildCreateVolumeRequest(result.value, undefined), false);
      assert.equal('teamId' in buildCreateVolumeRequest(result.value, undefined), false);
      const tooSmall = validateVolumeForm(
        form({ provider: 'voltage-park', region: 'Dallas, TX', sizeGb: '9' }),
        { regions: vpRegions },
      );
      assert.match(tooSmall.ok ? '' : (tooSmall.fieldErrors.sizeGb ?? ''), /between 10 and 65536 GB/);
    });

    it('checks the size is a whole number within the region limits', () => {
      const sizeError = (sizeGb: string) => {
        const result = validateVolumeForm(form({ sizeGb }), { regions: dcRegions });
        return result.ok ? undefined : result.fieldErrors.sizeGb;
      };
      assert.equal(sizeError('1'), undefined);
      assert.equal(sizeError(' 10240 '), undefined);
      assert.match(sizeError('10241') ?? '', /between 1 and 10240 GB/);
      assert.match(sizeError('0') ?? '', /between 1 and 10240/);
      assert.match(sizeError('') ?? '', /Enter a size/);
      assert.match(sizeError('1.5') ?? '', /whole number/);
      assert.match(sizeError('-3') ?? '', /whole number/);
      assert.match(sizeError('1e3') ?? '', /whole number/);
      assert.deepEqual(sizeLimits(form({ provider: 'sesterce', region: '' }), undefined), {
        min: 1,
        max: Number.MAX_SAFE_INTEGER,
      });
    });

    it('refuses unknown providers', () => {
      const result = validateVolumeForm(form({ provider: 'massed-compute' }), { regions: dcRegions });
      assert.match(result.ok ? '' : (result.fieldErrors.provider ?? ''), /does not offer volumes/);
      const none = validateVolumeForm(form({ provider: '' }), { regions: undefined });
      assert.match(none.ok ? '' : (none.fieldErrors.provider ?? ''), /Choose a provider/);
    });
  });

  it('prices per hour and per 730-hour month', () => {
    const price = volumePrice(0.000109, 1024);
    assert.ok(Math.abs(price.perHour - 0.111616) < 1e-12);
    assert.ok(Math.abs(price.perMonth - 0.111616 * HOURS_PER_MONTH) < 1e-9);
    assert.deepEqual(volumePrice(0.0002, 0), { perHour: 0, perMonth: 0 });
    assert.deepEqual(volumePrice(-1, 10), { perHour: 0, perMonth: 0 });
  });

  describe('provider rules', () => {
    it('knows the four volume providers and their limits', () => {
      assert.equal(volumeProviderRules('voltage-park')?.maxVolumesPerInstance, 1);
      assert.equal(volumeProviderRules('voltage-park')?.maxSizeGb, 65_536);
      assert.match(
        volumeProviderRules('voltage-park')?.summary ?? '',
        /Dallas, TX.*64 TB.*one instance at a time/,
      );
      assert.equal(volumeProviderRules('data-crunch')?.multiAttach, true);
      assert.match(
        volumeProviderRules('data-crunch')?.summary ?? '',
        /10 TB.*several instances.*same region/,
      );
      assert.equal(volumeProviderRules('massed-compute'), undefined);
      assert.equal(volumeProviderLabel('massed-compute'), 'massed-compute');
    });

    it('compares provider slugs across aliases and id suffixes', () => {
      assert.equal(canonicalProvider('verda'), 'data-crunch');
      assert.equal(canonicalProvider('VoltagePark'), 'voltage-park');
      assert.equal(sameProvider('voltage-park-7f3a', 'voltage-park'), true);
      assert.equal(sameProvider('data-crunch', 'voltage-park'), false);
      assert.equal(sameProvider('sesterce', 'Sesterce'), true);
    });
  });

  describe('attach, detach and delete refusals', () => {
    const running = (overrides: Partial<VolumeTargetInstance> = {}): VolumeTargetInstance => ({
      id: 'd1',
      name: 'trainer',
      provider: 'voltage-park',
      region: 'Dallas, TX',
      status: 'running',
      ...overrides,
    });
    const names: Record<string, string> = { d1: 'trainer', d2: 'notebook' };
    const nameOf = (id: string) => names[id];

    it('allows attaching a free volume of the same provider to a running instance', () => {
      const vp = volume({ provider: 'voltage-park', region: 'Dallas, TX' });
      assert.deepEqual(checkAttach(vp, running(), [vp]), { allowed: true });
    });

    it('explains each refusal in plain words', () => {
      const vp = volume({ id: 'v1', name: 'data', provider: 'voltage-park', region: 'Dallas, TX' });
      const reason = (check: ReturnType<typeof checkAttach>) => (check.allowed ? '' : check.reason);
      assert.match(
        reason(checkAttach(vp, running({ provider: 'data-crunch' }), [vp])),
        /"data" is a Voltage Park volume and can only be attached to Voltage Park instances; "trainer" runs on DataCrunch/,
      );
      assert.match(
        reason(checkAttach(vp, running({ status: 'deploying' }), [vp])),
        /only be attached to running instances; "trainer" is deploying/,
      );
      const attachedElsewhere = { ...vp, attachedDeploymentIds: ['d2'] };
      assert.match(
        reason(checkAttach(attachedElsewhere, running(), [attachedElsewhere], nameOf)),
        /attached to "notebook"\. Voltage Park volumes attach to one instance at a time/,
      );
      const other = volume({
        id: 'v2',
        name: 'models',
        provider: 'voltage-park',
        attachedDeploymentIds: ['d1'],
      });
      assert.match(
        reason(checkAttach(vp, running(), [vp, other])),
        /"trainer" already has "models" attached\. Voltage Park allows one volume per instance/,
      );
      assert.match(
        reason(checkAttach({ ...vp, attachedDeploymentIds: ['d1'] }, running(), [vp])),
        /already attached to "trainer"/,
      );
      const dc = volume({ name: 'fin', provider: 'data-crunch', region: 'FIN-01' });
      assert.match(
        reason(checkAttach(dc, running({ provider: 'data-crunch', region: 'FIN-02' }), [dc])),
        /"fin" is in FIN-01 and "trainer" is in FIN-02\. DataCrunch volumes attach only to instances in their own region/,
      );
      const deleting = volume({ provider: 'voltage-park', status: 'deleting' });
      assert.match(reason(checkAttach(deleting, running(), [deleting])), /being deleted/);
    });

    it('lets a data-crunch volume attach to several instances in its region', () => {
      const dc = volume({ provider: 'data-crunch', region: 'FIN-01', attachedDeploymentIds: ['d2'] });
      const other = volume({
        id: 'v9',
        provider: 'data-crunch',
        region: 'FIN-01',
        attachedDeploymentIds: ['d1'],
      });
      assert.deepEqual(checkAttach(dc, running({ provider: 'data-crunch', region: 'FIN-01' }), [dc, other]), {
        allowed: true,
      });
    });

    it('refuses to delete an attached volume, naming the instances', () => {
      const attached = volume({ name: 'data', attachedDeploymentIds: ['d1', 'd2', 'd3'] });
      const check = checkDelete(attached, nameOf);
      assert.equal(check.allowed, false);
      assert.equal(
        check.allowed ? '' : check.reason,
        'Volume "data" is attached to "trainer", "notebook" and instance d3. Detach it before deleting it.',
      );
      assert.deepEqual(checkDelete(volume()), { allowed: true });
      assert.equal(checkDelete(volume({ status: 'deleting' })).allowed, false);
    });

    it('refuses to detach from an instance it is not attached to', () => {
      const vol = volume({ name: 'data', attachedDeploymentIds: ['d1'] });
      assert.deepEqual(checkDetach(vol, 'd1'), { allowed: true });
      const check = checkDetach(vol, 'd2', nameOf);
      assert.equal(check.allowed ? '' : check.reason, 'Volume "data" is not attached to "notebook".');
    });

    it('joins names in words', () => {
      assert.equal(listInWords([]), '');
      assert.equal(listInWords(['a']), 'a');
      assert.equal(listInWords(['a', 'b']), 'a and b');
      assert.equal(listInWords(['a', 'b', 'c']), 'a, b and c');
    });
  });
});
