// Volumes in the real extension host against the simulator: create through the create-volume
// form's message path, attach and detach with the providers' rules, delete (refused while
// attached). Confirmations take scripted answers in test mode (src/vscode/prompts.ts).
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { Deployment } from '../../src/core/domain/types';
import type { Services } from '../../src/vscode/services';
import type { VolumePanel } from '../../src/vscode/webview/volumePanel';
import { simulatorAdmin, waitFor } from './helpers';
import {
  FormConversation,
  OFFERS,
  SEED,
  advanceClock,
  closeForms,
  createDeployment,
  freshSimulator,
  resyncExtension,
  services as getServices,
  simRequests,
  simState,
  type SimVolume,
  type SubmitStateMessage,
  uniqueName,
  volumeRow,
} from './lifecycleHelpers';

interface VolumeInitData {
  readonly sessionId: string;
  readonly providers: { id: string; label: string }[];
  readonly regions: {
    provider: string;
    regions: { regions: { id: string; name: string; minSizeGb: number; maxSizeGb: number }[] } | null;
  }[];
}

async function simVolume(id: string): Promise<SimVolume | undefined> {
  return (await simState()).volumes.find((volume) => volume.id === id);
}

async function countOf(route: string): Promise<number> {
  return (await simRequests()).byRoute[route] ?? 0;
}

describe('volumes: create, attach, detach, delete', function () {
  this.timeout(120_000);
  let services: Services;
  let restore: () => Promise<void>;
  /** Running instances: two Voltage Park (Dallas, TX), DataCrunch in FIN-01 and FIN-02. */
  let vpA: Deployment;
  let vpB: Deployment;
  let dcFin01: Deployment;
  let dcFin02: Deployment;

  before(async () => {
    services = await getServices();
    restore = await freshSimulator(services);
    vpA = await createDeployment(services, OFFERS.vpCluster, uniqueName('vp-a'));
    vpB = await createDeployment(services, OFFERS.vpCluster, uniqueName('vp-b'));
    dcFin01 = await createDeployment(services, OFFERS.dcH100Fin01, uniqueName('dc-fin01'));
    dcFin02 = await createDeployment(services, OFFERS.dcA100Fin02, uniqueName('dc-fin02'));
    await advanceClock(60);
    await resyncExtension(services);
  });

  beforeEach(async () => {
    await simulatorAdmin('requests', undefined, 'DELETE');
  });

  after(async () => {
    closeForms(services);
    await simulatorAdmin('reset', {});
    await resyncExtension(services);
    await restore();
  });

  it('Voltage Park: create in the form, attach, one volume per instance, delete refused while attached, detach, delete', async () => {
    // Create through the form's message path.
    const panel = await vscode.commands.executeCommand<VolumePanel>('spheron.volume.create', 'voltage-park');
    const talk = new FormConversation(panel);
    const init = await talk.ready<VolumeInitData>();
    assert.ok(init.providers.some((provider) => provider.id === 'voltage-park'));
    const region = init.regions.find((entry) => entry.provider === 'voltage-park')?.regions?.regions[0];
    assert.ok(region, JSON.stringify(init.regions));
    const name = uniqueName('vol').toLowerCase();
    const volumesBefore = (await simState()).volumes;
    const state = await talk.request<SubmitStateMessage>('createVolume', {
      sessionId: init.sessionId,
      form: { name, provider: 'voltage-park', region: region.id, sizeGb: '100' },
    });
    assert.equal(state.kind, 'created', JSON.stringify(state));
    const created = (await simState()).volumes.filter((v) => !volumesBefore.some((b) => b.id === v.id));
    assert.equal(created.length, 1);
    const volume = created[0];
    assert.ok(volume);
    assert.equal(state.kind === 'created' && state.id, volume.id);
    assert.equal(volume.name, name);
    assert.equal(volume.providerId, 'voltage-park');
    assert.equal(await countOf('POST /api/volumes'), 1);
    talk.dispose();
    panel.dispose();
    await waitFor(() => volumeRow(services, volume.id), {
      timeoutMs: 20_000,
      message: 'the new volume in the Volumes view',
    });

    // Attach to instance A.
    assert.equal(
      await vscode.commands.executeCommand('spheron.volume.attach', volume.id, vpA.id),
      'attached',
    );
    assert.deepEqual((await simVolume(volume.id))?.attachedToDeploymentIds, [vpA.id]);
    await waitFor(() => /\+attached\b/.test(String(volumeRow(services, volume.id)?.contextValue)), {
      message: 'the volume row to say attached',
    });

    // Voltage Park: one volume per instance (the seed's datasets-01 cannot join it on A), and one
    // instance per volume (the new one cannot also go to B). Refused before anything is sent.
    assert.equal(
      await vscode.commands.executeCommand('spheron.volume.attach', SEED.voltageParkVolume, vpA.id),
      'refused',
    );
    assert.deepEqual((await simVolume(SEED.voltageParkVolume))?.attachedToDeploymentIds, []);
    assert.equal(await vscode.commands.executeCommand('spheron.volume.attach', volume.id, vpB.id), 'refused');
    assert.equal(await countOf('POST /api/volumes/:id/attach'), 1);
    // The seed volume can go to B, which has none.
    assert.equal(
      await vscode.commands.executeCommand('spheron.volume.attach', SEED.voltageParkVolume, vpB.id),
      'attached',
    );
    assert.deepEqual((await simVolume(SEED.voltageParkVolume))?.attachedToDeploymentIds, [vpB.id]);

    // Delete is refused while attached, and nothing is sent.
    assert.equal(
      await vscode.commands.executeCommand('spheron.volume.delete', volume.id, {
        answers: ['Delete Volume'],
      }),
      'refused',
    );
    assert.equal(await countOf('DELETE /api/volumes/:id'), 0);
    assert.ok(await simVolume(volume.id));

    // Detach (confirmed), then delete (confirmed).
    assert.equal(
      await vscode.commands.executeCommand('spheron.volume.detach', volume.id, vpA.id, {
        answers: ['Detach'],
      }),
      'detached',
    );
    assert.deepEqual((await simVolume(volume.id))?.attachedToDeploymentIds, []);
    assert.equal(
      await vscode.commands.executeCommand('spheron.volume.delete', volume.id, { answers: [] }),
      'cancelled',
      'Cancel in the dialog keeps it',
    );
    assert.ok(await simVolume(volume.id));
    assert.equal(
      await vscode.commands.executeCommand('spheron.volume.delete', volume.id, {
        answers: ['Delete Volume'],
      }),
      'deleted',
    );
    assert.equal(await simVolume(volume.id), undefined);
    assert.equal(await countOf('DELETE /api/volumes/:id'), 1);
    await waitFor(() => !volumeRow(services, volume.id), {
      timeoutMs: 20_000,
      message: 'the deleted volume to leave the Volumes view',
    });

    assert.equal(
      await vscode.commands.executeCommand('spheron.volume.detach', SEED.voltageParkVolume, vpB.id, {
        answers: ['Detach'],
      }),
      'detached',
    );
  });

  it('DataCrunch: only instances in the volume’s region, and several at once', async () => {
    // The seed's checkpoints volume lives in FIN-01.
    assert.equal(
      await vscode.commands.executeCommand('spheron.volume.attach', SEED.dataCrunchVolume, dcFin02.id),
      'refused',
    );
    assert.equal(await countOf('POST /api/volumes/:id/attach'), 0);
    assert.deepEqual((await simVolume(SEED.dataCrunchVolume))?.attachedToDeploymentIds, []);
    // Nor to another provider's instance.
    assert.equal(
      await vscode.commands.executeCommand('spheron.volume.attach', SEED.dataCrunchVolume, vpA.id),
      'refused',
    );
    assert.equal(
      await vscode.commands.executeCommand('spheron.volume.attach', SEED.dataCrunchVolume, dcFin01.id),
      'attached',
    );
    assert.deepEqual((await simVolume(SEED.dataCrunchVolume))?.attachedToDeploymentIds, [dcFin01.id]);

    // A second FIN-01 instance can share it.
    const second = await createDeployment(services, OFFERS.dcH100Fin01, uniqueName('dc-fin01-b'));
    await advanceClock(60);
    await services.explorer.refresh('instances');
    assert.equal(
      await vscode.commands.executeCommand('spheron.volume.attach', SEED.dataCrunchVolume, second.id),
      'attached',
    );
    assert.deepEqual(
      [...((await simVolume(SEED.dataCrunchVolume))?.attachedToDeploymentIds ?? [])].sort(),
      [dcFin01.id, second.id].sort(),
    );

    // Delete is refused while attached to either.
    assert.equal(
      await vscode.commands.executeCommand('spheron.volume.delete', SEED.dataCrunchVolume, {
        answers: ['Delete Volume'],
      }),
      'refused',
    );
    for (const id of [dcFin01.id, second.id]) {
      assert.equal(
        await vscode.commands.executeCommand('spheron.volume.detach', SEED.dataCrunchVolume, id, {
          answers: ['Detach'],
        }),
        'detached',
      );
    }
    assert.deepEqual((await simVolume(SEED.dataCrunchVolume))?.attachedToDeploymentIds, []);
    assert.equal(await countOf('DELETE /api/volumes/:id'), 0);
  });
});
