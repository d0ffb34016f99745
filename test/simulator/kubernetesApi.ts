// The Kubernetes add-on's endpoints (contract §4.13): versions per provider, and the health of a
// Voltage Park cluster. The cluster id is the deployment's id here (the contract calls it a UUID
// without saying where it comes from); health follows the deployment's status.
import type { SimCore } from './core';
import type { ApiResponse, RequestContext } from './http';
import { fail, notFound, ok } from './http';
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

export function clusterHealth(core: SimCore, ctx: RequestContext): ApiResponse {
  const deployment = core.state.deployments.get(ctx.params.id);
  if (
    !deployment ||
    !sameProvider(deployment.providerId, ADDON_PROVIDER) ||
    deployment.instanceType !== 'CLUSTER'
  ) {
    return notFound('Cluster');
  }
  const running = deployment.status === 'running';
  const workers = running ? deployment.gpuCount : 0;
  return ok({
    health: {
      controlPlaneNodes: component(running ? 1 : 0, 1),
      workerNodes: component(workers, Math.max(1, deployment.gpuCount)),
      networkComponents: component(running ? 2 : 0, 2),
      overallHealth: running ? 'healthy' : deployment.status === 'deploying' ? 'provisioning' : 'unhealthy',
    },
  });
}
