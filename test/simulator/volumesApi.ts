// Persistent volumes (contract §4.10) with the provider limits of the docs: Voltage Park one volume per
// instance, max 64 TB, Dallas; DataCrunch FIN-01..03, max 10 TB, shareable within a region.
import { roundTo } from './catalogue';
import type { SimCore } from './core';
import type { ApiResponse, RequestContext } from './http';
import { fail, isRecord, notFound, ok } from './http';
import type { DeploymentRecord, VolumeRecord } from './state';
import type { WireVolumeRegion } from './types';
import { sameProvider } from './realWorld';
import { volumeToWire } from './wire';

interface VolumeProvider {
  readonly regions: readonly {
    readonly id: string;
    readonly name: string;
    readonly hourlyRatePerGb: number;
  }[];
  readonly regionRequired: boolean;
  readonly cloudIdRequired: boolean;
  readonly minSizeGb: number;
  readonly maxSizeGb: number;
  /** Several deployments may share one volume (same region). */
  readonly shareable: boolean;
  readonly maxVolumesPerDeployment: number;
  readonly idPrefix: string;
}

export const VOLUME_PROVIDERS: Readonly<Record<string, VolumeProvider>> = {
  'voltage-park': {
    regions: [{ id: 'Dallas, TX', name: 'Dallas, TX', hourlyRatePerGb: 0.000109 }],
    regionRequired: false,
    cloudIdRequired: false,
    minSizeGb: 1,
    maxSizeGb: 65536,
    shareable: false,
    maxVolumesPerDeployment: 1,
    idPrefix: 'vp-vol',
  },
  'data-crunch': {
    regions: [
      { id: 'FIN-01', name: 'Finland (FIN-01)', hourlyRatePerGb: 0.000274 },
      { id: 'FIN-02', name: 'Finland (FIN-02)', hourlyRatePerGb: 0.000274 },
      { id: 'FIN-03', name: 'Finland (FIN-03)', hourlyRatePerGb: 0.000274 },
    ],
    regionRequired: true,
    cloudIdRequired: false,
    minSizeGb: 1,
    maxSizeGb: 10240,
    shareable: true,
    maxVolumesPerDeployment: Number.POSITIVE_INFINITY,
    idPrefix: 'dc-vol',
  },
  sesterce: {
    regions: [
      { id: 'kansascity-usa-1', name: 'Kansas City, USA', hourlyRatePerGb: 0.000192 },
      { id: '166e655a:culpeper-usa-1', name: 'Culpeper, USA', hourlyRatePerGb: 0.000192 },
    ],
    regionRequired: true,
    cloudIdRequired: true,
    minSizeGb: 10,
    maxSizeGb: 10240,
    shareable: false,
    maxVolumesPerDeployment: Number.POSITIVE_INFINITY,
    idPrefix: 'ses-vol',
  },
  'spheron-ai': {
    regions: [{ id: 'CANADA-1', name: 'Canada (CANADA-1)', hourlyRatePerGb: 0.00015 }],
    regionRequired: true,
    cloudIdRequired: false,
    minSizeGb: 1,
    maxSizeGb: 10240,
    shareable: false,
    maxVolumesPerDeployment: Number.POSITIVE_INFINITY,
    idPrefix: 'sai-vol',
  },
};

const NAME_RULE = /^[a-z0-9_-]{1,60}$/;
const NAME_MESSAGE =
  'Volume name must be 1-60 characters: lowercase letters, digits, hyphens and underscores';

function providerOf(slug: unknown): VolumeProvider | undefined {
  return typeof slug === 'string' && Object.hasOwn(VOLUME_PROVIDERS, slug)
    ? VOLUME_PROVIDERS[slug]
    : undefined;
}

const providerList = (): string => Object.keys(VOLUME_PROVIDERS).join(', ');

/** Why `volume` cannot attach to `deployment`, or undefined when it can. */
export function attachProblem(
  core: SimCore,
  volume: VolumeRecord,
  deployment: DeploymentRecord,
): string | undefined {
  if (volume.attachedToDeploymentIds.includes(deployment.id)) {
    return 'Volume is already attached to this deployment';
  }
  if (!sameProvider(volume.providerId, deployment.providerId)) {
    return `Volume provider ${volume.providerId} does not match the deployment's provider ${deployment.providerId}`;
  }
  if (volume.region !== deployment.region) {
    return `Volume is in region ${volume.region} but the deployment is in ${deployment.region}; they must be in the same region`;
  }
  const provider = VOLUME_PROVIDERS[volume.providerId];
  if (provider && !provider.shareable && volume.attachedToDeploymentIds.length > 0) {
    return `Volume is already attached to another deployment; ${volume.providerId} volumes attach to one instance at a time`;
  }
  const attached = core.state.volumesAttachedTo(deployment.id).length;
  if (provider && attached >= provider.maxVolumesPerDeployment) {
    return `${volume.providerId} allows only one volume per instance; detach the other volume first`;
  }
  return undefined;
}

export function listVolumes(core: SimCore, ctx: RequestContext): ApiResponse {
  const page = Math.max(1, Number.parseInt(ctx.query.get('page') ?? '1', 10) || 1);
  const limit = Math.max(1, Number.parseInt(ctx.query.get('limit') ?? '20', 10) || 20);
  const status = ctx.query.get('status');
  const all = [...core.state.volumes.values()]
    .sort((a, b) => b.createdAtMs - a.createdAtMs)
    .map(volumeToWire)
    .filter((v) => !status || v.status === status);
  return ok({
    volumes: all.slice((page - 1) * limit, page * limit),
    total: all.length,
    page,
    limit,
    totalPages: Math.ceil(all.length / limit),
  });
}

function validSize(provider: VolumeProvider, slug: string, size: unknown): string | undefined {
  if (typeof size !== 'number' || !Number.isInteger(size)) {
    return 'sizeInGb must be an integer number of GB';
  }
  if (size < provider.minSizeGb || size > provider.maxSizeGb) {
    return `sizeInGb must be between ${provider.minSizeGb} and ${provider.maxSizeGb} GB for ${slug}`;
  }
  return undefined;
}

export function createVolume(core: SimCore, ctx: RequestContext): ApiResponse {
  const body = ctx.body;
  if (!isRecord(body)) {
    return fail(400, 'Validation error', 'Request body must be a JSON object');
  }
  const { name, sizeInGb, provider: slug, region, cloudId, deploymentId, teamId } = body;
  if (typeof name !== 'string' || !NAME_RULE.test(name)) {
    return fail(400, 'Validation error', NAME_MESSAGE);
  }
  const provider = providerOf(slug);
  if (!provider || typeof slug !== 'string') {
    return fail(400, 'Validation error', `provider must be one of: ${providerList()}`);
  }
  const sizeProblem = validSize(provider, slug, sizeInGb);
  if (sizeProblem) {
    return fail(400, 'Validation error', sizeProblem);
  }
  if (region === undefined && provider.regionRequired) {
    return fail(400, 'Validation error', `region is required for ${slug}`);
  }
  const regionEntry =
    region === undefined ? provider.regions[0] : provider.regions.find((r) => r.id === region);
  if (!regionEntry) {
    return fail(
      400,
      'Validation error',
      `Invalid region for ${slug}; valid regions: ${provider.regions.map((r) => r.id).join(', ')}`,
    );
  }
  if (provider.cloudIdRequired && (typeof cloudId !== 'string' || cloudId === '')) {
    return fail(400, 'Validation error', `cloudId is required for ${slug}`);
  }
  if (teamId !== undefined && (typeof teamId !== 'string' || !core.state.team(teamId))) {
    return fail(403, 'Forbidden', 'You do not have access to this team');
  }
  let target: DeploymentRecord | undefined;
  if (deploymentId !== undefined) {
    target = typeof deploymentId === 'string' ? core.state.deployments.get(deploymentId) : undefined;
    if (!target) {
      return notFound('Deployment');
    }
  }
  const id = core.state.newId(ctx.nowMs);
  const volume: VolumeRecord = {
    id,
    volumeId: `${provider.idPrefix}-${id.slice(-8)}`,
    teamId: typeof teamId === 'string' ? teamId : core.state.currentTeam().id,
    name,
    providerId: slug,
    region: regionEntry.id,
    sizeInGb: sizeInGb as number,
    usedCapacityBytes: 0,
    hourlyRate: regionEntry.hourlyRatePerGb,
    attachedToDeploymentIds: [],
    createdAtMs: ctx.nowMs,
  };
  if (target) {
    const problem = target.status === 'running' ? attachProblem(core, volume, target) : notRunning(target);
    if (problem) {
      return fail(400, 'Cannot attach volume', problem);
    }
    volume.attachedToDeploymentIds.push(target.id);
  }
  core.state.volumes.set(id, volume);
  return ok(volumeToWire(volume), 201);
}

function notRunning(d: DeploymentRecord): string {
  return `Volumes can only be attached to a running deployment (deployment is ${d.status})`;
}

export function getVolume(core: SimCore, ctx: RequestContext): ApiResponse {
  const volume = core.state.volumes.get(ctx.params.id);
  return volume ? ok(volumeToWire(volume)) : notFound('Volume');
}

export function updateVolume(core: SimCore, ctx: RequestContext): ApiResponse {
  const volume = core.state.volumes.get(ctx.params.id);
  if (!volume) {
    return notFound('Volume');
  }
  const body = ctx.body;
  if (!isRecord(body)) {
    return fail(400, 'Validation error', 'Request body must be a JSON object');
  }
  const unknown = Object.keys(body).filter((k) => k !== 'name' && k !== 'sizeInGb');
  if (unknown.length) {
    return fail(400, 'Validation error', `Only name and sizeInGb can be changed (got ${unknown.join(', ')})`);
  }
  if (body.name !== undefined && (typeof body.name !== 'string' || !NAME_RULE.test(body.name))) {
    return fail(400, 'Validation error', NAME_MESSAGE);
  }
  if (body.sizeInGb !== undefined) {
    const provider = VOLUME_PROVIDERS[volume.providerId];
    const problem = provider ? validSize(provider, volume.providerId, body.sizeInGb) : undefined;
    if (problem) {
      return fail(400, 'Validation error', problem);
    }
    if ((body.sizeInGb as number) < volume.sizeInGb) {
      return fail(
        400,
        'Validation error',
        'A volume can only grow; sizeInGb must not be smaller than the current size',
      );
    }
    volume.sizeInGb = body.sizeInGb as number;
  }
  if (typeof body.name === 'string') {
    volume.name = body.name;
  }
  return ok(volumeToWire(volume));
}

export function deleteVolume(core: SimCore, ctx: RequestContext): ApiResponse {
  const volume = core.state.volumes.get(ctx.params.id);
  if (!volume) {
    return notFound('Volume');
  }
  if (volume.attachedToDeploymentIds.length) {
    return fail(
      400,
      'Volume is attached',
      `Volume is attached to deployment ${volume.attachedToDeploymentIds.join(', ')}; detach it before deleting`,
    );
  }
  core.state.volumes.delete(volume.id);
  return ok({ success: true });
}

function volumeAndDeployment(
  core: SimCore,
  ctx: RequestContext,
): { volume: VolumeRecord; deployment: DeploymentRecord } | ApiResponse {
  const volume = core.state.volumes.get(ctx.params.id);
  if (!volume) {
    return notFound('Volume');
  }
  const deploymentId = isRecord(ctx.body) ? ctx.body.deploymentId : undefined;
  if (typeof deploymentId !== 'string' || deploymentId === '') {
    return fail(400, 'Validation error', 'deploymentId is required');
  }
  const deployment = core.state.deployments.get(deploymentId);
  if (!deployment) {
    return notFound('Deployment');
  }
  return { volume, deployment };
}

export function attachVolume(core: SimCore, ctx: RequestContext): ApiResponse {
  const found = volumeAndDeployment(core, ctx);
  if ('status' in found) {
    return found;
  }
  const { volume, deployment } = found;
  const problem =
    deployment.status === 'running' ? attachProblem(core, volume, deployment) : notRunning(deployment);
  if (problem) {
    return fail(400, 'Cannot attach volume', problem);
  }
  volume.attachedToDeploymentIds.push(deployment.id);
  return ok(volumeToWire(volume));
}

export function detachVolume(core: SimCore, ctx: RequestContext): ApiResponse {
  const found = volumeAndDeployment(core, ctx);
  if ('status' in found) {
    return found;
  }
  const { volume, deployment } = found;
  if (!volume.attachedToDeploymentIds.includes(deployment.id)) {
    return fail(400, 'Cannot detach volume', 'Volume is not attached to this deployment');
  }
  volume.attachedToDeploymentIds = volume.attachedToDeploymentIds.filter((id) => id !== deployment.id);
  return ok(volumeToWire(volume));
}

export function volumePricing(_core: SimCore, ctx: RequestContext): ApiResponse {
  const slug = ctx.query.get('provider') ?? '';
  const provider = providerOf(slug);
  if (!provider) {
    return fail(400, 'Validation error', `provider must be one of: ${providerList()}`);
  }
  const region = ctx.query.get('region');
  const entry = region ? provider.regions.find((r) => r.id === region) : provider.regions[0];
  if (!entry) {
    return fail(400, 'Validation error', `Invalid region for ${slug}`);
  }
  return ok({ provider: slug, hourlyRatePerGb: entry.hourlyRatePerGb });
}

export function volumeRegions(core: SimCore, ctx: RequestContext): ApiResponse {
  const slug = ctx.query.get('provider') || 'voltage-park';
  const provider = providerOf(slug);
  if (!provider) {
    return fail(400, 'Validation error', `provider must be one of: ${providerList()}`);
  }
  const regions: WireVolumeRegion[] = provider.regions.map((r) => ({
    id: r.id,
    name: r.name,
    hasGpuOffers: core.catalogue.hasOffersIn(slug, r.id),
    minSizeGb: provider.minSizeGb,
    maxSizeGb: provider.maxSizeGb,
    hourlyRatePerGb: roundTo(r.hourlyRatePerGb, 6),
  }));
  return ok({ hasAnyOffers: regions.some((r) => r.hasGpuOffers), regions });
}
