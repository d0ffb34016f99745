import * as vscode from 'vscode';
import { isEnded } from '../../core/model/classify';
import { sshCommandFor } from '../../core/model/instances';
import { shellQuote } from '../../core/ssh/remoteCommands';
import { defaultUserConfigPath } from '../../core/ssh/paths';
import { sshHostFor } from '../ssh/prepare';
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
    let command: string | undefined;
    if (services.settings().sshManageConfig && deployment.status === 'running') {
      const host = await sshHostFor(services, deployment);
      const configPath = services.ssh.userConfigPath();
      // `-F` only when Remote-SSH uses a config file other than ssh's default.
      command =
        configPath === defaultUserConfigPath(services.ssh.homeDir)
          ? `ssh ${host.alias}`
          : `ssh -F ${shellQuote(configPath)} ${host.alias}`;
    } else {
      command = sshCommandFor(deployment);
    }
    if (!command) {
      throw new Error('The API has not reported an address for this instance yet.');
    }
    await vscode.env.clipboard.writeText(command);
    void vscode.window.showInformationMessage(`Copied: ${command}`);
    return command;
  },
};
