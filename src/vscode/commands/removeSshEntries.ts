import * as vscode from 'vscode';
import type { RemoveSshEntriesResult } from '../../core/ssh/sync';
import type { Services } from '../services';
import type { Confirmations } from '../prompts';
import type { SpheronCommand } from './types';

/** What removing touches, for the confirmation: the user sees every path before anything goes. */
function removalDetail(services: Services): string {
  const paths = services.ssh.paths();
  return (
    `The Spheron Include block leaves ${paths.userConfigPath} (every other byte stays as it is), and ` +
    `${paths.ourConfigPath} and ${paths.knownHostsPath} (the host entries and pinned host keys of every ` +
    'team) are deleted. Instances keep running; port forwarding started by Spheron stops.'
  );
}

/** Removes the entries and says what was done. */
export async function removeEntries(services: Services): Promise<RemoveSshEntriesResult> {
  const result = await services.ssh.removeEntries();
  const paths = services.ssh.paths();
  void vscode.window.showInformationMessage(
    result.includeRemoved || result.filesRemoved.length > 0
      ? `Removed the Spheron SSH entries${result.includeRemoved ? ` and the Include from ${paths.userConfigPath}` : ''}.`
      : 'There were no Spheron SSH entries to remove.',
  );
  return result;
}

/**
 * Asks in a notification (it follows Sign Out or a settings change, so it must block nothing);
 * undefined when the user keeps the entries or dismisses the question.
 */
export async function askAndRemoveEntries(
  services: Services,
  confirmations: Confirmations,
  question: string,
): Promise<RemoveSshEntriesResult | undefined> {
  const choice = await confirmations.notify(
    `${question} ${removalDetail(services)}`,
    'Keep Entries',
    'Remove Entries',
  );
  return choice === 'Remove Entries' ? removeEntries(services) : undefined;
}

/**
 * "Remove SSH Entries": takes back everything the extension added to the SSH setup. While
 * `spheron.ssh.manageConfig` is on the next refresh would write them again, so it is turned off
 * (the user can turn it back on).
 */
export const removeSshEntriesCommand: SpheronCommand = {
  id: 'spheron.ssh.removeEntries',
  title: 'Remove SSH Entries',
  async run(services, options?: unknown) {
    const managed = services.settings().sshManageConfig;
    const choice = await services.prompts
      .for(options)
      .destructive(
        'Remove the Spheron SSH entries?',
        removalDetail(services) +
          (managed ? ' Setting spheron.ssh.manageConfig is turned off so they are not written again.' : ''),
        'Keep Entries',
        'Remove',
      );
    if (choice !== 'Remove') {
      return undefined;
    }
    if (managed) {
      services.ssh.suppressUnmanagedPrompt();
      await vscode.workspace
        .getConfiguration('spheron.ssh')
        .update('manageConfig', false, vscode.ConfigurationTarget.Global);
    }
    return removeEntries(services);
  },
};
