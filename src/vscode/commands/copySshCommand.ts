import * as vscode from 'vscode';
import { isEnded } from '../../core/model/classify';
import { instanceLabel, sshCommandFor } from '../../core/model/instances';
import { shellQuote } from '../../core/ssh/remoteCommands';
import { defaultUserConfigPath } from '../../core/ssh/paths';
import { InstanceNotReadyError, sshHostFor } from '../ssh/prepare';
import { resolveDeployment } from './instanceArgs';
import type { SpheronCommand } from './types';

export const copySshCommandCommand: SpheronCommand = {
  id: 'spheron.instance.copySshCommand',
  title: 'Copy SSH Command',
  async run(services, arg?: unknown) {
    const deployment = await resolveDeployment(services, arg, {
      title: 'Copy SSH Command',
      accept: (candidate) => !isEnded(candidate.status) && candidate.ipAddress !== null,
    });
    if (!deployment) {
      return undefined;
    }
    let command: string;
    if (services.settings().sshManageConfig && deployment.status === 'running') {
      const host = await sshHostFor(services, deployment);
      const configPath = services.ssh.userConfigPath();
      // `-F` only when Remote-SSH uses a config file other than ssh's default.
      command =
        configPath === defaultUserConfigPath(services.ssh.homeDir)
          ? `ssh ${host.alias}`
          : `ssh -F ${shellQuote(configPath)} ${host.alias}`;
    } else {
      const composed = sshCommandFor(deployment);
      if (!composed.ok) {
        throw new InstanceNotReadyError(
          `No SSH command for “${instanceLabel(deployment)}”: ${composed.reason}.`,
        );
      }
      command = composed.value;
    }
    await vscode.env.clipboard.writeText(command);
    void vscode.window.showInformationMessage(`Copied: ${command}`);
    return command;
  },
};
