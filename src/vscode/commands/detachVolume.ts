import * as vscode from 'vscode';
import { checkDetach, listInWords } from '../../core/volumes/volumeRules';
import { deploymentIdFrom } from './instanceArgs';
import type { SpheronCommand } from './types';
import { currentDeployments, deploymentNames, resolveVolume, sendVolumeChange } from './volumeArgs';

export type DetachResult = 'detached' | 'refused' | 'cancelled';

const DETACH_BUTTON = 'Detach';

/** Detaches a volume from one of the instances it is attached to (asking which when several). */
export const detachVolumeCommand: SpheronCommand = {
  id: 'spheron.volume.detach',
  title: 'Detach Volume',
  async run(services, volumeArg?: unknown, instanceArg?: unknown, options?: unknown): Promise<DetachResult> {
    const volume = await resolveVolume(services, volumeArg, {
      title: 'Detach Volume',
      accept: (candidate) => candidate.attachedDeploymentIds.length > 0,
      none: 'No volume is attached to an instance.',
    });
    if (!volume) {
      return 'cancelled';
    }
    if (volume.attachedDeploymentIds.length === 0) {
      void vscode.window.showInformationMessage(`Volume “${volume.name}” is not attached to any instance.`);
      return 'refused';
    }
    const names = deploymentNames(await currentDeployments(services));
    const nameOf = (id: string) => names.get(id) ?? `instance ${id.slice(-8)}`;
    let deploymentId = deploymentIdFrom(instanceArg);
    if (!deploymentId) {
      if (volume.attachedDeploymentIds.length === 1) {
        deploymentId = volume.attachedDeploymentIds[0];
      } else {
        const picked = await vscode.window.showQuickPick(
          volume.attachedDeploymentIds.map((id) => ({ label: nameOf(id), description: id, id })),
          {
            title: `Detach “${volume.name}” from…`,
            placeHolder: `It is attached to ${listInWords(volume.attachedDeploymentIds.map((id) => `“${nameOf(id)}”`))}`,
          },
        );
        deploymentId = picked?.id;
      }
    }
    if (!deploymentId) {
      return 'cancelled';
    }
    const check = checkDetach(volume, deploymentId, (id) => names.get(id));
    if (!check.allowed) {
      void vscode.window.showWarningMessage(check.reason);
      return 'refused';
    }
    const instanceName = nameOf(deploymentId);
    const choice = await services.prompts
      .for(options)
      .destructive(
        `Detach volume “${volume.name}” from “${instanceName}”?`,
        `Programs on “${instanceName}” that use the volume lose access to it; unmount it there first if something is writing to it. The data on the volume is kept.`,
        'Keep Attached',
        DETACH_BUTTON,
      );
    if (choice !== DETACH_BUTTON) {
      return 'cancelled';
    }
    const target = deploymentId;
    const sent = await sendVolumeChange(services, {
      action: 'detach',
      volume,
      instanceName: instanceName,
      progressTitle: `Detaching “${volume.name}”…`,
      send: () => services.session.api.detachVolume(volume.id, target),
    });
    if (!sent) {
      return 'refused';
    }
    services.logger.info(`Detached volume ${volume.name} (${volume.id}) from ${instanceName} (${target})`);
    await services.explorer.refresh('volumes');
    void vscode.window.showInformationMessage(`Detached “${volume.name}” from “${instanceName}”.`);
    return 'detached';
  },
};
