import * as vscode from 'vscode';
import { REMOTE_SSH_EXTENSION_IDS } from '../../core/ssh/remoteSsh';

/**
 * The boundary to Remote-SSH (or a fork): which one is installed, and its entry point for
 * opening a window on a host. Extension-host tests replace this object's methods because
 * Remote-SSH cannot be installed in code-server here.
 */
export interface RemoteSshBridge {
  installedExtensionId(): string | undefined;
  openFolder(folderUri: vscode.Uri): Thenable<unknown>;
}

export function createRemoteSshBridge(): RemoteSshBridge {
  return {
    installedExtensionId: () =>
      REMOTE_SSH_EXTENSION_IDS.find((id) => vscode.extensions.getExtension(id) !== undefined),
    openFolder: (folderUri) =>
      vscode.commands.executeCommand('vscode.openFolder', folderUri, { forceNewWindow: true }),
  };
}
