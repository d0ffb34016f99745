import type { Balance, Deployment, OfferCatalogue, OfferQuery, TeamBalance, Volume } from '../domain/types';
import type { SpheronApi } from '../api/spheronApi';
import { teamVolumes } from '../model/volumes';
import { Resource } from '../util/resource';

/** A deployment list younger than this is trusted to scope volumes without reloading it. */
const DEPLOYMENTS_FRESH_MS = 30_000;

export interface ExplorerDataDeps {
  readonly api: SpheronApi;
  /** Picks the team to scope calls to from the balance (remembered choice, else current). */
  readonly currentTeam: (balance: Balance) => TeamBalance | undefined;
  readonly now: () => number;
}

/**
 * The remote data the sidebar shows. Each piece refreshes on its own schedule; deployments and
 * volumes need the team, which comes from the balance.
 */
export class ExplorerData {
  readonly balance: Resource<Balance>;
  readonly deployments: Resource<Deployment[]>;
  readonly volumes: Resource<Volume[]>;
  readonly offers: Resource<OfferCatalogue>;
  private offerQuery: OfferQuery = {};

  constructor(private readonly deps: ExplorerDataDeps) {
    this.balance = new Resource((signal) => deps.api.getBalance({ signal }), deps.now);
    this.deployments = new Resource<Deployment[]>(async (signal) => {
      const teamId = await this.teamId(signal);
      return deps.api.listDeployments(teamId ? { teamId } : {}, { signal });
    }, deps.now);
    this.volumes = new Resource<Volume[]>(async (signal) => {
      const teamId = await this.teamId(signal);
      const volumes = await deps.api.listVolumes({}, { signal });
      const team = this.currentTeam();
      if (teamId === undefined || team === undefined) {
        return volumes;
      }
      // The list has no team parameter: scope it by the team's deployments (see teamVolumes).
      // A volume attached to a deployment the list does not know yet: reload the list, unless it is
      // fresh (then that deployment is another team's), so volumes never cost a request storm.
      const known = () => new Set((this.deployments.state.value ?? []).map((d) => d.id));
      const fetchedAtMs = this.deployments.state.fetchedAtMs;
      const unknownAttachment = volumes.some((v) => v.attachedDeploymentIds.some((id) => !known().has(id)));
      if (
        this.deployments.state.value === undefined ||
        (unknownAttachment && (fetchedAtMs === undefined || deps.now() - fetchedAtMs > DEPLOYMENTS_FRESH_MS))
      ) {
        await this.deployments.refresh();
        signal.throwIfAborted();
      }
      const deploymentIds = known();
      return teamVolumes(volumes, { deploymentIds, isAccountCurrentTeam: team.isCurrentTeam });
    }, deps.now);
    this.offers = new Resource((signal) => deps.api.listAllGpuOffers(this.offerQuery, { signal }), deps.now);
  }

  currentTeam(): TeamBalance | undefined {
    const balance = this.balance.state.value;
    return balance ? this.deps.currentTeam(balance) : undefined;
  }

  /**
   * The team id, loading the balance first when it has never been loaded. A balance that cannot
   * be loaded rejects with its error: without the team, a list would cover every team.
   */
  async teamId(signal?: AbortSignal): Promise<string | undefined> {
    if (!this.balance.state.value) {
      await this.balance.refresh();
      signal?.throwIfAborted();
      const { value, error } = this.balance.state;
      if (!value && error !== undefined) {
        throw error instanceof Error ? error : new Error('The balance could not be loaded.');
      }
    }
    return this.currentTeam()?.teamId;
  }

  /** Changes the server-side part of the offer query (search text); reloads the catalogue. */
  async setOfferQuery(query: OfferQuery): Promise<void> {
    this.offerQuery = query;
    this.offers.reset();
    await this.offers.refresh();
  }

  get currentOfferQuery(): OfferQuery {
    return this.offerQuery;
  }

  /** Team switch: the balance lists every team, the rest belonged to the previous team. */
  resetTeamData(): void {
    this.deployments.reset();
    this.volumes.reset();
  }

  /** Sign-out or a new key: forget everything that belonged to the previous identity. */
  resetAccountData(): void {
    this.balance.reset();
    this.resetTeamData();
  }

  dispose(): void {
    this.balance.dispose();
    this.deployments.dispose();
    this.volumes.dispose();
    this.offers.dispose();
  }
}
