import * as vscode from 'vscode';
import { isEnded } from '../../core/model/classify';
import { instanceLabel } from '../../core/model/instances';
import type { SshHost } from '../../core/ssh/hostBlocks';
import {
  jupyterBrowserUrl,
  jupyterListCommand,
  parseJupyterServers,
  parsePortProbe,
  pickJupyterServer,
  portProbeCommand,
  startJupyterCommand,
  startTensorBoardCommand,
} from '../../core/ssh/remoteCommands';
import { expandInstanceRow } from '../deploy/reveal';
import type { Services } from '../services';
import { prepareSsh } from '../ssh/prepare';
import { resolveDeployment } from './instanceArgs';
import type { SpheronCommand } from './types';

type Tool = 'Jupyter' | 'TensorBoard';

const DEFAULT_PORTS: Record<Tool, number> = { Jupyter: 8888, TensorBoard: 6006 };

function remotePortFor(services: Services, tool: Tool): number {
  return (
    services.settings().forwardPorts.find((port) => port.label === tool)?.remotePort ?? DEFAULT_PORTS[tool]
  );
}

async function isListening(services: Services, host: SshHost, port: number): Promise<boolean> {
  const result = await services.ssh.runRemote(host, portProbeCommand(port));
  const open = parsePortProbe(result.stdout);
  if (open === undefined) {
    throw new Error(
      `Could not run a command on the instance over SSH${result.stderr ? `: ${result.stderr.trim().split('\n').pop() ?? ''}` : '.'}`,
    );
  }
  return open;
}

/** Offers to start the tool when nothing listens on its port; shows the exact command first. */
async function ensureListening(
  services: Services,
  host: SshHost,
  tool: Tool,
  port: number,
  name: string,
): Promise<boolean> {
  if (await isListening(services, host, port)) {
    return true;
  }
  const command =
    tool === 'Jupyter'
      ? startJupyterCommand(port)
      : startTensorBoardCommand(port, services.settings().tensorBoardLogDir);
  const choice = await vscode.window.showInformationMessage(
    `${tool} is not running on port ${port} of “${name}”. Start it?`,
    { modal: true, detail: `This runs on the instance, in the background:\n\n${command}` },
    `Start ${tool}`,
  );
  if (choice !== `Start ${tool}`) {
    return false;
  }
  const started = await services.ssh.runRemote(host, command);
  if (started.exitCode !== 0) {
    throw new Error(
      `Starting ${tool} failed: ${started.stderr.trim() || `exit code ${String(started.exitCode)}`}`,
    );
  }
  // The server needs a moment to bind; probe a few times over SSH (each probe is a round trip).
  for (let attempt = 0; attempt < 15; attempt++) {
    if (await isListening(services, host, port)) {
      return true;
    }
  }
  throw new Error(
    `${tool} did not start listening on port ${port}. Is it installed on the instance? See ~/.spheron-${tool.toLowerCase()}.log there.`,
  );
}

async function openTool(services: Services, arg: unknown, tool: Tool): Promise<string | undefined> {
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
      progress.report({ message: `checking port ${port}…` });
      if (!(await ensureListening(services, host, tool, port, name))) {
        return undefined;
      }
      progress.report({ message: 'forwarding the port over SSH…' });
      const tunnel = await services.ssh.openTunnel(host, tool, port, token);
      if (tool === 'TensorBoard') {
        return `http://127.0.0.1:${tunnel.localPort}/`;
      }
      progress.report({ message: 'reading the Jupyter token…' });
      const listed = await services.ssh.runRemote(host, jupyterListCommand());
      const server = pickJupyterServer(parseJupyterServers(listed.stdout), port);
      if (!server) {
        services.logger.warn(
          `jupyter server list did not show a server on port ${port}; opening without a token`,
        );
      }
      return server
        ? jupyterBrowserUrl(server, tunnel.localPort)
        : `http://127.0.0.1:${tunnel.localPort}/lab`;
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
  run: (services, arg?: unknown) => openTool(services, arg, 'Jupyter'),
};

export const openTensorBoardCommand: SpheronCommand = {
  id: 'spheron.instance.openTensorBoard',
  title: 'Open TensorBoard',
  run: (services, arg?: unknown) => openTool(services, arg, 'TensorBoard'),
};
