// The Spheron kernel source, loaded on first use: lists the team's running instances as Jupyter
// servers and resolves one to a tunnel on 127.0.0.1 with Jupyter's token, so a local notebook's
// cells run on the rented GPU. The server and its kernels live on the instance: after a reload the
// Jupyter extension resolves the same server id again and gets a fresh tunnel to the same kernels.
import * as vscode from 'vscode';
import type { JupyterServer, JupyterServerCommand } from '@vscode/jupyter-extension';
import {
  deploymentIdOfServer,
  kernelCommands,
  kernelConnection,
  kernelServers,
  usableDeployment,
  type KernelCommandId,
  type KernelConnection,
} from '../../core/jupyter/kernelSource';
import type { Deployment } from '../../core/domain/types';
import { instanceLabel } from '../../core/model/instances';
import type { Services } from '../services';
import { prepareSsh } from '../ssh/prepare';
import { connectTool, remotePortFor } from './instanceTools';
import type { KernelSourceBackend } from './kernelSourceShell';

function toVscode(disposable: { dispose(): void }): vscode.Disposable {
  return new vscode.Disposable(() => disposable.dispose());
}

/** The team's instances, loading them when no view has yet. */
async function listedDeployments(services: Services): Promise<readonly Deployment[]> {
  const { deployments } = services.data;
  if (!deployments.state.value) {
    await deployments.refresh();
  }
  const { value, error } = deployments.state;
  if (!value) {
    throw error instanceof Error ? error : new Error('Could not load your Spheron instances.');
  }
  return value;
}

/**
 * Makes sure Jupyter runs on the instance (offering to start it), forwards it through a managed
 * tunnel and reads its token: what the kernel source and the built-in notebook kernel connect to.
 * Throws KernelServerUnavailableError when the instance ended or is not running.
 */
export async function connectJupyterServer(
  services: Services,
  deploymentId: string,
  label: string,
  token: vscode.CancellationToken,
): Promise<KernelConnection> {
  // A fresh list: the server may have been picked long ago and the instance ended since.
  await services.data.deployments.refresh();
  const deployment = usableDeployment(deploymentId, await listedDeployments(services), label);
  const { host } = await prepareSsh(services, deployment);
  const name = instanceLabel(deployment);
  const connection = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `Connecting to Jupyter on “${name}”` },
    (progress) =>
      connectTool(
        services,
        { host, tool: 'Jupyter', port: remotePortFor(services, 'Jupyter'), name },
        services.prompts.for(undefined),
        (message) => progress.report({ message }),
        token,
      ),
  );
  if (!connection) {
    throw new vscode.CancellationError();
  }
  const result = kernelConnection(
    connection.tunnel.localPort,
    connection.server?.baseUrl ?? '/',
    connection.server?.token ?? '',
  );
  services.logger.info(`Jupyter kernels of ${name} through ${result.baseUrl}`);
  return result;
}

type SpheronServerCommand = JupyterServerCommand & { readonly spheronCommand?: KernelCommandId };

export class SpheronKernelSource implements KernelSourceBackend, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeServers = this.changed.event;
  private readonly subscriptions: vscode.Disposable[];

  constructor(private readonly services: Services) {
    this.subscriptions = [
      this.changed,
      // A new or ended instance changes the list; a sign-out empties it.
      services.explorer.onDidChangeDeployments(() => this.changed.fire()),
      toVscode(services.session.onDidChange(() => this.changed.fire())),
    ];
  }

  async provideJupyterServers(): Promise<JupyterServer[]> {
    if (!(await this.services.session.state()).signedIn) {
      return [];
    }
    return kernelServers(await listedDeployments(this.services)).map(({ id, label }) => ({ id, label }));
  }

  async resolveJupyterServer(server: JupyterServer, token: vscode.CancellationToken): Promise<JupyterServer> {
    const deploymentId = deploymentIdOfServer(server.id);
    if (!deploymentId) {
      throw new Error(`“${server.label}” is not a Spheron server.`);
    }
    const { baseUrl, token: jupyterToken } = await connectJupyterServer(
      this.services,
      deploymentId,
      server.label,
      token,
    );
    return {
      id: server.id,
      label: server.label,
      connectionInformation: { baseUrl: vscode.Uri.parse(baseUrl), token: jupyterToken },
    };
  }

  async provideCommands(): Promise<SpheronServerCommand[]> {
    const signedIn = (await this.services.session.state()).signedIn;
    return kernelCommands(signedIn).map(({ id, label, description }) => ({
      label,
      description,
      spheronCommand: id,
    }));
  }

  /** Opens the deploy form or the sign-in; the user picks the new server when it runs. */
  async handleCommand(command: SpheronServerCommand): Promise<undefined> {
    const id =
      command.spheronCommand ?? kernelCommands(true).find((entry) => entry.label === command.label)?.id;
    if (id === 'deploy') {
      await vscode.commands.executeCommand('spheron.deploy');
    } else if (id === 'signIn') {
      await vscode.commands.executeCommand('spheron.signIn');
    }
    return undefined;
  }

  dispose(): void {
    for (const subscription of this.subscriptions) {
      subscription.dispose();
    }
  }
}
