// Which of the team's volumes can be attached to a new instance of this offer in this region.
// The form lists only these and says in words why the rest are hidden.
import type { Offer, Volume } from '../domain/types';
import { sameProvider, volumeProviderLabel, volumeProviderRules } from '../volumes/providerRules';

export type HiddenVolumeReason =
  'other-provider' | 'no-volume-support' | 'other-region' | 'attached' | 'unusable';

export interface HiddenVolume {
  readonly volume: Volume;
  readonly reason: HiddenVolumeReason;
  readonly explanation: string;
}

export interface VolumeCompatibility {
  readonly compatible: readonly Volume[];
  readonly hidden: readonly HiddenVolume[];
  /** How many may be chosen at once; undefined = no limit. */
  readonly maxSelectable: number | undefined;
  /** The provider's rule in words, when it has volume support. */
  readonly providerRule: string | undefined;
}

function hide(volume: Volume, reason: HiddenVolumeReason, explanation: string): HiddenVolume {
  return { volume, reason, explanation };
}

export function volumesForOffer(
  volumes: readonly Volume[],
  offer: Offer,
  region: string,
): VolumeCompatibility {
  const rules = volumeProviderRules(offer.provider);
  const compatible: Volume[] = [];
  const hidden: HiddenVolume[] = [];
  for (const volume of volumes) {
    const label = volumeProviderLabel(volume.provider);
    if (!rules) {
      hidden.push(
        hide(
          volume,
          'no-volume-support',
          `${volumeProviderLabel(offer.provider)} instances cannot use volumes.`,
        ),
      );
    } else if (!sameProvider(volume.provider, offer.provider)) {
      hidden.push(
        hide(volume, 'other-provider', `It is a ${label} volume; this instance runs on ${rules.label}.`),
      );
    } else if (volume.status !== 'available' && volume.status !== 'attached') {
      hidden.push(hide(volume, 'unusable', `It is ${volume.rawStatus || volume.status}.`));
    } else if (rules.sameRegionOnly && volume.region !== region) {
      hidden.push(
        hide(
          volume,
          'other-region',
          volume.region === null
            ? `Spheron did not say which region it is in; ${label} volumes attach only within their region.`
            : `It is in ${volume.region}; this instance will be in ${region}.`,
        ),
      );
    } else if (!rules.multiAttach && volume.attachedDeploymentIds.length > 0) {
      hidden.push(
        hide(
          volume,
          'attached',
          `It is attached to another instance; ${label} volumes attach to one at a time.`,
        ),
      );
    } else {
      compatible.push(volume);
    }
  }
  return {
    compatible,
    hidden,
    maxSelectable: rules?.maxVolumesPerInstance,
    providerRule: rules?.summary,
  };
}

/** One sentence about the hidden volumes, e.g. `2 volumes are hidden: 1 from another provider, 1 in another region.` */
export function hiddenVolumesSummary(hidden: readonly HiddenVolume[]): string | undefined {
  if (hidden.length === 0) {
    return undefined;
  }
  const phrases: Record<HiddenVolumeReason, string> = {
    'other-provider': 'from another provider',
    'no-volume-support': 'not usable with this provider',
    'other-region': 'in another region',
    attached: 'attached elsewhere',
    unusable: 'being deleted or unavailable',
  };
  const counts = new Map<HiddenVolumeReason, number>();
  for (const item of hidden) {
    counts.set(item.reason, (counts.get(item.reason) ?? 0) + 1);
  }
  const parts = [...counts].map(([reason, count]) => `${count} ${phrases[reason]}`);
  const subject = hidden.length === 1 ? '1 volume is hidden' : `${hidden.length} volumes are hidden`;
  return `${subject}: ${parts.join(', ')}.`;
}
