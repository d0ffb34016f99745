import type { BackgroundBudget } from '../api/requestBudget';
import type { Deployment } from '../domain/types';
import type { ExplorerData } from './explorerData';
import { detectReclaims, instancePollResult, type ScheduledTermination } from '../model/instances';
import type { ExplorerView } from '../model/nodes';
import {
  Poller,
  POLL_POLICIES,
  type PollerClock,
  type PollerTimers,
  type PollResult,
} from '../model/polling';
import type { ResourceState } from '../util/resource';

/** The offer catalogue changes slowly; loading it costs a few requests. */
export const OFFERS_POLL_INTERVAL_MS = 15 * 60_000;

export interface ExplorerPollingDeps {
  readonly data: ExplorerData;
  readonly signedIn: () => boolean;
  readonly now: () => number;
  readonly scheduledTerminations: () => ReadonlyMap<string, ScheduledTermination>;
  /** Spot instances the provider reclaimed since the previous list. */
  readonly onReclaimed?: (deployments: readonly Deployment[]) => void;
  readonly onError?: (what: ExplorerView | 'balance', error: unknown) => void;
  readonly timers?: PollerTimers;
  readonly clock?: PollerClock;
  /** The request budget every window shares; polling is background work. */
  readonly budget?: BackgroundBudget;
}

export interface ExplorerVisibility {
  readonly offers: boolean;
  /** Any Spheron view: account data feeds the status bar and the volumes' instance names. */
  readonly anyView: boolean;
}

/**
 * When the explorer asks the API again: one Poller per resource, running only while a view is
 * visible (hidden: zero requests). Shared by the views and the request-budget benchmark.
 */
export class ExplorerPolling {
  readonly pollers: Readonly<Record<ExplorerView | 'balance', Poller>>;

  constructor(private readonly deps: ExplorerPollingDeps) {
    const common = {
      ...(deps.timers ? { timers: deps.timers } : {}),
      ...(deps.clock ? { clock: deps.clock } : {}),
      ...(deps.budget ? { budget: deps.budget } : {}),
    };
    const onError = (what: ExplorerView | 'balance') => (error: unknown) => deps.onError?.(what, error);
    this.pollers = {
      offers: new Poller({
        refresh: () => this.refreshOffers(),
        fastIntervalMs: OFFERS_POLL_INTERVAL_MS,
        slowIntervalMs: OFFERS_POLL_INTERVAL_MS,
        onError: onError('offers'),
        ...common,
      }),
      instances: new Poller({
        refresh: () => this.refreshInstances(),
        ...POLL_POLICIES.instances,
        onError: onError('instances'),
        ...common,
      }),
      volumes: new Poller({
        refresh: () => this.refreshAccount(deps.data.volumes),
        ...POLL_POLICIES.volumes,
        onError: onError('volumes'),
        ...common,
      }),
      balance: new Poller({
        refresh: () => this.refreshAccount(deps.data.balance),
        ...POLL_POLICIES.balance,
        onError: onError('balance'),
        ...common,
      }),
    };
  }

  setVisibility(visibility: ExplorerVisibility): void {
    const account = this.deps.signedIn() && visibility.anyView;
    this.pollers.offers.setVisible(visibility.offers);
    this.pollers.instances.setVisible(account);
    this.pollers.volumes.setVisible(account);
    this.pollers.balance.setVisible(account);
  }

  /** Refreshes one view's data (or everything) now, visible or not. Never rejects. */
  async refresh(view?: ExplorerView): Promise<void> {
    const views: ExplorerView[] = view ? [view] : ['offers', 'instances', 'volumes'];
    const work = views.map((name) => this.pollers[name].refreshNow());
    if (view !== 'offers') {
      work.push(this.pollers.balance.refreshNow());
    }
    await Promise.all(work);
  }

  /** Refreshes the Instances list alone now (the deployment watcher reads it). Never rejects. */
  refreshInstanceList(): Promise<void> {
    return this.pollers.instances.refreshNow();
  }

  /**
   * Refreshes the account's data (instances, volumes, balance) now: after a new key or another
   * team dropped it. The public offer catalogue is not reloaded. Never rejects.
   */
  async refreshAccountViews(): Promise<void> {
    await Promise.all([
      this.pollers.instances.refreshNow(),
      this.pollers.volumes.refreshNow(),
      this.pollers.balance.refreshNow(),
    ]);
  }

  private async refreshOffers(): Promise<void> {
    await this.deps.data.offers.refresh();
    throwIfFailed(this.deps.data.offers.state);
  }

  private async refreshInstances(): Promise<PollResult> {
    if (!this.deps.signedIn()) {
      return { transitional: false };
    }
    const previous = this.deps.data.deployments.state.value;
    await this.deps.data.deployments.refresh();
    const state = this.deps.data.deployments.state;
    throwIfFailed(state);
    if (previous && state.value) {
      const reclaimed = detectReclaims(previous, state.value);
      if (reclaimed.length > 0) {
        this.deps.onReclaimed?.(reclaimed);
      }
    }
    return instancePollResult(state.value ?? [], {
      nowMs: this.deps.now(),
      scheduledTerminations: this.deps.scheduledTerminations(),
    });
  }

  private async refreshAccount<T>(resource: {
    refresh(): Promise<void>;
    readonly state: ResourceState<T>;
  }): Promise<void> {
    if (!this.deps.signedIn()) {
      return;
    }
    await resource.refresh();
    throwIfFailed(resource.state);
  }

  dispose(): void {
    for (const poller of Object.values(this.pollers)) {
      poller.dispose();
    }
  }
}

/** Pollers back off on a failed refresh; Resource itself never rejects, so surface its error. */
function throwIfFailed<T>(state: ResourceState<T>): void {
  if (state.error instanceof Error) {
    throw state.error;
  }
  if (state.error !== undefined) {
    throw new Error('The refresh failed.');
  }
}
