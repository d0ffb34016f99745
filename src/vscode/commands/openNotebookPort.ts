import * as vscode from 'vscode';
import { isEnded } from '../../core/model/classify';
import { instanceLabel } from '../../core/model/instances';
import { jupyterBrowserUrl } from '../../core/ssh/remoteCommands';
import { expandInstanceRow } from '../deploy/reveal';
import { connectTool, remotePortFor, type InstanceTool } from '../jupyter/instanceTools';
import type { Services } from '../services';
import { prepareSsh } from '../ssh/prepare';
import { resolveDeployment } from './instanceArgs';
import type { SpheronCommand } from './types';

async function openTool(
  services: Services,
  arg: unknown,
  tool: InstanceTool,
  options: unknown,
): Promise<string | undefined> {
  const chosen = await resolveDeployment(services, arg, {
    title: `Open ${tool}`,
    accept: (deployment) => !isEnded(deployment.status) && deployment.status !== 'stopped',
  });
  if (!chosen) {
    return undefined;
  }
  const { deployment, host } = await prepareSsh(services, chosen);
  const name = instanceLabel(deployment);
  const port = remotePortFor(services, tool);
  const url = await vscode.window.withProgress(
    {
      location: vscode.ProgressLocation.Notification,
      title: `Opening ${tool} on “${name}”`,
      cancellable: true,
    },
    async (progress, token) => {
      const connection = await connectTool(
        services,
        { host, tool, port, name },
        services.prompts.for(options),
        (message) => progress.report({ message }),
        token,
      );
      if (!connection) {
        return undefined;
      }
      const { tunnel, server, flavour } = connection;
      if (tool === 'TensorBoard') {
        return `http://127.0.0.1:${tunnel.localPort}/`;
      }
      return jupyterBrowserUrl(server ?? { token: '', baseUrl: '/' }, tunnel.localPort, flavour);
    },
  );
  if (!url) {
    return undefined;
  }
  await expandInstanceRow(services.explorer, deployment.id).catch((error: unknown) =>
    services.logger.debug(`Could not expand the instance row: ${String(error)}`),
  );
  // The URL may carry the Jupyter token: log only where it goes, not the token.
  services.logger.info(`Opening ${tool} of ${name} at ${url.replace(/token=[^&]+/, 'token=«redacted»')}`);
  await vscode.commands.executeCommand('simpleBrowser.show', url);
  return url;
}

export const openJupyterCommand: SpheronCommand = {
  id: 'spheron.instance.openJupyter',
  title: 'Open Jupyter',
  run: (services, arg?: unknown, options?: unknown) => openTool(services, arg, 'Jupyter', options),
};

export const openTensorBoardCommand: SpheronCommand = {
  id: 'spheron.instance.openTensorBoard',
  title: 'Open TensorBoard',
  run: (services, arg?: unknown, options?: unknown) => openTool(services, arg, 'TensorBoard', options),
};
