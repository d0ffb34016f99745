// Wire payloads taken from the contract's examples (../shared/spheron-api.md §4, §8), for the tests
// of pure pieces that need no server.

export const offerPage = {
  data: [
    {
      gpuType: 'H100_SXM5',
      gpuModel: 'H100',
      baseGpuType: 'H100',
      displayName: 'H100 SXM5',
      interconnectVariants: ['SXM5'],
      hasMultipleVariants: false,
      popularity: 98,
      totalAvailable: 2,
      lowestPrice: 2.91,
      highestPrice: 21.52,
      averagePrice: 12.215,
      providers: ['voltage-park', 'data-crunch'],
      offers: [
        {
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
          os_options: ['Ubuntu 22.04 CUDA 12.4'],
          instanceType: 'SPOT',
          interconnectType: 'SXM5',
          interconnectDescription: 'NVLink SXM5',
          supportsCloudInit: true,
          extras: { deployment_type: 'vm', nvlink: true, technical: { units_available: 3 } },
        },
      ],
    },
  ],
  total: 1,
  page: 1,
  limit: 10,
  totalPages: 1,
};

export const createdDeployment = {
  id: '6a0123456789abcdef012345',
  name: 'af-test-vm',
  providerId: 'spheron-ai',
  gpuModelId: 'A4000_PCIE',
  gpuCount: 1,
  region: 'us-central-1',
  instanceType: 'DEDICATED',
  sshKeyId: 'key1',
  tempSshKeyId: null,
  sshKeyName: null,
  sshKeyFingerprint: null,
  ipAddress: null,
  user: null,
  status: 'deploying',
  startedAt: null,
  stoppedAt: null,
  lastCreditDeduction: null,
  totalCost: 0,
  hourlyRate: 0,
  originalHourlyRate: 0,
  discountPercentage: 0,
  hasDiscount: false,
  vcpus: 0,
  memory: 0,
  storage: 0,
  sshCommand: null,
  sshPort: null,
  createdAt: '2026-05-15T11:43:31Z',
};

export const runningDeployment = {
  ...createdDeployment,
  status: 'running',
  ipAddress: '198.51.100.42',
  user: 'ubuntu',
  sshPort: 22,
  sshCommand: 'ssh ubuntu@198.51.100.42 -p 22',
  startedAt: '2026-05-15T11:44:31Z',
  hourlyRate: 2.39,
  originalHourlyRate: 2.39,
};

export const sshKey = {
  id: '66f1c0ffee00000000000b01',
  name: 'dev-laptop',
  fingerprint: 'SHA256:abc',
  publicKey: 'ssh-ed25519 AAAA dev@laptop',
  createdAt: '2026-09-01T10:00:00Z',
};

export const volume = {
  id: '66f1c0ffee00000000000c01',
  volumeId: 'vp-vol-01',
  name: 'datasets-01',
  providerId: 'voltage-park',
  sizeInGb: 1024,
  usedCapacityBytes: 0,
  status: 'available',
  hourlyRate: 0.000109,
  attachedToDeploymentIds: [],
  createdAt: '2026-09-01T10:00:00Z',
};

export const balance = {
  teams: [
    {
      teamId: '66f1c0ffee00000000000a01',
      teamName: 'research',
      balance: 250.0,
      isCurrentTeam: true,
      role: 'owner',
    },
  ],
  currency: 'USD',
};

export const volumeRegions = {
  hasAnyOffers: true,
  regions: [
    {
      id: 'FIN-01',
      name: 'Finland 1',
      hasGpuOffers: true,
      minSizeGb: 1,
      maxSizeGb: 10240,
      hourlyRatePerGb: 0.0001,
    },
  ],
};
