// Domain values for the webview and form tests.
import type { Offer, SshKey, Volume } from '../../../src/core/domain/types';
import type { DeployInit, LocalKeyMessage } from '../../../src/shared/deployProtocol';

export function offer(overrides: Partial<Offer> = {}): Offer {
  return {
    provider: 'data-crunch',
    offerId: 'dc-1h100-sxm5-spot',
    gpuType: 'H100_SXM5',
    gpuDisplayName: 'H100 SXM5',
    name: '1x H100 SXM5 80GB (spot)',
    description: 'H100 SXM5 80GB',
    gpuCount: 1,
    vramGbPerGpu: 80,
    vcpus: 30,
    memoryGb: 120,
    storageGb: 500,
    pricePerHour: 2.91,
    spotPricePerHour: 2.91,
    originalPricePerHour: undefined,
    available: true,
    maintenance: false,
    regions: ['FIN-01', 'FIN-02'],
    osOptions: ['Ubuntu 22.04 CUDA 12.4', 'Ubuntu 24.04'],
    instanceType: 'SPOT',
    interconnectType: 'SXM5',
    supportsCloudInit: true,
    minimumRuntimeMinutes: undefined,
    unitsAvailable: undefined,
    ...overrides,
  };
}

export function volume(overrides: Partial<Volume> = {}): Volume {
  return {
    id: 'vol-1',
    providerVolumeId: null,
    name: 'datasets',
    provider: 'data-crunch',
    region: 'FIN-01',
    sizeGb: 100,
    usedBytes: 0,
    status: 'available',
    rawStatus: 'available',
    hourlyRatePerGb: 0.0002,
    attachedDeploymentIds: [],
    createdAtMs: null,
    ...overrides,
  };
}

export function sshKey(overrides: Partial<SshKey> = {}): SshKey {
  return {
    id: 'key-1',
    name: 'dev-laptop',
    fingerprint: 'SHA256:abc',
    publicKey: null,
    createdAtMs: null,
    ...overrides,
  };
}

export const PUBLIC_KEY =
  'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIEkw/1qSzSq9ZQcGZUBGUUEMBNr1MCtGnxzZTI2YS1Nn dev@laptop';

export function localKey(overrides: Partial<LocalKeyMessage> = {}): LocalKeyMessage {
  return {
    path: '/home/u/.ssh/id_ed25519.pub',
    type: 'ssh-ed25519',
    family: 'ed25519',
    fingerprint: 'SHA256:local',
    comment: 'dev@laptop',
    publicKey: PUBLIC_KEY,
    hasPrivateKey: true,
    registeredKeyId: null,
    ...overrides,
  };
}

export function deployInit(overrides: Partial<DeployInit> = {}): DeployInit {
  return {
    sessionId: 'session-1',
    offer: offer(),
    group: { gpuType: 'H100_SXM5', displayName: 'H100 SXM5' },
    team: { id: 'team-1', name: 'research' },
    balance: 250,
    burnPerHour: 0,
    minimumRuntimeMinutes: 20,
    keys: [sshKey()],
    localKeys: [],
    keygen: null,
    volumes: [],
    instances: [],
    suggestedName: 'h100-sxm5-7f3a',
    submitState: { kind: 'idle' },
    submittedForm: null,
    ...overrides,
  };
}

/** Voltage Park's 8× H100 SXM5 cluster with the Kubernetes add-on, the one offer that carries it. */
export function kubernetesClusterOffer(): Offer {
  return offer({
    provider: 'voltage-park',
    offerId: 'vp-h100-sxm5-8x-ib',
    name: '8x H100 SXM5 cluster',
    gpuCount: 8,
    pricePerHour: 21.52,
    spotPricePerHour: undefined,
    regions: ['Dallas, TX'],
    osOptions: ['ubuntu-22.04'],
    instanceType: 'CLUSTER',
    minimumRuntimeMinutes: 60,
    kubernetesAddon: { version: '1.35', totalCostPerHour: 0.5 },
  });
}
