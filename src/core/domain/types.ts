// Our own domain types, used by every layer and the webviews. API payloads are validated by zod
// (api/schemas.ts) and then mapped to these (api/normalize.ts); nothing outside src/core/api sees
// the wire shapes. The client's interface is api/spheronApi.ts.

/** Instance types the API documents. Offers and deployments keep unknown strings verbatim. */
export const KNOWN_INSTANCE_TYPES = ['SPOT', 'DEDICATED', 'CLUSTER'] as const;
export type KnownInstanceType = (typeof KNOWN_INSTANCE_TYPES)[number];

export interface Offer {
  /** Provider slug, echoed back verbatim on create. */
  readonly provider: string;
  readonly offerId: string;
  /** The group's gpuType (e.g. `H100_SXM5`), echoed back verbatim on create. */
  readonly gpuType: string;
  /** Human name of the GPU model, from the group (e.g. `H100 SXM5`). */
  readonly gpuDisplayName: string;
  readonly name: string;
  readonly description: string;
  readonly gpuCount: number;
  /** VRAM per GPU in GB (`gpu_memory`); undefined when the API did not say. */
  readonly vramGbPerGpu: number | undefined;
  /** Undefined when the API did not say (as for the other sizes). */
  readonly vcpus: number | undefined;
  readonly memoryGb: number | undefined;
  readonly storageGb: number | undefined;
  /** USD per hour for the whole instance (all GPUs). */
  readonly pricePerHour: number;
  /** Present on spot offers. */
  readonly spotPricePerHour: number | undefined;
  /** Price before a team discount, when the API reports one. */
  readonly originalPricePerHour: number | undefined;
  readonly available: boolean;
  readonly maintenance: boolean;
  /** Region ids (`clusters`), opaque, sent back verbatim as `region` on create. */
  readonly regions: readonly string[];
  /** OS choices (`os_options`), provider-specific free text, sent back verbatim. */
  readonly osOptions: readonly string[];
  /** `SPOT` | `DEDICATED` | `CLUSTER`, or an unknown string kept verbatim. */
  readonly instanceType: string;
  readonly interconnectType: string | undefined;
  readonly supportsCloudInit: boolean;
  readonly minimumRuntimeMinutes: number | undefined;
  /** Units the provider reports available, when it says. */
  readonly unitsAvailable: number | undefined;
  /** The Kubernetes add-on this offer can carry (`extras.kubernetes_addon`); absent when it cannot. */
  readonly kubernetesAddon?: OfferKubernetesAddon;
}

/** The add-on an offer carries: Voltage Park H100 SXM5 clusters only (contract §4.2, §4.13). */
export interface OfferKubernetesAddon {
  /** The version the offer names (`1.35`). */
  readonly version: string;
  /** USD per hour on top of the offer's price (`total_cost_per_hour`). */
  readonly totalCostPerHour: number;
}

export interface OfferGroup {
  readonly gpuType: string;
  readonly gpuModel: string;
  readonly displayName: string;
  readonly popularity: number;
  readonly totalAvailable: number;
  readonly lowestPrice: number;
  readonly highestPrice: number;
  readonly averagePrice: number;
  readonly providers: readonly string[];
  readonly offers: readonly Offer[];
}

export interface OfferPage {
  readonly groups: readonly OfferGroup[];
  /** Offers on this page that could not be used (each reason is logged). */
  readonly rejected: number;
  /** Number of GPU-model groups (not offers) across all pages. */
  readonly totalGroups: number;
  readonly page: number;
  readonly limit: number;
  readonly totalPages: number;
}

export type OfferSortBy = 'popularity' | 'lowestPrice' | 'highestPrice' | 'averagePrice';

export interface OfferQuery {
  readonly search?: string;
  readonly instanceType?: KnownInstanceType;
  readonly sortBy?: OfferSortBy;
  readonly sortOrder?: 'asc' | 'desc';
}

export interface OfferCatalogue {
  readonly groups: readonly OfferGroup[];
  /** Offers the API sent that could not be used (each reason is logged). */
  readonly rejected: number;
  readonly totalGroups: number;
  /** HTTP requests it took to load every page. */
  readonly requests: number;
  /** Epoch ms when the last page arrived. */
  readonly fetchedAtMs: number;
}

export const KNOWN_DEPLOYMENT_STATUSES = [
  'deploying',
  'running',
  'stopped',
  'failed',
  'terminated',
  'terminated-provider',
] as const;
export type KnownDeploymentStatus = (typeof KNOWN_DEPLOYMENT_STATUSES)[number];
/** `unknown` keeps a status the API sent that we do not know; the raw text is in `rawStatus`. */
export type DeploymentStatus = KnownDeploymentStatus | 'unknown';

export interface Deployment {
  readonly id: string;
  readonly name: string | null;
  /** Empty when the API did not say (as for gpuType, region and instanceType). */
  readonly provider: string;
  readonly gpuType: string;
  /** Null when the API did not say (as for the sizes below). */
  readonly gpuCount: number | null;
  readonly region: string;
  readonly instanceType: string;
  readonly operatingSystem: string | null;
  readonly offerId: string | null;
  readonly status: DeploymentStatus;
  /** The status string exactly as the API sent it. */
  readonly rawStatus: string;
  readonly ipAddress: string | null;
  /** SSH login user: the API's `user`, else the one in its `sshCommand`; null when neither says. */
  readonly sshUser: string | null;
  /** The API's `sshPort`, else the one in its `sshCommand`; null when neither says. */
  readonly sshPort: number | null;
  readonly sshCommand: string | null;
  readonly sshKeyId: string | null;
  readonly createdAtMs: number | null;
  readonly startedAtMs: number | null;
  readonly stoppedAtMs: number | null;
  /** USD accrued so far, as the API reports it. */
  readonly totalCost: number;
  /** USD per hour after any discount. */
  readonly hourlyRate: number;
  readonly originalHourlyRate: number;
  readonly vcpus: number | null;
  readonly memoryGb: number | null;
  readonly storageGb: number | null;
  /** The deployment's Kubernetes add-on (`kubernetesAddon`); absent when it has none. */
  readonly kubernetesAddon?: DeploymentKubernetesAddon;
}

/** The add-on as a deployment reports it (contract §4.5: `{version, kubeconfig?, …}`). */
export interface DeploymentKubernetesAddon {
  /** Undefined when the API did not say. */
  readonly version: string | undefined;
  /**
   * The id `GET /api/kubernetes/{clusterId}/health` takes. The contract does not say where it
   * comes from; undefined when the add-on names none.
   */
  readonly clusterId: string | undefined;
  /**
   * The cluster's kubeconfig as YAML, when the API hands it out (contract §4.13:
   * `kubernetesAddon.kubeconfig`, optional). It holds the cluster's credentials: never logged or shown.
   */
  readonly kubeconfig?: string;
}

/**
 * A list as read from the API: the usable items, plus how many items it sent that could not be
 * used (each reason is logged). A plain array otherwise, so callers that need only the items (and
 * test doubles that return plain arrays) see one.
 */
export type ReadList<T> = T[] & { readonly rejected?: number };

/** How many items a list left out; 0 for a plain array. */
export function rejectedCount(list: readonly unknown[]): number {
  const rejected = (list as Partial<ReadList<unknown>>).rejected;
  return typeof rejected === 'number' ? rejected : 0;
}

export interface CloudInit {
  readonly packages?: readonly string[];
  readonly runcmd?: readonly string[];
  readonly writeFiles?: readonly {
    readonly path: string;
    readonly content: string;
    readonly owner?: string;
    readonly permissions?: string;
    readonly encoding?: 'b64' | 'gzip' | 'gz+b64';
  }[];
}

/** All six offer-coupled fields must come from one offer entry. */
export interface CreateDeploymentRequest {
  readonly provider: string;
  readonly offerId: string;
  readonly gpuType: string;
  readonly gpuCount: number;
  readonly region: string;
  readonly operatingSystem: string;
  readonly instanceType: string;
  readonly teamId: string;
  readonly name?: string;
  readonly sshKeyId?: string;
  readonly sshPublicKey?: string;
  readonly cloudInit?: CloudInit;
  readonly volumeIds?: readonly string[];
  /** Sent as `kubernetesAddon: {version, authentication_config_b64?}`; cluster offers with the add-on only. */
  readonly kubernetesAddon?: KubernetesAddonRequest;
}

export interface KubernetesAddonRequest {
  readonly version: string;
  /** Base64 of a Kubernetes AuthenticationConfiguration (OIDC), when the user gives one. */
  readonly authenticationConfigB64?: string;
}

export interface TerminateResult {
  readonly id: string;
  /** True when the API said the deployment was already terminated (treated as success). */
  readonly alreadyTerminated: boolean;
  readonly status: DeploymentStatus;
  readonly stoppedAtMs: number | null;
}

export interface CanTerminate {
  readonly canTerminate: boolean;
  readonly runtimeMinutes: number | undefined;
  readonly minimumRuntimeMinutes: number | undefined;
  readonly timeRemainingMinutes: number;
  readonly reason: string | undefined;
}

export interface SshKey {
  readonly id: string;
  readonly name: string;
  readonly fingerprint: string | null;
  readonly publicKey: string | null;
  readonly createdAtMs: number | null;
}

export const KNOWN_VOLUME_STATUSES = ['available', 'attached', 'deleting', 'deleted'] as const;
export type KnownVolumeStatus = (typeof KNOWN_VOLUME_STATUSES)[number];
export type VolumeStatus = KnownVolumeStatus | 'unknown';

export interface Volume {
  readonly id: string;
  /** The provider-side id, when the API reports one. */
  readonly providerVolumeId: string | null;
  readonly name: string;
  readonly provider: string;
  readonly region: string | null;
  readonly sizeGb: number;
  readonly usedBytes: number;
  readonly status: VolumeStatus;
  readonly rawStatus: string;
  /** USD per GB per hour. */
  readonly hourlyRatePerGb: number;
  readonly attachedDeploymentIds: readonly string[];
  readonly createdAtMs: number | null;
}

export interface CreateVolumeRequest {
  readonly name: string;
  readonly sizeGb: number;
  readonly provider: string;
  readonly region?: string;
  readonly cloudId?: string;
  readonly deploymentId?: string;
  readonly teamId?: string;
}

export interface UpdateVolumeRequest {
  readonly name?: string;
  readonly sizeGb?: number;
}

export interface VolumeRegion {
  readonly id: string;
  readonly name: string;
  readonly hasGpuOffers: boolean;
  readonly minSizeGb: number;
  readonly maxSizeGb: number;
  readonly hourlyRatePerGb: number;
}

export interface VolumeRegions {
  readonly hasAnyOffers: boolean;
  readonly regions: readonly VolumeRegion[];
}

export interface VolumePricing {
  readonly provider: string;
  readonly hourlyRatePerGb: number;
}

export type TeamRole = 'owner' | 'admin' | 'member' | 'unknown';

export interface TeamBalance {
  readonly teamId: string;
  readonly teamName: string;
  /** USD. */
  readonly balance: number;
  readonly isCurrentTeam: boolean;
  readonly role: TeamRole;
}

export interface Balance {
  readonly teams: readonly TeamBalance[];
  readonly currency: string;
}

export interface Team {
  readonly id: string;
  readonly name: string;
  readonly role: TeamRole;
  readonly isCurrentTeam: boolean | undefined;
  readonly balance: number | undefined;
}

// The Kubernetes add-on (contract §4.13).

export interface KubernetesVersion {
  readonly version: string;
  readonly available: boolean;
}

export interface ClusterComponentHealth {
  readonly healthy: number | undefined;
  readonly total: number | undefined;
  readonly status: string;
}

export interface ClusterHealth {
  /** `healthy`, `degraded`, `unhealthy`, or what the API said. */
  readonly overall: string;
  readonly controlPlane: ClusterComponentHealth | undefined;
  readonly workers: ClusterComponentHealth | undefined;
  readonly network: ClusterComponentHealth | undefined;
}
