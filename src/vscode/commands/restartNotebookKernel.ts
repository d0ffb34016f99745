import * as vscode from 'vscode';
import type { KernelRestartOutcome } from '../jupyter/notebookKernels';
import type { SpheronCommand } from './types';

/**
 * Restarts the built-in Spheron kernel of the active notebook on its instance (the notebook
 * toolbar shows it while that kernel is selected): every variable goes, and so does the GPU memory
 * the kernel held. Asks first. `options` may carry scripted answers in tests.
 */
export const restartNotebookKernelCommand: SpheronCommand = {
  id: 'spheron.notebook.restartKernel',
  title: 'Restart Spheron Kernel',
  async run(services, options?: unknown): Promise<KernelRestartOutcome | 'cancelled' | undefined> {
    const notebook = vscode.window.activeNotebookEditor?.notebook;
    const kernel = notebook && services.notebookKernels.kernelFor(notebook);
    if (!notebook || !kernel) {
      void vscode.window.showInformationMessage(
        'The active notebook does not run on a Spheron kernel: pick one with Run Notebook on a Spheron GPU.',
      );
      return undefined;
    }
    const answer = await services.prompts
      .for(options)
      .modal(
        `Restart the kernel on “${kernel.instanceName}”?`,
        'Every variable of this notebook is lost and the GPU memory the kernel holds is freed. A running cell stops. The instance keeps running and billing.',
        'Restart',
      );
    if (answer !== 'Restart') {
      return 'cancelled';
    }
    const outcome = await vscode.window.withProgress(
      {
        location: vscode.ProgressLocation.Notification,
        title: `Restarting the kernel on “${kernel.instanceName}”`,
      },
      () => kernel.restart(),
    );
    if (outcome === 'no-kernel') {
      void vscode.window.showInformationMessage(
        `No kernel runs for this notebook on “${kernel.instanceName}” yet: the first cell you run starts one.`,
      );
    } else {
      vscode.window.setStatusBarMessage(
        `$(debug-restart) Kernel restarted on “${kernel.instanceName}”`,
        5_000,
      );
    }
    return outcome;
  },
};
