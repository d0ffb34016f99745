import * as vscode from 'vscode';
import { SpheronClient } from './core/api/client';
import { API_KEY_ENV_VAR } from './core/account/apiKey';
import type { SshKey } from './core/domain/types';
import { RequestBudget } from './core/api/requestBudget';
import { CreateIntentLedger } from './core/forms/createIntents';
import { deploymentFromList, WATCH_LIST_MAX_AGE_MS } from './core/deploy/watchDeployment';
import { createDeploySubmissionRegistry } from './core/deploy/deploySubmission';
import { FormSessionStore } from './core/forms/formSessions';
import { guardedTerminationApi } from './core/deploy/terminationGuard';
import { systemTimers, TerminationScheduler } from './core/deploy/terminationScheduler';
import { scheduledTerminationsForView } from './core/deploy/terminationPrompt';
import { ExplorerData } from './core/explorer/explorerData';
import { pruneEndedKubeEntries } from './core/kube/kubeconfigSync';
import { EchoSafeStore } from './core/util/echoSafeStore';
import { Resource } from './core/util/resource';
import { nodeFileSystem } from './core/ssh/fileSystem';
import { parseSettings } from './core/settings/settings';
import { Session } from './core/account/session';
import { createVolumeSubmissionRegistry } from './core/volumes/volumeSubmission';
import { createChatTools, type ChatTools } from './vscode/chat/chatTools';
import { commandTable, runCommand } from './vscode/commands/table';
import type { CommandId } from './vscode/commands/ids';
import { ContextKeys } from './vscode/contextKeys';
import { DeploymentWatcher } from './vscode/deploy/deploymentWatcher';
import { followTerminationScheduler } from './vscode/deploy/terminations';
import { Explorer, type ExplorerTrees } from './vscode/explorer/explorer';
import { SpheronKernelSource } from './vscode/jupyter/kernelSource';
import { SpheronNotebookKernels } from './vscode/jupyter/notebookKernels';
import { handleDeepLink, type DeepLinkOutcome } from './vscode/links/deepLinkHandler';
import { Guards } from './vscode/guard/guards';
import type { ChannelLogger } from './vscode/logger';
import { Prompts } from './vscode/prompts';
import { secretStoreFrom } from './vscode/secretStore';
import type { Services } from './vscode/services';
import { createRemoteSshBridge } from './vscode/ssh/remoteSshBridge';
import { SshService } from './vscode/ssh/sshService';
import { rememberTunnels, restoreTunnels } from './vscode/ssh/tunnelRestore';
import { followManageConfig } from './vscode/ssh/unmanaged';
import { DeployPanels } from './vscode/webview/deployPanel';
import { VolumePanels } from './vscode/webview/volumePanel';

/** What the activation shell hands over when the extension is first used. */
export interface ShellContext {
  readonly context: vscode.ExtensionContext;
  readonly logger: ChannelLogger;
  readonly trees: ExplorerTrees;
}

/** The loaded extension: its services, and what the shell's command and panel stubs call. */
export interface MainModule {
  readonly services: Services;
  /** Answers the Jupyter extension's Select Kernel for the Spheron server collection. */
  readonly kernelSource: SpheronKernelSource;
  /** Opens the tunnels this window had before a reload (a no-op when it had none). */
  restoreTunnels(): Promise<void>;
  runCommand(id: CommandId, args: readonly unknown[]): Promise<unknown>;
  /** The language-model tools' work (the shell registers their stubs). */
  readonly chatTools: ChatTools;
  /** Opens a `vscode://…/connect?…` link; `options` may carry scripted answers in test mode. */
  handleUri(uri: vscode.Uri, options?: unknown): Promise<DeepLinkOutcome>;
  restorePanel(
    viewType: 'spheron.deploy' | 'spheron.volume',
    panel: vscode.WebviewPanel,
    state: unknown,
  ): Promise<void>;
}

function readSettings() {
  const configuration = vscode.workspace.getConfiguration('spheron');
  return parseSettings((key) => configuration.get(key));
}

/**
 * The composition root, run on first use (src/extension.ts is the light activation shell): builds
 * every service once and hands them down. No network here: data loads when a view is shown, and
 * the HTTP stack on the first request.
 */
export function start(shell: ShellContext): MainModule {
  const { context, logger } = shell;
  const version = String((context.extension.packageJSON as { version?: string }).version ?? '0.0.0');
  const contextKeys = new ContextKeys();

  // The log scrubber learns the key wherever it comes from: the environment now, SecretStorage
  // whenever the session reads it, and a new key at sign-in.
  const environmentKey = process.env[API_KEY_ENV_VAR]?.trim();
  if (environmentKey) {
    logger.addSecret(environmentKey);
  }
  // Every piece of state shared by this machine's windows goes through one store that keeps this
  // window's writes when VS Code's echo of an older write would undo them (see EchoSafeStore).
  const globalState = new EchoSafeStore(context.globalState, Date.now, (keys) =>
    logger.debug(`Shared state written again after VS Code reverted it: ${keys.join(', ')}`),
  );
  // Shared by every window of this machine, like Spheron's per-IP rate limit it keeps under.
  const requestBudget = new RequestBudget(globalState);
  const session = new Session({
    secrets: secretStoreFrom(context.secrets),
    env: process.env,
    state: globalState,
    baseUrl: () => readSettings().apiBaseUrl,
    learnSecret: (key) => logger.addSecret(key),
    createApi: (getApiKey) =>
      new SpheronClient({
        baseUrl: readSettings().apiBaseUrl,
        getApiKey,
        userAgent: `spheron-vscode/${version}`,
        timeoutMs: readSettings().requestTimeoutSeconds * 1000,
        logger,
        budget: requestBudget,
      }),
  });
  const data = new ExplorerData({
    api: session.api,
    currentTeam: (balance) => session.currentTeam(balance),
    now: Date.now,
  });
  const ssh = new SshService({ logger, settings: readSettings, teamId: () => data.currentTeam()?.teamId });
  // Picks up a schedule persisted by an earlier window (overdue entries run at once).
  const terminations = new TerminationScheduler({
    api: guardedTerminationApi(session.api, globalState),
    store: globalState,
  });
  const explorer = new Explorer({
    session,
    data,
    logger,
    contextKeys,
    state: globalState,
    scheduledTerminations: () => scheduledTerminationsForView(terminations.scheduled()),
    tunnels: () => ssh.tunnelRows(),
    trees: shell.trees,
    budget: requestBudget,
  });
  const sshKeys = new Resource<SshKey[]>((signal) => session.api.listSshKeys({ signal }), Date.now);
  const formSessions = new FormSessionStore(globalState);
  // globalState is shared by the windows of this machine: one create per intent across all of them.
  const createIntents = new CreateIntentLedger(globalState);
  const submissionOptions = { intents: createIntents, timers: systemTimers };
  const deploymentWatcher = new DeploymentWatcher({
    // Served by the Instances list the explorer polls: one request feeds both.
    api: {
      getDeployment: deploymentFromList({
        state: () => data.deployments.state,
        refresh: () => explorer.refreshInstanceList(),
        getDeployment: (id, options) => session.api.getDeployment(id, options),
        now: Date.now,
        maxAgeMs: WATCH_LIST_MAX_AGE_MS,
        budget: requestBudget,
      }),
    },
    logger,
    refreshInstances: () => explorer.refresh('instances'),
    // One source of truth: the progress reads the list the tree shows, when the tree gets it.
    listChanges: (listener) => data.deployments.onDidChange(listener),
  });
  const deployPanels = new DeployPanels({
    extensionUri: context.extensionUri,
    logger,
    session,
    data,
    explorer,
    sshKeys,
    watcher: deploymentWatcher,
    sessions: formSessions,
    registry: createDeploySubmissionRegistry({ api: session.api, ...submissionOptions }),
    homeDir: ssh.homeDir,
  });
  const volumePanels = new VolumePanels({
    extensionUri: context.extensionUri,
    logger,
    session,
    data,
    explorer,
    sessions: formSessions,
    registry: createVolumeSubmissionRegistry({ api: session.api, ...submissionOptions }),
  });
  // GPU telemetry while an instance is expanded, the idle guard and budget alerts.
  const guards = new Guards({
    explorer,
    data,
    ssh,
    terminations,
    store: globalState,
    logger,
    testMode: context.extensionMode === vscode.ExtensionMode.Test,
  });
  const services: Services = {
    context,
    globalState,
    logger,
    contextKeys,
    settings: readSettings,
    session,
    data,
    explorer,
    ssh,
    remoteSsh: createRemoteSshBridge(),
    prompts: new Prompts(context.extensionMode === vscode.ExtensionMode.Test, logger),
    sshKeys,
    terminations,
    guards,
    deployPanels,
    volumePanels,
    deploymentWatcher,
    formSessions,
    // Its controllers are created only when enabled (a Jupyter notebook open, no Jupyter extension).
    get notebookKernels() {
      return notebookKernels;
    },
  };
  const notebookKernels = new SpheronNotebookKernels(services);

  const kernelSource = new SpheronKernelSource(services);
  context.subscriptions.push(
    { dispose: () => session.dispose() },
    kernelSource,
    notebookKernels,
    rememberTunnels(ssh, context.workspaceState),
    { dispose: () => data.dispose() },
    explorer,
    guards,
    ssh,
    ssh.onDidChangeTunnels(() => explorer.renderInstanceExtras()),
    { dispose: () => terminations.dispose() },
    followTerminationScheduler({
      scheduler: terminations,
      logger,
      renderInstances: () => explorer.renderInstanceExtras(),
      refreshInstances: () => explorer.refresh('instances'),
      stopTunnels: (deploymentId) => ssh.tunnels().stopAllFor(deploymentId),
      lookupDeployment: (deploymentId) =>
        data.deployments.state.value?.find((deployment) => deployment.id === deploymentId),
    }),
    { dispose: () => sshKeys.dispose() },
    // The team's keys belong to the identity: forget them on sign-out or a new key.
    toDisposable(session.onDidChange(() => sshKeys.reset())),
    deploymentWatcher,
    deployPanels,
    volumePanels,
    // Every complete, successful instance list regenerates the SSH config (a no-op when unchanged).
    explorer.onDidChangeDeployments((deployments) => {
      ssh
        .sync(deployments, { fetchedAtMs: data.deployments.state.fetchedAtMs })
        .then(() => guards.hostsChanged())
        .catch((error: unknown) =>
          logger.warn(`SSH config sync failed: ${error instanceof Error ? error.message : String(error)}`),
        );
      // Contexts added with Add to kubeconfig leave with their instance.
      pruneEndedKubeEntries(nodeFileSystem, ssh.homeDir, deployments, logger).catch((error: unknown) =>
        logger.warn(`kubeconfig cleanup failed: ${error instanceof Error ? error.message : String(error)}`),
      );
    }),
    followManageConfig(services),
    context.secrets.onDidChange(() => void session.secretsChanged()),
    vscode.workspace.onDidChangeConfiguration((event) => {
      if (event.affectsConfiguration('spheron.apiBaseUrl')) {
        logger.info(`API URL changed to ${readSettings().apiBaseUrl}`);
        session.rebuildClient();
        data.resetAccountData();
        // Keys are per API URL: the new API may have none (signed out) or another identity.
        void session.secretsChanged();
        void explorer.refresh();
      } else if (event.affectsConfiguration('spheron.requestTimeoutSeconds')) {
        session.rebuildClient();
      }
    }),
  );
  void contextKeys.initialise().then(() => explorer.initialise());
  logger.info(`Spheron ${version} loaded (API ${readSettings().apiBaseUrl})`);
  const table = commandTable();
  return {
    services,
    kernelSource,
    restoreTunnels: () => restoreTunnels(services),
    runCommand: (id, args) => runCommand(table, services, id, args),
    handleUri: (uri, options) => handleDeepLink(services, uri, options),
    chatTools: createChatTools(services),
    restorePanel: (viewType, panel, state) =>
      viewType === 'spheron.deploy' ? deployPanels.restore(panel, state) : volumePanels.restore(panel, state),
  };
}

function toDisposable(disposable: { dispose(): void }): vscode.Disposable {
  return new vscode.Disposable(() => disposable.dispose());
}
