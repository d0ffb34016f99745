import * as vscode from 'vscode';
import { COMMAND_IDS, type CommandId } from './ids';

/**
 * The only place that registers commands. Activation registers every id at once (VS Code runs an
 * `onCommand` activation's command right after activate() returns) with a handler that loads the
 * rest of the extension on first use and dispatches to it.
 */
export function registerCommands(
  dispatch: (id: CommandId, args: unknown[]) => Promise<unknown>,
): vscode.Disposable[] {
  return COMMAND_IDS.map((id) =>
    vscode.commands.registerCommand(id, (...args: unknown[]) => dispatch(id, args)),
  );
}
