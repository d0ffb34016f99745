// Wire shapes of the Spheron API (contract §4), as zod/mini objects: unknown extra fields are
// tolerated, fields the contract marks uncertain are optional. Field names are the wire's own,
// including the snake_case ones. normalize.ts maps the parsed values to our domain types.
import * as z from 'zod/mini';
import { looseObject, numberLike, object } from './compiledObject';

const text = z.string();
const optionalText = z.optional(z.nullable(z.string()));

/** A finite number, also when sent as a numeric string (`"2.39"`); undefined for anything else. */
export function readNumber(value: unknown): number | undefined {
  if (typeof value === 'number') {
    return Number.isFinite(value) ? value : undefined;
  }
  if (typeof value === 'string' && value.trim() !== '') {
    const parsed = Number(value);
    return Number.isFinite(parsed) ? parsed : undefined;
  }
  return undefined;
}

/** A number the extension needs; numeric strings are read as numbers. */
const wireNumber = numberLike(readNumber, true);
/** A number the extension can do without: absent, null or unreadable all read as unknown. */
const optionalNumber = z.optional(numberLike(readNumber, false));
const optionalBoolean = z.optional(z.nullable(z.boolean()));
const isoDate = z
  .string()
  .check(z.refine((value) => !Number.isNaN(Date.parse(value)), 'expected an ISO-8601 date'));
const optionalDate = z.optional(z.nullable(isoDate));

/** Fails at `keys[0]` unless one of `keys` holds a non-empty string. */
function oneOf<T extends Record<string, unknown>>(keys: readonly (keyof T & string)[]) {
  return z.refine<T>((value) => keys.some((key) => typeof value[key] === 'string' && value[key] !== ''), {
    message: `expected one of ${keys.join(', ')}`,
    path: [keys[0]],
  });
}

/** `GET /api/providers` answers a bare array of slugs. */
export const providerSlugSchema = text;

// The catalogue is the one big payload (thousands of offers): its objects drop unknown fields
// rather than copy them (normalizeOffer reads only declared ones). Every other shape keeps them.
export const offerSchema = object({
  provider: text,
  offerId: text,
  name: optionalText,
  description: optionalText,
  vcpus: optionalNumber,
  memory: optionalNumber,
  storage: optionalNumber,
  gpuCount: wireNumber,
  gpu_memory: optionalNumber,
  price: wireNumber,
  spot_price: optionalNumber,
  originalPrice: optionalNumber,
  discountedPrice: optionalNumber,
  available: optionalBoolean,
  maintenance: optionalBoolean,
  clusters: z.optional(z.nullable(z.array(text))),
  region: optionalText,
  os_options: z.optional(z.nullable(z.array(text))),
  instanceType: text,
  interconnectType: optionalText,
  supportsCloudInit: optionalBoolean,
  minimumRuntimeMinutes: optionalNumber,
  extras: z.optional(
    z.nullable(
      object({
        technical: z.optional(z.nullable(object({ units_available: z.optional(z.unknown()) }))),
        // Read by hand (normalize.ts): an odd add-on leaves the offer without it, never drops it.
        kubernetes_addon: z.optional(z.unknown()),
      }),
    ),
  ),
});
export type WireOffer = z.infer<typeof offerSchema>;

/**
 * A group as read before its offers: each offer is validated on its own (normalize.ts), so one
 * unreadable offer drops that offer, not the catalogue.
 */
export const offerGroupSchema = object({
  gpuType: text,
  gpuModel: optionalText,
  displayName: optionalText,
  popularity: optionalNumber,
  totalAvailable: optionalNumber,
  lowestPrice: optionalNumber,
  highestPrice: optionalNumber,
  averagePrice: optionalNumber,
  providers: z.optional(z.nullable(z.array(text))),
  offers: z.array(z.unknown()),
});
export type WireOfferGroup = z.infer<typeof offerGroupSchema>;

export const offerPageSchema = object({
  data: z.array(z.unknown()),
  total: wireNumber,
  page: optionalNumber,
  limit: optionalNumber,
  totalPages: optionalNumber,
});
export type WireOfferPage = z.infer<typeof offerPageSchema>;

/** Pagination fields of a wrapped list; all optional because bare arrays have none. */
export const pageMetaSchema = looseObject({
  total: optionalNumber,
  page: optionalNumber,
  limit: optionalNumber,
  totalPages: optionalNumber,
});

const deploymentShape = looseObject({
  id: optionalText,
  _id: optionalText,
  deploymentId: optionalText,
  name: optionalText,
  providerId: optionalText,
  provider: optionalText,
  gpuModelId: optionalText,
  gpuType: optionalText,
  gpuCount: optionalNumber,
  region: optionalText,
  instanceType: optionalText,
  operatingSystem: optionalText,
  offerId: optionalText,
  status: text,
  ipAddress: optionalText,
  user: optionalText,
  sshPort: optionalNumber,
  sshCommand: optionalText,
  sshKeyId: optionalText,
  createdAt: optionalDate,
  startedAt: optionalDate,
  stoppedAt: optionalDate,
  totalCost: wireNumber,
  hourlyRate: wireNumber,
  originalHourlyRate: optionalNumber,
  vcpus: optionalNumber,
  memory: optionalNumber,
  storage: optionalNumber,
  kubernetesAddon: z.optional(z.unknown()),
});
type DeploymentShape = z.infer<typeof deploymentShape>;
// What the extension needs of an instance: an id, a status, and what it costs. Public examples of
// create/get answers omit instanceType, vcpus, memory and storage, so those are optional.
export const deploymentSchema = deploymentShape.check(oneOf<DeploymentShape>(['id', '_id', 'deploymentId']));
export type WireDeployment = z.infer<typeof deploymentSchema>;
export const DEPLOYMENT_ID_KEYS = ['id', '_id', 'deploymentId'] as const;

/** DELETE /api/deployments/{id}: `{message, deployment: {id, status, stoppedAt}}`. */
const terminatedDeployment = looseObject({
  id: optionalText,
  _id: optionalText,
  deploymentId: optionalText,
  status: text,
  stoppedAt: optionalDate,
});
const terminateShape = looseObject({
  message: optionalText,
  deployment: z.optional(z.nullable(terminatedDeployment)),
  status: optionalText,
  stoppedAt: optionalDate,
});
export const terminateSchema = terminateShape.check(
  z.refine((value) => Boolean(value.deployment) || typeof value.status === 'string', {
    message: 'expected deployment.status or status',
    path: ['deployment'],
  }),
);
export type WireTerminate = z.infer<typeof terminateSchema>;

export const canTerminateSchema = looseObject({
  canTerminate: z.boolean(),
  runtime: optionalNumber,
  minimumRuntime: optionalNumber,
  timeRemaining: optionalNumber,
  reason: optionalText,
});

const sshKeyShape = looseObject({
  id: optionalText,
  _id: optionalText,
  keyId: optionalText,
  name: text,
  fingerprint: optionalText,
  publicKey: optionalText,
  createdAt: optionalDate,
});
export const sshKeySchema = sshKeyShape.check(oneOf<z.infer<typeof sshKeyShape>>(['id', '_id', 'keyId']));
export type WireSshKey = z.infer<typeof sshKeySchema>;
export const SSH_KEY_ID_KEYS = ['id', '_id', 'keyId'] as const;

const volumeShape = looseObject({
  id: optionalText,
  _id: optionalText,
  volumeId: optionalText,
  name: text,
  providerId: optionalText,
  provider: optionalText,
  region: optionalText,
  sizeInGb: wireNumber,
  usedCapacityBytes: optionalNumber,
  status: text,
  hourlyRate: wireNumber,
  attachedToDeploymentIds: z.optional(z.nullable(z.array(text))),
  createdAt: optionalDate,
});
type VolumeShape = z.infer<typeof volumeShape>;
export const volumeSchema = volumeShape.check(oneOf<VolumeShape>(['id', '_id', 'volumeId']));
export type WireVolume = z.infer<typeof volumeSchema>;
export const VOLUME_ID_KEYS = ['id', '_id', 'volumeId'] as const;

export const volumePricingSchema = looseObject({
  provider: optionalText,
  hourlyRatePerGb: wireNumber,
});

export const volumeRegionsSchema = looseObject({
  hasAnyOffers: optionalBoolean,
  regions: z.array(
    looseObject({
      id: text,
      name: optionalText,
      hasGpuOffers: optionalBoolean,
      minSizeGb: wireNumber,
      maxSizeGb: wireNumber,
      hourlyRatePerGb: wireNumber,
    }),
  ),
});
export type WireVolumeRegions = z.infer<typeof volumeRegionsSchema>;

const teamBalanceShape = looseObject({
  teamId: optionalText,
  id: optionalText,
  _id: optionalText,
  teamName: optionalText,
  name: optionalText,
  balance: wireNumber,
  isCurrentTeam: optionalBoolean,
  role: optionalText,
});
export const balanceSchema = looseObject({
  teams: z.array(teamBalanceShape.check(oneOf<z.infer<typeof teamBalanceShape>>(['teamId', 'id', '_id']))),
  currency: optionalText,
});
export type WireBalance = z.infer<typeof balanceSchema>;

const teamShape = looseObject({
  id: optionalText,
  _id: optionalText,
  teamId: optionalText,
  name: optionalText,
  teamName: optionalText,
  role: optionalText,
  isCurrentTeam: optionalBoolean,
  balance: optionalNumber,
});
export const teamSchema = teamShape.check(oneOf<z.infer<typeof teamShape>>(['id', '_id', 'teamId']));
export type WireTeam = z.infer<typeof teamSchema>;
export const TEAM_ID_KEYS = ['id', '_id', 'teamId'] as const;

/** Any JSON object; for DELETE answers whose content we do not use (`{success: true}` and the like). */
export const acknowledgementSchema = looseObject({});

/** Error bodies are read leniently: contract §6.1 documents `{error, code, details}`, live adds more. */
export const errorBodySchema = looseObject({
  message: z.optional(z.unknown()),
  error: z.optional(z.unknown()),
  error_message: z.optional(z.unknown()),
  code: z.optional(z.unknown()),
  retryAfter: z.optional(z.unknown()),
  timeRemaining: z.optional(z.unknown()),
  minimumRuntime: z.optional(z.unknown()),
  currentStatus: z.optional(z.unknown()),
});
export type WireErrorBody = z.infer<typeof errorBodySchema>;
