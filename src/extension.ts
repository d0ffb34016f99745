import type * as vscode from 'vscode';
import { registerCommands } from './vscode/commands/registry';
import { ContextKeys } from './vscode/contextKeys';
import { ChannelLogger } from './vscode/logger';
import type { Services } from './vscode/services';

/** The composition root: builds every service once and hands them down. No network here. */
export function activate(context: vscode.ExtensionContext): void {
  const logger = new ChannelLogger();
  context.subscriptions.push(logger);
  const contextKeys = new ContextKeys();
  void contextKeys.initialise();
  const services: Services = { logger, contextKeys };
  context.subscriptions.push(...registerCommands(services));
  logger.info(`Spheron ${String((context.extension.packageJSON as { version?: string }).version)} activated`);
}

export function deactivate(): void {
  // Disposables pushed to context.subscriptions are released by VS Code.
}
