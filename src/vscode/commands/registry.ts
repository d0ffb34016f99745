import * as vscode from 'vscode';
import { reportError } from '../errors';
import type { Services } from '../services';
import { COMMAND_IDS, type CommandId } from './ids';
import { showLogsCommand } from './showLogs';
import type { SpheronCommand } from './types';

const COMMANDS: readonly SpheronCommand[] = [showLogsCommand];

/** The only place that registers commands. Every handler runs through the error funnel. */
export function registerCommands(services: Services): vscode.Disposable[] {
  const byId = new Map<CommandId, SpheronCommand>(COMMANDS.map((command) => [command.id, command]));
  const missing = COMMAND_IDS.filter((id) => !byId.has(id));
  if (missing.length > 0 || byId.size !== COMMANDS.length) {
    throw new Error(`Command registry out of step: missing ${missing.join(', ') || 'none'}`);
  }
  return COMMANDS.map((command) =>
    vscode.commands.registerCommand(command.id, async (...args: unknown[]) => {
      try {
        return await command.run(services, ...args);
      } catch (error) {
        await reportError(error, services.logger, command.title);
        return undefined;
      }
    }),
  );
}
