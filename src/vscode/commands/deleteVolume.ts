import * as vscode from 'vscode';
import { formatSizeGb } from '../../core/model/format';
import { volumeDeleteMessage } from '../../core/volumes/deleteOutcome';
import { checkDelete } from '../../core/volumes/volumeRules';
import type { SpheronCommand } from './types';
import { currentDeployments, deploymentNames, resolveVolume, sendVolumeChange } from './volumeArgs';

export type DeleteVolumeResult = 'deleted' | 'refused' | 'cancelled';

const DELETE_BUTTON = 'Delete Volume';

/** Deletes a volume after a modal confirmation; refused, with the instances named, while attached. */
export const deleteVolumeCommand: SpheronCommand = {
  id: 'spheron.volume.delete',
  title: 'Delete Volume',
  async run(services, volumeArg?: unknown, options?: unknown): Promise<DeleteVolumeResult> {
    const volume = await resolveVolume(services, volumeArg, {
      title: 'Delete Volume',
      accept: (candidate) => candidate.status === 'available' && candidate.attachedDeploymentIds.length === 0,
      none: 'No volume can be deleted: volumes must be detached first.',
    });
    if (!volume) {
      return 'cancelled';
    }
    const names = deploymentNames(await currentDeployments(services).catch(() => []));
    const check = checkDelete(volume, (id) => names.get(id));
    if (!check.allowed) {
      void vscode.window.showWarningMessage(check.reason);
      return 'refused';
    }
    const choice = await services.prompts
      .for(options)
      .destructive(
        `Delete volume “${volume.name}”?`,
        `Its ${formatSizeGb(volume.sizeGb)} and everything stored on it are destroyed. This cannot be undone.`,
        'Keep Volume',
        DELETE_BUTTON,
      );
    if (choice !== DELETE_BUTTON) {
      return 'cancelled';
    }
    const sent = await sendVolumeChange(services, {
      action: 'delete',
      volume,
      instanceName: undefined,
      progressTitle: `Deleting “${volume.name}”…`,
      send: () => services.session.api.deleteVolume(volume.id),
    });
    if (!sent) {
      return 'refused';
    }
    await services.explorer.refresh('volumes');
    // Said as the refreshed list has it: "deleted" only once Spheron no longer lists it as deleting.
    const message = volumeDeleteMessage(
      volume.name,
      services.data.volumes.state.value?.find((candidate) => candidate.id === volume.id),
    );
    services.logger.info(`${message} (${volume.id})`);
    void vscode.window.showInformationMessage(message);
    return 'deleted';
  },
};
