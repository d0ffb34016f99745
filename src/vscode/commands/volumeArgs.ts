import * as vscode from 'vscode';
import type { Deployment, Volume } from '../../core/api/types';
import { formatSizeGb } from '../../core/model/format';
import { instanceLabel } from '../../core/model/instances';
import type { ModelNode } from '../../core/model/nodes';
import { volumeProviderLabel } from '../../core/volumes/providerRules';
import type { Services } from '../services';

/** The volume id a command was started with: a Volumes row, a volume, or an id. */
export function volumeIdFrom(arg: unknown): string | undefined {
  if (typeof arg === 'string') {
    return arg;
  }
  if (typeof arg === 'object' && arg !== null) {
    const node = arg as Partial<ModelNode> & { id?: unknown; attachedDeploymentIds?: unknown };
    if (node.kind === 'volume') {
      return node.volume?.id;
    }
    if (!node.kind && typeof node.id === 'string' && Array.isArray(node.attachedDeploymentIds)) {
      return node.id;
    }
  }
  return undefined;
}

/** The team's volumes, loading them when the view never has. */
export async function currentVolumes(services: Services, fresh = false): Promise<Volume[]> {
  const volumes = services.data.volumes;
  if (fresh || !volumes.state.value) {
    await volumes.refresh();
  }
  const { value, error } = volumes.state;
  if (!value) {
    throw error instanceof Error ? error : new Error('Could not load the volumes.');
  }
  return value;
}

/** The team's deployments, loading them when the view never has. */
export async function currentDeployments(services: Services, fresh = false): Promise<Deployment[]> {
  const deployments = services.data.deployments;
  if (fresh || !deployments.state.value) {
    await deployments.refresh();
  }
  const { value, error } = deployments.state;
  if (!value) {
    throw error instanceof Error ? error : new Error('Could not load the instances.');
  }
  return value;
}

export function deploymentNames(deployments: readonly Deployment[]): Map<string, string> {
  return new Map(deployments.map((deployment) => [deployment.id, instanceLabel(deployment)]));
}

/**
 * The volume a command acts on, as the API has it now. From a Volumes row it is that row's;
 * from the palette the user picks among the volumes `accept` allows.
 */
export async function resolveVolume(
  services: Services,
  arg: unknown,
  options: { title: string; accept: (volume: Volume) => boolean; none: string },
): Promise<Volume | undefined> {
  const id = volumeIdFrom(arg);
  const volumes = await currentVolumes(services, id !== undefined);
  if (id !== undefined) {
    const found = volumes.find((volume) => volume.id === id);
    if (!found) {
      throw new Error('That volume no longer exists at Spheron.');
    }
    return found;
  }
  const candidates = volumes.filter(options.accept);
  if (candidates.length === 0) {
    void vscode.window.showInformationMessage(options.none);
    return undefined;
  }
  const picked = await vscode.window.showQuickPick(
    candidates.map((volume) => ({
      label: volume.name || volume.id,
      description: `${volumeProviderLabel(volume.provider)} · ${formatSizeGb(volume.sizeGb)}${volume.region ? ` · ${volume.region}` : ''} · ${volume.rawStatus || volume.status}`,
      volume,
    })),
    { title: options.title, placeHolder: 'Pick a volume' },
  );
  return picked?.volume;
}
