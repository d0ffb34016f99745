// Domain fixtures for the model tests. The offers are the contract's seed table (§8), plus the
// suggested maintenance copy of #3.

import type { Balance, Deployment, Offer, OfferGroup, Volume } from '../../../src/core/domain/types';

/** 2026-09-22T12:00:00Z: every test's "now". */
export const NOW = Date.UTC(2026, 8, 22, 12, 0, 0);
export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

export function offer(overrides: Partial<Offer> & Pick<Offer, 'provider' | 'offerId'>): Offer {
  return {
    gpuType: 'H100_SXM5',
    gpuDisplayName: 'H100 SXM5',
    name: overrides.offerId,
    description: '',
    gpuCount: 1,
    vramGbPerGpu: 80,
    vcpus: 16,
    memoryGb: 64,
    storageGb: 500,
    pricePerHour: 1,
    spotPricePerHour: undefined,
    originalPricePerHour: undefined,
    available: true,
    maintenance: false,
    regions: ['us-east-1'],
    osOptions: ['ubuntu-22.04'],
    instanceType: 'DEDICATED',
    interconnectType: undefined,
    supportsCloudInit: true,
    minimumRuntimeMinutes: undefined,
    unitsAvailable: undefined,
    ...overrides,
  };
}

/** A group around `offers`, with the aggregate fields computed as the API would. */
export function group(gpuType: string, displayName: string, offers: readonly Offer[]): OfferGroup {
  const prices = offers.map((o) => o.pricePerHour);
  const withGroup = offers.map((o) => ({ ...o, gpuType, gpuDisplayName: displayName }));
  return {
    gpuType,
    gpuModel: displayName,
    displayName,
    popularity: 50,
    totalAvailable: offers.length,
    lowestPrice: prices.length ? Math.min(...prices) : 0,
    highestPrice: prices.length ? Math.max(...prices) : 0,
    averagePrice: prices.length ? prices.reduce((a, b) => a + b, 0) / prices.length : 0,
    providers: [...new Set(offers.map((o) => o.provider))],
    offers: withGroup,
  };
}

export const SEED = {
  vpH100Cluster: offer({
    provider: 'voltage-park',
    offerId: 'vp-h100-sxm5-8x-ib',
    gpuCount: 8,
    instanceType: 'CLUSTER',
    pricePerHour: 21.52,
    regions: ['Dallas, TX'],
    osOptions: ['ubuntu-22.04'],
    vcpus: 208,
    memoryGb: 1800,
    storageGb: 20000,
    vramGbPerGpu: 80,
    interconnectType: 'SXM5',
  }),
  dcH100Spot: offer({
    provider: 'data-crunch',
    offerId: 'dc-1h100-sxm5-spot',
    gpuCount: 1,
    instanceType: 'SPOT',
    pricePerHour: 2.91,
    spotPricePerHour: 2.91,
    regions: ['FIN-01'],
    osOptions: ['Ubuntu 22.04 CUDA 12.4'],
    vcpus: 30,
    memoryGb: 120,
    storageGb: 500,
    vramGbPerGpu: 80,
    interconnectType: 'SXM5',
  }),
  dcA100: offer({
    provider: 'data-crunch',
    offerId: 'dc-1a100-80g-sxm4',
    pricePerHour: 1.69,
    regions: ['FIN-02'],
    osOptions: ['Ubuntu 22.04 CUDA 12.4'],
    vcpus: 22,
    memoryGb: 120,
    storageGb: 500,
    vramGbPerGpu: 80,
  }),
  dcA100Maintenance: offer({
    provider: 'data-crunch',
    offerId: 'dc-1a100-80g-sxm4-b',
    pricePerHour: 1.59,
    maintenance: true,
    available: true,
    regions: ['FIN-03'],
    osOptions: ['Ubuntu 22.04 CUDA 12.4'],
    vramGbPerGpu: 80,
  }),
  tdRtx4090: offer({
    provider: 'tensordock',
    offerId: 'rtx-4090-tensordock-1',
    pricePerHour: 0.38,
    regions: ['us-east-1'],
    osOptions: ['ubuntu-22.04'],
    vcpus: 8,
    memoryGb: 32,
    storageGb: 100,
    vramGbPerGpu: 24,
  }),
  sesL40s: offer({
    provider: 'sesterce',
    offerId: 'ses-l40s-1x-kc',
    pricePerHour: 0.88,
    regions: ['kansascity-usa-1', '166e655a:culpeper-usa-1'],
    osOptions: ['Ubuntu Server 22.04 LTS R570 CUDA 12.8', 'AlmaLinux 9 Plain'],
    vcpus: 16,
    memoryGb: 96,
    storageGb: 500,
    vramGbPerGpu: 48,
    supportsCloudInit: false,
  }),
  saiB200: offer({
    provider: 'spheron-ai',
    offerId: 'sai-b200-8x-ca1',
    gpuCount: 8,
    pricePerHour: 57.6071,
    regions: ['CANADA-1'],
    osOptions: ['Ubuntu 24.04 LTS (CUDA 13)'],
    vcpus: 224,
    memoryGb: 2048,
    storageGb: 30000,
    vramGbPerGpu: 192,
  }),
  saiRtx5090: offer({
    provider: 'spheron-ai',
    offerId: 'rtx-5090-spheron-ai-1',
    pricePerHour: 0.76,
    regions: ['CANADA-1'],
    osOptions: ['Ubuntu 24.04 LTS (CUDA 13)'],
    vcpus: 16,
    memoryGb: 64,
    storageGb: 200,
    vramGbPerGpu: 32,
  }),
  mcRtxPro6000: offer({
    provider: 'massed-compute',
    offerId: 'gpu_1x_pro_6000_blackwell_us-central-9',
    pricePerHour: 2.39,
    regions: ['us-central-9'],
    osOptions: ['Ubuntu Server 22.04'],
    vcpus: 16,
    memoryGb: 144,
    storageGb: 500,
    vramGbPerGpu: 96,
  }),
  mcCpu: offer({
    provider: 'massed-compute',
    offerId: 'cpu_small_us-central-3',
    gpuCount: 0,
    pricePerHour: 0.12,
    regions: ['us-central-3'],
    osOptions: ['Ubuntu Server 22.04'],
    vcpus: 14,
    memoryGb: 40,
    storageGb: 200,
    vramGbPerGpu: 0,
  }),
} as const;

export const SEED_GROUPS: readonly OfferGroup[] = [
  group('H100_SXM5', 'H100 SXM5', [SEED.vpH100Cluster, SEED.dcH100Spot]),
  group('A100_80G_SXM4', 'A100 80GB SXM4', [SEED.dcA100, SEED.dcA100Maintenance]),
  group('RTX4090_PCIE', 'RTX 4090', [SEED.tdRtx4090]),
  group('L40S_PCIE', 'L40S', [SEED.sesL40s]),
  group('B200_SXM6', 'B200 SXM6', [SEED.saiB200]),
  group('RTX5090_PCIE', 'RTX 5090', [SEED.saiRtx5090]),
  group('RTXPRO6000_PCIE', 'RTX PRO 6000', [SEED.mcRtxPro6000]),
  group('CPU', 'CPU', [SEED.mcCpu]),
];

/** 300 groups × 20 offers, deterministic. */
export function largeCatalogue(groupCount = 300, offersPerGroup = 20): OfferGroup[] {
  const providers = ['voltage-park', 'data-crunch', 'sesterce', 'spheron-ai', 'massed-compute'];
  const types = ['SPOT', 'DEDICATED', 'CLUSTER'];
  const groups: OfferGroup[] = [];
  for (let g = 0; g < groupCount; g += 1) {
    const offers: Offer[] = [];
    for (let i = 0; i < offersPerGroup; i += 1) {
      const n = g * offersPerGroup + i;
      offers.push(
        offer({
          provider: providers[n % providers.length] ?? 'x',
          offerId: `offer-${g}-${i}`,
          gpuCount: [1, 2, 4, 8][n % 4] ?? 1,
          vramGbPerGpu: [24, 48, 80, 96][g % 4] ?? 24,
          pricePerHour: ((n * 37) % 5000) / 100 + 0.1,
          instanceType: types[n % 3] ?? 'DEDICATED',
          maintenance: n % 17 === 0,
          regions: [`region-${n % 40}`, `abcdef12:region-${(n + 1) % 40}`],
        }),
      );
    }
    groups.push(group(`GPU_${g}`, `GPU Model ${g % 250}`, offers));
  }
  return groups;
}

export function deployment(overrides: Partial<Deployment> & Pick<Deployment, 'id'>): Deployment {
  const status = overrides.status ?? 'running';
  return {
    name: `box-${overrides.id}`,
    provider: 'massed-compute',
    gpuType: 'RTXPRO6000_PCIE',
    gpuCount: 1,
    region: 'us-central-9',
    instanceType: 'DEDICATED',
    operatingSystem: 'Ubuntu Server 22.04',
    offerId: 'gpu_1x_pro_6000_blackwell_us-central-9',
    status,
    rawStatus: status,
    ipAddress: '198.51.100.42',
    sshUser: 'ubuntu',
    sshPort: 22,
    sshCommand: null,
    sshKeyId: 'key1',
    createdAtMs: NOW - 2 * HOUR,
    startedAtMs: NOW - 80 * MINUTE,
    stoppedAtMs: null,
    totalCost: 0,
    hourlyRate: 2.39,
    originalHourlyRate: 2.39,
    vcpus: 16,
    memoryGb: 144,
    storageGb: 500,
    ...overrides,
  };
}

export function volume(overrides: Partial<Volume> & Pick<Volume, 'id'>): Volume {
  const status = overrides.status ?? 'available';
  return {
    providerVolumeId: null,
    name: `vol-${overrides.id}`,
    provider: 'voltage-park',
    region: 'Dallas, TX',
    sizeGb: 1024,
    usedBytes: 0,
    status,
    rawStatus: status,
    hourlyRatePerGb: 0.000109,
    attachedDeploymentIds: [],
    createdAtMs: NOW - DAY,
    ...overrides,
  };
}

export const BALANCE: Balance = {
  currency: 'USD',
  teams: [
    {
      teamId: '66f1c0ffee00000000000a01',
      teamName: 'research',
      balance: 212.4,
      isCurrentTeam: true,
      role: 'owner',
    },
    {
      teamId: '66f1c0ffee00000000000a02',
      teamName: 'ops',
      balance: 12,
      isCurrentTeam: false,
      role: 'member',
    },
  ],
};
