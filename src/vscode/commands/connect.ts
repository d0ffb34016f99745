import * as vscode from 'vscode';
import { isEnded } from '../../core/model/classify';
import { instanceLabel } from '../../core/model/instances';
import {
  defaultRemoteHome,
  mergePortsAttributes,
  remoteFolderUri,
  remoteSshInstallFailure,
} from '../../core/ssh/remoteSsh';
import { prepareSsh } from '../ssh/prepare';
import { resolveDeployment } from './instanceArgs';
import type { SpheronCommand } from './types';

export type ConnectResult = 'opened' | 'remote-ssh-missing' | 'remote-ssh-install-failed' | 'cancelled';

/**
 * Labels our forwarded ports in Remote-SSH's Ports view, never overwriting the user's entries. Only
 * the user-level value is merged: a workspace's entries must not be copied into user settings.
 */
async function labelForwardedPorts(ports: readonly { label: string; remotePort: number }[]): Promise<void> {
  const configuration = vscode.workspace.getConfiguration('remote');
  const merged = mergePortsAttributes(
    configuration.inspect('portsAttributes')?.globalValue,
    ports.map((port) => ({ port: port.remotePort, label: port.label })),
  );
  if (merged.changed) {
    await configuration.update('portsAttributes', merged.value, vscode.ConfigurationTarget.Global);
  }
}

/** Skips Remote-SSH's "which platform?" prompt for our hosts. */
async function presetRemotePlatform(alias: string): Promise<void> {
  const configuration = vscode.workspace.getConfiguration('remote.SSH');
  const current = configuration.inspect<Record<string, string>>('remotePlatform')?.globalValue ?? {};
  if (current[alias] !== 'linux') {
    await configuration.update(
      'remotePlatform',
      { ...current, [alias]: 'linux' },
      vscode.ConfigurationTarget.Global,
    );
  }
}

export const connectCommand: SpheronCommand = {
  id: 'spheron.instance.connect',
  title: 'Connect',
  async run(services, arg?: unknown, options?: unknown): Promise<ConnectResult> {
    const chosen = await resolveDeployment(services, arg, {
      title: 'Connect with Remote-SSH',
      accept: (deployment) => !isEnded(deployment.status) && deployment.status !== 'stopped',
    });
    if (!chosen) {
      return 'cancelled';
    }
    const extensionId = services.remoteSsh.installedExtensionId();
    if (!extensionId) {
      const prompts = services.prompts.for(options);
      const choice = await prompts.notify(
        'Connecting opens a new window through the Remote - SSH extension, which is not installed.',
        'Install Remote - SSH',
        'Open SSH Terminal Instead',
      );
      if (choice === 'Install Remote - SSH') {
        try {
          await vscode.commands.executeCommand(
            'workbench.extensions.installExtension',
            'ms-vscode-remote.remote-ssh',
          );
        } catch (error) {
          // Offline or behind a proxy: say so, and offer what works without the marketplace.
          const failure = remoteSshInstallFailure(error);
          services.logger.warn(failure.logDetail);
          const next = await prompts.notify(failure.message, 'Open SSH Terminal');
          if (next === 'Open SSH Terminal') {
            await vscode.commands.executeCommand('spheron.instance.openTerminal', chosen.id);
          }
          return 'remote-ssh-install-failed';
        }
      } else if (choice === 'Open SSH Terminal Instead') {
        await vscode.commands.executeCommand('spheron.instance.openTerminal', chosen.id);
      }
      return 'remote-ssh-missing';
    }
    const { host } = await prepareSsh(services, chosen);
    // Settings are a convenience: a failure to write one must not block connecting or the other.
    const bestEffort = async (what: string, write: () => Promise<void>) => {
      try {
        await write();
      } catch (error) {
        services.logger.warn(
          `Could not update ${what}: ${error instanceof Error ? error.message : String(error)}`,
        );
      }
    };
    await bestEffort('remote.SSH.remotePlatform', () => presetRemotePlatform(host.alias));
    await bestEffort('remote.portsAttributes', () => labelForwardedPorts(services.settings().forwardPorts));
    const folder = vscode.Uri.parse(remoteFolderUri(host.alias, defaultRemoteHome(host.user)));
    services.logger.info(
      `Connecting to ${instanceLabel(chosen)} through ${extensionId}: ${folder.toString()}`,
    );
    await services.remoteSsh.openFolder(folder);
    return 'opened';
  },
};
