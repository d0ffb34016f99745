// contextValue = `base+flag+flag`, flags sorted, computed only here. package.json menus match
// with anchored regexes that do not depend on flag order, and always also test `view ==`.
//
// The `when` clauses, exactly as they go into package.json (`MENU_WHEN` holds the same strings):
//
//   connect / open SSH / copy SSH command, forward ports
//     "view == spheron.instances && viewItem =~ /^spheron\\.instance\\b.*\\+connectable\\b/"
//   terminate now
//     "view == spheron.instances && viewItem =~ /^spheron\\.instance\\b.*\\+terminable\\b/"
//   terminate when allowed (not yet scheduled)
//     "view == spheron.instances && viewItem =~ /^spheron\\.instance\\b(?=.*\\+terminable\\b)(?!.*\\+scheduledTerminate\\b)/"
//   cancel scheduled termination
//     "view == spheron.instances && viewItem =~ /^spheron\\.instance\\b.*\\+scheduledTerminate\\b/"
//   rename
//     "view == spheron.instances && viewItem =~ /^spheron\\.instance\\b.*\\+renamable\\b/"
//   add to kubeconfig (a reachable cluster with the Kubernetes add-on)
//     "view == spheron.instances && viewItem =~ /^spheron\\.instance\\b(?=.*\\+connectable\\b)(?=.*\\+kubernetes\\b)/"
//   stop / open tunnel in browser
//     "view == spheron.instances && viewItem =~ /^spheron\\.tunnel\\b.*\\+open\\b/"
//   deploy (maintenance offers never carry `deployable`)
//     "view == spheron.offers && viewItem =~ /^spheron\\.offer\\b.*\\+deployable\\b/"
//   attach volume
//     "view == spheron.volumes && viewItem =~ /^spheron\\.volume\\b.*\\+detached\\b/"
//   detach volume
//     "view == spheron.volumes && viewItem =~ /^spheron\\.volume\\b.*\\+attached\\b/"
//   delete volume
//     "view == spheron.volumes && viewItem =~ /^spheron\\.volume\\b.*\\+deletable\\b/"
//   sign in / retry on error rows (any view)
//     "view =~ /^spheron\\./ && viewItem =~ /^spheron\\.error\\b.*\\+signIn\\b/"
//     "view =~ /^spheron\\./ && viewItem =~ /^spheron\\.error\\b.*\\+retry\\b/"
//
// `\b` after the base keeps `spheron.offer` from matching `spheron.offerGroup`.

import type { Deployment, Offer, Volume } from '../domain/types';
import {
  instanceStatusFlag,
  instanceTypeFlag,
  hasKubernetesAddon,
  isConnectable,
  isEnded,
  isSpot,
  isVolumeAttached,
  isVolumeUnattachedBilling,
} from './classify';
import type { ErrorFix, TunnelPhase } from './nodes';

export const CONTEXT_BASE = {
  offerGroup: 'spheron.offerGroup',
  offer: 'spheron.offer',
  instance: 'spheron.instance',
  tunnel: 'spheron.tunnel',
  volume: 'spheron.volume',
  error: 'spheron.error',
} as const;

export type ContextBase = (typeof CONTEXT_BASE)[keyof typeof CONTEXT_BASE];

/** What contextValueFor needs to know about a row. */
export type ContextSubject =
  | { readonly kind: 'offerGroup' }
  | { readonly kind: 'offer'; readonly offer: Pick<Offer, 'maintenance' | 'instanceType'> }
  | {
      readonly kind: 'instance';
      readonly deployment: Pick<Deployment, 'status' | 'ipAddress' | 'instanceType' | 'kubernetesAddon'>;
      /** A "terminate when allowed" is pending for this instance. */
      readonly scheduledTerminate: boolean;
    }
  | { readonly kind: 'tunnel'; readonly phase: TunnelPhase }
  | {
      readonly kind: 'volume';
      readonly volume: Pick<Volume, 'status' | 'attachedDeploymentIds' | 'hourlyRatePerGb' | 'sizeGb'>;
    }
  | { readonly kind: 'error'; readonly fix: ErrorFix; readonly stale: boolean };

function compose(base: ContextBase, flags: readonly (string | false | undefined)[]): string {
  const present = flags.filter((flag): flag is string => typeof flag === 'string' && flag.length > 0);
  const unique = [...new Set(present)].sort();
  return unique.length === 0 ? base : `${base}+${unique.join('+')}`;
}

export function contextValueFor(subject: ContextSubject): string {
  switch (subject.kind) {
    case 'offerGroup':
      return compose(CONTEXT_BASE.offerGroup, []);
    case 'offer':
      return compose(CONTEXT_BASE.offer, [
        subject.offer.maintenance ? 'maintenance' : 'deployable',
        instanceTypeFlag(subject.offer.instanceType),
      ]);
    case 'instance': {
      const { deployment } = subject;
      const ended = isEnded(deployment.status);
      return compose(CONTEXT_BASE.instance, [
        instanceStatusFlag(deployment.status),
        isConnectable(deployment) && 'connectable',
        !ended && 'terminable',
        !ended && 'renamable',
        ended && 'ended',
        isSpot(deployment.instanceType) && 'spot',
        !ended && hasKubernetesAddon(deployment) && 'kubernetes',
        subject.scheduledTerminate && 'scheduledTerminate',
      ]);
    }
    case 'tunnel':
      return compose(CONTEXT_BASE.tunnel, [subject.phase]);
    case 'volume': {
      const { volume } = subject;
      const attached = isVolumeAttached(volume);
      const settled = volume.status === 'available' || volume.status === 'attached';
      return compose(CONTEXT_BASE.volume, [
        settled && (attached ? 'attached' : 'detached'),
        !settled && volume.status,
        isVolumeUnattachedBilling(volume) && 'billing',
        volume.status === 'available' && !attached && 'deletable',
      ]);
    }
    case 'error':
      return compose(CONTEXT_BASE.error, [subject.fix, subject.stale && 'stale']);
  }
}

function escapeForRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * The regex source (without slashes) matching `base` with every `required` flag and none of
 * the `forbidden` ones, in any order.
 */
export function viewItemPattern(
  base: ContextBase,
  required: readonly string[],
  forbidden: readonly string[] = [],
): string {
  const head = `^${escapeForRegex(base)}\\b`;
  if (required.length === 1 && forbidden.length === 0) {
    return `${head}.*\\+${escapeForRegex(required[0] ?? '')}\\b`;
  }
  const ahead = required.map((flag) => `(?=.*\\+${escapeForRegex(flag)}\\b)`).join('');
  const notAhead = forbidden.map((flag) => `(?!.*\\+${escapeForRegex(flag)}\\b)`).join('');
  return `${head}${ahead}${notAhead}`;
}

/** A complete `when` clause for a tree item menu in `view`. */
export function itemWhen(
  view: 'spheron.offers' | 'spheron.instances' | 'spheron.volumes' | 'any',
  base: ContextBase,
  required: readonly string[],
  forbidden: readonly string[] = [],
): string {
  const viewTest = view === 'any' ? 'view =~ /^spheron\\./' : `view == ${view}`;
  return `${viewTest} && viewItem =~ /${viewItemPattern(base, required, forbidden)}/`;
}

/** The clauses listed at the top of this file, for package.json and its consistency test. */
export const MENU_WHEN = {
  instanceConnectable: itemWhen('spheron.instances', CONTEXT_BASE.instance, ['connectable']),
  instanceTerminable: itemWhen('spheron.instances', CONTEXT_BASE.instance, ['terminable']),
  instanceSchedulable: itemWhen(
    'spheron.instances',
    CONTEXT_BASE.instance,
    ['terminable'],
    ['scheduledTerminate'],
  ),
  instanceScheduled: itemWhen('spheron.instances', CONTEXT_BASE.instance, ['scheduledTerminate']),
  instanceRenamable: itemWhen('spheron.instances', CONTEXT_BASE.instance, ['renamable']),
  instanceKubeconfig: itemWhen('spheron.instances', CONTEXT_BASE.instance, ['connectable', 'kubernetes']),
  tunnelOpen: itemWhen('spheron.instances', CONTEXT_BASE.tunnel, ['open']),
  offerDeployable: itemWhen('spheron.offers', CONTEXT_BASE.offer, ['deployable']),
  volumeDetached: itemWhen('spheron.volumes', CONTEXT_BASE.volume, ['detached']),
  volumeAttached: itemWhen('spheron.volumes', CONTEXT_BASE.volume, ['attached']),
  volumeDeletable: itemWhen('spheron.volumes', CONTEXT_BASE.volume, ['deletable']),
  errorSignIn: itemWhen('any', CONTEXT_BASE.error, ['signIn']),
  errorRetry: itemWhen('any', CONTEXT_BASE.error, ['retry']),
} as const;
