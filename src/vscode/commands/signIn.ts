import * as vscode from 'vscode';
import { InvalidApiKeyError } from '../../core/account/session';
import { formatBalance } from '../../core/model/format';
import { singleLine } from '../../core/util/text';
import { signalFromToken } from '../cancellation';
import type { SpheronCommand } from './types';

export const signInCommand: SpheronCommand = {
  id: 'spheron.signIn',
  title: 'Sign In',
  async run(services, keyArgument?: unknown) {
    // Tests and other extensions may pass the key; a user gets a password input.
    const key =
      typeof keyArgument === 'string'
        ? keyArgument
        : await vscode.window.showInputBox({
            title: 'Spheron: Sign In',
            prompt: 'Paste your Spheron API key (dashboard → Settings → API). It is kept in SecretStorage.',
            placeHolder: 'Spheron API key',
            password: true,
            ignoreFocusOut: true,
            validateInput: (value) =>
              value.trim() ? undefined : 'Paste the API key from the Spheron dashboard.',
          });
    if (key === undefined) {
      return false;
    }
    try {
      const balance = await vscode.window.withProgress(
        {
          location: vscode.ProgressLocation.Notification,
          title: 'Spheron: checking the API key…',
          cancellable: true,
        },
        (_progress, token) => services.session.signIn(key, { signal: signalFromToken(token) }),
      );
      services.logger.addSecret(key.trim());
      const team = services.session.currentTeam(balance);
      services.logger.info(`Signed in${team ? ` (team ${singleLine(team.teamName)})` : ''}`);
      void vscode.window.showInformationMessage(
        team
          ? `Signed in to Spheron: team “${singleLine(team.teamName)}”, balance ${formatBalance(team.balance)}.`
          : 'Signed in to Spheron.',
      );
      return true;
    } catch (error) {
      if (error instanceof InvalidApiKeyError) {
        services.logger.warn(`Sign-in refused: ${error.message}`);
        // Not awaited: the command's answer (false) must not wait until the notification is closed.
        void vscode.window.showErrorMessage(error.message, 'Try Again', 'Open Dashboard').then((choice) => {
          if (choice === 'Try Again') {
            void vscode.commands.executeCommand('spheron.signIn');
          } else if (choice === 'Open Dashboard') {
            void vscode.commands.executeCommand('spheron.openDashboard');
          }
        });
        return false;
      }
      throw error;
    }
  },
};
