// `--profile real-world`: answers shaped like what public sources show the live API sending, which
// the default profile never does (contract §9.2 and issue 14): deployments without instanceType,
// vcpus, memory or storage, with `deploymentId` instead of `id` and an sshCommand but no `user`;
// offers with the old provider spellings, lower-case gpuTypes, a spot_price on DEDICATED offers
// and team-discount prices; volumes that are deleting or deleted; plain-text error bodies; and
// 429s without any hint of when to retry.
import { roundTo } from './catalogue';
import type { ApiResponse } from './http';
import type { VolumeRecord } from './state';
import type { WireDeployment, WireOffer, WireOfferGroup } from './types';

export type SimulatorProfile = 'default' | 'real-world';
export const SIMULATOR_PROFILES: readonly SimulatorProfile[] = ['default', 'real-world'];

/** Older docs' provider slugs, as some live payloads still spell them. */
const OLD_SPELLINGS: Readonly<Record<string, string>> = {
  'voltage-park': 'voltagepark',
  'data-crunch': 'datacrunch',
};

function realWorldOffer(offer: WireOffer, index: number): WireOffer {
  const provider = OLD_SPELLINGS[offer.provider] ?? offer.provider;
  const changed: Record<string, unknown> = { ...offer, provider };
  if (offer.instanceType === 'DEDICATED' && offer.spot_price === undefined) {
    changed['spot_price'] = roundTo(offer.price * 0.6, 2);
  }
  if (index % 3 === 0) {
    // A team discount: `price` stays what the instance bills, as the client reads discountedPrice.
    changed['originalPrice'] = roundTo(offer.price / 0.9, 4);
    changed['discountedPrice'] = offer.price;
  }
  return changed as unknown as WireOffer;
}

/** Every other group's gpuType in lower case (docs examples use `rtx-4090`). */
export function realWorldGroups(groups: readonly WireOfferGroup[]): WireOfferGroup[] {
  return groups.map((group, groupIndex) => ({
    ...group,
    gpuType: groupIndex % 2 === 1 ? group.gpuType.toLowerCase() : group.gpuType,
    providers: group.providers.map((provider) => OLD_SPELLINGS[provider] ?? provider),
    offers: group.offers.map(realWorldOffer),
  }));
}

/** Whether two provider slugs name the same provider, whichever spelling each uses. */
export function sameProvider(a: string, b: string): boolean {
  return (OLD_SPELLINGS[a] ?? a) === (OLD_SPELLINGS[b] ?? b);
}

/** A deployment as public create/get examples show it. */
export function realWorldDeployment(wire: WireDeployment): Record<string, unknown> {
  const {
    instanceType: _instanceType,
    vcpus: _vcpus,
    memory: _memory,
    storage: _storage,
    user,
    sshPort,
    ...rest
  } = wire as WireDeployment & { id?: string; _id?: string };
  const record = rest as Record<string, unknown>;
  const id = record['id'] ?? record['_id'];
  delete record['id'];
  delete record['_id'];
  const ip = wire.ipAddress;
  return {
    deploymentId: id,
    ...record,
    sshPort,
    sshCommand: ip && user ? `ssh ${user}@${ip} -p ${sshPort ?? 22}` : null,
  };
}

/** Volumes the live list keeps showing for a while after a delete. */
export function realWorldVolumes(teamId: string, nowMs: number): VolumeRecord[] {
  const base = {
    teamId,
    region: 'FIN-01',
    usedCapacityBytes: 0,
    hourlyRate: 0.000274,
    attachedToDeploymentIds: [],
  };
  return [
    {
      ...base,
      id: '66f1c0ffee00000000000c71',
      volumeId: 'dc-vol-old-scratch',
      name: 'old-scratch',
      providerId: 'data-crunch',
      sizeInGb: 100,
      createdAtMs: nowMs - 40 * 86_400_000,
      status: 'deleted',
    },
    {
      ...base,
      id: '66f1c0ffee00000000000c72',
      volumeId: 'dc-vol-tmp',
      name: 'tmp-shards',
      providerId: 'data-crunch',
      sizeInGb: 50,
      createdAtMs: nowMs - 2 * 86_400_000,
      status: 'deleting',
    },
  ];
}

/**
 * Error answers as the live API sends many of them: plain text (the message only) unless the
 * body carries data a client needs (minimum runtime, current status), and 429 with no retry hint
 * (neither `retryAfter` nor `Retry-After`).
 */
export function realWorldError(response: ApiResponse): ApiResponse {
  if (response.status < 400 || response.text !== undefined || response.rawJson !== undefined) {
    return response;
  }
  if (response.status === 429) {
    return { status: 429, body: { error: 'Too many requests', code: 'RATE_LIMIT_EXCEEDED' } };
  }
  // The API's own 403 is JSON; a plain-text 403 is the firewall's (requireUserAgent sends that).
  if (response.status === 403) {
    return response;
  }
  const body = response.body;
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return response;
  }
  const fields = body as Record<string, unknown>;
  if (Object.keys(fields).some((key) => key !== 'error' && key !== 'message' && key !== 'code')) {
    return response;
  }
  const words = [fields['message'], fields['error']].find(
    (value): value is string => typeof value === 'string' && value !== '',
  );
  return words === undefined
    ? response
    : { status: response.status, text: words, headers: response.headers ?? {} };
}
