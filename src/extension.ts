import * as vscode from 'vscode';
import { SpheronClient } from './core/api/client';
import { ExplorerData } from './core/explorerData';
import { parseSettings } from './core/settings';
import { Session } from './core/session';
import { registerCommands } from './vscode/commands/registry';
import { ContextKeys } from './vscode/contextKeys';
import { Explorer } from './vscode/explorer/explorer';
import { ChannelLogger } from './vscode/logger';
import { secretStoreFrom } from './vscode/secretStore';
import type { Services } from './vscode/services';
import { createRemoteSshBridge } from './vscode/ssh/remoteSshBridge';
import { SshService } from './vscode/ssh/sshService';

/** What activate() returns: the services, for the extension-host tests. */
export interface SpheronExtensionApi {
  readonly services: Services;
}

function readSettings() {
  const configuration = vscode.workspace.getConfiguration('spheron');
  return parseSettings((key) => configuration.get(key));
}

/**
 * The composition root: builds every service once and hands them down. No network here: data
 * loads when a view is first shown, and the HTTP stack on the first request.
 */
export function activate(context: vscode.ExtensionContext): SpheronExtensionApi {
  const logger = new ChannelLogger();
  context.subscriptions.push(logger);
  const version = String((context.extension.packageJSON as { version?: string }).version ?? '0.0.0');
  const contextKeys = new ContextKeys();

  const session = new Session({
    secrets: secretStoreFrom(context.secrets),
    env: process.env,
    state: context.globalState,
    createApi: (getApiKey) =>
      new SpheronClient({
        baseUrl: readSettings().apiBaseUrl,
        getApiKey,
        userAgent: `spheron-vscode/${version}`,
        logger,
      }),
  });
  const data = new ExplorerData({
    api: session.api,
    currentTeam: (balance) => session.currentTeam(balance),
    now: Date.now,
  });
  const ssh = new SshService({ logger, settings: readSettings });
  const explorer = new Explorer({
    session,
    data,
    logger,
    contextKeys,
    state: context.globalState,
    scheduledTerminations: () => new Map(),
    tunnels: () => ssh.tunnelRows(),
  });
  const services: Services = {
    context,
    logger,
    contextKeys,
    settings: readSettings,
    session,
    data,
    explorer,
    ssh,
    remoteSsh: createRemoteSshBridge(),
  };

  context.subscriptions.push(
    { dispose: () => session.dispose() },
    { dispose: () => data.dispose() },
    explorer,
    ssh,
    ssh.onDidChangeTunnels(() => explorer.renderInstanceExtras()),
    // Every complete, successful instance list regenerates the SSH config (a no-op when unchanged).
    explorer.onDidChangeDeployments((deployments) => {
      ssh
        .sync(deployments)
        .catch((error: unknown) =>
          logger.warn(`SSH config sync failed: ${error instanceof Error ? error.message : String(error)}`),
        );
    }),
    ...registerCommands(services),
    context.secrets.onDidChange(() => void session.secretsChanged()),
    vscode.workspace.onDidChangeConfiguration((event) => {
      if (event.affectsConfiguration('spheron.apiBaseUrl')) {
        logger.info(`API URL changed to ${readSettings().apiBaseUrl}`);
        session.rebuildClient();
        data.resetAccountData();
        void explorer.refresh();
      }
    }),
  );
  void contextKeys.initialise().then(() => explorer.initialise());
  logger.info(`Spheron ${version} activated (API ${readSettings().apiBaseUrl})`);
  return { services };
}

export function deactivate(): void {
  // Disposables pushed to context.subscriptions are released by VS Code.
}
