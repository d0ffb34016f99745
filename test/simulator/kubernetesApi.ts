// The Kubernetes add-on's endpoints (contract §4.13): versions per provider, and the health of a
// Voltage Park cluster. The contract calls the cluster id a UUID without saying where it comes
// from; here a create with `kubernetesAddon` mints one and the deployment reports it as
// `kubernetesAddon.clusterId`. Health follows the deployment's lifecycle on the simulated clock.
import type { SimCore } from './core';
import type { ApiResponse, RequestContext } from './http';
import { fail, notFound, ok } from './http';
import { TERMINAL_STATUSES, type DeploymentRecord } from './state';
import { sameProvider } from './realWorld';

/** Versions the simulated Voltage Park offers, newest first. */
export const KUBERNETES_VERSIONS = ['1.35', '1.34'] as const;
const ADDON_PROVIDER = 'voltage-park';

export function listKubernetesVersions(_core: SimCore, ctx: RequestContext): ApiResponse {
  const provider = ctx.query.get('provider');
  if (!provider) {
    return fail(400, 'Validation error', 'provider is required');
  }
  const versions = sameProvider(provider, ADDON_PROVIDER)
    ? KUBERNETES_VERSIONS.map((version) => ({ version, available: true }))
    : [];
  return ok({ versions });
}

function component(healthy: number, total: number) {
  return { healthy, total, status: healthy === total ? 'healthy' : healthy === 0 ? 'unhealthy' : 'degraded' };
}

/** The add-on's deployment by its cluster id. */
export function findCluster(core: SimCore, clusterId: string): DeploymentRecord | undefined {
  return [...core.state.deployments.values()].find((d) => d.kubernetesAddon?.clusterId === clusterId);
}

/**
 * The cluster's health on the simulated clock: `provisioning` while the machine deploys and for
 * `kubernetesReadySeconds` after it runs, then `healthy`; an injected fault makes it `degraded`
 * (one worker down) or `unavailable` (control plane down). A stopped machine is `unavailable`.
 * Once the deployment has ended the cluster is gone: 404, as for an id that never existed.
 */
export function clusterHealth(core: SimCore, ctx: RequestContext): ApiResponse {
  const deployment = findCluster(core, ctx.params.id);
  const addon = deployment?.kubernetesAddon;
  if (!deployment || !addon || TERMINAL_STATUSES.has(deployment.status)) {
    return notFound('Cluster');
  }
  const workersTotal = Math.max(1, deployment.gpuCount);
  const readyAtMs =
    deployment.startedAtMs === null
      ? undefined
      : deployment.startedAtMs + core.config.kubernetesReadySeconds * 1000;
  let overallHealth: string;
  let controlPlane: number;
  let workers: number;
  let network: number;
  if (deployment.status === 'running' && readyAtMs !== undefined && ctx.nowMs >= readyAtMs) {
    overallHealth = addon.fault ?? 'healthy';
    controlPlane = addon.fault === 'unavailable' ? 0 : 1;
    workers =
      addon.fault === 'degraded' ? workersTotal - 1 : addon.fault === 'unavailable' ? 0 : workersTotal;
    network = addon.fault === 'unavailable' ? 0 : 2;
  } else if (deployment.status === 'deploying' || deployment.status === 'running') {
    overallHealth = 'provisioning';
    controlPlane = deployment.status === 'running' ? 1 : 0;
    workers = 0;
    network = 0;
  } else {
    overallHealth = 'unavailable';
    controlPlane = 0;
    workers = 0;
    network = 0;
  }
  return ok({
    health: {
      controlPlaneNodes: component(controlPlane, 1),
      workerNodes: component(workers, workersTotal),
      networkComponents: component(network, 2),
      overallHealth,
    },
  });
}
