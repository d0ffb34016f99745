// What each volume provider allows (contract §4.10), in data and in plain words. The words are
// shown when the form hides a volume or when attach/detach/delete is refused.

export const KNOWN_VOLUME_PROVIDERS = ['voltage-park', 'data-crunch', 'sesterce', 'spheron-ai'] as const;
export type VolumeProvider = (typeof KNOWN_VOLUME_PROVIDERS)[number];

export interface VolumeProviderRules {
  readonly provider: VolumeProvider;
  readonly label: string;
  /** Volumes one instance may have from this provider; undefined = no stated limit. */
  readonly maxVolumesPerInstance: number | undefined;
  /** Whether one volume can be attached to several instances at once. */
  readonly multiAttach: boolean;
  /** Whether the create body must name a region. */
  readonly regionRequired: boolean;
  /** Whether a volume attaches only to instances in its own region. */
  readonly sameRegionOnly: boolean;
  /** Largest size the provider documents, GB (binary TB). */
  readonly maxSizeGb: number | undefined;
  /** One or two sentences for people. */
  readonly summary: string;
}

const RULES: Readonly<Record<VolumeProvider, VolumeProviderRules>> = {
  'voltage-park': {
    provider: 'voltage-park',
    label: 'Voltage Park',
    maxVolumesPerInstance: 1,
    multiAttach: false,
    regionRequired: false,
    sameRegionOnly: false,
    maxSizeGb: 65_536,
    summary:
      'Voltage Park volumes live in Dallas, TX, hold up to 64 TB, and attach to one instance at a time; an instance can have only one Voltage Park volume.',
  },
  'data-crunch': {
    provider: 'data-crunch',
    label: 'DataCrunch',
    maxVolumesPerInstance: undefined,
    multiAttach: true,
    regionRequired: true,
    sameRegionOnly: true,
    maxSizeGb: 10_240,
    summary:
      'DataCrunch volumes hold up to 10 TB and can be attached to several instances at once, but only to instances in the same region (FIN-01, FIN-02 or FIN-03).',
  },
  sesterce: {
    provider: 'sesterce',
    label: 'Sesterce',
    maxVolumesPerInstance: undefined,
    multiAttach: false,
    regionRequired: true,
    sameRegionOnly: true,
    maxSizeGb: undefined,
    summary: 'Sesterce volumes attach only to instances in the same region, one instance at a time.',
  },
  'spheron-ai': {
    provider: 'spheron-ai',
    label: 'Spheron AI',
    maxVolumesPerInstance: undefined,
    multiAttach: false,
    regionRequired: true,
    sameRegionOnly: true,
    maxSizeGb: undefined,
    summary: 'Spheron AI volumes attach only to instances in the same region, one instance at a time.',
  },
};

export function isKnownVolumeProvider(provider: string): provider is VolumeProvider {
  return (KNOWN_VOLUME_PROVIDERS as readonly string[]).includes(provider);
}

/** The rules for a provider; undefined for providers without volume support. */
export function volumeProviderRules(provider: string): VolumeProviderRules | undefined {
  return isKnownVolumeProvider(provider) ? RULES[provider] : undefined;
}

export function volumeProviderLabel(provider: string): string {
  return volumeProviderRules(provider)?.label ?? provider;
}

/** Old and rebranded slugs that name the same volume provider. */
const PROVIDER_ALIASES: Readonly<Record<string, VolumeProvider>> = {
  voltagepark: 'voltage-park',
  datacrunch: 'data-crunch',
  verda: 'data-crunch',
};

/**
 * The provider slug to compare by. Deployments report `providerId`, which the contract says is
 * "sometimes id-suffixed" (e.g. `voltage-park-7f3a`), so a known slug followed by `-…` counts.
 */
export function canonicalProvider(provider: string): string {
  const lower = provider.trim().toLowerCase();
  const alias = PROVIDER_ALIASES[lower];
  if (alias) {
    return alias;
  }
  const known = KNOWN_VOLUME_PROVIDERS.find((slug) => lower === slug || lower.startsWith(`${slug}-`));
  return known ?? lower;
}

export function sameProvider(a: string, b: string): boolean {
  return canonicalProvider(a) === canonicalProvider(b);
}
