// Deterministic big catalogues (e.g. 300 groups × 20 offers) shaped like the live payload:
// many providers and opaque region strings, spot/cluster/maintenance/CPU-only offers, mixed cloud-init support.
import { finalizeGroup, roundTo } from './catalogue';
import type { InstanceType, WireOffer, WireOfferGroup } from './types';

export interface GeneratorOptions {
  readonly groups: number;
  readonly offersPerGroup: number;
  /** Same seed, same catalogue. Default 1. */
  readonly seed?: number;
}

/** mulberry32: small, fast and good enough for test data. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface GpuModel {
  readonly base: string;
  readonly model: string;
  readonly label: string;
  readonly vram: number;
  /** Typical on-demand USD/h per GPU. */
  readonly pricePerGpu: number;
  readonly variants: readonly string[];
  readonly popularity: number;
  readonly amd?: boolean;
  readonly cpu?: boolean;
}

const GPU_MODELS: readonly GpuModel[] = [
  {
    base: 'H100',
    model: 'H100',
    label: 'H100',
    vram: 80,
    pricePerGpu: 2.3,
    variants: ['SXM5', 'PCIE'],
    popularity: 98,
  },
  {
    base: 'B200',
    model: 'B200',
    label: 'B200',
    vram: 192,
    pricePerGpu: 6.9,
    variants: ['SXM6'],
    popularity: 95,
  },
  {
    base: 'H200',
    model: 'H200',
    label: 'H200',
    vram: 141,
    pricePerGpu: 3.4,
    variants: ['SXM5'],
    popularity: 93,
  },
  {
    base: 'A100_80G',
    model: 'A100',
    label: 'A100 80GB',
    vram: 80,
    pricePerGpu: 1.45,
    variants: ['SXM4', 'PCIE'],
    popularity: 90,
  },
  {
    base: 'RTX5090',
    model: 'RTX 5090',
    label: 'RTX 5090',
    vram: 32,
    pricePerGpu: 0.72,
    variants: ['PCIE'],
    popularity: 88,
  },
  {
    base: 'CPU',
    model: 'CPU',
    label: 'CPU only',
    vram: 0,
    pricePerGpu: 0,
    variants: [''],
    popularity: 12,
    cpu: true,
  },
  {
    base: 'RTX4090',
    model: 'RTX 4090',
    label: 'RTX 4090',
    vram: 24,
    pricePerGpu: 0.36,
    variants: ['PCIE'],
    popularity: 85,
  },
  {
    base: 'B300',
    model: 'B300',
    label: 'B300',
    vram: 288,
    pricePerGpu: 8.9,
    variants: ['SXM6'],
    popularity: 80,
  },
  {
    base: 'L40S',
    model: 'L40S',
    label: 'L40S',
    vram: 48,
    pricePerGpu: 0.86,
    variants: ['PCIE'],
    popularity: 78,
  },
  {
    base: 'RTXPRO6000',
    model: 'RTX PRO 6000',
    label: 'RTX PRO 6000',
    vram: 96,
    pricePerGpu: 1.9,
    variants: ['PCIE'],
    popularity: 76,
  },
  {
    base: 'GH200',
    model: 'GH200',
    label: 'GH200',
    vram: 96,
    pricePerGpu: 1.6,
    variants: ['PCIE'],
    popularity: 70,
  },
  {
    base: 'A6000',
    model: 'RTX A6000',
    label: 'RTX A6000',
    vram: 48,
    pricePerGpu: 0.49,
    variants: ['PCIE'],
    popularity: 66,
  },
  {
    base: 'RTX6000ADA',
    model: 'RTX 6000 Ada',
    label: 'RTX 6000 Ada',
    vram: 48,
    pricePerGpu: 0.77,
    variants: ['PCIE'],
    popularity: 64,
  },
  {
    base: 'L40',
    model: 'L40',
    label: 'L40',
    vram: 48,
    pricePerGpu: 0.69,
    variants: ['PCIE'],
    popularity: 60,
  },
  { base: 'A40', model: 'A40', label: 'A40', vram: 48, pricePerGpu: 0.4, variants: ['PCIE'], popularity: 55 },
  {
    base: 'A5000',
    model: 'RTX A5000',
    label: 'RTX A5000',
    vram: 24,
    pricePerGpu: 0.27,
    variants: ['PCIE'],
    popularity: 52,
  },
  {
    base: 'RTX3090',
    model: 'RTX 3090',
    label: 'RTX 3090',
    vram: 24,
    pricePerGpu: 0.22,
    variants: ['PCIE'],
    popularity: 50,
  },
  {
    base: 'A4000',
    model: 'RTX A4000',
    label: 'RTX A4000',
    vram: 16,
    pricePerGpu: 0.17,
    variants: ['PCIE'],
    popularity: 47,
  },
  {
    base: 'RTX4080',
    model: 'RTX 4080',
    label: 'RTX 4080',
    vram: 16,
    pricePerGpu: 0.26,
    variants: ['PCIE'],
    popularity: 45,
  },
  {
    base: 'V100_32G',
    model: 'V100',
    label: 'V100 32GB',
    vram: 32,
    pricePerGpu: 0.33,
    variants: ['SXM2', 'PCIE'],
    popularity: 40,
  },
  { base: 'T4', model: 'T4', label: 'T4', vram: 16, pricePerGpu: 0.14, variants: ['PCIE'], popularity: 38 },
  {
    base: 'A16',
    model: 'A16',
    label: 'A16',
    vram: 16,
    pricePerGpu: 0.12,
    variants: ['PCIE'],
    popularity: 30,
  },
  {
    base: 'MI300X',
    model: 'MI300X',
    label: 'AMD Instinct MI300X',
    vram: 192,
    pricePerGpu: 2.2,
    variants: ['OAM'],
    popularity: 58,
    amd: true,
  },
  {
    base: 'MI100',
    model: 'MI100',
    label: 'AMD Instinct MI100',
    vram: 32,
    pricePerGpu: 0.55,
    variants: ['PCIE'],
    popularity: 22,
    amd: true,
  },
  {
    base: 'MI60',
    model: 'MI60',
    label: 'AMD Instinct MI60',
    vram: 32,
    pricePerGpu: 0.38,
    variants: ['PCIE'],
    popularity: 15,
    amd: true,
  },
];

/** Extra group-name suffixes seen live, used once the plain model/variant pairs run out. */
const SUFFIXES: readonly { readonly token: string; readonly label: string; readonly factor: number }[] = [
  { token: '', label: '', factor: 1 },
  { token: '_BAREMETAL', label: 'Bare Metal', factor: 1.12 },
  { token: '_LOW_RAM', label: 'Low RAM', factor: 0.9 },
  { token: '_HIGH_PERF', label: 'High Perf', factor: 1.2 },
];

interface ProviderProfile {
  readonly slug: string;
  readonly weight: number;
  readonly regions: readonly string[];
  readonly os: readonly string[];
  readonly priceFactor: number;
  readonly spot: boolean;
  readonly cluster: boolean;
  readonly cloudInitRate: number;
  readonly amd: boolean;
  readonly offerId: (p: OfferIdParts) => string;
}

interface OfferIdParts {
  readonly slug: string;
  readonly count: number;
  readonly region: string;
  readonly spot: boolean;
  readonly unique: string;
}

const regionSlug = (region: string): string => region.toLowerCase().replace(/[^a-z0-9]+/g, '-');

const PROVIDERS: readonly ProviderProfile[] = [
  {
    slug: 'data-crunch',
    weight: 4,
    regions: ['FIN-01', 'FIN-02', 'FIN-03', 'Finland 3', 'Iceland 1'],
    os: ['Ubuntu 22.04 CUDA 12.4', 'Ubuntu 24.04 CUDA 12.8', 'Ubuntu 22.04 CUDA 12.4 + Docker'],
    priceFactor: 0.95,
    spot: true,
    cluster: false,
    cloudInitRate: 0.75,
    amd: false,
    offerId: (p) => `dc-${p.count}${p.slug}-${p.unique}${p.spot ? '-spot' : ''}`,
  },
  {
    slug: 'voltage-park',
    weight: 3,
    regions: ['Dallas, TX', 'us-east-virginia-1'],
    os: ['ubuntu-22.04', 'ubuntu-24.04'],
    priceFactor: 1.0,
    spot: false,
    cluster: true,
    cloudInitRate: 0.9,
    amd: false,
    offerId: (p) => `vp-${p.slug}-${p.count}x-${p.unique}`,
  },
  {
    slug: 'sesterce',
    weight: 4,
    regions: [
      'amsterdam-netherlands-2',
      'kansascity-usa-1',
      'desmoines-usa-1',
      '166e655a:culpeper-usa-1',
      'warsaw-poland-1',
      'montreal-canada-2',
    ],
    os: [
      'Ubuntu Server 22.04 LTS R570 CUDA 12.8',
      'Ubuntu Server 24.04 LTS R570 CUDA 12.8',
      'AlmaLinux 9 Plain',
      'Debian 12 Docker',
    ],
    priceFactor: 1.05,
    spot: false,
    cluster: false,
    cloudInitRate: 0.15,
    amd: true,
    offerId: (p) => `ses-${p.slug}-${p.count}x-${regionSlug(p.region).slice(0, 12)}-${p.unique}`,
  },
  {
    slug: 'massed-compute',
    weight: 3,
    regions: ['Texas-1', 'California-1', 'us-central-2', 'us-central-3', 'us-central-9'],
    os: ['Ubuntu Server 22.04'],
    priceFactor: 1.1,
    spot: false,
    cluster: false,
    cloudInitRate: 0.5,
    amd: false,
    offerId: (p) => `gpu_${p.count}x_${p.slug.replace(/-/g, '_')}_${regionSlug(p.region)}-${p.unique}`,
  },
  {
    slug: 'spheron-ai',
    weight: 3,
    regions: ['CANADA-1', 'US Central 1'],
    os: ['Ubuntu 24.04 LTS (CUDA 13)', 'Ubuntu 22.04 LTS (CUDA 12.8)'],
    priceFactor: 0.9,
    spot: true,
    cluster: false,
    cloudInitRate: 0.4,
    amd: false,
    offerId: (p) => `${p.slug}-spheron-ai-${p.unique}`,
  },
  {
    slug: 'spheron-es',
    weight: 2,
    regions: ['EU North 1', 'EU West 1', 'US Central 1'],
    os: ['Ubuntu 22.04 LTS', 'Ubuntu 22.04 LTS + Docker'],
    priceFactor: 0.85,
    spot: true,
    cluster: false,
    cloudInitRate: 0.3,
    amd: false,
    offerId: (p) => `es-${p.slug}-${p.count}-${p.unique}${p.spot ? '::spot' : ''}`,
  },
  {
    slug: 'verda',
    weight: 1,
    regions: ['Finland 2', 'Iceland 1'],
    os: ['Ubuntu 22.04 CUDA 12.4', 'Ubuntu 24.04 CUDA 12.8'],
    priceFactor: 0.97,
    spot: true,
    cluster: false,
    cloudInitRate: 0.6,
    amd: false,
    offerId: (p) => `verda-${p.count}${p.slug}-${p.unique}${p.spot ? '-spot' : ''}`,
  },
  {
    slug: 'tensordock',
    weight: 1,
    regions: ['us-east-1', 'MON1', 'OSL1'],
    os: ['ubuntu-22.04', 'ubuntu-20.04'],
    priceFactor: 0.8,
    spot: false,
    cluster: false,
    cloudInitRate: 0.5,
    amd: false,
    offerId: (p) => `${p.slug}-tensordock-${p.unique}`,
  },
  {
    slug: 'spheron-am',
    weight: 1,
    regions: ['US Central 1', 'EU West 1'],
    os: ['Ubuntu 22.04 ROCm 6.2', 'Ubuntu 24.04 ROCm 6.4'],
    priceFactor: 0.9,
    spot: false,
    cluster: false,
    cloudInitRate: 0.6,
    amd: true,
    offerId: (p) => `am-${p.slug}-${p.count}x-${p.unique}`,
  },
];

interface GroupSpec {
  readonly gpu: GpuModel;
  readonly gpuType: string;
  readonly displayName: string;
  readonly interconnect: string;
  readonly factor: number;
  readonly popularity: number;
}

function groupSpecs(count: number, rand: () => number): GroupSpec[] {
  const specs: GroupSpec[] = [];
  for (let round = 0; specs.length < count; round++) {
    const suffix = SUFFIXES[round % SUFFIXES.length];
    const version = Math.floor(round / SUFFIXES.length);
    for (const gpu of GPU_MODELS) {
      for (const variant of gpu.variants) {
        if (specs.length >= count) {
          return specs;
        }
        if (gpu.cpu && suffix.token !== '') {
          continue;
        }
        const versionToken = version ? `_V${version + 1}` : '';
        const gpuType = gpu.cpu
          ? `CPU${versionToken}`
          : `${gpu.base}_${variant}${suffix.token}${versionToken}`;
        const variantLabel = variant === 'PCIE' ? 'PCIe' : variant;
        const displayName = [
          gpu.label,
          gpu.cpu ? '' : variantLabel,
          suffix.label,
          version ? `v${version + 1}` : '',
        ]
          .filter(Boolean)
          .join(' ');
        const popularity = Math.max(
          1,
          Math.min(100, Math.round(gpu.popularity - round * 4 - (variant === 'PCIE' ? 3 : 0) + rand() * 4)),
        );
        specs.push({
          gpu,
          gpuType,
          displayName,
          interconnect: gpu.cpu ? 'None' : variantLabel,
          factor: suffix.factor * (1 + version * 0.04),
          popularity,
        });
      }
    }
  }
  return specs;
}

function pick<T>(rand: () => number, items: readonly T[]): T {
  return items[Math.floor(rand() * items.length)];
}

function pickProvider(rand: () => number, amd: boolean): ProviderProfile {
  const pool = PROVIDERS.filter((p) => (amd ? p.amd : p.slug !== 'spheron-am'));
  const total = pool.reduce((sum, p) => sum + p.weight, 0);
  let roll = rand() * total;
  for (const p of pool) {
    roll -= p.weight;
    if (roll < 0) {
      return p;
    }
  }
  return pool[pool.length - 1];
}

function subset(rand: () => number, items: readonly string[], max: number): string[] {
  const n = 1 + Math.floor(rand() * Math.min(max, items.length));
  const start = Math.floor(rand() * items.length);
  return Array.from({ length: n }, (_, i) => items[(start + i) % items.length]);
}

function interconnectDescription(interconnect: string): string {
  if (interconnect.startsWith('SXM')) {
    return `NVLink ${interconnect}`;
  }
  if (interconnect === 'OAM') {
    return 'Infinity Fabric OAM';
  }
  return interconnect === 'None' ? 'CPU only' : 'PCIe 4.0';
}

function makeOffer(spec: GroupSpec, groupIndex: number, offerIndex: number, rand: () => number): WireOffer {
  const { gpu } = spec;
  const provider = pickProvider(rand, gpu.amd === true);
  const count = gpu.cpu ? 0 : pick(rand, gpu.vram >= 80 ? [1, 1, 2, 4, 8, 8] : [1, 1, 1, 2, 4, 8]);
  const region = pick(rand, provider.regions);
  const clusters = rand() < 0.2 ? subset(rand, provider.regions, 2) : [region];
  const roll = rand();
  let instanceType: InstanceType = 'DEDICATED';
  if (provider.cluster && count === 8 && roll < 0.5) {
    instanceType = 'CLUSTER';
  } else if (provider.spot && count > 0 && roll < 0.3) {
    instanceType = 'SPOT';
  }
  const spot = instanceType === 'SPOT';
  const vcpus = gpu.cpu
    ? pick(rand, [2, 4, 8, 14, 16, 32, 64])
    : count * pick(rand, [6, 8, 12, 16, 24, 26, 30]);
  const memory = gpu.cpu ? vcpus * pick(rand, [2, 4]) : vcpus * pick(rand, [4, 5, 6, 8]);
  const storage = pick(rand, [100, 200, 500, 1000, 2000]) * Math.max(1, count);
  const jitter = 0.85 + rand() * 0.4;
  const onDemand = gpu.cpu
    ? 0.01 * vcpus * jitter
    : gpu.pricePerGpu * count * provider.priceFactor * spec.factor * jitter;
  const price = roundTo(spot ? onDemand * (0.45 + rand() * 0.2) : onDemand, 4);
  const unique = `g${groupIndex}o${offerIndex}`;
  const slug = spec.gpuType.toLowerCase().replace(/_/g, '-');
  const nvlink = spec.interconnect.startsWith('SXM');
  const cluster = instanceType === 'CLUSTER';
  const vramLabel = gpu.cpu || gpu.label.includes('GB') ? '' : ` ${gpu.vram}GB`;
  const offer: WireOffer = {
    provider: provider.slug,
    offerId: provider.offerId({ slug, count, region, spot, unique }),
    name: gpu.cpu
      ? `CPU node, ${vcpus} vCPU`
      : `${count}x ${spec.displayName}${vramLabel}${spot ? ' (spot)' : ''}${cluster ? ' cluster' : ''}`,
    description: gpu.cpu
      ? `CPU only, ${vcpus} vCPU, ${memory} GB RAM`
      : `${spec.displayName}${vramLabel}, ${vcpus} vCPU, ${memory} GB RAM`,
    vcpus,
    memory,
    storage,
    gpuCount: count,
    gpu_memory: gpu.vram,
    price,
    ...(spot ? { spot_price: price } : {}),
    available: rand() > 0.04,
    maintenance: rand() < 0.08,
    clusters,
    os_options: subset(rand, provider.os, 3),
    instanceType,
    interconnectType: spec.interconnect,
    interconnectDescription: interconnectDescription(spec.interconnect),
    supportsCloudInit: rand() < provider.cloudInitRate,
    ...(cluster ? { minimumRuntimeMinutes: 60 } : rand() < 0.05 ? { minimumRuntimeMinutes: 30 } : {}),
    ...(provider.slug === 'massed-compute' ? { supportsPause: false } : {}),
    extras: {
      deployment_type: cluster ? 'cluster' : 'vm',
      nvlink,
      ...(cluster && spec.gpuType.startsWith('H100_SXM5')
        ? { kubernetes_addon: { version: '1.35', total_cost_per_hour: 0.5 } }
        : {}),
      ...(rand() < 0.3
        ? {
            technical: {
              units_available: 1 + Math.floor(rand() * 16),
              availability_level: pick(rand, ['low', 'medium', 'high']),
            },
          }
        : {}),
    },
  };
  return offer;
}

/** A catalogue of `groups` GPU-model groups with `offersPerGroup` offers each; deterministic per seed. */
export function generateCatalogue(options: GeneratorOptions): WireOfferGroup[] {
  const rand = prng(options.seed ?? 1);
  return groupSpecs(options.groups, rand).map((spec, groupIndex) =>
    finalizeGroup({
      gpuType: spec.gpuType,
      gpuModel: spec.gpu.model,
      baseGpuType: spec.gpu.base.replace(/_.*$/, ''),
      displayName: spec.displayName,
      popularity: spec.popularity,
      offers: Array.from({ length: options.offersPerGroup }, (_, offerIndex) =>
        makeOffer(spec, groupIndex, offerIndex, rand),
      ),
    }),
  );
}
