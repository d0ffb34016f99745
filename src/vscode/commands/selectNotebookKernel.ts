import * as vscode from 'vscode';
import { JUPYTER_EXTENSION_ID } from '../jupyter/kernelSourceShell';
import type { SpheronCommand } from './types';

/**
 * The entry point to running a local notebook on a Spheron GPU. With the Jupyter extension it
 * opens VS Code's kernel picker, where "Spheron GPU instances" lists the team's running instances;
 * without it, the same picker lists the built-in Spheron kernels (one per running instance). Given
 * a deployment id, it selects that instance's built-in kernel directly.
 */
/** Without an argument the command reaches VS Code as `null`, which its picker cannot read. */
const ACTIVE_NOTEBOOK = {};

export const selectNotebookKernelCommand: SpheronCommand = {
  id: 'spheron.notebook.selectKernel',
  title: 'Run Notebook on a Spheron GPU',
  async run(services, deploymentId?: unknown): Promise<'picker-opened' | 'kernel-selected'> {
    if (vscode.window.activeNotebookEditor?.notebook.notebookType !== 'jupyter-notebook') {
      await vscode.commands.executeCommand('ipynb.newUntitledIpynb');
    }
    if (vscode.extensions.getExtension(JUPYTER_EXTENSION_ID)) {
      await vscode.commands.executeCommand('notebook.selectKernel', ACTIVE_NOTEBOOK);
      return 'picker-opened';
    }
    await services.notebookKernels.enable();
    const controller =
      typeof deploymentId === 'string' ? services.notebookKernels.controllerFor(deploymentId) : undefined;
    if (controller) {
      await vscode.commands.executeCommand('notebook.selectKernel', {
        id: controller.id,
        extension: services.context.extension.id,
      });
      return 'kernel-selected';
    }
    await vscode.commands.executeCommand('notebook.selectKernel', ACTIVE_NOTEBOOK);
    return 'picker-opened';
  },
};
