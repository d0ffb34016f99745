import * as vscode from 'vscode';
import { isEnded } from '../../core/model/classify';
import { instanceLabel } from '../../core/model/instances';
import { prepareSsh } from '../ssh/prepare';
import { resolveDeployment } from './instanceArgs';
import type { SpheronCommand } from './types';

export const openSshTerminalCommand: SpheronCommand = {
  id: 'spheron.instance.openTerminal',
  title: 'Open SSH Terminal',
  async run(services, arg?: unknown) {
    const chosen = await resolveDeployment(services, arg, {
      title: 'Open SSH Terminal',
      accept: (deployment) => !isEnded(deployment.status) && deployment.status !== 'stopped',
    });
    if (!chosen) {
      return undefined;
    }
    const { deployment, host } = await prepareSsh(services, chosen);
    const terminal = vscode.window.createTerminal({
      name: `SSH: ${instanceLabel(deployment)}`,
      shellPath: services.ssh.sshPath(),
      shellArgs: ['-F', services.ssh.userConfigPath(), host.alias],
      iconPath: new vscode.ThemeIcon('remote'),
    });
    terminal.show();
    return terminal;
  },
};
