// The built-in Spheron notebook kernels, for when the Jupyter extension is not installed: one
// notebook controller per running instance for VS Code's own .ipynb notebooks. Running a cell makes
// sure Jupyter runs on the instance behind a managed tunnel (as the kernel source does), starts or
// reuses that notebook's kernel there, and runs the cell over the kernel's WebSocket. The kernel
// lives on the instance: after a tunnel drop or a window reload the same kernel id is found again.
import * as vscode from 'vscode';
import {
  findKernel,
  interruptKernel,
  KernelChannels,
  loadWebSocket,
  restartKernel,
  startKernel,
  type KernelServerAddress,
} from '../../core/jupyter/kernelClient';
import type { CellOutput } from '../../core/jupyter/kernelProtocol';
import {
  KernelServerUnavailableError,
  notebookKernelTargets,
  usableDeployment,
  type NotebookKernelTarget,
} from '../../core/jupyter/kernelSource';
import { failureItem, inputEcho, outputItems, type OutputItem } from '../../core/jupyter/notebookOutputs';
import { instanceLabel } from '../../core/model/instances';
import type { Services } from '../services';
import { connectJupyterServer } from './kernelSource';

const NOTEBOOK_TYPE = 'jupyter-notebook';
/** workspaceState: `<notebook uri> <deployment id>` → the kernel id started for it. */
const KERNEL_IDS_KEY = 'spheron.notebookKernelIds';

function toVscode(disposable: { dispose(): void }): vscode.Disposable {
  return new vscode.Disposable(() => disposable.dispose());
}

function toItems(items: readonly OutputItem[]): vscode.NotebookCellOutputItem[] {
  return items.map((item) => new vscode.NotebookCellOutputItem(item.data, item.mime));
}

/** One notebook's kernel on one instance, and the open socket to it. */
interface KernelSession {
  readonly server: KernelServerAddress;
  readonly kernelId: string;
  channels: KernelChannels;
}

/** What Restart Spheron Kernel did: restarted, or the notebook had no kernel on the instance yet. */
export type KernelRestartOutcome = 'restarted' | 'no-kernel';

class InstanceKernel implements vscode.Disposable {
  readonly controller: vscode.NotebookController;
  private readonly sessions = new Map<string, Promise<KernelSession>>();
  /** Notebooks (by uri) that have this kernel selected. */
  private readonly selectedFor = new Set<string>();
  private readonly selection: vscode.Disposable;
  private goneBecause: string | undefined;
  private running = 0;
  private disposeRequested = false;

  constructor(
    private readonly services: Services,
    private target: NotebookKernelTarget,
  ) {
    this.controller = vscode.notebooks.createNotebookController(
      target.controllerId,
      NOTEBOOK_TYPE,
      target.label,
      (cells, notebook) => this.executeCells(cells, notebook),
    );
    this.controller.supportedLanguages = ['python'];
    this.controller.supportsExecutionOrder = true;
    this.controller.description = target.description;
    this.controller.detail = 'Runs on the rented GPU through an SSH tunnel';
    this.controller.interruptHandler = (notebook) => this.interrupt(notebook);
    this.selection = this.controller.onDidChangeSelectedNotebooks(({ notebook, selected }) => {
      if (selected) {
        this.selectedFor.add(notebook.uri.toString());
      } else {
        this.selectedFor.delete(notebook.uri.toString());
      }
    });
  }

  get instanceName(): string {
    return this.target.instanceName;
  }

  isSelectedFor(notebook: vscode.NotebookDocument): boolean {
    return this.selectedFor.has(notebook.uri.toString());
  }

  /**
   * Restarts the notebook's kernel on the instance: same kernel, fresh interpreter. The open
   * socket is closed (a cell still running ends with the reason); the next cell opens a new one.
   */
  async restart(notebook: vscode.NotebookDocument): Promise<KernelRestartOutcome> {
    const key = notebook.uri.toString();
    const session = await this.sessions.get(key)?.catch(() => undefined);
    if (!session) {
      return 'no-kernel';
    }
    await restartKernel(session.server, session.kernelId);
    this.sessions.delete(key);
    session.channels.close('the kernel was restarted');
    this.services.logger.info(`Restarted kernel ${session.kernelId} on ${this.target.instanceName}`);
    return 'restarted';
  }

  update(target: NotebookKernelTarget): void {
    this.target = target;
    this.controller.label = target.label;
    this.controller.description = target.description;
  }

  /** Ends every open connection: cells waiting on them fail with `reason` instead of hanging. */
  gone(reason: string): void {
    this.goneBecause ??= reason;
    for (const session of this.sessions.values()) {
      void session.then((open) => open.channels.close(reason)).catch(() => undefined);
    }
    this.sessions.clear();
  }

  dispose(): void {
    this.gone('the kernel was closed');
    this.selection.dispose();
    this.disposeRequested = true;
    // Running cells first write why they failed: their executions belong to the controller.
    if (this.running === 0) {
      this.controller.dispose();
    }
  }

  private async executeCells(cells: vscode.NotebookCell[], notebook: vscode.NotebookDocument): Promise<void> {
    this.running++;
    try {
      await this.executeInOrder(cells, notebook);
    } finally {
      this.running--;
      if (this.disposeRequested && this.running === 0) {
        this.controller.dispose();
      }
    }
  }

  private async executeInOrder(
    cells: vscode.NotebookCell[],
    notebook: vscode.NotebookDocument,
  ): Promise<void> {
    for (const [index, cell] of cells.entries()) {
      if (!(await this.executeCell(cell, notebook))) {
        // Like Jupyter, a failed cell stops the run: the cells after it are not run.
        for (const skipped of cells.slice(index + 1)) {
          const execution = this.controller.createNotebookCellExecution(skipped);
          execution.start();
          execution.end(undefined);
        }
        return;
      }
    }
  }

  /** Runs one cell; resolves whether it succeeded. Errors end up in the cell, never thrown. */
  private async executeCell(cell: vscode.NotebookCell, notebook: vscode.NotebookDocument): Promise<boolean> {
    const execution = this.controller.createNotebookCellExecution(cell);
    execution.start(Date.now());
    await execution.clearOutput();
    const cancelled = execution.token.onCancellationRequested(() => void this.interrupt(notebook));
    try {
      const session = await this.session(notebook, execution.token);
      const writer = new OutputWriter(execution);
      const outcome = await session.channels.execute(
        cell.document.getText(),
        (event) => {
          if (event.kind === 'output') {
            writer.write(event.output);
          } else if (event.kind === 'clear') {
            void execution.clearOutput();
          } else if (event.kind === 'executionCount') {
            execution.executionOrder = event.count;
          }
        },
        async ({ prompt, password }) => {
          const line = await vscode.window.showInputBox(
            {
              title: `Input for the cell on “${this.target.instanceName}”`,
              prompt: prompt.trim() || 'The cell waits for a line of input (input()).',
              password,
              ignoreFocusOut: true,
            },
            execution.token,
          );
          if (line === undefined) {
            // Escape stops the cell, as Interrupt would: input() raises KeyboardInterrupt.
            void this.interrupt(notebook);
            return undefined;
          }
          writer.write(inputEcho(prompt, line, password));
          return line;
        },
      );
      await writer.flushed();
      if (outcome.executionCount !== undefined) {
        execution.executionOrder = outcome.executionCount;
      }
      execution.end(outcome.status === 'ok', Date.now());
      return outcome.status === 'ok';
    } catch (error) {
      const cancellation = error instanceof vscode.CancellationError;
      if (!cancellation) {
        const message = await this.failureMessage(error);
        this.services.logger.warn(`Cell on ${this.target.label} failed: ${message}`);
        await execution.replaceOutput(
          new vscode.NotebookCellOutput(toItems([failureItem('Spheron kernel', message)])),
        );
      }
      execution.end(cancellation ? undefined : false, Date.now());
      return false;
    } finally {
      cancelled.dispose();
    }
  }

  /** The notebook's kernel with an open socket: reused while it stays open, else connected anew. */
  private async session(
    notebook: vscode.NotebookDocument,
    token: vscode.CancellationToken,
  ): Promise<KernelSession> {
    if (this.goneBecause) {
      throw new Error(`Cannot run the cell: ${this.goneBecause}.`);
    }
    const key = notebook.uri.toString();
    const existing = await this.sessions.get(key)?.catch(() => undefined);
    if (existing?.channels.isOpen) {
      return existing;
    }
    const opening = this.openSession(notebook, existing, token);
    this.sessions.set(key, opening);
    opening.catch(() => {
      if (this.sessions.get(key) === opening) {
        this.sessions.delete(key);
      }
    });
    return opening;
  }

  private async openSession(
    notebook: vscode.NotebookDocument,
    previous: KernelSession | undefined,
    token: vscode.CancellationToken,
  ): Promise<KernelSession> {
    const { deploymentId, label } = this.target;
    const server = await connectJupyterServer(this.services, deploymentId, label, token);
    const state = this.services.context.workspaceState;
    const remembered = state.get<Record<string, string>>(KERNEL_IDS_KEY) ?? {};
    const key = `${notebook.uri.toString()} ${deploymentId}`;
    // The kernel this notebook had (also across reloads), if the server still runs it.
    const knownId = previous?.kernelId ?? remembered[key];
    const known = knownId ? await findKernel(server, knownId) : undefined;
    const kernelId = known?.id ?? (await startKernel(server)).id;
    if (remembered[key] !== kernelId) {
      await state.update(KERNEL_IDS_KEY, { ...remembered, [key]: kernelId });
    }
    this.services.logger.info(
      `${known ? 'Reusing' : 'Started'} kernel ${kernelId} on ${label} for ${notebook.uri.path}`,
    );
    const channels = await KernelChannels.open(server, kernelId, await loadWebSocket());
    return { server, kernelId, channels };
  }

  private async interrupt(notebook: vscode.NotebookDocument): Promise<void> {
    const session = await this.sessions.get(notebook.uri.toString())?.catch(() => undefined);
    if (!session) {
      return;
    }
    try {
      await interruptKernel(session.server, session.kernelId);
    } catch (error) {
      this.services.logger.warn(`Interrupting kernel ${session.kernelId} failed: ${String(error)}`);
    }
  }

  /** What the cell says when it could not run: an ended instance says so, whatever broke first. */
  private async failureMessage(error: unknown): Promise<string> {
    if (error instanceof KernelServerUnavailableError) {
      return error.message;
    }
    try {
      await this.services.data.deployments.refresh();
      usableDeployment(
        this.target.deploymentId,
        this.services.data.deployments.state.value ?? [],
        this.target.label,
      );
    } catch (unavailable) {
      if (unavailable instanceof KernelServerUnavailableError) {
        return unavailable.message;
      }
    }
    return error instanceof Error ? error.message : String(error);
  }
}

/** Appends stream text to the output before it when the stream is the same, as Jupyter shows it. */
class OutputWriter {
  private last: { output: vscode.NotebookCellOutput; stream: string | undefined } | undefined;
  private pending: Promise<void> = Promise.resolve();

  constructor(private readonly execution: vscode.NotebookCellExecution) {}

  write(output: CellOutput): void {
    const items = toItems(outputItems(output));
    if (items.length === 0) {
      return;
    }
    const stream = output.kind === 'stream' ? output.name : undefined;
    const last = this.last;
    if (stream && last?.stream === stream) {
      this.pending = this.pending.then(() => this.execution.appendOutputItems(items, last.output));
      return;
    }
    const cellOutput = new vscode.NotebookCellOutput(items);
    this.last = { output: cellOutput, stream };
    this.pending = this.pending.then(() => this.execution.appendOutput(cellOutput));
  }

  flushed(): Promise<void> {
    return this.pending;
  }
}

/**
 * The controllers, kept in step with the team's instances once enabled: a new running instance adds
 * one, an ended one removes it and fails its running cells with a clear message.
 */
export class SpheronNotebookKernels implements vscode.Disposable {
  private readonly kernels = new Map<string, InstanceKernel>();
  private subscriptions: vscode.Disposable[] = [];
  private enabled: Promise<void> | undefined;

  constructor(private readonly services: Services) {}

  /** Creates the controllers (loading the instance list if no view has). Idempotent. */
  enable(): Promise<void> {
    this.enabled ??= this.start();
    return this.enabled;
  }

  /** The Spheron kernel selected for `notebook`, when one is. */
  kernelFor(
    notebook: vscode.NotebookDocument,
  ): { readonly instanceName: string; restart(): Promise<KernelRestartOutcome> } | undefined {
    const kernel = [...this.kernels.values()].find((candidate) => candidate.isSelectedFor(notebook));
    return kernel && { instanceName: kernel.instanceName, restart: () => kernel.restart(notebook) };
  }

  /** The controller for an instance, when it has one. */
  controllerFor(deploymentId: string): vscode.NotebookController | undefined {
    return this.kernels.get(deploymentId)?.controller;
  }

  /** Removes the controllers (the Jupyter extension was installed: its kernel source takes over). */
  disable(): void {
    this.dispose();
    this.enabled = undefined;
  }

  private async start(): Promise<void> {
    const { services } = this;
    this.subscriptions = [
      services.explorer.onDidChangeDeployments(() => this.sync()),
      toVscode(services.session.onDidChange(() => this.sync())),
    ];
    if ((await services.session.state()).signedIn && !services.data.deployments.state.value) {
      await services.data.deployments.refresh();
    }
    this.sync();
  }

  private sync(): void {
    const deployments = this.services.data.deployments.state.value ?? [];
    const targets = new Map(
      notebookKernelTargets(deployments).map((target) => [target.deploymentId, target]),
    );
    for (const [deploymentId, kernel] of this.kernels) {
      if (!targets.has(deploymentId)) {
        const deployment = deployments.find((candidate) => candidate.id === deploymentId);
        kernel.gone(
          deployment
            ? `the Spheron instance “${instanceLabel(deployment)}” is ${deployment.rawStatus}; its kernel is gone`
            : 'the Spheron instance is no longer in your team’s list',
        );
        kernel.dispose();
        this.kernels.delete(deploymentId);
      }
    }
    for (const [deploymentId, target] of targets) {
      const kernel = this.kernels.get(deploymentId);
      if (kernel) {
        kernel.update(target);
      } else {
        this.kernels.set(deploymentId, new InstanceKernel(this.services, target));
      }
    }
  }

  dispose(): void {
    for (const subscription of this.subscriptions) {
      subscription.dispose();
    }
    for (const kernel of this.kernels.values()) {
      kernel.dispose();
    }
    this.kernels.clear();
  }
}
