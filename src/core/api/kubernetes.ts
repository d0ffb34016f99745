// The Kubernetes add-on's endpoints (contract §4.13), kept apart from the main schemas: versions
// for a provider, and a cluster's health. Tolerant where sources disagree: versions may come bare
// or wrapped, a component's counts may be missing, and an unknown health word is kept verbatim.
import * as z from 'zod/mini';
import type { ClusterComponentHealth, ClusterHealth, KubernetesVersion } from '../domain/types';
import { parseJsonBody, validate } from './normalize';

const versionSchema = z.union([
  z.string().check(z.minLength(1)),
  z.object({
    version: z.union([z.string().check(z.minLength(1)), z.number()]),
    available: z.optional(z.boolean()),
  }),
]);
const versionsSchema = z.union([
  z.array(versionSchema),
  z.object({ versions: z.array(versionSchema) }),
  z.object({ data: z.array(versionSchema) }),
]);

const count = z.optional(z.nullable(z.number().check(z.gte(0))));
const componentSchema = z.optional(
  z.nullable(z.object({ healthy: count, total: count, status: z.optional(z.nullable(z.string())) })),
);
const healthSchema = z.object({
  health: z.object({
    controlPlaneNodes: componentSchema,
    workerNodes: componentSchema,
    networkComponents: componentSchema,
    overallHealth: z.string().check(z.minLength(1)),
  }),
});

export function normalizeKubernetesVersions(endpoint: string, bodyText: string): KubernetesVersion[] {
  const wire = validate(endpoint, versionsSchema, parseJsonBody(endpoint, bodyText));
  const list = Array.isArray(wire) ? wire : 'versions' in wire ? wire.versions : wire.data;
  return list.map((item) =>
    typeof item === 'string'
      ? { version: item, available: true }
      : { version: String(item.version), available: item.available ?? true },
  );
}

function component(wire: z.output<typeof componentSchema>): ClusterComponentHealth | undefined {
  return wire
    ? { healthy: wire.healthy ?? undefined, total: wire.total ?? undefined, status: wire.status ?? 'unknown' }
    : undefined;
}

export function normalizeClusterHealth(endpoint: string, bodyText: string): ClusterHealth {
  const { health } = validate(endpoint, healthSchema, parseJsonBody(endpoint, bodyText));
  return {
    overall: health.overallHealth,
    controlPlane: component(health.controlPlaneNodes),
    workers: component(health.workerNodes),
    network: component(health.networkComponents),
  };
}

/** `healthy · control plane 3/3 · workers 7/8`, for the instance's tooltip and description. */
export function describeClusterHealth(health: ClusterHealth): string {
  const part = (label: string, value: ClusterComponentHealth | undefined) =>
    value?.healthy !== undefined && value.total !== undefined
      ? [`${label} ${value.healthy}/${value.total}`]
      : [];
  return [
    health.overall,
    ...part('control plane', health.controlPlane),
    ...part('workers', health.workers),
  ].join(' · ');
}
