// The public API route table. Patterns use `:id` for one path segment; literal routes come before
// parameterised ones so `/api/volumes/pricing` is not read as a volume id.
import * as account from './accountApi';
import type { SimCore } from './core';
import * as deployments from './deploymentsApi';
import type { ApiResponse, RequestContext } from './http';
import * as kubernetes from './kubernetesApi';
import * as offers from './offersApi';
import * as volumes from './volumesApi';

export interface Route {
  readonly method: string;
  readonly pattern: string;
  /** False for the two public endpoints. */
  readonly auth: boolean;
  readonly handler: (core: SimCore, ctx: RequestContext) => ApiResponse;
}

export const ROUTES: readonly Route[] = [
  { method: 'GET', pattern: '/api/providers', auth: false, handler: offers.listProviders },
  { method: 'GET', pattern: '/api/gpu-offers', auth: false, handler: offers.listGpuOffers },
  { method: 'POST', pattern: '/api/deployments', auth: true, handler: deployments.createDeployment },
  { method: 'GET', pattern: '/api/deployments', auth: true, handler: deployments.listDeployments },
  { method: 'GET', pattern: '/api/deployments/:id', auth: true, handler: deployments.getDeployment },
  { method: 'PATCH', pattern: '/api/deployments/:id', auth: true, handler: deployments.renameDeployment },
  { method: 'DELETE', pattern: '/api/deployments/:id', auth: true, handler: deployments.terminateDeployment },
  {
    method: 'GET',
    pattern: '/api/deployments/:id/can-terminate',
    auth: true,
    handler: deployments.canTerminate,
  },
  { method: 'GET', pattern: '/api/ssh-keys', auth: true, handler: account.listSshKeys },
  { method: 'POST', pattern: '/api/ssh-keys', auth: true, handler: account.createSshKey },
  { method: 'GET', pattern: '/api/ssh-keys/:id', auth: true, handler: account.getSshKey },
  { method: 'DELETE', pattern: '/api/ssh-keys/:id', auth: true, handler: account.deleteSshKey },
  { method: 'GET', pattern: '/api/volumes/pricing', auth: true, handler: volumes.volumePricing },
  { method: 'GET', pattern: '/api/volumes/regions', auth: true, handler: volumes.volumeRegions },
  { method: 'GET', pattern: '/api/volumes', auth: true, handler: volumes.listVolumes },
  { method: 'POST', pattern: '/api/volumes', auth: true, handler: volumes.createVolume },
  { method: 'GET', pattern: '/api/volumes/:id', auth: true, handler: volumes.getVolume },
  { method: 'PATCH', pattern: '/api/volumes/:id', auth: true, handler: volumes.updateVolume },
  { method: 'DELETE', pattern: '/api/volumes/:id', auth: true, handler: volumes.deleteVolume },
  { method: 'POST', pattern: '/api/volumes/:id/attach', auth: true, handler: volumes.attachVolume },
  { method: 'POST', pattern: '/api/volumes/:id/detach', auth: true, handler: volumes.detachVolume },
  { method: 'GET', pattern: '/api/balance', auth: true, handler: account.getBalance },
  { method: 'GET', pattern: '/api/teams', auth: true, handler: account.listTeams },
  {
    method: 'GET',
    pattern: '/api/kubernetes/versions',
    auth: true,
    handler: kubernetes.listKubernetesVersions,
  },
  { method: 'GET', pattern: '/api/kubernetes/:id/health', auth: true, handler: kubernetes.clusterHealth },
];

/** `METHOD /pattern` of every route: what faults and the request log use. */
export const ROUTE_KEYS: ReadonlySet<string> = new Set(ROUTES.map((r) => `${r.method} ${r.pattern}`));

export interface RouteMatch<R extends { readonly method: string; readonly pattern: string }> {
  readonly route: R;
  readonly params: Record<string, string>;
}

/** Matches `pathname` against `routes` in order; `:name` segments capture (URL-decoded). */
export function matchRoute<R extends { readonly method: string; readonly pattern: string }>(
  routes: readonly R[],
  method: string,
  pathname: string,
): RouteMatch<R> | undefined {
  const parts = pathname.replace(/\/+$/, '').split('/');
  for (const route of routes) {
    if (route.method !== method) {
      continue;
    }
    const pattern = route.pattern.split('/');
    if (pattern.length !== parts.length) {
      continue;
    }
    const params: Record<string, string> = {};
    let matched = true;
    for (let i = 0; i < pattern.length && matched; i++) {
      if (pattern[i].startsWith(':')) {
        let value: string;
        try {
          value = decodeURIComponent(parts[i]);
        } catch {
          value = parts[i];
        }
        params[pattern[i].slice(1)] = value;
        matched = parts[i] !== '';
      } else {
        matched = pattern[i] === parts[i];
      }
    }
    if (matched) {
      return { route, params };
    }
  }
  return undefined;
}
