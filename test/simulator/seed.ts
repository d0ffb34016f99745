// Seed data from contract §8, plus the suggested extras (a maintenance copy of offer #3 that still says
// available, and cloud-init unsupported on #5). Times are relative to when the seed is loaded.
import { finalizeGroup } from './catalogue';
import { fingerprintOf } from './openssh';
import type { DeploymentRecord, SeedState, SshKeyRecord, TeamRecord, VolumeRecord } from './state';
import type { WireOffer, WireOfferGroup } from './types';

export const SEED_IDS = {
  team: '66f1c0ffee00000000000a01',
  secondTeam: '66f1c0ffee00000000000a02',
  sshKey: '66f1c0ffee00000000000b01',
  voltageParkVolume: '66f1c0ffee00000000000c01',
  dataCrunchVolume: '66f1c0ffee00000000000c02',
  runningDeployment: '66f1c0ffee00000000000d01',
  terminatedDeployment: '66f1c0ffee00000000000d02',
} as const;

/** A real ed25519 public key (its private half was discarded). */
export const SEED_PUBLIC_KEY =
  'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIEkw/1qSzSq9ZQcGZUBGUUEMBNr1MCtGnxzZTI2YS1Nn dev@laptop';

const UBUNTU_DC = 'Ubuntu 22.04 CUDA 12.4';
const UBUNTU_MC = 'Ubuntu Server 22.04';
const UBUNTU_SAI = 'Ubuntu 24.04 LTS (CUDA 13)';

const vpH100Cluster: WireOffer = {
  provider: 'voltage-park',
  offerId: 'vp-h100-sxm5-8x-ib',
  name: '8x H100 SXM5 80GB cluster (InfiniBand)',
  description: '8x H100 SXM5 80GB bare-metal cluster node, 208 vCPU, 1800 GB RAM, InfiniBand 3.2 Tbps',
  vcpus: 208,
  memory: 1800,
  storage: 20000,
  gpuCount: 8,
  gpu_memory: 80,
  price: 21.52,
  available: true,
  maintenance: false,
  clusters: ['Dallas, TX'],
  os_options: ['ubuntu-22.04'],
  instanceType: 'CLUSTER',
  interconnectType: 'SXM5',
  interconnectDescription: 'NVLink SXM5, InfiniBand 3.2 Tbps',
  supportsCloudInit: true,
  minimumRuntimeMinutes: 60,
  extras: {
    deployment_type: 'cluster',
    nvlink: true,
    kubernetes_addon: { version: '1.35', total_cost_per_hour: 0.5 },
  },
};

const dcH100Spot: WireOffer = {
  provider: 'data-crunch',
  offerId: 'dc-1h100-sxm5-spot',
  name: '1x H100 SXM5 80GB (spot)',
  description: 'H100 SXM5 80GB, 30 vCPU, 120 GB RAM',
  vcpus: 30,
  memory: 120,
  storage: 500,
  gpuCount: 1,
  gpu_memory: 80,
  price: 2.91,
  spot_price: 2.91,
  available: true,
  maintenance: false,
  clusters: ['FIN-01'],
  os_options: [UBUNTU_DC],
  instanceType: 'SPOT',
  interconnectType: 'SXM5',
  interconnectDescription: 'NVLink SXM5',
  supportsCloudInit: true,
  extras: { deployment_type: 'vm', nvlink: true },
};

const dcA100: WireOffer = {
  provider: 'data-crunch',
  offerId: 'dc-1a100-80g-sxm4',
  name: '1x A100 SXM4 80GB',
  description: 'A100 SXM4 80GB, 22 vCPU, 120 GB RAM',
  vcpus: 22,
  memory: 120,
  storage: 500,
  gpuCount: 1,
  gpu_memory: 80,
  price: 1.69,
  available: true,
  maintenance: false,
  clusters: ['FIN-02'],
  os_options: [UBUNTU_DC],
  instanceType: 'DEDICATED',
  interconnectType: 'SXM4',
  interconnectDescription: 'NVLink SXM4',
  supportsCloudInit: true,
  extras: { deployment_type: 'vm', nvlink: true },
};

/** Live data flags maintenance capacity while still saying `available: true`. */
const dcA100Maintenance: WireOffer = {
  ...dcA100,
  offerId: 'dc-1a100-80g-sxm4-fin03',
  clusters: ['FIN-03'],
  maintenance: true,
};

const tdRtx4090: WireOffer = {
  provider: 'tensordock',
  offerId: 'rtx-4090-tensordock-1',
  name: '1x RTX 4090 24GB',
  description: 'NVIDIA GeForce RTX 4090 24GB, 8 vCPU, 32 GB RAM',
  vcpus: 8,
  memory: 32,
  storage: 100,
  gpuCount: 1,
  gpu_memory: 24,
  price: 0.38,
  available: true,
  maintenance: false,
  clusters: ['us-east-1'],
  os_options: ['ubuntu-22.04'],
  instanceType: 'DEDICATED',
  interconnectType: 'PCIe',
  interconnectDescription: 'PCIe 4.0',
  supportsCloudInit: true,
  extras: { deployment_type: 'vm', nvlink: false },
};

const sesL40s: WireOffer = {
  provider: 'sesterce',
  offerId: 'ses-l40s-1x-kc',
  name: '1x L40S 48GB',
  description: 'L40S 48GB, 16 vCPU, 96 GB RAM',
  vcpus: 16,
  memory: 96,
  storage: 500,
  gpuCount: 1,
  gpu_memory: 48,
  price: 0.88,
  available: true,
  maintenance: false,
  clusters: ['kansascity-usa-1', '166e655a:culpeper-usa-1'],
  os_options: ['Ubuntu Server 22.04 LTS R570 CUDA 12.8', 'AlmaLinux 9 Plain'],
  instanceType: 'DEDICATED',
  interconnectType: 'PCIe',
  interconnectDescription: 'PCIe 4.0',
  supportsCloudInit: false,
  extras: { deployment_type: 'vm', nvlink: false },
};

const saiB200: WireOffer = {
  provider: 'spheron-ai',
  offerId: 'sai-b200-8x-ca1',
  name: '8x B200 SXM6 192GB',
  description: '8x B200 SXM6 192GB, 224 vCPU, 2048 GB RAM',
  vcpus: 224,
  memory: 2048,
  storage: 30000,
  gpuCount: 8,
  gpu_memory: 192,
  price: 57.6071,
  available: true,
  maintenance: false,
  clusters: ['CANADA-1'],
  os_options: [UBUNTU_SAI],
  instanceType: 'DEDICATED',
  interconnectType: 'SXM6',
  interconnectDescription: 'NVLink 5 SXM6',
  supportsCloudInit: true,
  extras: { deployment_type: 'vm', nvlink: true },
};

const saiRtx5090: WireOffer = {
  provider: 'spheron-ai',
  offerId: 'rtx-5090-spheron-ai-1',
  name: '1x RTX 5090 32GB',
  description: 'NVIDIA GeForce RTX 5090 32GB, 16 vCPU, 64 GB RAM',
  vcpus: 16,
  memory: 64,
  storage: 200,
  gpuCount: 1,
  gpu_memory: 32,
  price: 0.76,
  available: true,
  maintenance: false,
  clusters: ['CANADA-1'],
  os_options: [UBUNTU_SAI],
  instanceType: 'DEDICATED',
  interconnectType: 'PCIe',
  interconnectDescription: 'PCIe 5.0',
  supportsCloudInit: true,
  extras: { deployment_type: 'vm', nvlink: false },
};

const mcRtxPro6000: WireOffer = {
  provider: 'massed-compute',
  offerId: 'gpu_1x_pro_6000_blackwell_us-central-9',
  name: '1x RTX PRO 6000 Blackwell 96GB',
  description: 'RTX PRO 6000 Blackwell 96GB, 16 vCPU, 144 GB RAM',
  vcpus: 16,
  memory: 144,
  storage: 500,
  gpuCount: 1,
  gpu_memory: 96,
  price: 2.39,
  available: true,
  maintenance: false,
  clusters: ['us-central-9'],
  os_options: [UBUNTU_MC],
  instanceType: 'DEDICATED',
  interconnectType: 'PCIe',
  interconnectDescription: 'PCIe 5.0',
  supportsCloudInit: true,
  supportsPause: false,
  extras: { deployment_type: 'vm', nvlink: false },
};

const mcCpu: WireOffer = {
  provider: 'massed-compute',
  offerId: 'cpu_small_us-central-3',
  name: 'CPU node, 14 vCPU',
  description: 'CPU only, 14 vCPU, 40 GB RAM',
  vcpus: 14,
  memory: 40,
  storage: 200,
  gpuCount: 0,
  gpu_memory: 0,
  price: 0.12,
  available: true,
  maintenance: false,
  clusters: ['us-central-3'],
  os_options: [UBUNTU_MC],
  instanceType: 'DEDICATED',
  interconnectType: 'None',
  interconnectDescription: 'CPU only',
  supportsCloudInit: true,
  supportsPause: false,
  extras: { deployment_type: 'vm', nvlink: false },
};

export function seedCatalogue(): WireOfferGroup[] {
  return [
    finalizeGroup({
      gpuType: 'H100_SXM5',
      gpuModel: 'H100',
      baseGpuType: 'H100',
      displayName: 'H100 SXM5',
      popularity: 98,
      offers: [vpH100Cluster, dcH100Spot],
    }),
    finalizeGroup({
      gpuType: 'B200_SXM6',
      gpuModel: 'B200',
      baseGpuType: 'B200',
      displayName: 'B200 SXM6',
      popularity: 95,
      offers: [saiB200],
    }),
    finalizeGroup({
      gpuType: 'A100_80G_SXM4',
      gpuModel: 'A100',
      baseGpuType: 'A100',
      displayName: 'A100 80GB SXM4',
      popularity: 90,
      offers: [dcA100, dcA100Maintenance],
    }),
    finalizeGroup({
      gpuType: 'RTX5090_PCIE',
      gpuModel: 'RTX 5090',
      baseGpuType: 'RTX5090',
      displayName: 'NVIDIA GeForce RTX 5090',
      popularity: 88,
      offers: [saiRtx5090],
    }),
    finalizeGroup({
      gpuType: 'RTX4090_PCIE',
      gpuModel: 'RTX 4090',
      baseGpuType: 'RTX4090',
      displayName: 'NVIDIA GeForce RTX 4090',
      popularity: 85,
      offers: [tdRtx4090],
    }),
    finalizeGroup({
      gpuType: 'RTXPRO6000_PCIE',
      gpuModel: 'RTX PRO 6000',
      baseGpuType: 'RTXPRO6000',
      displayName: 'RTX PRO 6000 Blackwell',
      popularity: 75,
      offers: [mcRtxPro6000],
    }),
    finalizeGroup({
      gpuType: 'L40S_PCIE',
      gpuModel: 'L40S',
      baseGpuType: 'L40S',
      displayName: 'L40S PCIe',
      popularity: 70,
      offers: [sesL40s],
    }),
    finalizeGroup({
      gpuType: 'CPU',
      gpuModel: 'CPU',
      baseGpuType: 'CPU',
      displayName: 'CPU only',
      popularity: 10,
      offers: [mcCpu],
    }),
  ];
}

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

/** Teams, the SSH key, the volumes and (unless `withDeployments` is false) two deployments. */
export function seedState(
  nowMs: number,
  options: { withDeployments: boolean; deployDelaySeconds: number },
): SeedState {
  const teams: TeamRecord[] = [
    { id: SEED_IDS.team, name: 'research', role: 'owner', balance: 250.0, isCurrentTeam: true },
    { id: SEED_IDS.secondTeam, name: 'staging', role: 'admin', balance: 12.5, isCurrentTeam: false },
  ];
  const sshKey: SshKeyRecord = {
    id: SEED_IDS.sshKey,
    teamId: SEED_IDS.team,
    name: 'dev-laptop',
    fingerprint: fingerprintOf(Buffer.from(SEED_PUBLIC_KEY.split(' ')[1], 'base64')),
    publicKey: SEED_PUBLIC_KEY,
    createdAtMs: nowMs - 30 * DAY,
  };
  const volumes: VolumeRecord[] = [
    {
      id: SEED_IDS.voltageParkVolume,
      volumeId: 'vp-vol-01',
      teamId: SEED_IDS.team,
      name: 'datasets-01',
      providerId: 'voltage-park',
      region: 'Dallas, TX',
      sizeInGb: 1024,
      usedCapacityBytes: 0,
      hourlyRate: 0.000109,
      attachedToDeploymentIds: [],
      createdAtMs: nowMs - 30 * DAY,
    },
    {
      id: SEED_IDS.dataCrunchVolume,
      volumeId: 'dc-vol-7f3a9c',
      teamId: SEED_IDS.team,
      name: 'checkpoints',
      providerId: 'data-crunch',
      region: 'FIN-01',
      sizeInGb: 500,
      usedCapacityBytes: 137_438_953_472,
      hourlyRate: 0.000274,
      attachedToDeploymentIds: [],
      createdAtMs: nowMs - 12 * DAY,
    },
  ];
  if (!options.withDeployments) {
    return { teams, sshKeys: [sshKey], volumes, deployments: [] };
  }
  const runningStartedAtMs = nowMs - 80 * MINUTE;
  const running: DeploymentRecord = {
    id: SEED_IDS.runningDeployment,
    teamId: SEED_IDS.team,
    name: 'pro6000-dev',
    providerId: mcRtxPro6000.provider,
    gpuType: 'RTXPRO6000_PCIE',
    offerId: mcRtxPro6000.offerId,
    operatingSystem: UBUNTU_MC,
    gpuCount: 1,
    region: 'us-central-9',
    instanceType: 'DEDICATED',
    sshKeyId: sshKey.id,
    tempSshKeyId: null,
    sshKeyName: sshKey.name,
    sshKeyFingerprint: sshKey.fingerprint,
    assignedIp: '198.51.100.42',
    status: 'running',
    statusPinned: false,
    createdAtMs: runningStartedAtMs - options.deployDelaySeconds * 1000,
    startedAtMs: runningStartedAtMs,
    stoppedAtMs: null,
    hourlyRate: 2.39,
    originalHourlyRate: 2.39,
    vcpus: mcRtxPro6000.vcpus,
    memory: mcRtxPro6000.memory,
    storage: mcRtxPro6000.storage,
    minimumRuntimeMinutes: null,
    // The first 80 minutes were paid before the seeded balance of 250.0.
    billedSeconds: 80 * 60,
    billingFromMs: nowMs,
    lastCreditDeductionMs: nowMs,
  };
  const terminatedCreatedAtMs = nowMs - 2 * DAY;
  const terminatedStartedAtMs = terminatedCreatedAtMs + 70_000;
  const terminated: DeploymentRecord = {
    id: SEED_IDS.terminatedDeployment,
    teamId: SEED_IDS.team,
    name: 'a100-finetune',
    providerId: dcA100.provider,
    gpuType: 'A100_80G_SXM4',
    offerId: dcA100.offerId,
    operatingSystem: UBUNTU_DC,
    gpuCount: 1,
    region: 'FIN-02',
    instanceType: 'DEDICATED',
    sshKeyId: sshKey.id,
    tempSshKeyId: null,
    sshKeyName: sshKey.name,
    sshKeyFingerprint: sshKey.fingerprint,
    assignedIp: '203.0.113.7',
    status: 'terminated',
    statusPinned: false,
    createdAtMs: terminatedCreatedAtMs,
    startedAtMs: terminatedStartedAtMs,
    stoppedAtMs: terminatedStartedAtMs + 3 * 60 * MINUTE,
    hourlyRate: 1.69,
    originalHourlyRate: 1.69,
    vcpus: dcA100.vcpus,
    memory: dcA100.memory,
    storage: dcA100.storage,
    minimumRuntimeMinutes: null,
    billedSeconds: 3 * 3600,
    billingFromMs: null,
    lastCreditDeductionMs: terminatedStartedAtMs + 3 * 60 * MINUTE,
  };
  return { teams, sshKeys: [sshKey], volumes, deployments: [running, terminated] };
}
