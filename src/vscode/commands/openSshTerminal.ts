import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { isEnded } from '../../core/model/classify';
import { instanceLabel } from '../../core/model/instances';
import { SSH_TERMINAL_WRAPPER, sshTerminalLaunch } from '../../core/ssh/sshTerminal';
import { prepareSsh } from '../ssh/prepare';
import { resolveDeployment } from './instanceArgs';
import type { SpheronCommand } from './types';

/** The wrapper as a file in our private storage, rewritten only when its text changed. */
async function wrapperFile(storageDir: string): Promise<string> {
  const path = join(storageDir, 'ssh-terminal.js');
  const current = await readFile(path, 'utf8').catch(() => undefined);
  if (current !== SSH_TERMINAL_WRAPPER) {
    await mkdir(storageDir, { recursive: true, mode: 0o700 });
    await writeFile(path, SSH_TERMINAL_WRAPPER, { mode: 0o600 });
  }
  return path;
}

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
    const launch = sshTerminalLaunch({
      nodePath: process.execPath,
      wrapperPath: await wrapperFile(services.context.globalStorageUri.fsPath),
      sshPath: services.ssh.sshPath(),
      configPath: services.ssh.userConfigPath(),
      connectTimeoutSeconds: services.settings().sshConnectTimeoutSeconds,
      target: {
        name: instanceLabel(deployment),
        address: host.hostName,
        port: host.port,
        user: host.user,
        alias: host.alias,
        startedAtMs: deployment.startedAtMs,
        createdAtMs: deployment.createdAtMs,
      },
      nowMs: Date.now(),
    });
    services.logger.info(launch.spec.banner);
    const terminal = vscode.window.createTerminal({
      name: `SSH: ${instanceLabel(deployment)}`,
      shellPath: launch.shellPath,
      shellArgs: launch.shellArgs,
      env: launch.env,
      iconPath: new vscode.ThemeIcon('remote'),
    });
    terminal.show();
    return terminal;
  },
};
