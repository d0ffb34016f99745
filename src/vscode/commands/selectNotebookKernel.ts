import * as vscode from 'vscode';
import { JUPYTER_EXTENSION_ID } from '../jupyter/kernelSourceShell';
import type { SpheronCommand } from './types';

const INSTALL = 'Install the Jupyter Extension';

/**
 * The entry point to running a local notebook on a Spheron GPU: it needs the Jupyter extension
 * (optional for everything else), then opens VS Code's kernel picker, where "Spheron GPU
 * instances" lists the team's running instances.
 */
export const selectNotebookKernelCommand: SpheronCommand = {
  id: 'spheron.notebook.selectKernel',
  title: 'Run Notebook on a Spheron GPU',
  async run(services): Promise<'needs-jupyter' | 'picker-opened' | undefined> {
    if (!vscode.extensions.getExtension(JUPYTER_EXTENSION_ID)) {
      const choice = await vscode.window.showInformationMessage(
        'Running a notebook on a Spheron GPU needs the Jupyter extension (ms-toolsai.jupyter).',
        INSTALL,
      );
      if (choice === INSTALL) {
        try {
          await vscode.commands.executeCommand('workbench.extensions.installExtension', JUPYTER_EXTENSION_ID);
        } catch (error) {
          services.logger.warn(`Installing ${JUPYTER_EXTENSION_ID} failed: ${String(error)}`);
          void vscode.window.showWarningMessage(
            'The extension marketplace could not be reached to install the Jupyter extension. Install “Jupyter” (ms-toolsai.jupyter) from the Extensions view when you are online.',
          );
        }
      }
      return 'needs-jupyter';
    }
    if (vscode.window.activeNotebookEditor?.notebook.notebookType !== 'jupyter-notebook') {
      await vscode.commands.executeCommand('ipynb.newUntitledIpynb');
    }
    await vscode.commands.executeCommand('notebook.selectKernel');
    return 'picker-opened';
  },
};
