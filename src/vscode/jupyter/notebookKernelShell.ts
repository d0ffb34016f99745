// The part of the built-in Spheron notebook kernels that lives in the activation shell: once a
// Jupyter notebook is open and the Jupyter extension is not installed, it loads the rest of the
// extension and creates the kernels there. With the Jupyter extension, its kernel source serves
// instead (kernelSourceShell.ts), so the picker never lists an instance twice.
import * as vscode from 'vscode';
import { JUPYTER_EXTENSION_ID } from './kernelSourceShell';

/** What the loaded extension does (src/vscode/jupyter/notebookKernels.ts). */
export interface NotebookKernelsBackend {
  enable(): Promise<void>;
  disable(): void;
}

function hasJupyterNotebook(): boolean {
  return vscode.workspace.notebookDocuments.some((notebook) => notebook.notebookType === 'jupyter-notebook');
}

export function hasJupyterExtension(): boolean {
  return vscode.extensions.getExtension(JUPYTER_EXTENSION_ID) !== undefined;
}

export function registerNotebookKernels(
  load: () => Promise<NotebookKernelsBackend>,
  log: (message: string) => void,
): vscode.Disposable {
  let enabled = false;
  const update = async () => {
    try {
      if (!enabled && !hasJupyterExtension() && hasJupyterNotebook()) {
        enabled = true;
        await (await load()).enable();
        log('Spheron notebook kernels ready (the Jupyter extension is not installed)');
      } else if (enabled && hasJupyterExtension()) {
        enabled = false;
        (await load()).disable();
        log('The Jupyter extension is installed: its Spheron kernel source replaces the built-in kernels');
      }
    } catch (error) {
      enabled = false;
      log(
        `Could not create the Spheron notebook kernels: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  };
  void update();
  return vscode.Disposable.from(
    vscode.workspace.onDidOpenNotebookDocument(() => void update()),
    vscode.extensions.onDidChange(() => void update()),
  );
}
