// Public option/fault types of the simulator and the wire shapes it serves (contract §4).
// Wire field names are the contract's exactly, snake_case ones included.
import type { SimulatorProfile } from './realWorld';

export type InstanceType = 'SPOT' | 'DEDICATED' | 'CLUSTER';

export interface CatalogueSize {
  readonly groups: number;
  readonly offersPerGroup: number;
  /** PRNG seed; the same seed always gives the same catalogue. */
  readonly seed?: number;
}

export interface RateLimitOptions {
  /** Requests per window and key (per IP without a valid key); 0 disables. */
  readonly general?: number;
  /** `POST /api/deployments` per window and key; 0 disables. */
  readonly creates?: number;
  readonly windowSeconds?: number;
}

export interface SimulatorOptions {
  /** 0 (default) picks a free port. Always binds 127.0.0.1. */
  readonly port?: number;
  readonly apiKeys?: readonly string[];
  readonly catalogue?: 'seed' | CatalogueSize;
  readonly deployDelaySeconds?: number;
  readonly ipAssignDelaySeconds?: number;
  /** Simulated seconds from `running` until a Kubernetes add-on cluster reports healthy. */
  readonly kubernetesReadySeconds?: number;
  readonly minimumRuntimeMinutes?: number;
  readonly rateLimit?: RateLimitOptions;
  readonly insufficientBalanceStatus?: 400 | 402;
  /** Every deployment reports this `ipAddress` (null unsets). */
  readonly sshHost?: string | null;
  readonly sshPort?: number | null;
  readonly sshUser?: string | null;
  readonly listShape?: 'bare' | 'wrapped';
  readonly idField?: 'id' | '_id';
  /** Answer 403 to requests without a User-Agent (the live WAF quirk). Default true. */
  readonly requireUserAgent?: boolean;
  /** Seed the running and the terminated deployment. Default true; applies at start and on reset. */
  readonly seedDeployments?: boolean;
  /** `real-world`: answers shaped like what public sources show the live API sending (realWorld.ts). */
  readonly profile?: SimulatorProfile;
  /**
   * The real-time source the simulated clock adds its offset to (default `Date.now`). Programmatic only:
   * tests pass `() => fixedMs` to freeze time so billing and runtimes are exact.
   */
  readonly wallClock?: () => number;
}

/** Options after defaults; what the simulator actually runs with. */
export interface SimulatorConfig {
  readonly apiKeys: readonly string[];
  readonly catalogue: 'seed' | CatalogueSize;
  readonly deployDelaySeconds: number;
  readonly ipAssignDelaySeconds: number;
  readonly kubernetesReadySeconds: number;
  readonly minimumRuntimeMinutes: number;
  readonly rateLimit: Required<RateLimitOptions>;
  readonly insufficientBalanceStatus: 400 | 402;
  readonly sshHost: string | null;
  readonly sshPort: number | null;
  readonly sshUser: string | null;
  readonly listShape: 'bare' | 'wrapped';
  readonly idField: 'id' | '_id';
  readonly requireUserAgent: boolean;
  readonly seedDeployments: boolean;
  /** `real-world`: answers shaped like the live API's (realWorld.ts). */
  readonly profile: SimulatorProfile;
}

export interface Fault {
  /** A route pattern such as `GET /api/deployments/:id`, or `*` for every public API route. */
  readonly route: string;
  readonly status?: number;
  readonly body?: unknown;
  /** With `status`: answer this text as `text/plain` instead of a JSON body (live 400s, WAF pages). */
  readonly text?: string;
  /** Extra response headers for a `status` answer (e.g. `Retry-After`). */
  readonly headers?: Readonly<Record<string, string>>;
  readonly latencyMs?: number;
  readonly drop?: boolean;
  readonly badJson?: boolean;
  readonly wrongShape?: boolean;
  /** How many requests the fault hits; unlimited when absent. */
  readonly times?: number;
  /** Run the real handler first (state changes happen), then apply the fault to the answer. */
  readonly afterHandler?: boolean;
  /**
   * Answer with the fault's `status` or `drop` at once, and run the real handler (the commit) when
   * the simulated clock is this many seconds later: a create committed late, behind a failed answer.
   */
  readonly commitDelaySeconds?: number;
}

export interface RequestLogEntry {
  readonly method: string;
  /** Path with query string, as requested. */
  readonly path: string;
  /** The route pattern it matched (`GET /api/deployments/:id`), or method and path when none did. */
  readonly route: string;
  /** 0 when the connection was dropped without an answer. */
  readonly status: number;
  /** Simulated clock. */
  readonly atMs: number;
}

export interface RequestLogSnapshot {
  readonly total: number;
  readonly byRoute: Readonly<Record<string, number>>;
  readonly entries: readonly RequestLogEntry[];
}

// ---- wire shapes ----

export interface WireOfferExtras {
  readonly deployment_type?: 'vm' | 'cluster';
  readonly nvlink?: boolean;
  readonly kubernetes_addon?: { readonly version: string; readonly total_cost_per_hour: number };
  readonly technical?: { readonly units_available?: number; readonly availability_level?: string };
}

export interface WireOffer {
  readonly provider: string;
  readonly offerId: string;
  readonly name: string;
  readonly description: string;
  readonly vcpus: number;
  readonly memory: number;
  readonly storage: number;
  readonly gpuCount: number;
  readonly gpu_memory: number;
  readonly price: number;
  readonly spot_price?: number;
  readonly available: boolean;
  readonly maintenance: boolean;
  readonly clusters: readonly string[];
  readonly os_options: readonly string[];
  readonly instanceType: InstanceType;
  readonly interconnectType: string;
  readonly interconnectDescription: string;
  readonly supportsCloudInit: boolean;
  readonly minimumRuntimeMinutes?: number;
  readonly supportsPause?: boolean;
  readonly extras?: WireOfferExtras;
}

export interface WireOfferGroup {
  readonly gpuType: string;
  readonly gpuModel: string;
  readonly baseGpuType: string;
  readonly displayName: string;
  readonly interconnectVariants: readonly string[];
  readonly hasMultipleVariants: boolean;
  readonly popularity: number;
  readonly totalAvailable: number;
  readonly lowestPrice: number;
  readonly highestPrice: number;
  readonly averagePrice: number;
  readonly providers: readonly string[];
  readonly offers: readonly WireOffer[];
}

export interface WireOfferPage {
  readonly data: readonly WireOfferGroup[];
  readonly total: number;
  readonly page: number;
  readonly limit: number;
  readonly totalPages: number;
}

/** A deployment as served; `id` becomes `_id` when `idField` is `_id`. */
export interface WireDeployment {
  readonly id?: string;
  readonly _id?: string;
  readonly name: string | null;
  readonly providerId: string;
  readonly gpuModelId: string;
  readonly gpuType: string;
  readonly offerId: string;
  readonly operatingSystem: string;
  readonly gpuCount: number;
  readonly region: string;
  readonly instanceType: string;
  readonly sshKeyId: string | null;
  readonly tempSshKeyId: string | null;
  readonly sshKeyName: string | null;
  readonly sshKeyFingerprint: string | null;
  readonly ipAddress: string | null;
  readonly user: string | null;
  readonly status: string;
  readonly startedAt: string | null;
  readonly stoppedAt: string | null;
  readonly lastCreditDeduction: string | null;
  readonly totalCost: number;
  readonly hourlyRate: number;
  readonly originalHourlyRate: number;
  readonly discountPercentage: number;
  readonly hasDiscount: boolean;
  readonly vcpus: number;
  readonly memory: number;
  readonly storage: number;
  readonly sshCommand: string | null;
  readonly sshPort: number | null;
  readonly kubernetesAddon: {
    readonly version: string;
    readonly clusterId: string;
    readonly kubeconfig?: string;
  } | null;
  readonly createdAt: string;
}

export interface WireSshKey {
  readonly id?: string;
  readonly _id?: string;
  readonly name: string;
  readonly fingerprint: string;
  readonly publicKey: string;
  readonly createdAt: string;
}

export interface WireVolume {
  readonly id: string;
  readonly volumeId: string;
  readonly name: string;
  readonly providerId: string;
  /** Not in the contract's volume field list; served because the domain type reads it when present. */
  readonly region: string;
  readonly sizeInGb: number;
  readonly usedCapacityBytes: number;
  readonly status: string;
  readonly hourlyRate: number;
  readonly attachedToDeploymentIds: readonly string[];
  readonly createdAt: string;
}

export interface WireVolumeList {
  readonly volumes: readonly WireVolume[];
  readonly total: number;
  readonly page: number;
  readonly limit: number;
  readonly totalPages: number;
}

export interface WireVolumeRegion {
  readonly id: string;
  readonly name: string;
  readonly hasGpuOffers: boolean;
  readonly minSizeGb: number;
  readonly maxSizeGb: number;
  readonly hourlyRatePerGb: number;
}

export interface WireTeamBalance {
  readonly teamId: string;
  readonly teamName: string;
  readonly balance: number;
  readonly isCurrentTeam: boolean;
  readonly role: string;
}

export interface WireBalance {
  readonly teams: readonly WireTeamBalance[];
  readonly currency: 'USD';
}

export interface WireTeam {
  readonly id?: string;
  readonly _id?: string;
  readonly name: string;
  readonly role: string;
  readonly isCurrentTeam: boolean;
  readonly balance: number;
}

export interface WireCanTerminate {
  readonly canTerminate: boolean;
  readonly runtime: number;
  readonly minimumRuntime: number;
  readonly timeRemaining: number;
  readonly reason?: string;
}

/** `GET /__sim/state`. */
export interface SimulatorStateSnapshot {
  readonly deployments: readonly (WireDeployment & {
    readonly teamId: string;
    /** The add-on's OIDC configuration as the create sent it (never on the wire); null: none. */
    readonly kubernetesAuthenticationConfigB64: string | null;
  })[];
  readonly volumes: readonly (WireVolume & { readonly teamId: string })[];
  readonly sshKeys: readonly (WireSshKey & { readonly teamId: string })[];
  readonly teams: readonly WireTeam[];
}
