// The Kubernetes add-on in the deploy form: the versions the form offers, the checkbox's value,
// and the choice it sends. The versions call never blocks the form: when it fails or is slow, the
// offer's own version is the one choice.
import type { KubernetesVersion, Offer } from '../domain/types';
import { kubernetesAddonProblem, offerKubernetesAddon, type KubernetesAddonChoice } from './kubernetesAddon';

/** The form's add-on field: the checkbox and the version select. */
export interface KubernetesAddonFormValue {
  readonly enabled: boolean;
  readonly version: string;
}

/** What the form needs to offer the add-on; absent (null) for offers that cannot carry it. */
export interface KubernetesAddonFormInit {
  /** Versions to choose from, the default first. */
  readonly versions: readonly string[];
  /** USD per hour the add-on adds to the offer's price. */
  readonly costPerHour: number;
  /** Why the list is only the offer's own version; undefined when it came from the API. */
  readonly versionsNote?: string;
}

export const KUBERNETES_VERSIONS_TIMEOUT_MS = 8000;

/** The versions the form offers: the available ones from the API, the offer's version first when listed. */
export function kubernetesVersionOptions(
  offerVersion: string,
  listed: readonly KubernetesVersion[],
): string[] {
  const available = [...new Set(listed.filter((item) => item.available).map((item) => item.version))];
  if (available.length === 0) {
    return [offerVersion];
  }
  return available.includes(offerVersion)
    ? [offerVersion, ...available.filter((version) => version !== offerVersion)]
    : available;
}

/**
 * The add-on part of the form's init for `offer`; null when the offer cannot carry it. A failed,
 * empty or slow versions call falls back to the offer's own version.
 */
export async function loadKubernetesAddonFormInit(
  offer: Pick<Offer, 'provider' | 'instanceType' | 'kubernetesAddon'>,
  listVersions: (provider: string) => Promise<readonly KubernetesVersion[]>,
  timeoutMs = KUBERNETES_VERSIONS_TIMEOUT_MS,
): Promise<KubernetesAddonFormInit | null> {
  const addon = offerKubernetesAddon(offer);
  if (!addon) {
    return null;
  }
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), timeoutMs);
  });
  try {
    const listed = await Promise.race([listVersions(offer.provider), timeout]);
    if (listed === 'timeout') {
      return fallback(addon.version, addon.totalCostPerHour, 'Spheron did not list the versions in time');
    }
    const versions = kubernetesVersionOptions(addon.version, listed);
    return {
      versions,
      costPerHour: addon.totalCostPerHour,
      versionsNote: listed.some((item) => item.available)
        ? undefined
        : `Spheron listed no versions; ${addon.version} is the offer's own.`,
    };
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return fallback(addon.version, addon.totalCostPerHour, `The versions could not be loaded (${reason})`);
  } finally {
    clearTimeout(timer);
  }
}

function fallback(version: string, costPerHour: number, why: string): KubernetesAddonFormInit {
  return { versions: [version], costPerHour, versionsNote: `${why}; ${version} is the offer's own version.` };
}

/** The field's starting value: unticked, with the first version chosen. */
export function initialKubernetesAddonValue(init: KubernetesAddonFormInit): KubernetesAddonFormValue {
  return { enabled: false, version: init.versions[0] ?? '' };
}

/** Why the field's value cannot be sent with `offer`; undefined when it can (or is unticked). */
export function kubernetesAddonFieldProblem(
  value: KubernetesAddonFormValue | undefined,
  offer: Pick<Offer, 'instanceType' | 'kubernetesAddon' | 'name' | 'offerId'>,
): string | undefined {
  if (!value?.enabled) {
    return undefined;
  }
  if (value.version === '') {
    return 'Choose a Kubernetes version.';
  }
  return kubernetesAddonProblem(offer, { version: value.version });
}

/** The choice to send, when the box is ticked. */
export function kubernetesAddonChoiceOf(
  value: KubernetesAddonFormValue | undefined,
): KubernetesAddonChoice | undefined {
  return value?.enabled ? { version: value.version } : undefined;
}
