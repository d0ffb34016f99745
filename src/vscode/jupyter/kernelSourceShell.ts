// The part of the Spheron kernel source that lives in the activation shell: it waits for a Jupyter
// notebook and the Jupyter extension, then registers a server collection whose every call loads the
// rest of the extension on demand. Without the Jupyter extension it registers nothing.
import * as vscode from 'vscode';
import type {
  Jupyter,
  JupyterServer,
  JupyterServerCommand,
  JupyterServerCommandProvider,
  JupyterServerProvider,
} from '@vscode/jupyter-extension';

export const JUPYTER_EXTENSION_ID = 'ms-toolsai.jupyter';
const COLLECTION_ID = 'spheron';
const COLLECTION_LABEL = 'Spheron GPU instances';

/** What the loaded extension answers for the collection (src/vscode/jupyter/kernelSource.ts). */
export interface KernelSourceBackend extends JupyterServerCommandProvider {
  readonly onDidChangeServers: vscode.Event<void>;
  provideJupyterServers(token: vscode.CancellationToken): Promise<JupyterServer[]>;
  resolveJupyterServer(server: JupyterServer, token: vscode.CancellationToken): Promise<JupyterServer>;
  provideCommands(
    value: string | undefined,
    token: vscode.CancellationToken,
  ): Promise<JupyterServerCommand[]>;
  handleCommand(
    command: JupyterServerCommand,
    token: vscode.CancellationToken,
  ): Promise<JupyterServer | undefined>;
}

/**
 * The provider objects handed to the Jupyter extension. Extension-host tests call these directly,
 * since the Jupyter extension itself cannot be installed there.
 */
export function kernelSourceProviders(load: () => Promise<KernelSourceBackend>): {
  readonly serverProvider: JupyterServerProvider;
  readonly commandProvider: JupyterServerCommandProvider;
  readonly disposable: vscode.Disposable;
} {
  const changed = new vscode.EventEmitter<void>();
  let forwarding: vscode.Disposable | undefined;
  const backend = async () => {
    const loaded = await load();
    forwarding ??= loaded.onDidChangeServers(() => changed.fire());
    return loaded;
  };
  return {
    serverProvider: {
      onDidChangeServers: changed.event,
      provideJupyterServers: async (token) => (await backend()).provideJupyterServers(token),
      resolveJupyterServer: async (server, token) => (await backend()).resolveJupyterServer(server, token),
    },
    commandProvider: {
      provideCommands: async (value, token) => (await backend()).provideCommands(value, token),
      handleCommand: async (command, token) => (await backend()).handleCommand(command, token),
    },
    disposable: new vscode.Disposable(() => {
      forwarding?.dispose();
      changed.dispose();
    }),
  };
}

function hasJupyterNotebook(): boolean {
  return vscode.workspace.notebookDocuments.some((notebook) => notebook.notebookType === 'jupyter-notebook');
}

/**
 * Registers the collection once a Jupyter notebook is open and the Jupyter extension is installed
 * (it activates for notebooks anyway, so nothing heavy is started on our account).
 */
export function registerKernelSource(
  providers: ReturnType<typeof kernelSourceProviders>,
  log: (message: string) => void,
): vscode.Disposable {
  const disposables: vscode.Disposable[] = [providers.disposable];
  let registered = false;
  const tryRegister = async () => {
    const extension = vscode.extensions.getExtension<Jupyter>(JUPYTER_EXTENSION_ID);
    if (registered || !extension || !hasJupyterNotebook()) {
      return;
    }
    registered = true;
    try {
      const jupyter = extension.isActive ? extension.exports : await extension.activate();
      const collection = jupyter.createJupyterServerCollection(
        COLLECTION_ID,
        COLLECTION_LABEL,
        providers.serverProvider,
      );
      collection.commandProvider = providers.commandProvider;
      disposables.push(collection);
      log('Registered the Spheron kernel source with the Jupyter extension');
    } catch (error) {
      registered = false;
      log(
        `Could not register the Spheron kernel source: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  };
  void tryRegister();
  disposables.push(
    vscode.workspace.onDidOpenNotebookDocument(() => void tryRegister()),
    vscode.extensions.onDidChange(() => void tryRegister()),
  );
  return new vscode.Disposable(() => {
    for (const disposable of disposables) {
      disposable.dispose();
    }
  });
}
