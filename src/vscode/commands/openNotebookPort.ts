import * as vscode from 'vscode';
import { isEnded } from '../../core/model/classify';
import { instanceLabel } from '../../core/model/instances';
import { allowsEditorFraming, jupyterBrowserUrl } from '../../core/ssh/remoteCommands';
import { sshGaveUp } from '../../core/ssh/sshFailure';
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
      ).catch((error: unknown) => {
        throw sshGaveUp(error, {
          target: { name, address: host.hostName, port: host.port, user: host.user },
          instance: deployment,
          nowMs: Date.now(),
          retry: { title: 'Retry', command: `spheron.instance.open${tool}`, args: [deployment.id] },
          deploymentId: deployment.id,
        });
      });
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
  const shownUrl = url.replace(/token=[^&]+/, 'token=«redacted»');
  if (await framedPageRefused(url)) {
    services.logger.info(
      `${tool} of ${name} forbids being shown in the editor; opening ${shownUrl} in the browser`,
    );
    void vscode.window.showInformationMessage(
      `${tool} on “${name}” forbids being shown inside the editor (its server sets frame-ancestors), so it opens in your browser. Stop it on the instance and use Open ${tool} again to have Spheron start it for the editor.`,
    );
    await vscode.env.openExternal(vscode.Uri.parse(url));
    return url;
  }
  services.logger.info(`Opening ${tool} of ${name} at ${shownUrl}`);
  await vscode.commands.executeCommand('simpleBrowser.show', url);
  return url;
}

/** Whether the page (through our own tunnel) says it may not be framed by the editor. */
async function framedPageRefused(url: string): Promise<boolean> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(10_000) });
    await response.body?.cancel();
    return !allowsEditorFraming(response.headers);
  } catch {
    // Simple Browser shows its own error for a page that does not load.
    return false;
  }
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
