// Jupyter and TensorBoard on an instance: make sure the tool runs there (offering to start it, with
// the exact command shown first), forward its port through a managed tunnel, and read Jupyter's
// token. Shared by Open Jupyter / Open TensorBoard and the Spheron kernel source.
import type * as vscode from 'vscode';
import type { SshHost } from '../../core/ssh/hostBlocks';
import {
  jupyterFlavoursCommand,
  jupyterListCommand,
  parseJupyterFlavours,
  parseJupyterServers,
  parsePortProbe,
  pickJupyterServer,
  portProbeCommand,
  startJupyterCommand,
  startTensorBoardCommand,
  type JupyterFlavour,
  type JupyterServer,
} from '../../core/ssh/remoteCommands';
import { SshCommandError } from '../../core/ssh/sshFailure';
import type { TunnelInfo } from '../../core/ssh/tunnel';
import type { Confirmations } from '../prompts';
import type { Services } from '../services';

export type InstanceTool = 'Jupyter' | 'TensorBoard';

const DEFAULT_PORTS: Record<InstanceTool, number> = { Jupyter: 8888, TensorBoard: 6006 };

export function remotePortFor(services: Services, tool: InstanceTool): number {
  return (
    services.settings().forwardPorts.find((port) => port.label === tool)?.remotePort ?? DEFAULT_PORTS[tool]
  );
}

async function isListening(services: Services, host: SshHost, port: number): Promise<boolean> {
  const result = await services.ssh.runRemote(host, portProbeCommand(port));
  const open = parsePortProbe(result.stdout);
  if (open === undefined) {
    throw new SshCommandError('Could not run a command on the instance over SSH', result.stderr);
  }
  return open;
}

/** JupyterLab, the classic Notebook or a bare server: whichever the instance has, best first. */
async function jupyterFlavours(services: Services, host: SshHost): Promise<JupyterFlavour[]> {
  const result = await services.ssh.runRemote(host, jupyterFlavoursCommand());
  const flavours = parseJupyterFlavours(result.stdout);
  if (flavours === undefined) {
    throw new SshCommandError('Could not run a command on the instance over SSH', result.stderr);
  }
  return flavours;
}

export interface ToolTarget {
  readonly host: SshHost;
  readonly tool: InstanceTool;
  readonly port: number;
  /** The instance's name, for messages. */
  readonly name: string;
}

/**
 * Resolves true when the tool listens on its port, starting it after the user agreed to the exact
 * command; false when the user declined. `flavour` picks how Jupyter is started.
 */
async function ensureListening(
  services: Services,
  target: ToolTarget,
  confirmations: Confirmations,
  flavour: JupyterFlavour | undefined,
): Promise<boolean> {
  const { host, tool, port, name } = target;
  if (await isListening(services, host, port)) {
    return true;
  }
  if (tool === 'Jupyter' && flavour === undefined) {
    throw new Error(
      `Jupyter is not installed on “${name}”. Install it there (for example \`pip install jupyterlab\`), then try again.`,
    );
  }
  const command =
    tool === 'Jupyter'
      ? startJupyterCommand(port, { flavour: flavour ?? 'lab' })
      : startTensorBoardCommand(port, services.settings().tensorBoardLogDir);
  const start = `Start ${tool}`;
  const choice = await confirmations.modal(
    `${tool} is not running on port ${port} of “${name}”. Start it?`,
    `This runs on the instance, in the background:\n\n${command}`,
    start,
  );
  if (choice !== start) {
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

export interface ToolConnection {
  readonly tunnel: TunnelInfo;
  /** Jupyter only: the server as `jupyter … list` reports it (its token and base URL). */
  readonly server: JupyterServer | undefined;
  /** Jupyter only: which front end it serves, for the page to open. */
  readonly flavour: JupyterFlavour | undefined;
}

/**
 * The tool running on the instance and forwarded to this machine; undefined when the user declined
 * to start it. Progress messages go to `report`.
 */
export async function connectTool(
  services: Services,
  target: ToolTarget,
  confirmations: Confirmations,
  report: (message: string) => void,
  token?: vscode.CancellationToken,
): Promise<ToolConnection | undefined> {
  const { host, tool, port } = target;
  report(`checking port ${port}…`);
  const flavour = tool === 'Jupyter' ? (await jupyterFlavours(services, host))[0] : undefined;
  if (!(await ensureListening(services, target, confirmations, flavour))) {
    return undefined;
  }
  report('forwarding the port over SSH…');
  const tunnel = await services.ssh.openTunnel(host, tool, port, token);
  if (tool === 'TensorBoard') {
    return { tunnel, server: undefined, flavour: undefined };
  }
  report('reading the Jupyter token…');
  const listed = await services.ssh.runRemote(host, jupyterListCommand());
  const server = pickJupyterServer(parseJupyterServers(listed.stdout), port);
  if (!server) {
    services.logger.warn(
      `jupyter server list did not show a server on port ${port}; going on without a token`,
    );
  }
  return { tunnel, server, flavour };
}
