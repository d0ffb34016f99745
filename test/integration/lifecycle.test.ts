// Terminate (with can-terminate and "Terminate When Allowed") and rename, in the real extension
// host against the simulator. Modal confirmations take scripted answers in test mode
// (src/vscode/prompts.ts): `executeCommand(id, target, { answers: ['<button>'] })`.
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { Deployment } from '../../src/core/domain/types';
import { DEFAULT_STORAGE_KEY } from '../../src/core/deploy/terminationScheduler';
import type { Services } from '../../src/vscode/services';
import { simulatorAdmin, waitFor } from './helpers';
import {
  OFFERS,
  SEED,
  advanceClock,
  createDeployment,
  freshSimulator,
  instanceRow,
  labelOf,
  resyncExtension,
  services as getServices,
  simDeployment,
  simRequests,
  uniqueName,
  within,
} from './lifecycleHelpers';

const TERMINATE = 'spheron.instance.terminate';
const WHEN_ALLOWED = 'Terminate When Allowed';

/** A deployment of the cheap RTX 4090 offer (20 min minimum), running, and listed by the extension. */
async function runningDeployment(services: Services, prefix: string): Promise<Deployment> {
  const deployment = await createDeployment(services, OFFERS.rtx4090, uniqueName(prefix));
  await advanceClock(60);
  await services.explorer.refresh('instances');
  await waitFor(() => instanceRow(services, deployment.id), {
    timeoutMs: 20_000,
    message: `the Instances row of ${deployment.name ?? deployment.id}`,
  });
  assert.equal((await simDeployment(deployment.id))?.status, 'running');
  return deployment;
}

async function countOf(route: string): Promise<number> {
  return (await simRequests()).byRoute[route] ?? 0;
}

/**
 * Makes the scheduler's pending termination of `deploymentId` due now (its timer runs at the real
 * time the user was told, while the simulator's clock was moved ahead) and waits until it ran:
 * rescheduled (still pending, later) or gone from the schedule.
 */
async function runScheduledNow(services: Services, deploymentId: string, name: string): Promise<void> {
  const scheduler = services.terminations;
  const ran = new Promise<string>((resolve) => {
    const subscription = scheduler.onDidChange((event) => {
      if (event.type === 'rescheduled' || event.type === 'done' || event.type === 'failed') {
        subscription.dispose();
        resolve(event.type);
      }
    });
  });
  await scheduler.schedule(deploymentId, Date.now(), name);
  await within(ran, 30_000, 'the scheduled termination to run');
}

describe('terminate and rename', function () {
  this.timeout(120_000);
  let services: Services;
  let restore: () => Promise<void>;

  before(async () => {
    services = await getServices();
    restore = await freshSimulator(services);
  });

  beforeEach(async () => {
    await simulatorAdmin('requests', undefined, 'DELETE');
  });

  after(async () => {
    await simulatorAdmin('reset', {});
    await resyncExtension(services);
    await restore();
  });

  it('inside the minimum runtime: refused, “Terminate When Allowed” scheduled and shown, done once the window has passed', async () => {
    const deployment = await runningDeployment(services, 'window');
    const name = deployment.name ?? deployment.id;

    // "Terminate" is not among the buttons inside the window: that answer cancels, nothing is sent.
    assert.equal(
      await vscode.commands.executeCommand(TERMINATE, deployment.id, { answers: ['Terminate'] }),
      'cancelled',
    );
    assert.equal(await countOf('DELETE /api/deployments/:id'), 0);
    assert.equal(await countOf('GET /api/deployments/:id/can-terminate'), 1);

    const result = await vscode.commands.executeCommand(TERMINATE, deployment.id, {
      answers: [WHEN_ALLOWED],
    });
    assert.equal(result, 'scheduled');
    assert.equal(await countOf('DELETE /api/deployments/:id'), 0);
    assert.equal((await simDeployment(deployment.id))?.status, 'running');
    assert.ok(services.terminations.isScheduled(deployment.id));
    // Persisted, so a window reload keeps it.
    const saved = services.context.globalState.get<{ entries: { deploymentId: string }[] }>(
      DEFAULT_STORAGE_KEY,
    );
    assert.ok(
      saved?.entries.some((entry) => entry.deploymentId === deployment.id),
      JSON.stringify(saved),
    );
    // Shown on the instance's row: its menu offers "Cancel Scheduled Termination" instead of "Terminate".
    const row = await waitFor(
      () => {
        const item = instanceRow(services, deployment.id);
        return /\+scheduledTerminate\b/.test(String(item?.contextValue)) ? item : undefined;
      },
      { message: 'the row to show the scheduled termination' },
    );
    assert.match(String(row.description), / · ends \d\d:\d\d · /);
    assert.equal(services.contextKeys.get('spheron.hasScheduledTermination'), true);

    // Run it now, still inside the window: Spheron refuses, the schedule moves on.
    await runScheduledNow(services, deployment.id, name);
    assert.ok(services.terminations.isScheduled(deployment.id), 'still scheduled after a refusal');
    assert.equal((await simDeployment(deployment.id))?.status, 'running');
    assert.equal(await countOf('DELETE /api/deployments/:id'), 0, 'can-terminate said no: no DELETE');

    // Past the 20 minutes, it terminates.
    await advanceClock(21 * 60);
    await runScheduledNow(services, deployment.id, name);
    assert.equal(services.terminations.isScheduled(deployment.id), false);
    assert.equal((await simDeployment(deployment.id))?.status, 'terminated');
    assert.equal(await countOf('DELETE /api/deployments/:id'), 1);
    // The shared store is written after the run finishes (merged with other windows' writes).
    await waitFor(
      () =>
        !services.context.globalState
          .get<{ entries: { deploymentId: string }[] }>(DEFAULT_STORAGE_KEY)
          ?.entries.some((entry) => entry.deploymentId === deployment.id),
      { timeoutMs: 30_000, message: 'the done entry to leave the stored schedule' },
    );
    // Ended instances are hidden by default: the row goes.
    await waitFor(() => !instanceRow(services, deployment.id), {
      timeoutMs: 20_000,
      message: 'the terminated instance to leave the Instances view',
    });
  });

  it('a scheduled termination can be cancelled from the row', async () => {
    const deployment = await runningDeployment(services, 'keep');
    assert.equal(
      await vscode.commands.executeCommand(TERMINATE, deployment.id, { answers: [WHEN_ALLOWED] }),
      'scheduled',
    );
    const node = services.explorer.instancesTree.nodes.find((n) => n.id === `instance:${deployment.id}`);
    assert.ok(node);
    assert.equal(
      await vscode.commands.executeCommand('spheron.instance.cancelScheduledTermination', node),
      true,
    );
    assert.equal(services.terminations.isScheduled(deployment.id), false);
    await waitFor(
      () => {
        const contextValue = String(instanceRow(services, deployment.id)?.contextValue);
        return /\+terminable\b/.test(contextValue) && !/\+scheduledTerminate\b/.test(contextValue);
      },
      { message: 'the row to drop the scheduled termination' },
    );
    assert.doesNotMatch(String(instanceRow(services, deployment.id)?.description), / · ends \d\d:\d\d/);
    assert.equal((await simDeployment(deployment.id))?.status, 'running');
    // Nothing is scheduled any more: the palette stops offering Cancel Scheduled Termination.
    assert.equal(services.terminations.scheduled().length, 0);
    assert.equal(services.contextKeys.get('spheron.hasScheduledTermination'), false);
  });

  it('after the minimum runtime: confirmed, terminated, and gone from the view', async () => {
    const deployment = await runningDeployment(services, 'done');
    await advanceClock(21 * 60);
    // Cancelling the dialog sends nothing.
    assert.equal(
      await vscode.commands.executeCommand(TERMINATE, deployment.id, { answers: [] }),
      'cancelled',
    );
    assert.equal(await countOf('DELETE /api/deployments/:id'), 0);
    assert.equal(
      await vscode.commands.executeCommand(TERMINATE, deployment.id, { answers: ['Terminate'] }),
      'terminated',
    );
    assert.equal((await simDeployment(deployment.id))?.status, 'terminated');
    assert.equal(await countOf('DELETE /api/deployments/:id'), 1);
    await waitFor(() => !instanceRow(services, deployment.id), {
      timeoutMs: 20_000,
      message: 'the terminated instance to leave the Instances view',
    });
  });

  it('terminating an instance that is already terminated counts as success', async () => {
    // Terminated behind the extension's back: the view still says running.
    const deployment = await runningDeployment(services, 'gone');
    await advanceClock(21 * 60);
    await simulatorAdmin(`deployments/${deployment.id}/status`, { status: 'terminated' });
    assert.equal(
      await vscode.commands.executeCommand(TERMINATE, deployment.id, { answers: ['Terminate'] }),
      'already-terminated',
    );
    await waitFor(() => !instanceRow(services, deployment.id), {
      timeoutMs: 20_000,
      message: 'the terminated instance to leave the Instances view',
    });
    // The seed's terminated deployment.
    assert.equal(
      await vscode.commands.executeCommand(TERMINATE, SEED.terminatedDeployment, { answers: ['Terminate'] }),
      'already-terminated',
    );

    // can-terminate still said yes, then the DELETE finds it terminated.
    const racing = await runningDeployment(services, 'race');
    await advanceClock(21 * 60);
    await simulatorAdmin('faults', {
      route: 'GET /api/deployments/:id/can-terminate',
      status: 200,
      body: { canTerminate: true, runtime: 22, minimumRuntime: 20, timeRemaining: 0 },
      times: 1,
    });
    await simulatorAdmin(`deployments/${racing.id}/status`, { status: 'terminated' });
    try {
      assert.equal(
        await vscode.commands.executeCommand(TERMINATE, racing.id, { answers: ['Terminate'] }),
        'already-terminated',
      );
    } finally {
      await simulatorAdmin('faults', undefined, 'DELETE');
    }
    assert.equal(await countOf('DELETE /api/deployments/:id'), 1);

    // A scheduled termination whose instance ended meanwhile ends as done, not as a failure.
    const scheduled = await runningDeployment(services, 'sched-gone');
    assert.equal(
      await vscode.commands.executeCommand(TERMINATE, scheduled.id, { answers: [WHEN_ALLOWED] }),
      'scheduled',
    );
    await simulatorAdmin(`deployments/${scheduled.id}/status`, { status: 'terminated' });
    const events: string[] = [];
    const subscription = services.terminations.onDidChange((event) => events.push(event.type));
    try {
      await runScheduledNow(services, scheduled.id, scheduled.name ?? scheduled.id);
    } finally {
      subscription.dispose();
    }
    assert.deepEqual(
      events.filter((type) => type !== 'scheduled'),
      ['done'],
    );
    assert.equal(services.terminations.isScheduled(scheduled.id), false);
  });

  it('rename sends PATCH with the name, and the row shows it', async () => {
    const deployment = await runningDeployment(services, 'old');
    const newName = uniqueName('renamed');
    const renamed = await vscode.commands.executeCommand<Deployment | undefined>(
      'spheron.instance.rename',
      deployment.id,
      newName,
    );
    assert.equal(renamed?.name, newName);
    assert.equal(await countOf('PATCH /api/deployments/:id'), 1);
    assert.equal((await simDeployment(deployment.id))?.name, newName);
    await waitFor(() => labelOf(instanceRow(services, deployment.id)) === newName, {
      message: 'the Instances row to show the new name',
    });

    // A name that is no host name is refused before anything is sent.
    const refused = await vscode.commands.executeCommand(
      'spheron.instance.rename',
      deployment.id,
      'no spaces!',
    );
    assert.equal(refused, undefined);
    assert.equal(await countOf('PATCH /api/deployments/:id'), 1);
    assert.equal((await simDeployment(deployment.id))?.name, newName);
  });
});
