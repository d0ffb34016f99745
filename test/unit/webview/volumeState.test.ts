import * as assert from 'node:assert/strict';
import type { VolumeRegions } from '../../../src/core/domain/types';
import { DEPLOYMENT_NAME_HINT, deploymentNameProblem } from '../../../src/core/deploy/names';
import { VOLUME_NAME_HINT } from '../../../src/core/volumes/volumeForm';
import type { VolumeInit } from '../../../src/shared/volumeProtocol';
import {
  defaultsForProvider,
  deriveVolumeView,
  emptyVolumeState,
  persistedVolumeState,
  persistedVolumeStateSchema,
  volumeReducer,
} from '../../../src/webview-ui/volume/state';
import type { VolumeAction, VolumeState } from '../../../src/webview-ui/volume/state';

const dcRegions: VolumeRegions = {
  hasAnyOffers: true,
  regions: ['FIN-01', 'FIN-02'].map((id) => ({
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
      minSizeGb: 1,
      maxSizeGb: 65_536,
      hourlyRatePerGb: 0.000109,
    },
  ],
};

function init(overrides: Partial<VolumeInit> = {}): VolumeInit {
  return {
    sessionId: 'vs-1',
    team: { id: 't', name: 'research' },
    providers: [
      { id: 'voltage-park', label: 'Voltage Park', summary: 'VP rules' },
      { id: 'data-crunch', label: 'DataCrunch', summary: 'DC rules' },
    ],
    regions: [
      { provider: 'voltage-park', regions: vpRegions },
      { provider: 'data-crunch', regions: dcRegions },
    ],
    submitState: { kind: 'idle' },
    submittedForm: null,
    ...overrides,
  };
}

function run(actions: readonly VolumeAction[], start: VolumeState = emptyVolumeState()): VolumeState {
  return actions.reduce(volumeReducer, start);
}

describe('volume form state', () => {
  it('starts with the first provider, its only region and 100 GB', () => {
    const state = run([{ type: 'init', init: init(), saved: undefined }]);
    assert.deepEqual(state.form, { name: '', provider: 'voltage-park', region: 'Dallas, TX', sizeGb: '100' });
    const view = deriveVolumeView(state);
    assert.equal(view.createEnabled, false, 'no name yet');
    assert.deepEqual(view.fieldErrors, {}, 'no errors before the user touches a field');
    assert.equal(view.providerRules, 'VP rules');
    assert.equal(view.regionRequired, false);
  });

  it('prices live as the size changes', () => {
    const state = run([
      { type: 'init', init: init(), saved: undefined },
      { type: 'edit', patch: { name: 'datasets', sizeGb: '1024' } },
    ]);
    const view = deriveVolumeView(state);
    assert.equal(view.pricePerHour, '$0.11/h');
    assert.equal(view.pricePerMonth, '$81.48');
    assert.match(view.rateNote, /\$0\.000109\/h per GB; a month is 730 hours/);
    assert.equal(view.createEnabled, true);
    assert.equal(view.sizeHelp, 'Whole GB, at least 1, up to 65536 GB.');
  });

  it('switches a provider to its own defaults and validates as the user types', () => {
    const state = run([
      { type: 'init', init: init(), saved: undefined },
      { type: 'edit', patch: { provider: 'data-crunch' } },
    ]);
    assert.deepEqual(state.form, { name: '', provider: 'data-crunch', region: 'FIN-01', sizeGb: '100' });
    const bad = run([{ type: 'edit', patch: { name: 'My Data', sizeGb: '20000' } }], state);
    const view = deriveVolumeView(bad);
    assert.match(view.fieldErrors.name ?? '', /lowercase/);
    assert.match(view.fieldErrors.sizeGb ?? '', /between 1 and 10240/);
    assert.equal(view.createEnabled, false);
  });

  it('keeps the chosen size across a provider switch while the new provider allows it', () => {
    const sized = run([
      { type: 'init', init: init(), saved: undefined },
      { type: 'edit', patch: { sizeGb: '500' } },
      { type: 'edit', patch: { provider: 'data-crunch' } },
    ]);
    assert.deepEqual(sized.form, { name: '', provider: 'data-crunch', region: 'FIN-01', sizeGb: '500' });
    // 20 000 GB fits Voltage Park (64 TB) but not DataCrunch (10 TB): the default comes back.
    const big = run([
      { type: 'init', init: init(), saved: undefined },
      { type: 'edit', patch: { sizeGb: '20000' } },
      { type: 'edit', patch: { provider: 'data-crunch' } },
    ]);
    assert.equal(big.form.sizeGb, '100');
    const typo = run([
      { type: 'init', init: init(), saved: undefined },
      { type: 'edit', patch: { sizeGb: '5x' } },
      { type: 'edit', patch: { provider: 'data-crunch' } },
    ]);
    assert.equal(typo.form.sizeGb, '100');
  });

  it('names a region with its id once', () => {
    const named: VolumeRegions = {
      hasAnyOffers: true,
      regions: [
        { ...dcRegions.regions[0], id: 'FIN-01', name: 'Finland (FIN-01)' },
        { ...dcRegions.regions[0], id: 'FIN-02', name: 'Finland' },
        { ...dcRegions.regions[0], id: 'FIN-03', name: 'FIN-03' },
      ],
    };
    const state = run([
      {
        type: 'init',
        init: init({ regions: [{ provider: 'data-crunch', regions: named }] }),
        saved: undefined,
      },
      { type: 'edit', patch: { provider: 'data-crunch' } },
    ]);
    assert.deepEqual(
      deriveVolumeView(state).regionOptions.map((o) => o.label),
      ['Finland (FIN-01)', 'Finland (FIN-02)', 'FIN-03'],
    );
  });

  it('prices a small volume with the same small-rate rule as the rate per GB', () => {
    const state = run([
      { type: 'init', init: init(), saved: undefined },
      { type: 'edit', patch: { name: 'tiny', sizeGb: '100' } },
    ]);
    const view = deriveVolumeView(state);
    assert.equal(view.pricePerHour, '$0.0109/h');
    assert.match(view.rateNote, /^\$0\.000109\/h per GB/);
  });

  it('explains why its name rule differs from an instance name’s, and words errors alike', () => {
    const state = run([
      { type: 'init', init: init(), saved: undefined },
      { type: 'edit', patch: { name: 'a'.repeat(61) } },
    ]);
    assert.equal(deriveVolumeView(state).fieldErrors.name, 'Use at most 60 characters (this has 61).');
    const upper = run([{ type: 'edit', patch: { name: 'My_Data' } }], state);
    assert.equal(
      deriveVolumeView(upper).fieldErrors.name,
      'Use only lowercase letters, digits, hyphens (-) and underscores (_).',
    );
    assert.match(
      VOLUME_NAME_HINT,
      /Spheron requires this for volume names; instance names follow the SSH host name rule/,
    );
    assert.match(DEPLOYMENT_NAME_HINT, /SSH host name \(spheron-<name>\), so no underscores/);
    assert.equal(deploymentNameProblem('a'.repeat(64)), 'Use at most 63 characters (this has 64).');
  });

  it('loads regions for a provider that had none and fills the defaults', () => {
    const state = run([
      {
        type: 'init',
        init: init({ regions: [{ provider: 'data-crunch', regions: null, error: 'HTTP 500' }] }),
        saved: undefined,
      },
      { type: 'edit', patch: { provider: 'data-crunch' } },
    ]);
    assert.equal(deriveVolumeView(state).regionsError, 'HTTP 500');
    const loading = run([{ type: 'regionsLoading', provider: 'data-crunch' }], state);
    assert.equal(deriveVolumeView(loading).regionsLoading, true);
    const loaded = run(
      [{ type: 'regions', entries: [{ provider: 'data-crunch', regions: dcRegions }] }],
      loading,
    );
    assert.equal(loaded.form.region, 'FIN-01');
    assert.equal(deriveVolumeView(loaded).regionsLoading, false);
    assert.equal(deriveVolumeView(loaded).regionsError, undefined);
    assert.deepEqual(
      deriveVolumeView(loaded).regionOptions.map((o) => o.value),
      ['FIN-01', 'FIN-02'],
    );
  });

  it('has the same submit discipline as the deploy form', () => {
    const ready = run([
      { type: 'init', init: init(), saved: undefined },
      { type: 'edit', patch: { name: 'datasets' } },
    ]);
    const sending = run([{ type: 'sendSubmit' }], ready);
    assert.equal(deriveVolumeView(sending).createEnabled, false);
    assert.equal(run([{ type: 'edit', patch: { name: 'other' } }], sending).form.name, 'datasets');
    const unconfirmed = run(
      [{ type: 'submitState', state: { kind: 'unconfirmed', message: 'm', retryAllowed: false } }],
      sending,
    );
    assert.equal(deriveVolumeView(unconfirmed).canCheckAgain, true);
    assert.equal(deriveVolumeView(unconfirmed).canTryAgain, false);
    const failed = run(
      [{ type: 'submitState', state: { kind: 'failed', message: 'No', fieldErrors: { sizeGb: 'Too big' } } }],
      sending,
    );
    assert.equal(deriveVolumeView(failed).fieldErrors.sizeGb, 'Too big');
    assert.equal(deriveVolumeView(failed).createEnabled, true);
    assert.equal(
      deriveVolumeView(run([{ type: 'edit', patch: { sizeGb: '50' } }], failed)).fieldErrors.sizeGb,
      undefined,
    );
  });

  it('restores saved state of the same session', () => {
    const edited = run([
      { type: 'init', init: init(), saved: undefined },
      { type: 'edit', patch: { name: 'keep-me' } },
    ]);
    const saved = persistedVolumeStateSchema.parse(JSON.parse(JSON.stringify(persistedVolumeState(edited))));
    assert.equal(run([{ type: 'init', init: init(), saved }]).form.name, 'keep-me');
    assert.equal(run([{ type: 'init', init: init({ sessionId: 'other' }), saved }]).form.name, '');
  });

  it('clamps the default size to the provider limits', () => {
    const small: VolumeRegions = {
      hasAnyOffers: true,
      regions: [{ ...dcRegions.regions[0], minSizeGb: 200, maxSizeGb: 300 }],
    };
    assert.deepEqual(defaultsForProvider('data-crunch', small), { region: 'FIN-01', sizeGb: '200' });
    assert.deepEqual(defaultsForProvider('data-crunch', null), { region: '', sizeGb: '100' });
  });
});
