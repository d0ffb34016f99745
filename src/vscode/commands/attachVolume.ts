import * as vscode from 'vscode';
import type { Volume } from '../../core/domain/types';
import { formatRate } from '../../core/model/format';
import { instanceLabel } from '../../core/model/instances';
import { volumeProviderRules } from '../../core/volumes/providerRules';
import { attachTargets, noAttachTargetMessage } from '../../core/volumes/attachTargets';
import { deploymentIdFrom } from './instanceArgs';
import type { SpheronCommand } from './types';
import { currentDeployments, resolveVolume, sendVolumeChange } from './volumeArgs';

export type AttachResult = 'attached' | 'refused' | 'cancelled';

function attachable(volume: Volume): boolean {
  if (volume.status === 'available') {
    return true;
  }
  return volume.status === 'attached' && (volumeProviderRules(volume.provider)?.multiAttach ?? false);
}

/** Attaches a volume to a running instance that the provider's rules allow. */
export const attachVolumeCommand: SpheronCommand = {
  id: 'spheron.volume.attach',
  title: 'Attach Volume',
  async run(services, volumeArg?: unknown, instanceArg?: unknown): Promise<AttachResult> {
    const volume = await resolveVolume(services, volumeArg, {
      title: 'Attach Volume',
      accept: attachable,
      none: 'No volume can be attached: every volume is attached already or being deleted.',
    });
    if (!volume) {
      return 'cancelled';
    }
    const deployments = await currentDeployments(services, true);
    const allVolumes = services.data.volumes.state.value ?? [volume];
    const targets = attachTargets(volume, deployments, allVolumes);
    const wantedId = deploymentIdFrom(instanceArg);
    let target = wantedId ? targets.allowed.find((deployment) => deployment.id === wantedId) : undefined;
    if (wantedId && !target) {
      const refusal = targets.refused.find((entry) => entry.deployment.id === wantedId)?.reason;
      void vscode.window.showWarningMessage(
        refusal ??
          `Instance ${wantedId} is not running in this team, so volume “${volume.name}” cannot be attached to it.`,
      );
      return 'refused';
    }
    if (!target) {
      if (targets.allowed.length === 0) {
        void vscode.window.showWarningMessage(noAttachTargetMessage(volume, targets));
        return 'refused';
      }
      const picked = await vscode.window.showQuickPick(
        targets.allowed.map((deployment) => ({
          label: instanceLabel(deployment),
          description: `${deployment.provider} · ${deployment.region} · ${formatRate(deployment.hourlyRate)}`,
          deployment,
        })),
        {
          title: `Attach “${volume.name}” to…`,
          placeHolder: volumeProviderRules(volume.provider)?.summary ?? 'Pick a running instance',
        },
      );
      target = picked?.deployment;
    }
    if (!target) {
      return 'cancelled';
    }
    const name = instanceLabel(target);
    const sent = await sendVolumeChange(services, {
      action: 'attach',
      volume,
      instanceName: name,
      progressTitle: `Attaching “${volume.name}” to “${name}”…`,
      send: () => services.session.api.attachVolume(volume.id, target.id),
    });
    if (!sent) {
      return 'refused';
    }
    services.logger.info(`Attached volume ${volume.name} (${volume.id}) to ${name} (${target.id})`);
    await services.explorer.refresh('volumes');
    void vscode.window.showInformationMessage(`Attached “${volume.name}” to “${name}”.`);
    return 'attached';
  },
};
