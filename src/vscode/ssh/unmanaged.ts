import * as vscode from 'vscode';
import { askAndRemoveEntries } from '../commands/removeSshEntries';
import type { Services } from '../services';

/**
 * `spheron.ssh.manageConfig` turned off: offer to take back what the extension added. Nothing is
 * removed without the user's answer; keeping the entries leaves every file as it is.
 */
export function followManageConfig(services: Services): vscode.Disposable {
  return vscode.workspace.onDidChangeConfiguration(async (event) => {
    if (!event.affectsConfiguration('spheron.ssh.manageConfig') || services.settings().sshManageConfig) {
      return;
    }
    if (services.ssh.takeUnmanagedPromptSuppression()) {
      return;
    }
    try {
      if (await services.ssh.hasEntries()) {
        await askAndRemoveEntries(
          services,
          services.prompts.for(undefined),
          'Spheron no longer manages your SSH config. Remove the entries it added?',
        );
      }
    } catch (error) {
      services.logger.warn(
        `Could not remove the Spheron SSH entries: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  });
}
