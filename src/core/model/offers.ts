// The Offers view: filter the catalogue at the offer level, merge groups by GPU model name,
// sort by price, and describe each offer so "what can I rent, and for how much?" is answered
// from the row alone. Built for ~6,000 offers: one pass, set lookups, no regex per offer.

import * as z from 'zod/mini';
import type { KnownInstanceType, Offer, OfferGroup } from '../domain/types';
import { KNOWN_INSTANCE_TYPES } from '../domain/types';
import { instanceTypeFlag } from './classify';
import { contextValueFor } from './contextValue';
import { gpuTypeDisplayName, instanceTypeDisplayName, shortGpuName } from './displayNames';
import { withStaleRow, withUnreadableRow } from './errors';
import {
  codeSpan,
  escapeMarkdown,
  formatCount,
  formatRate,
  formatRateCompact,
  formatRateRange,
  formatSizeGb,
  formatUsd,
  plural,
} from './format';
import type { MessageNode, ModelNode, NodeIcon, OfferGroupNode, OfferNode, StaleState } from './nodes';
import { MODEL_COMMAND_IDS } from './nodes';
import { providerKey } from './offerFilterSearch';
import { singleLine } from '../util/text';

export interface OfferFilters {
  /** Empty means every type. */
  readonly instanceTypes: readonly KnownInstanceType[];
  readonly providers: readonly string[];
  /** Group display names, e.g. `H100 SXM5`. */
  readonly gpuModels: readonly string[];
  /** Minimum VRAM per GPU. CPU-only offers never pass it. */
  readonly minVramGb?: number;
  readonly gpuCounts: readonly number[];
  readonly maxPricePerHour?: number;
  /** Region labels as `regionLabel` shows them (routing prefixes stripped). */
  readonly regions: readonly string[];
  readonly showMaintenance: boolean;
  /** Sent to the API as `search`; not applied here. */
  readonly search?: string;
}

export const DEFAULT_OFFER_FILTERS: OfferFilters = Object.freeze({
  instanceTypes: [],
  providers: [],
  gpuModels: [],
  gpuCounts: [],
  regions: [],
  showMaintenance: false,
});

function unique<T>(items: readonly T[]): T[] {
  return [...new Set(items)];
}

function isKnownInstanceType(value: unknown): value is KnownInstanceType {
  return typeof value === 'string' && (KNOWN_INSTANCE_TYPES as readonly string[]).includes(value);
}

/** An array field: keeps the valid items, drops the rest; anything else becomes []. */
function listOf<T>(keep: (item: unknown) => T | undefined) {
  return z.catch(
    z.pipe(
      z.array(z.unknown()),
      z.transform((items: unknown[]) =>
        unique(items.map(keep).filter((item): item is T => item !== undefined)),
      ),
    ),
    [],
  );
}

const trimmedString = (item: unknown): string | undefined =>
  typeof item === 'string' && item.trim() !== '' ? item.trim() : undefined;

const optionalPositive = z.catch(z.optional(z.number().check(z.positive())), undefined);

/**
 * Parses filters persisted in workspace or global state. Whatever is stored, the result is a
 * valid OfferFilters: bad fields fall back to their defaults and bad list items are dropped.
 */
export const offerFiltersSchema = z.catch(
  z.object({
    instanceTypes: listOf((item) => (isKnownInstanceType(item) ? item : undefined)),
    providers: listOf(trimmedString),
    gpuModels: listOf(trimmedString),
    minVramGb: optionalPositive,
    gpuCounts: listOf((item) =>
      typeof item === 'number' && Number.isInteger(item) && item >= 0 ? item : undefined,
    ),
    maxPricePerHour: optionalPositive,
    regions: listOf(trimmedString),
    showMaintenance: z.catch(z.boolean(), false),
    search: z.catch(
      z.optional(
        z.pipe(
          z.string(),
          z.transform((text: string) => text.trim() || undefined),
        ),
      ),
      undefined,
    ),
  }),
  () => ({
    ...DEFAULT_OFFER_FILTERS,
    instanceTypes: [],
    providers: [],
    gpuModels: [],
    gpuCounts: [],
    regions: [],
  }),
);

export function parseOfferFilters(raw: unknown): OfferFilters {
  const parsed = offerFiltersSchema.safeParse(raw);
  return parsed.success ? withoutUndefined(parsed.data) : DEFAULT_OFFER_FILTERS;
}

function withoutUndefined(filters: OfferFilters): OfferFilters {
  const result: { -readonly [K in keyof OfferFilters]: OfferFilters[K] } = {
    instanceTypes: filters.instanceTypes,
    providers: filters.providers,
    gpuModels: filters.gpuModels,
    gpuCounts: filters.gpuCounts,
    regions: filters.regions,
    showMaintenance: filters.showMaintenance,
  };
  if (filters.minVramGb !== undefined) {
    result.minVramGb = filters.minVramGb;
  }
  if (filters.maxPricePerHour !== undefined) {
    result.maxPricePerHour = filters.maxPricePerHour;
  }
  if (filters.search !== undefined) {
    result.search = filters.search;
  }
  return result;
}

export function isDefaultOfferFilters(filters: OfferFilters): boolean {
  return describeOfferFilters(filters) === '';
}

// Some providers prefix region ids with an opaque routing token (`166e655a:culpeper-usa-1`).
// The prefixed form is sent back on create; people only need the name.
const ROUTING_PREFIX = /^[0-9a-f]{6,}:(?=.)/i;

/** The region as people read it: `166e655a:culpeper-usa-1` → `culpeper-usa-1`. */
export function regionLabel(region: string): string {
  return region.replace(ROUTING_PREFIX, '');
}

/** Memoizes regionLabel within one build: region strings repeat across thousands of offers. */
function regionLabeller(): (region: string) => string {
  const cache = new Map<string, string>();
  return (region) => {
    let label = cache.get(region);
    if (label === undefined) {
      label = regionLabel(region);
      cache.set(region, label);
    }
    return label;
  };
}

/** The GPU model's name from the API, on one capped line (singleLine). */
function groupName(group: OfferGroup): string {
  return (
    singleLine(group.displayName) ||
    singleLine(group.gpuModel) ||
    gpuTypeDisplayName(singleLine(group.gpuType))
  );
}

interface CompiledFilters {
  readonly types: ReadonlySet<string> | undefined;
  readonly providers: ReadonlySet<string> | undefined;
  readonly models: ReadonlySet<string> | undefined;
  readonly counts: ReadonlySet<number> | undefined;
  readonly regions: ReadonlySet<string> | undefined;
  readonly minVramGb: number | undefined;
  readonly maxPricePerHour: number | undefined;
}

function setOrUndefined<T>(items: readonly T[]): ReadonlySet<T> | undefined {
  return items.length > 0 ? new Set(items) : undefined;
}

function compile(filters: OfferFilters): CompiledFilters {
  return {
    types: setOrUndefined(filters.instanceTypes),
    providers: setOrUndefined(filters.providers.map(providerKey)),
    models: setOrUndefined(filters.gpuModels),
    counts: setOrUndefined(filters.gpuCounts),
    regions: setOrUndefined(filters.regions),
    minVramGb: filters.minVramGb,
    maxPricePerHour: filters.maxPricePerHour,
  };
}

/** Every filter except maintenance. */
function passesFilters(offer: Offer, filters: CompiledFilters, label: (region: string) => string): boolean {
  if (filters.types && !filters.types.has(offer.instanceType.toUpperCase())) {
    return false;
  }
  if (filters.providers && !filters.providers.has(providerKey(offer.provider))) {
    return false;
  }
  if (filters.counts && !filters.counts.has(offer.gpuCount)) {
    return false;
  }
  // An offer that does not say its VRAM cannot be shown to meet a minimum.
  if (
    filters.minVramGb !== undefined &&
    (offer.gpuCount === 0 || offer.vramGbPerGpu === undefined || offer.vramGbPerGpu < filters.minVramGb)
  ) {
    return false;
  }
  if (filters.maxPricePerHour !== undefined && offer.pricePerHour > filters.maxPricePerHour) {
    return false;
  }
  const regions = filters.regions;
  if (regions && !offer.regions.some((region) => regions.has(label(region)))) {
    return false;
  }
  return true;
}

function compareOffers(a: Offer, b: Offer): number {
  return (
    a.pricePerHour - b.pricePerHour ||
    compareText(a.provider, b.provider) ||
    compareText(a.offerId, b.offerId)
  );
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export interface OfferTreeOptions {
  /** Adds the stale row on top; with `nowMs` it says how old the data is. */
  readonly stale?: StaleState;
  readonly nowMs?: number;
  /** Offers the API sent that could not be read. */
  readonly rejected?: number;
}

export interface OfferTree {
  /** What the view shows: stale row, groups, or an explanation when filters hide everything. */
  readonly nodes: readonly ModelNode[];
  readonly groups: readonly OfferGroupNode[];
  readonly totalOffers: number;
  readonly shownOffers: number;
  /** Offers that passed every other filter but are hidden for maintenance. */
  readonly hiddenMaintenance: number;
}

interface Bucket {
  readonly displayName: string;
  readonly gpuTypes: Set<string>;
  readonly offers: Offer[];
}

export function buildOfferTree(
  groups: readonly OfferGroup[],
  filters: OfferFilters,
  options: OfferTreeOptions = {},
): OfferTree {
  const compiled = compile(filters);
  const label = regionLabeller();
  const buckets = new Map<string, Bucket>();
  let totalOffers = 0;
  let hiddenMaintenance = 0;

  for (const group of groups) {
    totalOffers += group.offers.length;
    const name = groupName(group);
    if (compiled.models && !compiled.models.has(name)) {
      continue;
    }
    let bucket = buckets.get(name);
    for (const offer of group.offers) {
      if (!passesFilters(offer, compiled, label)) {
        continue;
      }
      if (offer.maintenance && !filters.showMaintenance) {
        hiddenMaintenance += 1;
        continue;
      }
      if (!bucket) {
        bucket = { displayName: name, gpuTypes: new Set(), offers: [] };
        buckets.set(name, bucket);
      }
      bucket.gpuTypes.add(group.gpuType);
      bucket.offers.push(offer);
    }
  }

  const sorted = [...buckets.values()];
  for (const bucket of sorted) {
    bucket.offers.sort(compareOffers);
  }
  sorted.sort(
    (a, b) =>
      (a.offers[0]?.pricePerHour ?? 0) - (b.offers[0]?.pricePerHour ?? 0) ||
      compareText(a.displayName, b.displayName),
  );

  const context: OfferNodeContext = {
    regionLabelOf: label,
    contextValueOf: contextValueCache(),
    usedIds: new Set<string>(),
  };
  const groupNodes = sorted.map((bucket) => groupNode(bucket, context));
  const shownOffers = sorted.reduce((sum, bucket) => sum + bucket.offers.length, 0);

  const rows: ModelNode[] = withUnreadableRow(groupNodes, options.rejected, 'offer', 'offers');
  if (groupNodes.length === 0 && totalOffers > 0) {
    rows.push(noMatchRow(totalOffers, hiddenMaintenance));
  }
  const nodes = withStaleRow(rows, options.stale, 'offers', options.nowMs);
  return { nodes, groups: groupNodes, totalOffers, shownOffers, hiddenMaintenance };
}

function noMatchRow(totalOffers: number, hiddenMaintenance: number): MessageNode {
  const onlyMaintenance = hiddenMaintenance === totalOffers;
  return {
    kind: 'message',
    severity: 'info',
    id: 'offers:noMatch',
    label: onlyMaintenance ? 'Every matching offer is under maintenance' : 'No offers match the filters',
    description: `${plural(totalOffers, 'offer')} hidden`,
    tooltip: onlyMaintenance
      ? 'The provider flagged all matching capacity as under maintenance. Turn on “show maintenance” to see it, or clear the filters.'
      : 'Click to clear the filters.',
    icon: { codicon: 'filter' },
    collapsible: 'none',
    command: { id: MODEL_COMMAND_IDS.clearOfferFilters, title: 'Clear Offer Filters' },
  };
}

function uniqueId(id: string, used: Set<string>): string {
  let candidate = id;
  for (let n = 2; used.has(candidate); n += 1) {
    candidate = `${id}#${n}`;
  }
  used.add(candidate);
  return candidate;
}

function groupNode(bucket: Bucket, context: OfferNodeContext): OfferGroupNode {
  const offers = bucket.offers;
  const low = offers[0]?.pricePerHour ?? 0;
  const high = offers[offers.length - 1]?.pricePerHour ?? 0;
  const providers = unique(offers.map((offer) => offer.provider)).sort(compareText);
  const gpuTypes = [...bucket.gpuTypes].sort(compareText);
  // Ids now, so they do not depend on which group is expanded first; rows on first expansion:
  // VS Code asks for a group's children only when it opens, and most groups never do.
  const ids = offers.map((offer) => uniqueId(`offer:${offer.provider}:${offer.offerId}`, context.usedIds));
  let children: readonly OfferNode[] | undefined;
  const tooltip = [
    `**${escapeMarkdown(bucket.displayName)}** — ${plural(offers.length, 'offer')} from ${plural(providers.length, 'provider')}`,
    [
      `- Price: ${formatRateRange(low, high)} for the whole instance`,
      `- Providers: ${providers.map(escapeMarkdown).join(', ')}`,
      `- GPU type${gpuTypes.length === 1 ? '' : 's'}: ${gpuTypes.map(codeSpan).join(', ')}`,
    ].join('\n'),
  ].join('\n\n');
  return {
    kind: 'offerGroup',
    id: uniqueId(`group:${bucket.displayName}`, context.usedIds),
    label: shortGpuName(bucket.displayName),
    // Price first: a narrow sidebar cuts the end of the row, and the price is what matters.
    description: `${formatGroupPrice(low, high)} · ${plural(offers.length, 'offer')}`,
    tooltip,
    icon: { codicon: 'circuit-board' },
    contextValue: contextValueFor({ kind: 'offerGroup' }),
    collapsible: 'collapsed',
    displayName: bucket.displayName,
    gpuTypes,
    get children() {
      children ??= offers.map((offer, index) => offerNode(offer, ids[index] ?? offer.offerId, context));
      return children;
    },
  };
}

/** `from $2.91/h`, or `$1.69/h` when every offer costs the same after rounding. */
export function formatGroupPrice(low: number, high: number): string {
  return formatUsd(low) === formatUsd(high) ? formatRate(low) : `from ${formatRate(low)}`;
}

const MAX_REGIONS_IN_DESCRIPTION = 2;

function regionSummary(regions: readonly string[], label: (region: string) => string): string {
  const labels = regions.map(label);
  if (labels.length <= MAX_REGIONS_IN_DESCRIPTION + 1) {
    return labels.join(', ');
  }
  const shown = labels.slice(0, MAX_REGIONS_IN_DESCRIPTION).join(', ');
  return `${shown} +${labels.length - MAX_REGIONS_IN_DESCRIPTION} more`;
}

/** `1× 96 GB`, or `CPU only` for GPU-less nodes. */
export function offerHardwareLabel(offer: Pick<Offer, 'gpuCount' | 'vramGbPerGpu'>): string {
  return offer.gpuCount === 0 ? 'CPU only' : `${offer.gpuCount}× ${formatSizeGb(offer.vramGbPerGpu)}`;
}

// Shared, frozen: thousands of offer rows use a handful of icons.
const OFFER_ICONS = {
  maintenance: Object.freeze({ codicon: 'warning', color: 'list.warningForeground' }),
  spot: Object.freeze({ codicon: 'zap' }),
  cluster: Object.freeze({ codicon: 'server-environment' }),
  gpu: Object.freeze({ codicon: 'server' }),
  cpu: Object.freeze({ codicon: 'server-process' }),
} satisfies Record<string, NodeIcon>;

function offerIcon(offer: Offer): NodeIcon {
  if (offer.maintenance) {
    return OFFER_ICONS.maintenance;
  }
  switch (instanceTypeFlag(offer.instanceType)) {
    case 'spot':
      return OFFER_ICONS.spot;
    case 'cluster':
      return OFFER_ICONS.cluster;
    case 'dedicated':
    case undefined:
      return offer.gpuCount === 0 ? OFFER_ICONS.cpu : OFFER_ICONS.gpu;
  }
}

function offerDescription(offer: Offer, label: (region: string) => string): string {
  const parts: string[] = [];
  if (offer.maintenance) {
    parts.push('⚠ maintenance');
  }
  parts.push(offer.provider);
  if (offer.regions.length > 0) {
    parts.push(regionSummary(offer.regions, label));
  }
  if (instanceTypeFlag(offer.instanceType) !== 'dedicated') {
    parts.push(instanceTypeDisplayName(offer.instanceType));
  }
  return parts.join(' · ');
}

/** The note that explains what the instance type means for the user. */
export function instanceTypeNote(
  offer: Pick<Offer, 'instanceType' | 'gpuCount' | 'interconnectType'>,
): string {
  switch (instanceTypeFlag(offer.instanceType)) {
    case 'spot':
      return 'Spot: can be reclaimed by the provider at any time.';
    case 'cluster': {
      const fabric = (offer.interconnectType ?? '').toLowerCase().includes('ethernet')
        ? 'Ethernet'
        : 'InfiniBand';
      return `Cluster: ${offer.gpuCount || 8}-GPU bare metal, ${fabric}.`;
    }
    case 'dedicated':
      return 'Dedicated: not reclaimed by the provider.';
    case undefined:
      return `Instance type ${codeSpan(offer.instanceType)}.`;
  }
}

function availabilityText(offer: Offer): string {
  // The API may still say "available" for capacity the provider flagged for maintenance.
  if (offer.maintenance) {
    return 'not deployable (under maintenance)';
  }
  if (offer.unitsAvailable !== undefined) {
    return `${plural(offer.unitsAvailable, 'unit')} available`;
  }
  return offer.available ? 'available' : 'not available';
}

function offerTooltip(offer: Offer, label: (region: string) => string): string {
  const hardware =
    offer.gpuCount === 0
      ? 'CPU only'
      : `${offer.gpuCount} × ${escapeMarkdown(offer.gpuDisplayName)} ${formatSizeGb(offer.vramGbPerGpu)}`;
  const lines: string[] = [];
  lines.push(`- Price: ${formatRate(offer.pricePerHour)} for the whole instance`);
  if (offer.gpuCount > 1) {
    lines.push(`- Per GPU: ${formatRate(offer.pricePerHour / offer.gpuCount)}`);
  }
  if (offer.originalPricePerHour !== undefined && offer.originalPricePerHour > offer.pricePerHour) {
    lines.push(`- Before team discount: ${formatRate(offer.originalPricePerHour)}`);
  }
  // Some DEDICATED offers carry a spot_price too; it is not what a dedicated instance bills.
  if (
    offer.spotPricePerHour !== undefined &&
    offer.spotPricePerHour !== offer.pricePerHour &&
    instanceTypeFlag(offer.instanceType) === 'spot'
  ) {
    lines.push(`- Spot price: ${formatRate(offer.spotPricePerHour)}`);
  }
  lines.push(
    offer.gpuCount === 0
      ? '- GPUs: none (CPU only)'
      : `- GPUs: ${offer.gpuCount} × ${formatSizeGb(offer.vramGbPerGpu)} VRAM`,
  );
  lines.push(
    `- CPU / RAM / disk: ${formatCount(offer.vcpus)} vCPU · ${formatSizeGb(offer.memoryGb)} RAM · ${formatSizeGb(offer.storageGb)} disk`,
  );
  lines.push(
    `- Region${offer.regions.length === 1 ? '' : 's'}: ${offer.regions.length > 0 ? offer.regions.map((region) => escapeMarkdown(label(region))).join(', ') : 'none listed'}`,
  );
  lines.push(
    `- OS: ${offer.osOptions.length > 0 ? offer.osOptions.map(escapeMarkdown).join('; ') : 'none listed'}`,
  );
  if (offer.interconnectType) {
    lines.push(`- Interconnect: ${escapeMarkdown(offer.interconnectType)}`);
  }
  lines.push(`- Cloud-init startup script: ${offer.supportsCloudInit ? 'supported' : 'not supported'}`);
  lines.push(`- Availability: ${availabilityText(offer)}`);
  if (offer.minimumRuntimeMinutes !== undefined) {
    lines.push(`- Minimum runtime: ${offer.minimumRuntimeMinutes} min`);
  }
  lines.push(`- Offer: ${codeSpan(offer.offerId)}`);

  const sections = [
    `**${formatRate(offer.pricePerHour)}** — ${hardware} · ${escapeMarkdown(offer.provider)}`,
    lines.join('\n'),
    instanceTypeNote(offer),
  ];
  if (offer.maintenance) {
    sections.push('⚠ **Maintenance**: the provider flagged this capacity; it cannot be deployed now.');
  }
  return sections.join('\n\n');
}

/** contextValue depends only on maintenance and type: compute it once per combination. */
function contextValueCache(): (offer: Offer) => string {
  const cache = new Map<string, string>();
  return (offer) => {
    const key = `${offer.maintenance ? 1 : 0}${offer.instanceType}`;
    let value = cache.get(key);
    if (value === undefined) {
      value = contextValueFor({ kind: 'offer', offer });
      cache.set(key, value);
    }
    return value;
  };
}

interface OfferNodeContext {
  readonly regionLabelOf: (region: string) => string;
  readonly contextValueOf: (offer: Offer) => string;
  readonly usedIds: Set<string>;
}

function offerNode(offer: Offer, id: string, context: OfferNodeContext): OfferNode {
  const { regionLabelOf } = context;
  let tooltip: string | undefined;
  return {
    kind: 'offer',
    id,
    label: `${formatRate(offer.pricePerHour)} · ${offerHardwareLabel(offer)}`,
    description: offerDescription(offer, regionLabelOf),
    // Built on first read: VS Code asks only for rows in expanded groups, and a catalogue
    // holds thousands of offers.
    get tooltip() {
      tooltip ??= offerTooltip(offer, regionLabelOf);
      return tooltip;
    },
    icon: offerIcon(offer),
    contextValue: context.contextValueOf(offer),
    collapsible: 'none',
    offer,
  };
}

function summarize(items: readonly string[], singular: string): string {
  return items.length === 1 ? (items[0] ?? '') : plural(items.length, singular);
}

/** The view description for active filters: `SPOT · H100 SXM5 · ≥ 48 GB · ≤ $3/h · 2 regions`. */
export function describeOfferFilters(filters: OfferFilters): string {
  const parts: string[] = [];
  if (filters.instanceTypes.length > 0) {
    parts.push(filters.instanceTypes.join('/'));
  }
  if (filters.gpuModels.length > 0) {
    parts.push(summarize(filters.gpuModels, 'model'));
  }
  if (filters.providers.length > 0) {
    parts.push(summarize(filters.providers, 'provider'));
  }
  if (filters.gpuCounts.length > 0) {
    const counts = [...filters.gpuCounts].sort((a, b) => a - b);
    parts.push(`${counts.join('/')} GPU${counts.length === 1 && counts[0] === 1 ? '' : 's'}`);
  }
  if (filters.minVramGb !== undefined) {
    parts.push(`≥ ${formatSizeGb(filters.minVramGb)}`);
  }
  if (filters.maxPricePerHour !== undefined) {
    parts.push(`≤ ${formatRateCompact(filters.maxPricePerHour)}`);
  }
  if (filters.regions.length > 0) {
    parts.push(summarize(filters.regions, 'region'));
  }
  if (filters.search) {
    parts.push(`“${filters.search}”`);
  }
  if (filters.showMaintenance) {
    parts.push('incl. maintenance');
  }
  return parts.join(' · ');
}

export interface FilterChoice<T> {
  readonly value: T;
  /** Offers carrying this value (maintenance only when shown). */
  readonly offerCount: number;
  readonly lowestPricePerHour: number;
}

export interface OfferFilterChoices {
  readonly instanceTypes: readonly FilterChoice<string>[];
  readonly providers: readonly FilterChoice<string>[];
  readonly gpuModels: readonly FilterChoice<string>[];
  readonly regions: readonly FilterChoice<string>[];
  readonly gpuCounts: readonly FilterChoice<number>[];
  readonly vramSizesGb: readonly FilterChoice<number>[];
}

class ChoiceTally<T extends string | number> {
  private readonly entries = new Map<
    string | number,
    { value: T; offerCount: number; lowestPricePerHour: number }
  >();

  /** `key` merges spellings of one value (provider slugs); the first spelling seen is shown. */
  add(value: T, price: number, key: string | number = value): void {
    const entry = this.entries.get(key);
    if (entry) {
      entry.offerCount += 1;
      entry.lowestPricePerHour = Math.min(entry.lowestPricePerHour, price);
    } else {
      this.entries.set(key, { value, offerCount: 1, lowestPricePerHour: price });
    }
  }

  sorted(): FilterChoice<T>[] {
    return [...this.entries.values()]
      .map((entry) => ({ ...entry }))
      .sort((a, b) =>
        typeof a.value === 'number' && typeof b.value === 'number'
          ? a.value - b.value
          : compareText(String(a.value), String(b.value)),
      );
  }
}

/**
 * The distinct values the filter quick picks offer, with counts and starting prices. Offers in
 * maintenance count only when they are shown, so the counts agree with the tree.
 */
export function offerFilterChoices(
  groups: readonly OfferGroup[],
  options: { readonly showMaintenance?: boolean } = {},
): OfferFilterChoices {
  const label = regionLabeller();
  const instanceTypes = new ChoiceTally<string>();
  const providers = new ChoiceTally<string>();
  const gpuModels = new ChoiceTally<string>();
  const regions = new ChoiceTally<string>();
  const gpuCounts = new ChoiceTally<number>();
  const vramSizes = new ChoiceTally<number>();
  for (const group of groups) {
    const name = groupName(group);
    for (const offer of group.offers) {
      if (offer.maintenance && !options.showMaintenance) {
        continue;
      }
      const price = offer.pricePerHour;
      instanceTypes.add(offer.instanceType.toUpperCase(), price);
      providers.add(offer.provider, price, providerKey(offer.provider));
      gpuModels.add(name, price);
      gpuCounts.add(offer.gpuCount, price);
      if (offer.gpuCount > 0 && offer.vramGbPerGpu !== undefined) {
        vramSizes.add(offer.vramGbPerGpu, price);
      }
      for (const region of new Set(offer.regions.map(label))) {
        regions.add(region, price);
      }
    }
  }
  return {
    instanceTypes: instanceTypes.sorted(),
    providers: providers.sorted(),
    gpuModels: gpuModels.sorted(),
    regions: regions.sorted(),
    gpuCounts: gpuCounts.sorted(),
    vramSizesGb: vramSizes.sorted(),
  };
}
