// The "Spheron" kernel source in the Jupyter extension's Select Kernel picker: one Jupyter server
// per running instance, plus commands to deploy a GPU or sign in. No vscode here: the wiring in
// src/vscode/jupyter maps these onto the Jupyter extension's API.
import type { Deployment } from '../domain/types';
import { isEnded } from '../model/classify';
import { formatRate } from '../model/format';
import { instanceLabel } from '../model/instances';

/** Server ids are stable across reloads (the Jupyter extension stores them with the notebook). */
const SERVER_ID_PREFIX = 'spheron-deployment:';

export interface KernelServerEntry {
  readonly id: string;
  readonly label: string;
  readonly deploymentId: string;
}

export function serverIdFor(deploymentId: string): string {
  return `${SERVER_ID_PREFIX}${deploymentId}`;
}

/** The deployment id in one of our server ids; undefined for anything else. */
export function deploymentIdOfServer(serverId: string): string | undefined {
  if (!serverId.startsWith(SERVER_ID_PREFIX)) {
    return undefined;
  }
  const id = serverId.slice(SERVER_ID_PREFIX.length);
  return /^[A-Za-z0-9_-]{1,128}$/.test(id) ? id : undefined;
}

/** `h100-finetune · 1× H100_SXM5 · $2.91/h`: what the picker shows for an instance. */
export function kernelServerLabel(deployment: Deployment): string {
  const gpus =
    deployment.gpuCount !== null && deployment.gpuCount > 0
      ? `${deployment.gpuCount}× ${deployment.gpuType}`
      : deployment.gpuType;
  return `${instanceLabel(deployment)} · ${gpus} · ${formatRate(deployment.hourlyRate)}`;
}

/** One server per running instance, in the order the Instances view lists them. */
export function kernelServers(deployments: readonly Deployment[]): KernelServerEntry[] {
  return deployments
    .filter((deployment) => deployment.status === 'running')
    .map((deployment) => ({
      id: serverIdFor(deployment.id),
      label: kernelServerLabel(deployment),
      deploymentId: deployment.id,
    }));
}

export type KernelCommandId = 'deploy' | 'signIn';

export interface KernelCommandEntry {
  readonly id: KernelCommandId;
  readonly label: string;
  readonly description: string;
}

/** The picker's commands: sign in first when signed out, else deploy a new GPU. */
export function kernelCommands(signedIn: boolean): KernelCommandEntry[] {
  return signedIn
    ? [{ id: 'deploy', label: 'Deploy a GPU…', description: 'Rent a GPU instance on Spheron' }]
    : [{ id: 'signIn', label: 'Sign In to Spheron…', description: 'Needs an API key from the dashboard' }];
}

/** Why a chosen server cannot be used now; the message is shown by the Jupyter extension. */
export class KernelServerUnavailableError extends Error {
  constructor(
    readonly reason: 'gone' | 'ended' | 'not-running',
    message: string,
  ) {
    super(message);
    this.name = 'KernelServerUnavailableError';
  }
}

/**
 * The deployment behind a chosen server, when it can run kernels now. An instance that ended or
 * vanished says so instead of leaving the notebook waiting on a tunnel that can never come up.
 */
export function usableDeployment(
  deploymentId: string,
  deployments: readonly Deployment[],
  serverLabel: string,
): Deployment {
  const deployment = deployments.find((candidate) => candidate.id === deploymentId);
  if (!deployment) {
    throw new KernelServerUnavailableError(
      'gone',
      `The Spheron instance behind “${serverLabel}” is no longer in your team's list. Pick another kernel.`,
    );
  }
  const name = instanceLabel(deployment);
  if (isEnded(deployment.status)) {
    throw new KernelServerUnavailableError(
      'ended',
      `The Spheron instance “${name}” has ended (${deployment.rawStatus}); its kernels are gone. Pick another kernel.`,
    );
  }
  if (deployment.status !== 'running') {
    throw new KernelServerUnavailableError(
      'not-running',
      `The Spheron instance “${name}” is ${deployment.rawStatus}, not running. Try again when it runs.`,
    );
  }
  return deployment;
}

/** What the Jupyter extension needs to talk to the server through our tunnel. */
export interface KernelConnection {
  /** `http://127.0.0.1:<local port><base url>`, always ending in `/`. */
  readonly baseUrl: string;
  readonly token: string;
}

export function kernelConnection(localPort: number, remoteBaseUrl: string, token: string): KernelConnection {
  const base = remoteBaseUrl.startsWith('/') ? remoteBaseUrl : `/${remoteBaseUrl}`;
  return {
    baseUrl: `http://127.0.0.1:${localPort}${base.endsWith('/') ? base : `${base}/`}`,
    token,
  };
}

/** A built-in notebook kernel (used when the Jupyter extension is not installed): one per instance. */
export interface NotebookKernelTarget {
  readonly controllerId: string;
  readonly deploymentId: string;
  /** `h100-finetune`: the instance, as messages name it. */
  readonly instanceName: string;
  /** `Spheron: h100-finetune · $2.91/h`: what the notebook toolbar shows. */
  readonly label: string;
  /** `1× H100_SXM5`: shown beside the label in the kernel picker. */
  readonly description: string;
}

const CONTROLLER_ID_PREFIX = 'spheron-kernel-';

export function notebookControllerLabel(deployment: Deployment): string {
  return `Spheron: ${instanceLabel(deployment)} · ${formatRate(deployment.hourlyRate)}`;
}

/** One kernel per running instance that has an address to connect to, in the Instances order. */
export function notebookKernelTargets(deployments: readonly Deployment[]): NotebookKernelTarget[] {
  return deployments
    .filter((deployment) => deployment.status === 'running' && deployment.ipAddress !== null)
    .map((deployment) => ({
      controllerId: `${CONTROLLER_ID_PREFIX}${deployment.id}`,
      deploymentId: deployment.id,
      instanceName: instanceLabel(deployment),
      label: notebookControllerLabel(deployment),
      description:
        deployment.gpuCount !== null && deployment.gpuCount > 0
          ? `${deployment.gpuCount}× ${deployment.gpuType}`
          : deployment.gpuType,
    }));
}
