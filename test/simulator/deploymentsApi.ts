// Deployments: create (with the live validation rules), list, get, rename, terminate, can-terminate.
import type { OfferMatch } from './catalogue';
import { roundTo } from './catalogue';
import { KUBERNETES_VERSIONS } from './kubernetesApi';
import type { SimCore } from './core';
import type { ApiResponse, RequestContext } from './http';
import { fail, isRecord, notFound, ok } from './http';
import { PublicKeyError, parsePublicKey } from './openssh';
import type { DeploymentRecord, VolumeRecord } from './state';
import { TERMINAL_STATUSES } from './state';
import { attachProblem } from './volumesApi';
import { realWorldDeployment, sameProvider } from './realWorld';
import { deploymentToWire, idProp } from './wire';

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** Contract §2: minimum deployment $3. */
const MINIMUM_DEPLOYMENT_USD = 3;

const REQUIRED_FIELDS = [
  'provider',
  'offerId',
  'gpuType',
  'gpuCount',
  'region',
  'operatingSystem',
  'instanceType',
];

const ACTIVE = new Set(['running', 'deploying', 'stopped']);
const INACTIVE = TERMINAL_STATUSES;

function wire(core: SimCore, d: DeploymentRecord, nowMs: number) {
  const shaped = deploymentToWire(d, core.state, core.config, nowMs);
  return core.config.profile === 'real-world' ? realWorldDeployment(shaped) : shaped;
}

function isStringArray(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((v) => typeof v === 'string');
}

/** Why a cloudInit value is malformed, or undefined. */
function cloudInitProblem(value: unknown): string | undefined {
  if (!isRecord(value)) {
    return 'cloudInit must be an object';
  }
  const allowed = new Set(['packages', 'writeFiles', 'runcmd']);
  const unknown = Object.keys(value).filter((k) => !allowed.has(k));
  if (unknown.length) {
    return `cloudInit has unknown fields: ${unknown.join(', ')}`;
  }
  if (value.packages !== undefined && !isStringArray(value.packages)) {
    return 'cloudInit.packages must be an array of strings';
  }
  if (value.runcmd !== undefined && !isStringArray(value.runcmd)) {
    return 'cloudInit.runcmd must be an array of strings';
  }
  if (value.writeFiles !== undefined) {
    if (!Array.isArray(value.writeFiles)) {
      return 'cloudInit.writeFiles must be an array';
    }
    for (const [i, file] of (value.writeFiles as unknown[]).entries()) {
      if (!isRecord(file) || typeof file.path !== 'string' || typeof file.content !== 'string') {
        return `cloudInit.writeFiles[${i}] needs string path and content`;
      }
      if (file.owner !== undefined && typeof file.owner !== 'string') {
        return `cloudInit.writeFiles[${i}].owner must be a string`;
      }
      if (
        file.permissions !== undefined &&
        (typeof file.permissions !== 'string' || !/^0?[0-7]{3,4}$/.test(file.permissions))
      ) {
        return `cloudInit.writeFiles[${i}].permissions must be an octal string such as "0644"`;
      }
      if (file.encoding !== undefined && !['b64', 'gzip', 'gz+b64'].includes(file.encoding as string)) {
        return `cloudInit.writeFiles[${i}].encoding must be b64, gzip or gz+b64`;
      }
    }
  }
  return undefined;
}

function money(usd: number): string {
  return `$${usd.toFixed(2)}`;
}

export function createDeployment(core: SimCore, ctx: RequestContext): ApiResponse {
  const body = ctx.body;
  if (!isRecord(body)) {
    return fail(400, 'Validation error', 'Request body must be a JSON object');
  }
  const { teamId } = body;
  if (teamId === undefined || teamId === null || teamId === '') {
    return fail(
      400,
      'Team ID is required for authenticated deployments',
      'Team ID is required for authenticated deployments',
    );
  }
  const team = typeof teamId === 'string' ? core.state.team(teamId) : undefined;
  if (!team) {
    return fail(403, 'Forbidden', 'You do not have access to this team');
  }
  const missing = REQUIRED_FIELDS.filter((f) => body[f] === undefined || body[f] === null || body[f] === '');
  if (missing.length) {
    return fail(400, 'Missing required fields', `Missing required fields: ${missing.join(', ')}`);
  }
  for (const field of REQUIRED_FIELDS) {
    const expected = field === 'gpuCount' ? 'number' : 'string';
    if (typeof body[field] !== expected) {
      return fail(400, 'Validation error', `${field} must be a ${expected}`);
    }
  }
  const provider = body.provider as string;
  const offerId = body.offerId as string;
  const gpuType = body.gpuType as string;
  const gpuCount = body.gpuCount as number;
  const region = body.region as string;
  const operatingSystem = body.operatingSystem as string;
  const instanceType = body.instanceType as string;
  if (!Number.isInteger(gpuCount) || gpuCount < 0) {
    return fail(400, 'Validation error', 'gpuCount must be a non-negative integer');
  }

  const match: OfferMatch | undefined = core.catalogue.findOffer(provider, offerId);
  if (!match) {
    return fail(400, 'Invalid offer', `Offer ${offerId} was not found for provider ${provider}`);
  }
  const { group, offer } = match;
  const mismatches: string[] = [];
  if (gpuType !== group.gpuType) {
    mismatches.push(`gpuType ${gpuType} (offer: ${group.gpuType})`);
  }
  if (gpuCount !== offer.gpuCount) {
    mismatches.push(`gpuCount ${gpuCount} (offer: ${offer.gpuCount})`);
  }
  if (instanceType !== offer.instanceType) {
    mismatches.push(`instanceType ${instanceType} (offer: ${offer.instanceType})`);
  }
  if (mismatches.length) {
    return fail(
      400,
      'Offer mismatch',
      `The request does not match offer ${offerId}: ${mismatches.join('; ')}`,
    );
  }
  if (offer.maintenance) {
    return fail(
      400,
      'Offer unavailable',
      `Offer ${offerId} is under maintenance and cannot be deployed right now`,
    );
  }
  if (!offer.available) {
    return fail(400, 'Offer unavailable', `Offer ${offerId} is not available right now`);
  }
  if (!offer.clusters.includes(region)) {
    return fail(
      400,
      'Invalid region',
      `Region ${region} is not available for offer ${offerId}; available: ${offer.clusters.join(', ')}`,
    );
  }
  if (!offer.os_options.includes(operatingSystem)) {
    return fail(
      400,
      'Invalid operating system',
      `Operating system "${operatingSystem}" is not available for offer ${offerId}; available: ${offer.os_options.join(', ')}`,
    );
  }
  if (body.cloudInit !== undefined && body.cloudInit !== null) {
    if (!offer.supportsCloudInit) {
      return fail(
        400,
        'Cloud-init not supported',
        `Offer ${offerId} does not support startup scripts (cloudInit)`,
      );
    }
    const problem = cloudInitProblem(body.cloudInit);
    if (problem) {
      return fail(400, 'Validation error', problem);
    }
  }
  if (
    body.name !== undefined &&
    body.name !== null &&
    (typeof body.name !== 'string' || body.name.length > 100)
  ) {
    return fail(400, 'Validation error', 'name must be a string of at most 100 characters');
  }
  let addon: { version: string; authenticationConfigB64: string | null; costPerHour: number } | undefined;
  if (body.kubernetesAddon !== undefined && body.kubernetesAddon !== null) {
    const requested = body.kubernetesAddon;
    const offered = offer.extras?.kubernetes_addon;
    if (!offered || instanceType !== 'CLUSTER' || !sameProvider(provider, 'voltage-park')) {
      return fail(
        400,
        'Validation error',
        'The Kubernetes add-on is only available on Voltage Park H100 SXM5 clusters',
      );
    }
    // The OIDC configuration is optional (Voltage Park: "supplied during cluster creation or
    // updated later"); when sent it must be base64 text.
    const auth = isRecord(requested) ? requested.authentication_config_b64 : undefined;
    if (
      !isRecord(requested) ||
      typeof requested.version !== 'string' ||
      (auth !== undefined && (typeof auth !== 'string' || !BASE64.test(auth) || auth === ''))
    ) {
      return fail(
        400,
        'Validation error',
        'kubernetesAddon needs a version string, and authentication_config_b64 (when sent) as base64 text',
      );
    }
    if (!(KUBERNETES_VERSIONS as readonly string[]).includes(requested.version)) {
      return fail(
        400,
        'Validation error',
        `Kubernetes version ${requested.version} is not available; available: ${KUBERNETES_VERSIONS.join(', ')}`,
      );
    }
    addon = {
      version: requested.version,
      authenticationConfigB64: typeof auth === 'string' ? auth : null,
      costPerHour: offered.total_cost_per_hour,
    };
  }

  const { sshKeyId, ssh_public_key: sshPublicKey } = body;
  const hasKeyId = sshKeyId !== undefined && sshKeyId !== null && sshKeyId !== '';
  const hasPublicKey = sshPublicKey !== undefined && sshPublicKey !== null && sshPublicKey !== '';
  if (hasKeyId === hasPublicKey) {
    return fail(
      400,
      'Validation error',
      hasKeyId
        ? 'Send either sshKeyId or ssh_public_key, not both'
        : 'An SSH key is required: send sshKeyId or ssh_public_key',
    );
  }
  let ssh: Pick<DeploymentRecord, 'sshKeyId' | 'tempSshKeyId' | 'sshKeyName' | 'sshKeyFingerprint'>;
  if (hasKeyId) {
    const key = typeof sshKeyId === 'string' ? core.state.sshKeys.get(sshKeyId) : undefined;
    if (!key) {
      return fail(400, 'Invalid SSH key', `SSH key ${JSON.stringify(sshKeyId)} was not found`);
    }
    ssh = { sshKeyId: key.id, tempSshKeyId: null, sshKeyName: key.name, sshKeyFingerprint: key.fingerprint };
  } else {
    if (typeof sshPublicKey !== 'string') {
      return fail(400, 'Invalid SSH public key', 'ssh_public_key must be a string');
    }
    try {
      const parsed = parsePublicKey(sshPublicKey);
      ssh = {
        sshKeyId: null,
        tempSshKeyId: core.state.newId(ctx.nowMs),
        sshKeyName: null,
        sshKeyFingerprint: parsed.fingerprint,
      };
    } catch (error) {
      if (error instanceof PublicKeyError) {
        return fail(400, 'Invalid SSH public key', error.message);
      }
      throw error;
    }
  }

  const volumes: VolumeRecord[] = [];
  if (body.volumeIds !== undefined && body.volumeIds !== null) {
    if (!isStringArray(body.volumeIds)) {
      return fail(400, 'Validation error', 'volumeIds must be an array of volume ids');
    }
    for (const volumeId of body.volumeIds) {
      const volume = core.state.volumes.get(volumeId);
      if (!volume) {
        return fail(400, 'Invalid volume', `Volume ${volumeId} was not found`);
      }
      volumes.push(volume);
    }
  }

  // The add-on bills with the instance: its total_cost_per_hour on top of the offer's price.
  const hourlyRate = roundTo((offer.spot_price ?? offer.price) + (addon?.costPerHour ?? 0), 6);
  const minimumRuntime = offer.minimumRuntimeMinutes ?? core.config.minimumRuntimeMinutes;
  const needed = Math.max(MINIMUM_DEPLOYMENT_USD, (hourlyRate * minimumRuntime) / 60);
  if (team.balance < needed) {
    return fail(
      core.config.insufficientBalanceStatus,
      'Insufficient balance',
      `Insufficient balance: this deployment needs at least ${money(needed)} ` +
        `(minimum deployment ${money(MINIMUM_DEPLOYMENT_USD)}, ${minimumRuntime} minutes minimum runtime at ${money(hourlyRate)}/h); ` +
        `the team balance is ${money(team.balance)}.`,
      { code: 'INSUFFICIENT_BALANCE' },
    );
  }

  const record: DeploymentRecord = {
    id: core.state.newId(ctx.nowMs),
    teamId: team.id,
    name: typeof body.name === 'string' ? body.name : null,
    providerId: provider,
    gpuType: group.gpuType,
    offerId,
    operatingSystem,
    gpuCount,
    region,
    instanceType,
    ...ssh,
    assignedIp: core.state.newIp(),
    status: 'deploying',
    statusPinned: false,
    createdAtMs: ctx.nowMs,
    startedAtMs: null,
    stoppedAtMs: null,
    hourlyRate,
    originalHourlyRate: roundTo(offer.price + (addon?.costPerHour ?? 0), 6),
    vcpus: offer.vcpus,
    memory: offer.memory,
    storage: offer.storage,
    minimumRuntimeMinutes: offer.minimumRuntimeMinutes ?? null,
    billedSeconds: 0,
    billingFromMs: null,
    lastCreditDeductionMs: null,
    ...(addon
      ? {
          kubernetesAddon: {
            version: addon.version,
            clusterId: core.state.newClusterId(),
            authenticationConfigB64: addon.authenticationConfigB64,
            fault: null,
          },
        }
      : {}),
  };
  // Volumes attach at launch, so the "must be running" rule of the attach endpoint does not apply.
  for (const volume of volumes) {
    const problem = attachProblem(core, volume, record);
    if (problem) {
      return fail(400, 'Cannot attach volume', problem);
    }
  }
  if (volumes.length > 1 && volumes.some((v) => sameProvider(v.providerId, 'voltage-park'))) {
    return fail(400, 'Cannot attach volume', 'voltage-park allows only one volume per instance');
  }
  for (const volume of volumes) {
    volume.attachedToDeploymentIds.push(record.id);
  }
  core.state.deployments.set(record.id, record);
  return ok(wire(core, record, ctx.nowMs), 201);
}

export function listDeployments(core: SimCore, ctx: RequestContext): ApiResponse {
  const teamId = ctx.query.get('teamId');
  const status = ctx.query.get('status');
  const matchesStatus = (s: string): boolean => {
    if (!status) {
      return true;
    }
    if (status === 'active') {
      return ACTIVE.has(s);
    }
    if (status === 'inactive') {
      return INACTIVE.has(s);
    }
    return s === status;
  };
  const items = [...core.state.deployments.values()]
    .filter((d) => (!teamId || d.teamId === teamId) && matchesStatus(d.status))
    .sort((a, b) => b.createdAtMs - a.createdAtMs)
    .map((d) => wire(core, d, ctx.nowMs));
  return ok(core.config.listShape === 'wrapped' ? { data: items } : items);
}

export function getDeployment(core: SimCore, ctx: RequestContext): ApiResponse {
  const d = core.state.deployments.get(ctx.params.id);
  return d ? ok(wire(core, d, ctx.nowMs)) : notFound('Deployment');
}

export function renameDeployment(core: SimCore, ctx: RequestContext): ApiResponse {
  const d = core.state.deployments.get(ctx.params.id);
  if (!d) {
    return notFound('Deployment');
  }
  const body = ctx.body;
  if (!isRecord(body)) {
    return fail(400, 'Validation error', 'Request body must be a JSON object with a name');
  }
  const others = Object.keys(body).filter((k) => k !== 'name');
  if (others.length) {
    return fail(
      400,
      'Validation error',
      `Only the name of a deployment can be changed (not ${others.join(', ')}); terminate and redeploy to change anything else`,
    );
  }
  if (typeof body.name !== 'string' || body.name.trim() === '' || body.name.length > 100) {
    return fail(400, 'Validation error', 'name must be a non-empty string of at most 100 characters');
  }
  d.name = body.name;
  return ok(wire(core, d, ctx.nowMs));
}

function minimumRuntimeBody(minimumRuntime: number, timeRemaining: number): Record<string, unknown> {
  return {
    error: 'Minimum runtime not met',
    message: `Instance must run for at least ${minimumRuntime} minutes. Time remaining: ${timeRemaining} minutes.`,
    canTerminate: false,
    timeRemaining,
    minimumRuntime,
  };
}

export function terminateDeployment(core: SimCore, ctx: RequestContext): ApiResponse {
  const d = core.state.deployments.get(ctx.params.id);
  if (!d) {
    return notFound('Deployment');
  }
  if (d.status === 'terminated' || d.status === 'terminated-provider') {
    return fail(400, 'Cannot terminate instance', 'Instance has already been terminated.', {
      currentStatus: d.status,
      canTerminate: false,
    });
  }
  // A failed deployment never ran: it may be cleaned up at once.
  if (d.status !== 'failed') {
    const check = core.state.runtimeCheck(d, ctx.nowMs);
    if (!check.met) {
      return { status: 400, body: minimumRuntimeBody(check.minimumRuntime, check.timeRemaining) };
    }
  }
  core.state.setStatus(d, 'terminated', ctx.nowMs, false);
  return ok({
    message: 'Instance destruction initiated',
    deployment: {
      ...idProp(core.config, d.id),
      status: 'terminated',
      stoppedAt: new Date(d.stoppedAtMs ?? ctx.nowMs).toISOString(),
    },
  });
}

export function canTerminate(core: SimCore, ctx: RequestContext): ApiResponse {
  const d = core.state.deployments.get(ctx.params.id);
  if (!d) {
    return notFound('Deployment');
  }
  const check = core.state.runtimeCheck(d, d.stoppedAtMs ?? ctx.nowMs);
  const runtime = Math.floor(check.elapsedMinutes);
  if (d.status === 'terminated' || d.status === 'terminated-provider') {
    return ok({
      canTerminate: false,
      runtime,
      minimumRuntime: check.minimumRuntime,
      timeRemaining: 0,
      reason: 'Instance has already been terminated',
    });
  }
  if (d.status === 'failed' || check.met) {
    return ok({ canTerminate: true, runtime, minimumRuntime: check.minimumRuntime, timeRemaining: 0 });
  }
  return ok({
    canTerminate: false,
    runtime,
    minimumRuntime: check.minimumRuntime,
    timeRemaining: check.timeRemaining,
    reason: 'Minimum runtime not met',
  });
}
