// The idle guard in a real VS Code, against the simulator and a real sshd whose nvidia-smi prints
// the recorded H100-with-MIG output (utilisation [N/A], so no GPU signal), with no SSH session and
// no Jupyter kernel: the instance is idle. The record is back-dated rather than waited for; the
// warning's three answers are scripted (test mode), and termination runs through the real
// Terminate When Allowed scheduler against the simulator's clock.
import * as assert from 'node:assert/strict';
import { readIdleState, setIdleOverride, updateIdleRecord } from '../../src/core/guard/idleStore';
import { KEEP_1H_BUTTON, TERMINATE_NOW_BUTTON } from '../../src/core/guard/idleText';
import type { Services } from '../../src/vscode/services';
import { createFakeNvidiaSmi, type FakeNvidiaSmi } from '../support/fakeNvidiaSmi';
import { simulatorAdmin, spheronApi, waitFor } from './helpers';
import {
  OFFERS,
  advanceClock,
  createDeployment,
  simDeployment,
  uniqueName,
  within,
} from './lifecycleHelpers';
import { SEED_RUNNING_ID, instanceRow, syncedHost, useSshWorld } from './sshWorld';

const MINUTE = 60_000;

async function backdate(
  services: Services,
  deploymentId: string,
  idleMinutes: number,
  warnedMinutesAgo?: number,
) {
  const store = services.globalState;
  await setIdleOverride(store, deploymentId, 60);
  await updateIdleRecord(store, deploymentId, () => ({
    deploymentId,
    lastActiveAtMs: Date.now() - idleMinutes * MINUTE,
    ...(warnedMinutesAgo === undefined ? {} : { warnedAtMs: Date.now() - warnedMinutesAgo * MINUTE }),
  }));
}

/** Waits for the scheduler to finish with `deploymentId`: terminated, or moved later. */
function schedulerOutcome(services: Services, deploymentId: string): Promise<string> {
  return new Promise((resolve) => {
    const subscription = services.terminations.onDidChange((event) => {
      const id = 'entry' in event ? event.entry.deploymentId : event.deploymentId;
      if (
        id === deploymentId &&
        (event.type === 'done' || event.type === 'rescheduled' || event.type === 'failed')
      ) {
        subscription.dispose();
        resolve(event.type);
      }
    });
  });
}

describe('idle guard (extension host, simulator, real sshd)', function () {
  this.timeout(180_000);
  let fake: FakeNvidiaSmi | undefined;
  before(async () => {
    fake = await createFakeNvidiaSmi('h100-mig-load.csv');
  });
  const world = useSshWorld({ sessionBinDirs: () => (fake ? [fake.binDir] : []) });
  let previousLimits: unknown;

  before(async () => {
    const { config } = await simulatorAdmin<{ config: { rateLimit: unknown } }>('config', {});
    previousLimits = config.rateLimit;
    await simulatorAdmin('config', { rateLimit: { general: 0, creates: 0 } });
  });

  after(async () => {
    await simulatorAdmin('config', { rateLimit: previousLimits });
    await fake?.stop();
    // The seeded instance comes back running (same id) in later suites: it must not stay guarded.
    const store = (await spheronApi()).services.globalState;
    await setIdleOverride(store, SEED_RUNNING_ID, undefined);
    await updateIdleRecord(store, SEED_RUNNING_ID, () => undefined);
  });

  it('warns at limit − 10 min with the cost so far; Keep 1 h more moves the deadline in the shared store', async () => {
    const { services } = world();
    await syncedHost(world(), SEED_RUNNING_ID);
    await backdate(services, SEED_RUNNING_ID, 51);
    services.guards.scriptIdleAnswers([KEEP_1H_BUTTON]);
    await services.guards.idle.check();
    const [warning] = services.guards.shownIdleWarnings.splice(0);
    assert.match(
      String(warning),
      /has been idle for 51 min .* will be terminated in 10 min, .* It has cost \$[\d,.]+ so far at \$[\d.]+\/h\./,
    );
    const kept = await waitFor(
      () => readIdleState(services.context.globalState).records.get(SEED_RUNNING_ID)?.keepUntilMs,
      {
        message: 'the Keep to reach the shared store',
      },
    );
    assert.ok(
      Math.abs(kept - (Date.now() + 60 * MINUTE)) < 2 * MINUTE,
      `kept until ${new Date(kept).toISOString()}`,
    );
    assert.equal(services.terminations.isScheduled(SEED_RUNNING_ID), false);
    const row = instanceRow(services, SEED_RUNNING_ID)?.row;
    assert.match(String(row?.tooltip), /Idle guard: idle for 51 min · guard at 60 min/);
  });

  it('Terminate now: terminated through Terminate When Allowed, which waits out the minimum runtime', async () => {
    const { services } = world();
    const deployment = await createDeployment(services, OFFERS.rtx4090, uniqueName('idle-now'));
    await advanceClock(60);
    await syncedHost(world(), deployment.id);
    await backdate(services, deployment.id, 55);
    services.guards.scriptIdleAnswers([TERMINATE_NOW_BUTTON]);
    const firstRun = schedulerOutcome(services, deployment.id);
    await services.guards.idle.check();
    assert.equal(services.guards.shownIdleWarnings.splice(0).length, 1);
    // Inside the simulator's 20-minute minimum: Spheron refuses, the schedule waits.
    assert.equal(await within(firstRun, 30_000, 'the scheduler to try'), 'rescheduled');
    assert.ok(services.terminations.isScheduled(deployment.id));
    assert.equal((await simDeployment(deployment.id))?.status, 'running');
    // Past the minimum on the simulator's clock, the pending termination goes through.
    await advanceClock(21 * 60);
    const secondRun = schedulerOutcome(services, deployment.id);
    await services.terminations.schedule(deployment.id, Date.now(), deployment.name ?? deployment.id);
    assert.equal(await within(secondRun, 30_000, 'the termination'), 'done');
    assert.equal((await simDeployment(deployment.id))?.status, 'terminated');
  });

  it('no answer: at the limit it is terminated through the scheduler, after a fresh look', async () => {
    const { services } = world();
    await advanceClock(21 * 60);
    await syncedHost(world(), SEED_RUNNING_ID);
    await backdate(services, SEED_RUNNING_ID, 61, 11);
    const run = schedulerOutcome(services, SEED_RUNNING_ID);
    await services.guards.idle.check();
    assert.equal(services.guards.shownIdleWarnings.length, 0, 'warned before, not again');
    assert.ok(
      services.terminations.isScheduled(SEED_RUNNING_ID) ||
        (await simDeployment(SEED_RUNNING_ID))?.status === 'terminated',
    );
    assert.equal(await within(run, 30_000, 'the termination'), 'done');
    assert.equal((await simDeployment(SEED_RUNNING_ID))?.status, 'terminated');
  });
});
