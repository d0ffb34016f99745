import * as vscode from 'vscode';
import { ValidationError } from '../../core/api/errors';
import type { Deployment, Volume } from '../../core/domain/types';
import { formatSizeGb } from '../../core/model/format';
import { instanceLabel } from '../../core/model/instances';
import type { ModelNode } from '../../core/model/nodes';
import { volumeLabel } from '../../core/model/volumes';
import type { Resource } from '../../core/util/resource';
import { volumeRefusalMessage } from '../../core/volumes/attachTargets';
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

/** A resource's value, loading it when no view ever has (or again when `fresh`). */
async function loadedValue<T>(resource: Resource<T>, fresh: boolean, failure: string): Promise<T> {
  if (fresh || !resource.state.value) {
    await resource.refresh();
  }
  const { value, error } = resource.state;
  if (!value) {
    throw error instanceof Error ? error : new Error(failure);
  }
  return value;
}

/** The team's volumes, loading them when the view never has. */
export function currentVolumes(services: Services, fresh = false): Promise<Volume[]> {
  return loadedValue(services.data.volumes, fresh, 'Could not load the volumes.');
}

/** The team's deployments, loading them when the view never has. */
export function currentDeployments(services: Services, fresh = false): Promise<Deployment[]> {
  return loadedValue(services.data.deployments, fresh, 'Could not load the instances.');
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
      label: volumeLabel(volume),
      description: `${volumeProviderLabel(volume.provider)} · ${formatSizeGb(volume.sizeGb)}${volume.region ? ` · ${volume.region}` : ''} · ${volume.rawStatus || volume.status}`,
      volume,
    })),
    { title: options.title, placeHolder: 'Pick a volume' },
  );
  return picked?.volume;
}

const ACTION_IN_LOG = { attach: 'Attach', detach: 'Detach', delete: 'Delete' } as const;

/**
 * Sends one volume change under a progress notification. A refusal from Spheron (400, usually a
 * provider rule) is logged and explained to the user, and comes back as false; any other error is
 * the caller's.
 */
export async function sendVolumeChange(
  services: Services,
  change: {
    readonly action: 'attach' | 'detach' | 'delete';
    readonly volume: Volume;
    readonly instanceName: string | undefined;
    readonly progressTitle: string;
    readonly send: () => Promise<unknown>;
  },
): Promise<boolean> {
  try {
    await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: change.progressTitle },
      change.send,
    );
    return true;
  } catch (error) {
    if (error instanceof ValidationError) {
      services.logger.warn(`${ACTION_IN_LOG[change.action]} refused: ${error.serverMessage}`);
      void vscode.window.showWarningMessage(
        volumeRefusalMessage(change.action, change.volume, change.instanceName, error.serverMessage),
      );
      return false;
    }
    throw error;
  }
}
