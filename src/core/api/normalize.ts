// Wire → domain. Every body is JSON-parsed and validated here. A single object that fails is a
// SchemaError naming the endpoint and the path of the first bad value. Lists are validated per
// item: an item that lacks what the extension needs is dropped, its reason reported through
// `warn`, and counted in the list's `rejected`; the rest of the list stays.
import type * as z from 'zod/mini';
import { singleLine } from '../util/text';
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
  offerGroupSchema,
  offerPageSchema,
  offerSchema,
  pageMetaSchema,
  providerSlugSchema,
  readNumber,
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
import { KNOWN_DEPLOYMENT_STATUSES, KNOWN_VOLUME_STATUSES } from '../domain/types';
import type {
  Balance,
  CanTerminate,
  ReadList,
  Deployment,
  DeploymentKubernetesAddon,
  DeploymentStatus,
  Offer,
  OfferKubernetesAddon,
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
} from '../domain/types';

type Path = readonly (string | number)[];

/** Where normalizers report what they dropped or chose; the client passes its logger's warn. */
export type Warn = (message: string) => void;
const ignore: Warn = () => undefined;

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
  const { path, issue } = firstIssue(result.error.issues, prefix);
  throw new SchemaError(endpoint, path, issue);
}

function firstIssue(issues: readonly z.core.$ZodIssue[], prefix: Path): { path: string; issue: string } {
  const issue = issues[0];
  return {
    path: [...prefix, ...(issue?.path ?? [])].map(String).join('.'),
    issue: issue ? describeIssue(issue) : 'invalid value',
  };
}

/** Validated items of a list, plus how many were dropped; each drop is reported through `warn`. */
function validateItems<S extends z.ZodMiniType>(
  endpoint: string,
  schema: S,
  list: readonly unknown[],
  prefix: Path,
  warn: Warn,
): { items: z.output<S>[]; rejected: number } {
  const items: z.output<S>[] = [];
  let rejected = 0;
  for (let index = 0; index < list.length; index++) {
    const result = schema.safeParse(list[index]);
    if (result.success) {
      items.push(result.data);
    } else {
      rejected++;
      warn(rejectionNote(endpoint, list[index], firstIssue(result.error.issues, [...prefix, index])));
    }
  }
  return { items, rejected };
}

/** `GET /api/volumes: left out item data.3 (“scratch”): sizeInGb: expected a number`. */
function rejectionNote(endpoint: string, item: unknown, issue: { path: string; issue: string }): string {
  const record = isRecord(item) ? item : {};
  const label = [record['offerId'], record['id'], record['name']].find(
    (value): value is string => typeof value === 'string' && value.trim() !== '',
  );
  const where = issue.path.split('.');
  const itemPath = where.slice(0, -1).join('.') || issue.path;
  return `${endpoint}: left out item ${itemPath}${label ? ` (“${singleLine(label)}”)` : ''}: ${where.at(-1) ?? ''}: ${issue.issue}`;
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
  warn: Warn,
): { items: z.output<S>[]; rejected: number } {
  const { list, path } = unwrapList(body, wrapperKeys);
  if (!Array.isArray(list)) {
    throw new SchemaError(endpoint, path.join('.'), 'expected array');
  }
  return validateItems(endpoint, schema, list, path, warn);
}

export interface ListPage<T> {
  readonly items: T[];
  /** Absent when the list came as a bare array (one page holds everything). */
  readonly totalPages: number | undefined;
  /** Items on this page that could not be used. */
  readonly rejected: number;
}

/** `items` carrying the count of the items left out (not enumerable: the array stays an array). */
export function readList<T>(items: T[], rejected: number): ReadList<T> {
  return Object.defineProperty(items, 'rejected', { value: rejected, enumerable: false });
}

function pageOf<T>(endpoint: string, body: unknown, items: T[], rejected: number): ListPage<T> {
  if (!isRecord(body)) {
    return { items, totalPages: undefined, rejected };
  }
  const meta = validate(endpoint, pageMetaSchema, body);
  const totalPages =
    meta.totalPages ??
    (typeof meta.total === 'number' && typeof meta.limit === 'number' && meta.limit > 0
      ? Math.ceil(meta.total / meta.limit)
      : undefined);
  return { items, totalPages, rejected };
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

export function normalizeProviders(endpoint: string, bodyText: string, warn: Warn = ignore): string[] {
  return validateList(
    endpoint,
    providerSlugSchema,
    parseJsonBody(endpoint, bodyText),
    ['data', 'providers'],
    warn,
  ).items;
}

/** `1.35` as the API sent it, or as a number (`1.35`); undefined for anything else. */
function addonVersion(value: unknown): string | undefined {
  if (typeof value === 'string' && value.trim() !== '') {
    return value.trim();
  }
  return typeof value === 'number' && Number.isFinite(value) ? String(value) : undefined;
}

/** `extras.kubernetes_addon`; missing, null or odd (no version, no readable cost) reads as absent. */
export function readOfferKubernetesAddon(value: unknown): OfferKubernetesAddon | undefined {
  if (!isRecord(value)) {
    return undefined;
  }
  const version = addonVersion(value['version']);
  const cost = readNumber(value['total_cost_per_hour']);
  return version !== undefined && cost !== undefined && cost >= 0
    ? { version, totalCostPerHour: cost }
    : undefined;
}

/**
 * A deployment's `kubernetesAddon`: an object means it has the add-on (null or absent: none).
 * Where the cluster's id lives is not in the contract; the likely names are tried in order.
 */
export function readDeploymentKubernetesAddon(value: unknown): DeploymentKubernetesAddon | undefined {
  if (!isRecord(value)) {
    return undefined;
  }
  const clusterId = ['clusterId', 'cluster_id']
    .map((key) => value[key])
    .find((candidate): candidate is string => typeof candidate === 'string' && candidate.trim() !== '');
  const kubeconfig = readKubeconfigText(value['kubeconfig']);
  return {
    version: addonVersion(value['version']),
    clusterId: clusterId?.trim(),
    ...(kubeconfig === undefined ? {} : { kubeconfig }),
  };
}

/** No kubeconfig is this large; a bigger value is not read. */
const MAX_KUBECONFIG_CHARS = 1_000_000;
const KUBECONFIG_MARKERS = /^(apiVersion|clusters|kind|contexts|users|current-context)\s*:/m;

/**
 * `kubernetesAddon.kubeconfig` as YAML text. The contract does not say how it is encoded: YAML
 * text and base64 of it are both read; anything else (a path, an object, a blank) is no kubeconfig.
 */
export function readKubeconfigText(value: unknown): string | undefined {
  if (typeof value !== 'string' || value.trim() === '' || value.length > MAX_KUBECONFIG_CHARS) {
    return undefined;
  }
  if (KUBECONFIG_MARKERS.test(value)) {
    return value;
  }
  const compact = value.replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(compact)) {
    return undefined;
  }
  const decoded = Buffer.from(compact, 'base64').toString('utf8');
  return KUBECONFIG_MARKERS.test(decoded) ? decoded : undefined;
}

function normalizeOffer(offer: WireOffer, group: WireOfferGroup, groupDisplayName: string): Offer {
  const discounted = offer.discountedPrice ?? undefined;
  const units = offer.extras?.technical?.units_available;
  const kubernetesAddon = readOfferKubernetesAddon(offer.extras?.kubernetes_addon);
  return {
    provider: offer.provider,
    offerId: offer.offerId,
    gpuType: group.gpuType,
    gpuDisplayName: groupDisplayName,
    name: offer.name || offer.offerId,
    description: offer.description ?? '',
    gpuCount: offer.gpuCount,
    vramGbPerGpu: offer.gpu_memory ?? undefined,
    vcpus: offer.vcpus ?? undefined,
    memoryGb: offer.memory ?? undefined,
    storageGb: offer.storage ?? undefined,
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
    ...(kubernetesAddon ? { kubernetesAddon } : {}),
  };
}

function normalizeOfferGroup(
  endpoint: string,
  group: WireOfferGroup,
  path: Path,
  warn: Warn,
): { group: OfferGroup; rejected: number } {
  const displayName = group.displayName || group.gpuModel || group.gpuType;
  const read = validateItems(endpoint, offerSchema, group.offers, [...path, 'offers'], warn);
  const offers = read.items.map((offer) => normalizeOffer(offer, group, displayName));
  const prices = offers.map((offer) => offer.pricePerHour);
  const normalized: OfferGroup = {
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
  return { group: normalized, rejected: read.rejected };
}

/** A page of the catalogue; an unreadable group counts each of its offers as rejected. */
export function normalizeOfferPage(
  endpoint: string,
  bodyText: string,
  requested: { page: number; limit: number },
  warn: Warn = ignore,
): OfferPage {
  const wire = validate(endpoint, offerPageSchema, parseJsonBody(endpoint, bodyText));
  const limit = wire.limit ?? requested.limit;
  const groups: OfferGroup[] = [];
  let rejected = 0;
  wire.data.forEach((item, index) => {
    const parsed = offerGroupSchema.safeParse(item);
    if (!parsed.success) {
      const offers = isRecord(item) && Array.isArray(item['offers']) ? item['offers'].length : 1;
      rejected += Math.max(1, offers);
      warn(rejectionNote(endpoint, item, firstIssue(parsed.error.issues, ['data', index])));
      return;
    }
    const read = normalizeOfferGroup(endpoint, parsed.data, ['data', index], warn);
    rejected += read.rejected;
    if (read.group.offers.length > 0 || parsed.data.offers.length === 0) {
      groups.push(read.group);
    }
  });
  return {
    groups,
    rejected,
    totalGroups: wire.total,
    page: wire.page ?? requested.page,
    limit,
    totalPages: wire.totalPages ?? (limit > 0 ? Math.ceil(wire.total / limit) : 1),
  };
}

// ---- deployments ----

/** What an `ssh` command line says about the login: `ssh -p 2222 root@203.0.113.7` → root, 2222. */
export function parseSshCommand(command: string): { user?: string; host?: string; port?: number } {
  const words = command.trim().split(/\s+/);
  if (words[0] !== 'ssh') {
    return {};
  }
  // Options of OpenSSH's ssh(1) that take an argument.
  const withArgument = new Set('BbcDEeFIiJLlmOoPpQRSWw'.split(''));
  let user: string | undefined;
  let port: number | undefined;
  let destination: string | undefined;
  for (let index = 1; index < words.length; index++) {
    const word = words[index] ?? '';
    if (word.startsWith('-') && word.length > 1) {
      const flag = word[1] ?? '';
      const inline = word.slice(2);
      const value = withArgument.has(flag) ? inline || words[++index] : undefined;
      if (flag === 'p' && value !== undefined && /^\d{1,5}$/.test(value)) {
        port = Number(value);
      } else if (flag === 'l' && value) {
        user = value;
      }
      continue;
    }
    destination ??= word;
  }
  if (destination === undefined) {
    return {};
  }
  const uri = /^ssh:\/\/(?:([^@/]+)@)?([^:/]+)(?::(\d{1,5}))?\/?$/.exec(destination);
  const at = destination.lastIndexOf('@');
  const result = uri
    ? { user: uri[1] ?? user, host: uri[2], port: uri[3] !== undefined ? Number(uri[3]) : port }
    : { user: at > 0 ? destination.slice(0, at) : user, host: destination.slice(at + 1), port };
  return Object.fromEntries(
    Object.entries(result).filter(([, value]) => value !== undefined && value !== ''),
  );
}

/**
 * The SSH user and port: the API's explicit `user` and `sshPort` win; its `sshCommand` fills in
 * what they leave out. A disagreement is reported, since one of them is wrong.
 */
function sshLogin(
  wire: WireDeployment,
  id: string,
  warn: Warn,
): { user: string | null; port: number | null } {
  const fromCommand = wire.sshCommand ? parseSshCommand(wire.sshCommand) : {};
  const user = wire.user?.trim() || null;
  const port = wire.sshPort ?? null;
  if (user && fromCommand.user && fromCommand.user !== user) {
    warn(
      `Instance ${id}: the API's user “${singleLine(user)}” differs from its sshCommand's “${singleLine(fromCommand.user)}”; using “${singleLine(user)}”.`,
    );
  }
  if (port !== null && fromCommand.port !== undefined && fromCommand.port !== port) {
    warn(
      `Instance ${id}: the API's sshPort ${port} differs from its sshCommand's ${fromCommand.port}; using ${port}.`,
    );
  }
  return { user: user ?? fromCommand.user ?? null, port: port ?? fromCommand.port ?? null };
}

function toDeployment(wire: WireDeployment, warn: Warn = ignore): Deployment {
  const id = firstString(wire, DEPLOYMENT_ID_KEYS);
  const login = sshLogin(wire, id, warn);
  const kubernetesAddon = readDeploymentKubernetesAddon(wire.kubernetesAddon);
  return {
    id,
    name: wire.name ?? null,
    provider: firstString(wire, ['providerId', 'provider']),
    gpuType: firstString(wire, ['gpuModelId', 'gpuType']),
    gpuCount: wire.gpuCount ?? null,
    region: wire.region ?? '',
    instanceType: wire.instanceType ?? '',
    operatingSystem: wire.operatingSystem ?? null,
    offerId: wire.offerId ?? null,
    status: deploymentStatus(wire.status),
    rawStatus: wire.status,
    ipAddress: wire.ipAddress || null,
    sshUser: login.user,
    sshPort: login.port,
    sshCommand: wire.sshCommand || null,
    sshKeyId: wire.sshKeyId ?? null,
    createdAtMs: dateMs(wire.createdAt),
    startedAtMs: dateMs(wire.startedAt),
    stoppedAtMs: dateMs(wire.stoppedAt),
    totalCost: wire.totalCost,
    hourlyRate: wire.hourlyRate,
    originalHourlyRate: wire.originalHourlyRate ?? wire.hourlyRate,
    vcpus: wire.vcpus ?? null,
    memoryGb: wire.memory ?? null,
    storageGb: wire.storage ?? null,
    ...(kubernetesAddon ? { kubernetesAddon } : {}),
  };
}

export function normalizeDeployment(endpoint: string, bodyText: string, warn: Warn = ignore): Deployment {
  const { item, path } = unwrapOne(parseJsonBody(endpoint, bodyText), DEPLOYMENT_ID_KEYS, [
    'deployment',
    'data',
  ]);
  return toDeployment(validate(endpoint, deploymentSchema, item, path), warn);
}

export function normalizeDeploymentPage(
  endpoint: string,
  bodyText: string,
  warn: Warn = ignore,
): ListPage<Deployment> {
  const body = parseJsonBody(endpoint, bodyText);
  const read = validateList(endpoint, deploymentSchema, body, ['deployments', 'data'], warn);
  return pageOf(
    endpoint,
    body,
    read.items.map((wire) => toDeployment(wire, warn)),
    read.rejected,
  );
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

export function normalizeSshKeys(endpoint: string, bodyText: string, warn: Warn = ignore): ReadList<SshKey> {
  const read = validateList(
    endpoint,
    sshKeySchema,
    parseJsonBody(endpoint, bodyText),
    ['sshKeys', 'data'],
    warn,
  );
  return readList(read.items.map(toSshKey), read.rejected);
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

export function normalizeVolumePage(
  endpoint: string,
  bodyText: string,
  warn: Warn = ignore,
): ListPage<Volume> {
  const body = parseJsonBody(endpoint, bodyText);
  const read = validateList(endpoint, volumeSchema, body, ['volumes', 'data'], warn);
  return pageOf(endpoint, body, read.items.map(toVolume), read.rejected);
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

export function normalizeTeams(endpoint: string, bodyText: string, warn: Warn = ignore): Team[] {
  return validateList(
    endpoint,
    teamSchema,
    parseJsonBody(endpoint, bodyText),
    ['teams', 'data'],
    warn,
  ).items.map(toTeam);
}
