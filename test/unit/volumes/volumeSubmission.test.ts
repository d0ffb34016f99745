// Exactly-once volume creation against the real simulator and client.
import * as assert from 'node:assert/strict';
import type { SpheronClient } from '../../../src/core/api/client';
import type { CreateVolumeRequest } from '../../../src/core/domain/types';
import { buildCreateVolumeRequest, validateVolumeForm } from '../../../src/core/volumes/volumeForm';
import type { VolumeFormValues } from '../../../src/core/volumes/volumeForm';
import {
  createVolumeSubmissionRegistry,
  submitVolumeForm,
  VolumeSubmission,
} from '../../../src/core/volumes/volumeSubmission';
import { CreateIntentLedger } from '../../../src/core/forms/createIntents';
import { SEED_IDS } from '../../simulator';
import { FakeTime, MemoryStore } from '../deploy/fakeTime';
import { TestClock, makeClient, postCount, useSimulator, waitFor } from '../deploy/simHarness';

describe('exactly-once volume submission (simulator)', function () {
  this.timeout(30_000);
  const sim = useSimulator();
  let client: SpheronClient;

  before(() => {
    client = makeClient(sim());
  });

  beforeEach(() => sim().resetRequestLog());

  async function requestFor(values: VolumeFormValues): Promise<CreateVolumeRequest> {
    const regions = await client.getVolumeRegions(values.provider);
    const result = validateVolumeForm(values, { regions });
    assert.ok(result.ok, JSON.stringify(result));
    return buildCreateVolumeRequest(result.value, SEED_IDS.team);
  }

  async function knownIds(): Promise<string[]> {
    return (await client.listVolumes()).map((v) => v.id);
  }

  function named(name: string): number {
    return sim().state.volumes.filter((v) => v.name === name).length;
  }

  it('creates a data-crunch volume once for a double submit', async () => {
    const request = await requestFor({
      name: 'fin-data',
      provider: 'data-crunch',
      region: 'FIN-02',
      sizeGb: '500',
    });
    const once = new VolumeSubmission({ api: client });
    const known = await knownIds();
    const first = once.submit(request, known);
    assert.equal(once.submit(request, known), first);
    const state = await first;
    assert.equal(state.kind, 'created');
    assert.equal(postCount(sim(), 'POST /api/volumes'), 1);
    assert.equal(named('fin-data'), 1);
    const stored = sim().state.volumes.find((v) => v.name === 'fin-data');
    assert.equal(stored?.region, 'FIN-02');
    assert.equal(stored?.sizeInGb, 500);
  });

  it('creates a voltage-park volume without sending a region', async () => {
    const request = await requestFor({
      name: 'vp-data',
      provider: 'voltage-park',
      region: '',
      sizeGb: '1024',
    });
    assert.equal('region' in request, false);
    const state = await new VolumeSubmission({ api: client }).submit(request, await knownIds());
    assert.equal(state.kind, 'created');
    assert.equal(named('vp-data'), 1);
  });

  it('finds the volume when the create timed out after the server made it', async () => {
    // The look-up after the timeout has the same 1.5 s: enough on a busy machine.
    const slow = makeClient(sim(), { timeoutMs: 1_500 });
    sim().injectFault({ route: 'POST /api/volumes', afterHandler: true, latencyMs: 3_000, times: 1 });
    const request = await requestFor({
      name: 'slow-volume',
      provider: 'data-crunch',
      region: 'FIN-01',
      sizeGb: '10',
    });
    const state = await new VolumeSubmission({ api: slow }).submit(request, await knownIds());
    assert.equal(state.kind, 'created');
    assert.equal(named('slow-volume'), 1);
    await waitFor(() => postCount(sim(), 'POST /api/volumes') === 1, 'the delayed POST to finish');
  });

  it('fails on a 400 with the field marked, and a reopened panel sees the result', async () => {
    const registry = createVolumeSubmissionRegistry({ api: client, clock: new TestClock() });
    const tooBig: CreateVolumeRequest = {
      name: 'too-big',
      provider: 'data-crunch',
      region: 'FIN-01',
      sizeGb: 999_999,
    };
    const failed = await registry.submit('volume-session', tooBig, await knownIds());
    assert.equal(failed.kind, 'failed');
    assert.ok(failed.kind === 'failed' && failed.fieldErrors['sizeGb'], JSON.stringify(failed));
    assert.match(failed.kind === 'failed' ? failed.message : '', /^Spheron refused the volume: /);
    const fixed = await registry.submit('volume-session', { ...tooBig, sizeGb: 100 }, await knownIds());
    assert.equal(fixed.kind, 'created');
    assert.deepEqual(
      await registry.submit('volume-session', { ...tooBig, sizeGb: 100 }, await knownIds()),
      fixed,
    );
    assert.equal(postCount(sim(), 'POST /api/volumes'), 2);
    assert.equal(named('too-big'), 1);
  });

  it('submitVolumeForm validates with the region limits, creates once and remembers the form', async () => {
    const registry = createVolumeSubmissionRegistry({ api: client });
    const regions = await client.getVolumeRegions('data-crunch');
    const form = { name: 'handler-volume', provider: 'data-crunch', region: 'FIN-03', sizeGb: '20' };
    const run = () =>
      submitVolumeForm({ registry, api: client, sessionId: 'v1', form, regions, teamId: SEED_IDS.team });
    const [a, b] = await Promise.all([run(), run()]);
    assert.equal(a.kind, 'created');
    assert.deepEqual(b, a);
    assert.equal(postCount(sim(), 'POST /api/volumes'), 1);
    assert.deepEqual(registry.formOf('v1'), form);

    const invalid = await submitVolumeForm({
      registry,
      api: client,
      sessionId: 'v2',
      form: { ...form, sizeGb: '10241' },
      regions,
      teamId: SEED_IDS.team,
    });
    assert.equal(invalid.kind, 'failed');
    assert.match(
      invalid.kind === 'failed' ? (invalid.fieldErrors['sizeGb'] ?? '') : '',
      /between 1 and 10240/,
    );
    assert.equal(postCount(sim(), 'POST /api/volumes'), 1);
  });

  it('a reload while the create is unanswered: the restored form looks for it instead of sending again', async () => {
    const time = new FakeTime(Date.now());
    const shared = new MemoryStore();
    const windowWith = () =>
      createVolumeSubmissionRegistry({
        api: client,
        clock: time,
        timers: time,
        intents: new CreateIntentLedger(shared, { clock: time }),
      });
    sim().injectFault({ route: 'POST /api/volumes', drop: true, commitDelaySeconds: 4, times: 1 });
    const values = { name: 'late-volume', provider: 'data-crunch', region: 'FIN-02', sizeGb: '50' };
    const before = windowWith();
    await submitVolumeForm({
      registry: before,
      api: client,
      sessionId: 'volume-form',
      form: values,
      regions: await client.getVolumeRegions('data-crunch'),
      teamId: SEED_IDS.team,
    });
    before.dispose();

    const after = windowWith();
    try {
      assert.equal((await after.resume('volume-form'))?.kind, 'unconfirmed');
      const again = await submitVolumeForm({
        registry: after,
        api: client,
        sessionId: 'volume-form',
        form: values,
        regions: await client.getVolumeRegions('data-crunch'),
        teamId: SEED_IDS.team,
      });
      assert.equal(again.kind, 'unconfirmed');
      sim().advanceClock(4);
      time.advance(10_000);
      assert.equal((await after.session('volume-form').settled()).kind, 'created');
      assert.equal(postCount(sim(), 'POST /api/volumes'), 1);
      assert.equal(named('late-volume'), 1);
    } finally {
      after.dispose();
    }
  });
});
