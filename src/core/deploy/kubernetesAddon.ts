// The Kubernetes add-on on a new deployment: which offers can carry it, what it adds to the price,
// and the create field. Only Cluster instances support it, and only on Voltage Park H100 SXM5
// (contract §4.2, §4.13); the offers that qualify say so with `extras.kubernetes_addon`.
import type { KubernetesAddonRequest, Offer, OfferKubernetesAddon } from '../domain/types';

/** What the user chose: a version from `GET /api/kubernetes/versions`, and optionally OIDC. */
export interface KubernetesAddonChoice {
  readonly version: string;
  /** Base64 of a Kubernetes AuthenticationConfiguration; without it the cluster uses its own credentials. */
  readonly authenticationConfigB64?: string;
}

/** The add-on was asked for where it cannot be had, or in a form the API would refuse. */
export class KubernetesAddonError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'KubernetesAddonError';
  }
}

const VERSION = /^\d+\.\d+(?:\.\d+)?$/;
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** The offer's add-on when it is a cluster offer that carries one; undefined otherwise. */
export function offerKubernetesAddon(
  offer: Pick<Offer, 'instanceType' | 'kubernetesAddon'>,
): OfferKubernetesAddon | undefined {
  return offer.instanceType === 'CLUSTER' ? offer.kubernetesAddon : undefined;
}

/** Why `choice` cannot go with `offer`, in the user's words; undefined when it can. */
export function kubernetesAddonProblem(
  offer: Pick<Offer, 'instanceType' | 'kubernetesAddon' | 'name' | 'offerId'>,
  choice: KubernetesAddonChoice,
): string | undefined {
  if (!offerKubernetesAddon(offer)) {
    return offer.instanceType === 'CLUSTER'
      ? `The offer “${offer.name || offer.offerId}” does not offer the Kubernetes add-on. Only Voltage Park H100 SXM5 clusters do.`
      : `The Kubernetes add-on needs a Cluster instance; “${offer.name || offer.offerId}” is ${offer.instanceType || 'of an unknown type'}. Only Voltage Park H100 SXM5 clusters offer it.`;
  }
  if (!VERSION.test(choice.version)) {
    return `“${choice.version}” is not a Kubernetes version (expected something like 1.35).`;
  }
  const auth = choice.authenticationConfigB64;
  if (auth !== undefined && (auth === '' || !BASE64.test(auth))) {
    return 'The authentication configuration must be base64 text (of a Kubernetes AuthenticationConfiguration).';
  }
  return undefined;
}

/** The create field for `choice`; throws KubernetesAddonError when the offer cannot carry it. */
export function kubernetesAddonRequest(
  offer: Pick<Offer, 'instanceType' | 'kubernetesAddon' | 'name' | 'offerId'>,
  choice: KubernetesAddonChoice,
): KubernetesAddonRequest {
  const problem = kubernetesAddonProblem(offer, choice);
  if (problem !== undefined) {
    throw new KubernetesAddonError(problem);
  }
  return {
    version: choice.version,
    ...(choice.authenticationConfigB64 !== undefined
      ? { authenticationConfigB64: choice.authenticationConfigB64 }
      : {}),
  };
}

/**
 * USD per hour for the offer, with the add-on's `total_cost_per_hour` added when it is chosen.
 * An offer without the add-on costs its own price whatever `withAddon` says.
 */
export function pricePerHourWithAddon(
  offer: Pick<Offer, 'pricePerHour' | 'instanceType' | 'kubernetesAddon'>,
  withAddon: boolean,
): number {
  const addon = withAddon ? offerKubernetesAddon(offer) : undefined;
  return offer.pricePerHour + (addon?.totalCostPerHour ?? 0);
}
