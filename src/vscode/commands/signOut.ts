import * as vscode from 'vscode';
import type { SpheronCommand } from './types';

export const signOutCommand: SpheronCommand = {
  id: 'spheron.signOut',
  title: 'Sign Out',
  async run(services) {
    await services.session.signOut();
    const state = await services.session.state();
    if (state.signedIn) {
      void vscode.window.showInformationMessage(
        'Signed out. The SPHERON_API_KEY environment variable is still set, so the extension keeps using that key.',
      );
    } else {
      void vscode.window.showInformationMessage(
        'Signed out of Spheron. The API key was removed from SecretStorage.',
      );
    }
  },
};
