import * as vscode from 'vscode';
import { presentError } from '../core/errors/errorPresentation';
import type { Logger } from '../core/util/logger';

/** The one funnel from a failure to a user message with an action. Cancellation stays silent. */
export async function reportError(error: unknown, logger: Logger, doing?: string): Promise<void> {
  const presentation = presentError(error, doing);
  if (!presentation) {
    logger.debug(`${doing ?? 'operation'} cancelled`);
    return;
  }
  logger.error(presentation.logDetail);
  const choice = await vscode.window.showErrorMessage(
    presentation.message,
    ...presentation.actions.map((action) => action.title),
  );
  const action = presentation.actions.find((candidate) => candidate.title === choice);
  if (action) {
    await vscode.commands.executeCommand(action.command, ...(action.args ?? []));
  }
}
