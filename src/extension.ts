import * as vscode from 'vscode';
import type * as Main from './main';
import { CHAT_TOOL_NAMES } from './core/chat/toolNames';
import type { MainModule, ShellContext } from './main';
import type { DeepLinkOutcome } from './vscode/links/deepLinkHandler';
import type { ChatTools } from './vscode/chat/chatTools';
import type { CommandId } from './vscode/commands/ids';
import { registerCommands } from './vscode/commands/registry';
import type { ExplorerTree } from './vscode/explorer/explorer';
import { kernelSourceProviders, registerKernelSource } from './vscode/jupyter/kernelSourceShell';
import { registerNotebookKernels } from './vscode/jupyter/notebookKernelShell';
import { hasRememberedTunnels } from './vscode/ssh/tunnelMemoryShell';
import { ChannelLogger } from './vscode/logger';
import type { Services } from './vscode/services';
import { ModelTreeProvider } from './vscode/tree/render';

/** What activate() returns; extension-host tests use it to reach the services. */
export interface SpheronExtensionApi {
  /** Loads the rest of the extension (first use does this anyway) and returns its services. */
  load(): Promise<{ readonly services: Services; readonly chatTools: ChatTools }>;
  /** The Spheron server collection's providers, as handed to the Jupyter extension. */
  readonly jupyterProviders: ReturnType<typeof kernelSourceProviders>;
  /** What the URI handler does with a link; tests pass scripted answers as `options`. */
  handleUri(uri: vscode.Uri, options?: unknown): Promise<DeepLinkOutcome>;
}

function createTree(id: string, options: { showCollapseAll?: boolean } = {}): ExplorerTree {
  const provider = new ModelTreeProvider();
  const view = vscode.window.createTreeView(id, { treeDataProvider: provider, ...options });
  return { provider, view };
}

/**
 * Activation is a light shell: it registers what VS Code needs right away (commands, views, panel
 * serializers) and loads the rest of the extension (dist/main.js) on first use: a view shown, a
 * command run or a panel restored. Nothing here touches the network.
 */
export function activate(context: vscode.ExtensionContext): SpheronExtensionApi {
  const startedMs = performance.now();
  const logger = new ChannelLogger(context.extension.id);
  const trees = {
    offers: createTree('spheron.offers', { showCollapseAll: true }),
    instances: createTree('spheron.instances'),
    volumes: createTree('spheron.volumes'),
  };
  const shell: ShellContext = { context, logger, trees };
  let main: Promise<MainModule> | undefined;
  const load = (): Promise<MainModule> => {
    main ??= Promise.resolve().then(() => {
      const loadStartedMs = performance.now();
      // Bundled separately (esbuild.mjs): required only here, on first use.
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const loaded = (require('./main') as typeof Main).start(shell);
      logger.info(`Loaded in ${Math.round(performance.now() - loadStartedMs)} ms`);
      return loaded;
    });
    return main;
  };
  const loadWhenShown = (tree: ExplorerTree) => {
    if (tree.view.visible) {
      void load();
    }
    return tree.view.onDidChangeVisibility((event) => event.visible && void load());
  };

  const handleUri = async (uri: vscode.Uri, options?: unknown) => (await load()).handleUri(uri, options);
  const jupyterProviders = kernelSourceProviders(async () => (await load()).kernelSource);
  context.subscriptions.push(
    logger,
    registerKernelSource(jupyterProviders, (message) => logger.info(message)),
    registerNotebookKernels(
      async () => (await load()).services.notebookKernels,
      (message) => logger.info(message),
    ),
    // Links from the dashboard or a README; the work happens in the lazily loaded main.
    vscode.window.registerUriHandler({ handleUri: (uri) => void handleUri(uri) }),
    ...registerChatTools(load),
    ...Object.values(trees).flatMap((tree) => [tree.view, tree.provider, loadWhenShown(tree)]),
    ...registerCommands(async (id: CommandId, args: unknown[]) => (await load()).runCommand(id, args)),
    ...(['spheron.deploy', 'spheron.volume'] as const).map((viewType) =>
      vscode.window.registerWebviewPanelSerializer(viewType, {
        deserializeWebviewPanel: async (panel, state) => (await load()).restorePanel(viewType, panel, state),
      }),
    ),
  );
  // A reloaded window brings back its tunnels (the pages it restores point at their ports).
  if (hasRememberedTunnels(context.workspaceState)) {
    void load()
      .then((main) => main.restoreTunnels())
      .catch((error: unknown) => logger.warn(`Restoring tunnels failed: ${String(error)}`));
  }
  logger.info(
    `Spheron ${String((context.extension.packageJSON as { version?: string }).version)} activated in ${Math.round(performance.now() - startedMs)} ms`,
  );
  return {
    load: async () => {
      const { services, chatTools } = await load();
      return { services, chatTools };
    },
    jupyterProviders,
    handleUri,
  };
}

/** The chat tools, each loading the rest of the extension when an agent first prepares or invokes it. */
function registerChatTools(load: () => Promise<MainModule>): vscode.Disposable[] {
  // Hosts without the language-model API (older VS Code, some forks) simply get no tools.
  if (typeof vscode.lm?.registerTool !== 'function') {
    return [];
  }
  return CHAT_TOOL_NAMES.map((name) =>
    vscode.lm.registerTool<unknown>(name, {
      prepareInvocation: async (options) => {
        const confirmation = await (await load()).chatTools.prepare(name, options.input);
        return confirmation ? { confirmationMessages: confirmation } : undefined;
      },
      invoke: async (options, token) =>
        new vscode.LanguageModelToolResult([
          new vscode.LanguageModelTextPart(await (await load()).chatTools.invoke(name, options.input, token)),
        ]),
    }),
  );
}

export function deactivate(): void {
  // Disposables pushed to context.subscriptions are released by VS Code.
}
