// Whether a volume may be attached, detached or deleted, with the reason in plain words when not.
// The explorer asks before calling the API, so the user reads the provider's rule, not a 400.
import type { Volume } from '../domain/types';
import { sameProvider, volumeProviderLabel, volumeProviderRules } from './providerRules';

export type VolumeActionCheck =
  { readonly allowed: true } | { readonly allowed: false; readonly reason: string };

/** The instance facts the rules need. */
export interface VolumeTargetInstance {
  readonly id: string;
  readonly name: string | null;
  readonly provider: string;
  readonly region: string;
  readonly status: string;
}

const ALLOWED: VolumeActionCheck = { allowed: true };

function refuse(reason: string): VolumeActionCheck {
  return { allowed: false, reason };
}

function instanceLabel(id: string, nameOf: (id: string) => string | null | undefined): string {
  const name = nameOf(id);
  return name ? `"${name}"` : `instance ${id}`;
}

/** `"a"`, `"a" and "b"`, `"a", "b" and "c"`. */
export function listInWords(items: readonly string[]): string {
  if (items.length <= 1) {
    return items[0] ?? '';
  }
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

function usable(volume: Volume): VolumeActionCheck {
  if (volume.status === 'deleting' || volume.status === 'deleted') {
    return refuse(`Volume "${volume.name}" is being deleted.`);
  }
  return ALLOWED;
}

export function checkAttach(
  volume: Volume,
  target: VolumeTargetInstance,
  allVolumes: readonly Volume[],
  nameOf: (deploymentId: string) => string | null | undefined = () => undefined,
): VolumeActionCheck {
  const state = usable(volume);
  if (!state.allowed) {
    return state;
  }
  const label = volumeProviderLabel(volume.provider);
  const rules = volumeProviderRules(volume.provider);
  const targetName = target.name ? `"${target.name}"` : `instance ${target.id}`;
  if (volume.attachedDeploymentIds.includes(target.id)) {
    return refuse(`Volume "${volume.name}" is already attached to ${targetName}.`);
  }
  if (!sameProvider(volume.provider, target.provider)) {
    return refuse(
      `Volume "${volume.name}" is a ${label} volume and can only be attached to ${label} instances; ${targetName} runs on ${volumeProviderLabel(target.provider)}.`,
    );
  }
  if (target.status !== 'running') {
    return refuse(`Volumes can only be attached to running instances; ${targetName} is ${target.status}.`);
  }
  if ((rules?.sameRegionOnly ?? true) && volume.region !== null && volume.region !== target.region) {
    return refuse(
      `Volume "${volume.name}" is in ${volume.region} and ${targetName} is in ${target.region}. ${label} volumes attach only to instances in their own region.`,
    );
  }
  const elsewhere = volume.attachedDeploymentIds.filter((id) => id !== target.id);
  if (!(rules?.multiAttach ?? false) && elsewhere.length > 0) {
    return refuse(
      `Volume "${volume.name}" is attached to ${listInWords(elsewhere.map((id) => instanceLabel(id, nameOf)))}. ${label} volumes attach to one instance at a time; detach it there first.`,
    );
  }
  const limit = rules?.maxVolumesPerInstance;
  if (limit !== undefined) {
    const onTarget = allVolumes.filter(
      (other) =>
        other.id !== volume.id &&
        sameProvider(other.provider, volume.provider) &&
        other.attachedDeploymentIds.includes(target.id),
    );
    if (onTarget.length >= limit) {
      return refuse(
        `${targetName} already has ${listInWords(onTarget.map((v) => `"${v.name}"`))} attached. ${label} allows ${limit === 1 ? 'one volume' : `${limit} volumes`} per instance.`,
      );
    }
  }
  return ALLOWED;
}

export function checkDetach(
  volume: Volume,
  deploymentId: string,
  nameOf: (deploymentId: string) => string | null | undefined = () => undefined,
): VolumeActionCheck {
  if (!volume.attachedDeploymentIds.includes(deploymentId)) {
    return refuse(`Volume "${volume.name}" is not attached to ${instanceLabel(deploymentId, nameOf)}.`);
  }
  return usable(volume);
}

export function checkDelete(
  volume: Volume,
  nameOf: (deploymentId: string) => string | null | undefined = () => undefined,
): VolumeActionCheck {
  if (volume.attachedDeploymentIds.length > 0) {
    const names = listInWords(volume.attachedDeploymentIds.map((id) => instanceLabel(id, nameOf)));
    return refuse(`Volume "${volume.name}" is attached to ${names}. Detach it before deleting it.`);
  }
  if (volume.status === 'deleting' || volume.status === 'deleted') {
    return refuse(`Volume "${volume.name}" is already being deleted.`);
  }
  return ALLOWED;
}
