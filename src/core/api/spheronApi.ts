// What the rest of the extension sees of the Spheron API: every endpoint of the contract, in
// domain types. SpheronClient (client.ts) implements it; tests and the lazy loader forward to it.
import type {
  Balance,
  CanTerminate,
  ClusterHealth,
  CreateDeploymentRequest,
  CreateVolumeRequest,
  Deployment,
  KubernetesVersion,
  OfferCatalogue,
  OfferPage,
  OfferQuery,
  ReadList,
  SshKey,
  Team,
  TerminateResult,
  UpdateVolumeRequest,
  Volume,
  VolumePricing,
  VolumeRegions,
} from '../domain/types';

export interface RequestOptions {
  readonly signal?: AbortSignal;
  /** Overrides the client's default per-request timeout. */
  readonly timeoutMs?: number;
}

export interface DeploymentListQuery {
  readonly teamId?: string;
  /** `active`, `inactive` or a concrete status. */
  readonly status?: string;
}

/** Every endpoint of the contract (../shared/spheron-api.md §3), as the rest of the extension sees it. */
export interface SpheronApi {
  listProviders(options?: RequestOptions): Promise<string[]>;
  listGpuOffers(
    query: OfferQuery & { page: number; limit: number },
    options?: RequestOptions,
  ): Promise<OfferPage>;
  /** Loads every page of the catalogue, sequentially, honouring rate limits. */
  listAllGpuOffers(
    query: OfferQuery,
    options?: RequestOptions & { pageSize?: number; onPage?: (page: OfferPage) => void },
  ): Promise<OfferCatalogue>;

  createDeployment(request: CreateDeploymentRequest, options?: RequestOptions): Promise<Deployment>;
  listDeployments(query: DeploymentListQuery, options?: RequestOptions): Promise<ReadList<Deployment>>;
  getDeployment(id: string, options?: RequestOptions): Promise<Deployment>;
  renameDeployment(id: string, name: string, options?: RequestOptions): Promise<Deployment>;
  terminateDeployment(id: string, options?: RequestOptions): Promise<TerminateResult>;
  canTerminate(id: string, options?: RequestOptions): Promise<CanTerminate>;

  listSshKeys(options?: RequestOptions): Promise<ReadList<SshKey>>;
  getSshKey(id: string, options?: RequestOptions): Promise<SshKey>;
  createSshKey(
    request: { name: string; publicKey: string; teamId?: string },
    options?: RequestOptions,
  ): Promise<SshKey>;
  deleteSshKey(id: string, options?: RequestOptions): Promise<void>;

  listVolumes(query?: { status?: string }, options?: RequestOptions): Promise<ReadList<Volume>>;
  createVolume(request: CreateVolumeRequest, options?: RequestOptions): Promise<Volume>;
  getVolume(id: string, options?: RequestOptions): Promise<Volume>;
  updateVolume(id: string, request: UpdateVolumeRequest, options?: RequestOptions): Promise<Volume>;
  deleteVolume(id: string, options?: RequestOptions): Promise<void>;
  attachVolume(id: string, deploymentId: string, options?: RequestOptions): Promise<Volume>;
  detachVolume(id: string, deploymentId: string, options?: RequestOptions): Promise<Volume>;
  getVolumePricing(
    query: { provider: string; region?: string; cloudId?: string },
    options?: RequestOptions,
  ): Promise<VolumePricing>;
  getVolumeRegions(provider: string, options?: RequestOptions): Promise<VolumeRegions>;

  getBalance(options?: RequestOptions): Promise<Balance>;
  listTeams(options?: RequestOptions): Promise<Team[]>;

  /** Kubernetes add-on versions a provider offers (Voltage Park clusters). */
  listKubernetesVersions(provider: string, options?: RequestOptions): Promise<KubernetesVersion[]>;
  getClusterHealth(clusterId: string, options?: RequestOptions): Promise<ClusterHealth>;
}
