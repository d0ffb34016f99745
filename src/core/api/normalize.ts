// Wire → domain. Every body is JSON-parsed and validated here; a failure is a SchemaError naming the
// endpoint and the path of the first bad value, and no partial data escapes.
import type * as z from 'zod/mini';
import { SchemaError } from './errors';
import {
  DEPLOYMENT_ID_KEYS,
  SSH_KEY_ID_KEYS,
  TEAM_ID_KEYS,
  VOLUME_ID_KEYS,
  acknowledgementSchema,
  balanceSchema,
  canTerminateSchema,
  deploymentSchema,
  offerPageSchema,
  pageMetaSchema,
  providerSlugSchema,
  sshKeySchema,
  teamSchema,
  terminateSchema,
  volumePricingSchema,
  volumeRegionsSchema,
  volumeSchema,
} from './schemas';
import type {
  WireBalance,
  WireDeployment,
  WireOffer,
  WireOfferGroup,
  WireSshKey,
  WireTeam,
  WireTerminate,
  WireVolume,
  WireVolumeRegions,
} from './schemas';
import { KNOWN_DEPLOYMENT_STATUSES, KNOWN_VOLUME_STATUSES } from './types';
import type {
  Balance,
  CanTerminate,
  Deployment,
  DeploymentStatus,
  Offer,
  OfferGroup,
  OfferPage,
  SshKey,
  Team,
  TeamRole,
  TerminateResult,
  Volume,
  VolumePricing,
  VolumeRegions,
  VolumeStatus,
} from './types';

type Path = readonly (string | number)[];

/** Parses a response body as JSON; an empty or truncated body is a SchemaError. */
export function parseJsonBody(endpoint: string, bodyText: string): unknown {
  try {
    return JSON.parse(bodyText) as unknown;
  } catch {
    throw new SchemaError(endpoint, '', bodyText.trim() === '' ? 'empty body' : 'invalid JSON');
  }
}

/** Validates `value` (found at `prefix` inside the body) against `schema`. */
export function validate<S extends z.ZodMiniType>(
  endpoint: string,
  schema: S,
  value: unknown,
  prefix: Path = [],
): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) {
    return result.data;
  }
  const issue = result.error.issues[0];
  const path = [...prefix, ...(issue?.path ?? [])].map(String).join('.');
  throw new SchemaError(endpoint, path, issue ? describeIssue(issue) : 'invalid value');
}

function describeIssue(issue: z.core.$ZodIssue): string {
  if (issue.code === 'invalid_type') {
    return `expected ${issue.expected}`;
  }
  return issue.message && issue.message !== 'Invalid input' ? issue.message : issue.code.replace(/_/g, ' ');
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A list sent as a bare array or wrapped under one of `keys` (e.g. `{data: [...]}`). */
function unwrapList(value: unknown, keys: readonly string[]): { list: unknown; path: Path } {
  if (isRecord(value)) {
    const key = keys.find((candidate) => candidate in value);
    if (key !== undefined) {
      return { list: value[key], path: [key] };
    }
  }
  return { list: value, path: [] };
}

/** One object sent at the top level or wrapped under one of `keys` (e.g. `{deployment: {...}}`). */
function unwrapOne(
  value: unknown,
  idKeys: readonly string[],
  keys: readonly string[],
): { item: unknown; path: Path } {
  if (isRecord(value) && !idKeys.some((key) => typeof value[key] === 'string')) {
    const key = keys.find((candidate) => isRecord(value[candidate]));
    if (key !== undefined) {
      return { item: value[key], path: [key] };
    }
  }
  return { item: value, path: [] };
}

function validateList<S extends z.ZodMiniType>(
  endpoint: string,
  schema: S,
  body: unknown,
  wrapperKeys: readonly string[],
): z.output<S>[] {
  const { list, path } = unwrapList(body, wrapperKeys);
  if (!Array.isArray(list)) {
    throw new SchemaError(endpoint, path.join('.'), 'expected array');
  }
  return list.map((item, index) => validate(endpoint, schema, item, [...path, index]));
}

export interface ListPage<T> {
  readonly items: T[];
  /** Absent when the list came as a bare array (one page holds everything). */
  readonly totalPages: number | undefined;
}

function pageOf<T>(endpoint: string, body: unknown, items: T[]): ListPage<T> {
  if (!isRecord(body)) {
    return { items, totalPages: undefined };
  }
  const meta = validate(endpoint, pageMetaSchema, body);
  const totalPages =
    meta.totalPages ??
    (typeof meta.total === 'number' && typeof meta.limit === 'number' && meta.limit > 0
      ? Math.ceil(meta.total / meta.limit)
      : undefined);
  return { items, totalPages };
}

function firstString(record: Record<string, unknown>, keys: readonly string[]): string {
  for (const key of keys) {
    const value = record[key];
    if (typeof value === 'string' && value !== '') {
      return value;
    }
  }
  return '';
}

function dateMs(value: string | null | undefined): number | null {
  return value ? Date.parse(value) : null;
}

function deploymentStatus(raw: string): DeploymentStatus {
  return (KNOWN_DEPLOYMENT_STATUSES as readonly string[]).includes(raw)
    ? (raw as DeploymentStatus)
    : 'unknown';
}

function volumeStatus(raw: string): VolumeStatus {
  return (KNOWN_VOLUME_STATUSES as readonly string[]).includes(raw) ? (raw as VolumeStatus) : 'unknown';
}

function teamRole(raw: string | null | undefined): TeamRole {
  const role = raw?.toLowerCase();
  return role === 'owner' || role === 'admin' || role === 'member' ? role : 'unknown';
}

// ---- providers and offers ----

export function normalizeProviders(endpoint: string, bodyText: string): string[] {
  return validateList(endpoint, providerSlugSchema, parseJsonBody(endpoint, bodyText), ['data', 'providers']);
}

function normalizeOffer(offer: WireOffer, group: WireOfferGroup, groupDisplayName: string): Offer {
  const discounted = offer.discountedPrice ?? undefined;
  const units = offer.extras?.technical?.units_available;
  return {
    provider: offer.provider,
    offerId: offer.offerId,
    gpuType: group.gpuType,
    gpuDisplayName: groupDisplayName,
    name: offer.name || offer.offerId,
    description: offer.description ?? '',
    gpuCount: offer.gpuCount,
    vramGbPerGpu: offer.gpu_memory,
    vcpus: offer.vcpus,
    memoryGb: offer.memory,
    storageGb: offer.storage,
    pricePerHour: discounted ?? offer.price,
    spotPricePerHour: offer.spot_price ?? undefined,
    originalPricePerHour:
      offer.originalPrice ??
      (discounted !== undefined && discounted !== offer.price ? offer.price : undefined),
    available: offer.available ?? true,
    maintenance: offer.maintenance ?? false,
    // Live offers omit `region` and carry the region ids in `clusters`.
    regions:
      offer.clusters && offer.clusters.length > 0 ? offer.clusters : offer.region ? [offer.region] : [],
    osOptions: offer.os_options ?? [],
    instanceType: offer.instanceType,
    interconnectType: offer.interconnectType ?? undefined,
    supportsCloudInit: offer.supportsCloudInit ?? false,
    minimumRuntimeMinutes: offer.minimumRuntimeMinutes ?? undefined,
    unitsAvailable: typeof units === 'number' && Number.isFinite(units) ? units : undefined,
  };
}

function normalizeOfferGroup(group: WireOfferGroup): OfferGroup {
  const displayName = group.displayName || group.gpuModel || group.gpuType;
  const offers = group.offers.map((offer) => normalizeOffer(offer, group, displayName));
  const prices = offers.map((offer) => offer.pricePerHour);
  return {
    gpuType: group.gpuType,
    gpuModel: group.gpuModel || displayName,
    displayName,
    popularity: group.popularity ?? 0,
    totalAvailable:
      group.totalAvailable ?? offers.filter((offer) => offer.available && !offer.maintenance).length,
    lowestPrice: group.lowestPrice ?? (prices.length > 0 ? Math.min(...prices) : 0),
    highestPrice: group.highestPrice ?? (prices.length > 0 ? Math.max(...prices) : 0),
    averagePrice:
      group.averagePrice ??
      (prices.length > 0 ? prices.reduce((sum, price) => sum + price, 0) / prices.length : 0),
    providers: group.providers ?? [...new Set(offers.map((offer) => offer.provider))],
    offers,
  };
}

export function normalizeOfferPage(
  endpoint: string,
  bodyText: string,
  requested: { page: number; limit: number },
): OfferPage {
  const wire = validate(endpoint, offerPageSchema, parseJsonBody(endpoint, bodyText));
  const limit = wire.limit ?? requested.limit;
  return {
    groups: wire.data.map(normalizeOfferGroup),
    totalGroups: wire.total,
    page: wire.page ?? requested.page,
    limit,
    totalPages: wire.totalPages ?? (limit > 0 ? Math.ceil(wire.total / limit) : 1),
  };
}

// ---- deployments ----

function toDeployment(wire: WireDeployment): Deployment {
  return {
    id: firstString(wire, DEPLOYMENT_ID_KEYS),
    name: wire.name ?? null,
    provider: firstString(wire, ['providerId', 'provider']),
    gpuType: firstString(wire, ['gpuModelId', 'gpuType']),
    gpuCount: wire.gpuCount,
    region: wire.region ?? '',
    instanceType: wire.instanceType,
    operatingSystem: wire.operatingSystem ?? null,
    offerId: wire.offerId ?? null,
    status: deploymentStatus(wire.status),
    rawStatus: wire.status,
    ipAddress: wire.ipAddress || null,
    sshUser: wire.user || null,
    sshPort: wire.sshPort ?? null,
    sshCommand: wire.sshCommand || null,
    sshKeyId: wire.sshKeyId ?? null,
    createdAtMs: dateMs(wire.createdAt),
    startedAtMs: dateMs(wire.startedAt),
    stoppedAtMs: dateMs(wire.stoppedAt),
    totalCost: wire.totalCost,
    hourlyRate: wire.hourlyRate,
    originalHourlyRate: wire.originalHourlyRate ?? wire.hourlyRate,
    vcpus: wire.vcpus,
    memoryGb: wire.memory,
    storageGb: wire.storage,
  };
}

export function normalizeDeployment(endpoint: string, bodyText: string): Deployment {
  const { item, path } = unwrapOne(parseJsonBody(endpoint, bodyText), DEPLOYMENT_ID_KEYS, [
    'deployment',
    'data',
  ]);
  return toDeployment(validate(endpoint, deploymentSchema, item, path));
}

export function normalizeDeploymentPage(endpoint: string, bodyText: string): ListPage<Deployment> {
  const body = parseJsonBody(endpoint, bodyText);
  const items = validateList(endpoint, deploymentSchema, body, ['deployments', 'data']).map(toDeployment);
  return pageOf(endpoint, body, items);
}

export function normalizeTerminate(endpoint: string, bodyText: string, requestedId: string): TerminateResult {
  const wire: WireTerminate = validate(endpoint, terminateSchema, parseJsonBody(endpoint, bodyText));
  const status = wire.deployment?.status ?? wire.status ?? '';
  const stoppedAt = wire.deployment?.stoppedAt ?? wire.stoppedAt;
  return {
    id: (wire.deployment && firstString(wire.deployment, DEPLOYMENT_ID_KEYS)) || requestedId,
    alreadyTerminated: false,
    status: deploymentStatus(status),
    stoppedAtMs: dateMs(stoppedAt),
  };
}

export function normalizeCanTerminate(endpoint: string, bodyText: string): CanTerminate {
  const wire = validate(endpoint, canTerminateSchema, parseJsonBody(endpoint, bodyText));
  return {
    canTerminate: wire.canTerminate,
    runtimeMinutes: wire.runtime ?? undefined,
    minimumRuntimeMinutes: wire.minimumRuntime ?? undefined,
    timeRemainingMinutes: wire.timeRemaining ?? 0,
    reason: wire.reason ?? undefined,
  };
}

// ---- ssh keys ----

function toSshKey(wire: WireSshKey): SshKey {
  return {
    id: firstString(wire, SSH_KEY_ID_KEYS),
    name: wire.name,
    fingerprint: wire.fingerprint ?? null,
    publicKey: wire.publicKey ?? null,
    createdAtMs: dateMs(wire.createdAt),
  };
}

export function normalizeSshKey(endpoint: string, bodyText: string): SshKey {
  const { item, path } = unwrapOne(parseJsonBody(endpoint, bodyText), SSH_KEY_ID_KEYS, [
    'sshKey',
    'key',
    'data',
  ]);
  return toSshKey(validate(endpoint, sshKeySchema, item, path));
}

export function normalizeSshKeys(endpoint: string, bodyText: string): SshKey[] {
  return validateList(endpoint, sshKeySchema, parseJsonBody(endpoint, bodyText), ['sshKeys', 'data']).map(
    toSshKey,
  );
}

/** DELETE answers: an empty body or any JSON object. */
export function checkAcknowledgement(endpoint: string, bodyText: string): void {
  if (bodyText.trim() !== '') {
    validate(endpoint, acknowledgementSchema, parseJsonBody(endpoint, bodyText));
  }
}

// ---- volumes ----

function toVolume(wire: WireVolume): Volume {
  const id = firstString(wire, ['id', '_id']);
  return {
    id: id || firstString(wire, ['volumeId']),
    providerVolumeId: id ? (wire.volumeId ?? null) : null,
    name: wire.name,
    provider: firstString(wire, ['providerId', 'provider']),
    region: wire.region ?? null,
    sizeGb: wire.sizeInGb,
    usedBytes: wire.usedCapacityBytes ?? 0,
    status: volumeStatus(wire.status),
    rawStatus: wire.status,
    hourlyRatePerGb: wire.hourlyRate,
    attachedDeploymentIds: wire.attachedToDeploymentIds ?? [],
    createdAtMs: dateMs(wire.createdAt),
  };
}

export function normalizeVolume(endpoint: string, bodyText: string): Volume {
  const { item, path } = unwrapOne(parseJsonBody(endpoint, bodyText), VOLUME_ID_KEYS, ['volume', 'data']);
  return toVolume(validate(endpoint, volumeSchema, item, path));
}

export function normalizeVolumePage(endpoint: string, bodyText: string): ListPage<Volume> {
  const body = parseJsonBody(endpoint, bodyText);
  const items = validateList(endpoint, volumeSchema, body, ['volumes', 'data']).map(toVolume);
  return pageOf(endpoint, body, items);
}

export function normalizeVolumePricing(endpoint: string, bodyText: string, provider: string): VolumePricing {
  const wire = validate(endpoint, volumePricingSchema, parseJsonBody(endpoint, bodyText));
  return { provider: wire.provider || provider, hourlyRatePerGb: wire.hourlyRatePerGb };
}

export function normalizeVolumeRegions(endpoint: string, bodyText: string): VolumeRegions {
  const wire: WireVolumeRegions = validate(endpoint, volumeRegionsSchema, parseJsonBody(endpoint, bodyText));
  const regions = wire.regions.map((region) => ({
    id: region.id,
    name: region.name || region.id,
    hasGpuOffers: region.hasGpuOffers ?? false,
    minSizeGb: region.minSizeGb,
    maxSizeGb: region.maxSizeGb,
    hourlyRatePerGb: region.hourlyRatePerGb,
  }));
  return { hasAnyOffers: wire.hasAnyOffers ?? regions.some((region) => region.hasGpuOffers), regions };
}

// ---- balance and teams ----

export function normalizeBalance(endpoint: string, bodyText: string): Balance {
  const wire: WireBalance = validate(endpoint, balanceSchema, parseJsonBody(endpoint, bodyText));
  return {
    teams: wire.teams.map((team) => ({
      teamId: firstString(team, ['teamId', 'id', '_id']),
      teamName: team.teamName ?? team.name ?? '',
      balance: team.balance,
      isCurrentTeam: team.isCurrentTeam ?? false,
      role: teamRole(team.role),
    })),
    currency: wire.currency || 'USD',
  };
}

function toTeam(wire: WireTeam): Team {
  return {
    id: firstString(wire, TEAM_ID_KEYS),
    name: wire.name ?? wire.teamName ?? '',
    role: teamRole(wire.role),
    isCurrentTeam: wire.isCurrentTeam ?? undefined,
    balance: wire.balance ?? undefined,
  };
}

export function normalizeTeams(endpoint: string, bodyText: string): Team[] {
  return validateList(endpoint, teamSchema, parseJsonBody(endpoint, bodyText), ['teams', 'data']).map(toTeam);
}
