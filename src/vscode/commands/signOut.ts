import * as vscode from 'vscode';
import { askAndRemoveEntries } from './removeSshEntries';
import type { SpheronCommand } from './types';

export const signOutCommand: SpheronCommand = {
  id: 'spheron.signOut',
  title: 'Sign Out',
  async run(services, options?: unknown) {
    await services.session.signOut();
    const state = await services.session.state();
    if (state.signedIn) {
      void vscode.window.showInformationMessage(
        'Signed out. The SPHERON_API_KEY environment variable is still set, so the extension keeps using that key.',
      );
      return;
    }
    void vscode.window.showInformationMessage(
      'Signed out of Spheron. The API key was removed from SecretStorage.',
    );
    // The SSH entries outlive the key unless the user says otherwise: instances keep running.
    if (!(await services.ssh.hasEntries())) {
      return;
    }
    const confirmations = services.prompts.for(options);
    const asked = askAndRemoveEntries(
      services,
      confirmations,
      'Keep the Spheron SSH entries? Your instances keep running, and ssh and Remote-SSH can still reach them.',
    );
    if (confirmations.scripted) {
      await asked;
    } else {
      asked.catch((error: unknown) =>
        services.logger.warn(
          `Could not remove the Spheron SSH entries: ${error instanceof Error ? error.message : String(error)}`,
        ),
      );
    }
  },
};
