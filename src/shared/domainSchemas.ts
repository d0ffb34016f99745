// zod/mini schemas for the domain values the forms receive from the host (src/core/domain/types.ts),
// plus the mapping back to the domain types where zod's optional keys differ from them.
import * as z from 'zod/mini';
import type { Offer, SshKey, Volume, VolumeRegions } from '../core/domain/types';
import { KNOWN_VOLUME_STATUSES } from '../core/domain/types';

const finite = z.number().check(z.refine(Number.isFinite, 'expected a finite number'));
const optionalFinite = z.optional(finite);
/** Arrays come out readonly (and frozen), like the domain types, so host values type-check going in. */
export function list<T extends z.ZodMiniType>(item: T) {
  return z.readonly(z.array(item));
}

export const offerSchema = z.object({
  provider: z.string(),
  offerId: z.string(),
  gpuType: z.string(),
  gpuDisplayName: z.string(),
  name: z.string(),
  description: z.string(),
  gpuCount: finite,
  vramGbPerGpu: optionalFinite,
  vcpus: optionalFinite,
  memoryGb: optionalFinite,
  storageGb: optionalFinite,
  pricePerHour: finite,
  spotPricePerHour: optionalFinite,
  originalPricePerHour: optionalFinite,
  available: z.boolean(),
  maintenance: z.boolean(),
  regions: list(z.string()),
  osOptions: list(z.string()),
  instanceType: z.string(),
  interconnectType: z.optional(z.string()),
  supportsCloudInit: z.boolean(),
  minimumRuntimeMinutes: optionalFinite,
  unitsAvailable: optionalFinite,
  kubernetesAddon: z.optional(z.object({ version: z.string(), totalCostPerHour: finite })),
});
export type OfferMessage = z.output<typeof offerSchema>;

/** Back to the domain type (zod makes `T | undefined` keys optional). */
export function toOffer(offer: OfferMessage): Offer {
  return {
    ...offer,
    vramGbPerGpu: offer.vramGbPerGpu,
    vcpus: offer.vcpus,
    memoryGb: offer.memoryGb,
    storageGb: offer.storageGb,
    spotPricePerHour: offer.spotPricePerHour,
    originalPricePerHour: offer.originalPricePerHour,
    interconnectType: offer.interconnectType,
    minimumRuntimeMinutes: offer.minimumRuntimeMinutes,
    unitsAvailable: offer.unitsAvailable,
  };
}

export const sshKeySchema = z.object({
  id: z.string(),
  name: z.string(),
  fingerprint: z.nullable(z.string()),
  publicKey: z.nullable(z.string()),
  createdAtMs: z.nullable(finite),
});
type SshKeyMessage = z.output<typeof sshKeySchema>;

export const volumeSchema = z.object({
  id: z.string(),
  providerVolumeId: z.nullable(z.string()),
  name: z.string(),
  provider: z.string(),
  region: z.nullable(z.string()),
  sizeGb: finite,
  usedBytes: finite,
  status: z.enum([...KNOWN_VOLUME_STATUSES, 'unknown']),
  rawStatus: z.string(),
  hourlyRatePerGb: finite,
  attachedDeploymentIds: list(z.string()),
  createdAtMs: z.nullable(finite),
});
type VolumeMessage = z.output<typeof volumeSchema>;

export const volumeRegionsSchema = z.object({
  hasAnyOffers: z.boolean(),
  regions: list(
    z.object({
      id: z.string(),
      name: z.string(),
      hasGpuOffers: z.boolean(),
      minSizeGb: finite,
      maxSizeGb: finite,
      hourlyRatePerGb: finite,
    }),
  ),
});
type VolumeRegionsMessage = z.output<typeof volumeRegionsSchema>;

export const teamSchema = z.object({ id: z.string(), name: z.string() });

// Compile-time checks that the schemas and the domain types agree in both directions.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const schemasMatchDomain: [
  Same<SshKeyMessage, SshKey>,
  Same<VolumeMessage, Volume>,
  Same<VolumeRegionsMessage, VolumeRegions>,
  Offer extends OfferMessage ? true : false,
  OfferMessage extends Omit<
    Offer,
    | 'vramGbPerGpu'
    | 'vcpus'
    | 'memoryGb'
    | 'storageGb'
    | 'spotPricePerHour'
    | 'originalPricePerHour'
    | 'interconnectType'
    | 'minimumRuntimeMinutes'
    | 'unitsAvailable'
  >
    ? true
    : false,
] = [true, true, true, true, true];
void schemasMatchDomain;
