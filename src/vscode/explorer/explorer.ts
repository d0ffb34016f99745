import { rejectedCount } from '../../core/domain/types';
import * as vscode from 'vscode';
import { AuthError } from '../../core/api/errors';
import type { Deployment } from '../../core/domain/types';
import type { ExplorerData } from '../../core/explorer/explorerData';
import type { Logger } from '../../core/util/logger';
import { ClusterHealthCache, withClusterHealth } from '../../core/model/clusterHealth';
import { burnRate } from '../../core/model/costs';
import { staleFromError, teamDescription, viewDescription, errorRowsFor } from '../../core/model/errors';
import { formatAgo } from '../../core/model/format';
import type { BackgroundBudget } from '../../core/api/requestBudget';
import { ExplorerPolling } from '../../core/explorer/explorerPolling';
import {
  buildInstanceNodes,
  instanceLabel,
  withOfferInstanceTypes,
  type ScheduledTermination,
} from '../../core/model/instances';
import type { ExplorerView, ModelNode, StaleState, TunnelRowState } from '../../core/model/nodes';
import {
  buildOfferTree,
  describeOfferFilters,
  isDefaultOfferFilters,
  parseOfferFilters,
  type OfferFilters,
} from '../../core/model/offers';
import { offerCountText } from '../../core/model/offerFilterSearch';
import { statusBarModel } from '../../core/model/statusBar';
import { buildVolumeNodes } from '../../core/model/volumes';
import type { ResourceState } from '../../core/util/resource';
import type { Session } from '../../core/account/session';
import type { KeyValueStore } from '../../core/util/keyValueStore';
import type { ContextKeys } from '../contextKeys';
import type { ModelTreeProvider } from '../tree/render';

const OFFER_FILTERS_KEY = 'spheron.offerFilters';
const SHOW_ENDED_KEY = 'spheron.showEndedInstances';
/** Older than this, a balance shown while the views are hidden is marked as not current. */
const STATUS_BAR_FRESH_MS = 15 * 60_000;

export interface ExplorerDeps {
  readonly session: Session;
  readonly data: ExplorerData;
  readonly logger: Logger;
  readonly contextKeys: ContextKeys;
  readonly state: KeyValueStore;
  readonly scheduledTerminations: () => ReadonlyMap<string, ScheduledTermination>;
  readonly tunnels: () => ReadonlyMap<string, readonly TunnelRowState[]>;
  /** The views, created at activation by the extension shell. */
  readonly trees: ExplorerTrees;
  readonly now?: () => number;
  /** The request budget every window shares (polling yields to it). */
  readonly budget?: BackgroundBudget;
}

export interface ExplorerTree {
  readonly provider: ModelTreeProvider;
  readonly view: vscode.TreeView<ModelNode>;
}

export interface ExplorerTrees {
  readonly offers: ExplorerTree;
  readonly instances: ExplorerTree;
  readonly volumes: ExplorerTree;
}

/**
 * The three trees and the status bar item. Data loads when a view is first shown, polls only
 * while a view is visible, and a failed refresh keeps older data on screen, marked stale.
 */
export class Explorer implements vscode.Disposable {
  readonly offersTree: ModelTreeProvider;
  readonly instancesTree: ModelTreeProvider;
  readonly volumesTree: ModelTreeProvider;
  readonly offersView: vscode.TreeView<ModelNode>;
  readonly instancesView: vscode.TreeView<ModelNode>;
  readonly volumesView: vscode.TreeView<ModelNode>;
  readonly statusBar: vscode.StatusBarItem;
  private readonly polling: ExplorerPolling;
  /** Health of the Kubernetes add-on clusters, checked after each instance list. */
  readonly clusterHealth: ClusterHealthCache;
  private healthCheckedForMs: number | undefined;
  /** A refresh was asked for (not a poll): the next list checks every cluster again. */
  private healthForced = false;
  private readonly disposables: vscode.Disposable[] = [];
  private filters: OfferFilters;
  private signedIn = false;
  private readonly now: () => number;
  private readonly deploymentsChanged = new vscode.EventEmitter<readonly Deployment[]>();
  /** Adds telemetry rows and the idle guard's line to the instance rows (set by the guards). */
  private decorateInstances: (nodes: ModelNode[]) => ModelNode[] = (nodes) => nodes;
  /** Fires after every successful instances refresh (SSH config sync listens). */
  readonly onDidChangeDeployments = this.deploymentsChanged.event;

  constructor(private readonly deps: ExplorerDeps) {
    this.now = deps.now ?? Date.now;
    this.filters = parseOfferFilters(deps.state.get(OFFER_FILTERS_KEY));
    this.offersTree = deps.trees.offers.provider;
    this.instancesTree = deps.trees.instances.provider;
    this.volumesTree = deps.trees.volumes.provider;
    this.offersView = deps.trees.offers.view;
    this.instancesView = deps.trees.instances.view;
    this.volumesView = deps.trees.volumes.view;
    this.statusBar = vscode.window.createStatusBarItem(
      'spheron.balance',
      vscode.StatusBarAlignment.Right,
      100,
    );
    this.statusBar.name = 'Spheron Balance';

    this.polling = new ExplorerPolling({
      data: deps.data,
      signedIn: () => this.signedIn,
      now: this.now,
      scheduledTerminations: deps.scheduledTerminations,
      ...(deps.budget ? { budget: deps.budget } : {}),
      onReclaimed: (deployments) => this.announceReclaims(deployments),
      onError: (what, error) =>
        deps.logger.warn(
          `Refreshing ${what} failed: ${error instanceof Error ? error.message : String(error)}`,
        ),
    });

    const budget = deps.budget;
    this.clusterHealth = new ClusterHealthCache({
      getClusterHealth: (clusterId, options) => deps.session.api.getClusterHealth(clusterId, options),
      now: this.now,
      ...(budget ? { backgroundWaitMs: () => budget.backgroundWaitMs() } : {}),
    });

    const data = deps.data;
    // The views and their providers belong to the shell, which disposes them.
    this.disposables.push(
      this.statusBar,
      this.deploymentsChanged,
      this.offersView.onDidChangeVisibility(() => this.updateVisibility()),
      this.instancesView.onDidChangeVisibility(() => this.updateVisibility()),
      this.volumesView.onDidChangeVisibility(() => this.updateVisibility()),
      toVscode(
        data.offers.onDidChange(() => {
          this.renderOffers();
          // Instances take a missing instanceType from their offer (withOfferInstanceTypes).
          this.renderInstances();
        }),
      ),
      toVscode(
        data.deployments.onDidChange((state) => {
          this.renderInstances();
          this.renderVolumes();
          this.renderStatusBar();
          if (state.value && !state.loading) {
            this.deploymentsChanged.fire(state.value);
            // Once per list the polling loads (not again for a failed refresh showing it stale).
            if (state.fetchedAtMs !== this.healthCheckedForMs) {
              this.healthCheckedForMs = state.fetchedAtMs;
              void this.clusterHealth.refresh(state.value, { force: this.healthForced });
              this.healthForced = false;
            }
          }
        }),
      ),
      toVscode(
        data.volumes.onDidChange(() => {
          this.renderVolumes();
          this.renderStatusBar();
        }),
      ),
      toVscode(
        data.balance.onDidChange(() => {
          this.renderStatusBar();
          // The views' descriptions name the team, which comes with the balance.
          this.renderInstances();
          this.renderVolumes();
        }),
      ),
      toVscode(this.clusterHealth.onDidChange(() => this.renderInstances())),
      toVscode(deps.session.onDidChange((state) => void this.sessionChanged(state.signedIn))),
    );
    this.renderAll();
  }

  /** Reads the sign-in state (SecretStorage, no network) and shows the right welcome content. */
  async initialise(): Promise<void> {
    const state = await this.deps.session.state();
    this.signedIn = state.signedIn;
    await this.deps.contextKeys.set('spheron.authenticated', state.signedIn);
    await this.deps.contextKeys.set('spheron.showEndedInstances', this.showEnded);
    await this.deps.contextKeys.set('spheron.offerFiltersActive', !isDefaultOfferFilters(this.filters));
    await this.deps.contextKeys.set('spheron.loaded', true);
    this.renderAll();
    this.updateVisibility();
  }

  get offerFilters(): OfferFilters {
    return this.filters;
  }

  get showEnded(): boolean {
    return this.deps.state.get<boolean>(SHOW_ENDED_KEY) === true;
  }

  async setShowEnded(show: boolean): Promise<void> {
    await this.deps.state.update(SHOW_ENDED_KEY, show);
    await this.deps.contextKeys.set('spheron.showEndedInstances', show);
    this.renderInstances();
  }

  async setOfferFilters(filters: OfferFilters): Promise<void> {
    const searchChanged = (filters.search ?? '') !== (this.filters.search ?? '');
    this.filters = filters;
    await this.deps.state.update(OFFER_FILTERS_KEY, filters);
    await this.deps.contextKeys.set('spheron.offerFiltersActive', !isDefaultOfferFilters(filters));
    if (searchChanged) {
      // Text search is the API's `search` parameter: it changes what the server sends.
      await this.deps.data.setOfferQuery(filters.search ? { search: filters.search } : {});
    }
    this.renderOffers();
  }

  /** Refreshes the Instances list alone (no balance), e.g. for the deployment watcher. */
  refreshInstanceList(): Promise<void> {
    return this.polling.refreshInstanceList();
  }

  /** Refreshes one view (or all), now, whether visible or not. */
  refresh(view?: ExplorerView): Promise<void> {
    if (view === undefined || view === 'instances') {
      this.healthForced = true;
    }
    return this.polling.refresh(view);
  }

  private async sessionChanged(signedIn: boolean): Promise<void> {
    const wasSignedIn = this.signedIn;
    this.signedIn = signedIn;
    await this.deps.contextKeys.set('spheron.authenticated', signedIn);
    this.deps.data.resetAccountData();
    this.clusterHealth.clear();
    this.renderAll();
    if (signedIn) {
      // Signed in, another key or another team: what was dropped above is loaded again now, not
      // at the next poll (a minute for instances, five for volumes and the balance).
      await (wasSignedIn ? this.polling.refreshAccountViews() : this.refresh());
    }
  }

  private updateVisibility(): void {
    this.polling.setVisibility({
      offers: this.offersView.visible,
      anyView: this.offersView.visible || this.instancesView.visible || this.volumesView.visible,
    });
  }

  private announceReclaims(reclaimed: readonly Deployment[]): void {
    for (const deployment of reclaimed) {
      const name = instanceLabel(deployment);
      this.deps.logger.warn(`Instance ${name} (${deployment.id}) was reclaimed by the provider`);
      void vscode.window
        .showWarningMessage(
          `The provider reclaimed the spot instance “${name}”. It has stopped billing; its disk is gone.`,
          'Show Instances',
        )
        .then((choice) => {
          if (choice === 'Show Instances') {
            void vscode.commands.executeCommand('spheron.instances.focus');
          }
        });
    }
  }

  /** Re-renders the rows that depend on scheduled terminations, tunnels, telemetry or the idle guard. */
  renderInstanceExtras(): void {
    this.renderInstances();
  }

  setInstanceDecorator(decorate: (nodes: ModelNode[]) => ModelNode[]): void {
    this.decorateInstances = decorate;
    this.renderInstances();
  }

  private renderAll(): void {
    this.renderOffers();
    this.renderInstances();
    this.renderVolumes();
    this.renderStatusBar();
  }

  private renderOffers(): void {
    const state = this.deps.data.offers.state;
    const nowMs = this.now();
    const stale = staleOf(state);
    const filterText = describeOfferFilters(this.filters);
    if (!state.value) {
      this.offersTree.setNodes(
        state.error ? errorRowsFor(state.error, { hasData: false, view: 'offers' }) : [],
      );
      this.offersView.description = viewDescription(filterText, undefined, nowMs);
      this.offersView.message = state.loading ? 'Loading the GPU catalogue…' : undefined;
      return;
    }
    const tree = buildOfferTree(state.value.groups, this.filters, {
      stale,
      nowMs,
      rejected: state.value.rejected,
    });
    this.offersTree.setNodes(tree.nodes);
    const counts = offerCountText(tree);
    this.offersView.description = viewDescription(
      filterText ? `${filterText} · ${counts}` : counts,
      stale,
      nowMs,
    );
    this.offersView.message = undefined;
  }

  private renderInstances(): void {
    const state = this.deps.data.deployments.state;
    const nowMs = this.now();
    void this.deps.contextKeys.set('spheron.instancesLoaded', state.value !== undefined);
    void this.deps.contextKeys.set(
      'spheron.hasRunningInstance',
      this.signedIn && (state.value?.some((deployment) => deployment.status === 'running') ?? false),
    );
    // Cancel Scheduled Termination is offered in the palette only when something is scheduled.
    void this.deps.contextKeys.set(
      'spheron.hasScheduledTermination',
      this.signedIn && this.deps.scheduledTerminations().size > 0,
    );
    if (!this.signedIn) {
      this.instancesTree.setNodes([]);
      this.instancesView.description = undefined;
      return;
    }
    if (!state.value) {
      this.instancesTree.setNodes(
        state.error ? errorRowsFor(state.error, { hasData: false, view: 'instances' }) : [],
      );
      this.instancesView.description = this.teamScoped(state.loading ? 'loading…' : '') || undefined;
      return;
    }
    const stale = staleOf(state);
    this.instancesTree.setNodes(
      this.decorateInstances(
        withClusterHealth(
          buildInstanceNodes(
            withOfferInstanceTypes(state.value, this.deps.data.offers.state.value?.groups ?? []),
            {
              nowMs,
              showEnded: this.showEnded,
              scheduledTerminations: this.deps.scheduledTerminations(),
              tunnels: this.deps.tunnels(),
              rejected: rejectedCount(state.value),
              ...(stale ? { stale } : {}),
            },
          ),
          (deploymentId) => this.clusterHealth.get(deploymentId),
        ),
      ),
    );
    const running = state.value.filter((deployment) => deployment.status === 'running').length;
    this.instancesView.description = viewDescription(
      this.teamScoped(running > 0 ? `${running} running` : ''),
      stale,
      nowMs,
    );
  }

  private renderVolumes(): void {
    const state = this.deps.data.volumes.state;
    const nowMs = this.now();
    void this.deps.contextKeys.set('spheron.volumesLoaded', state.value !== undefined);
    if (!this.signedIn) {
      this.volumesTree.setNodes([]);
      this.volumesView.description = undefined;
      return;
    }
    if (!state.value) {
      this.volumesTree.setNodes(
        state.error ? errorRowsFor(state.error, { hasData: false, view: 'volumes' }) : [],
      );
      this.volumesView.description = this.teamScoped('') || undefined;
      return;
    }
    const stale = staleOf(state);
    const deploymentNames = new Map(
      (this.deps.data.deployments.state.value ?? []).map((deployment) => [
        deployment.id,
        instanceLabel(deployment),
      ]),
    );
    this.volumesTree.setNodes(
      buildVolumeNodes(state.value, {
        deploymentNames,
        nowMs,
        rejected: rejectedCount(state.value),
        ...(stale ? { stale } : {}),
      }),
    );
    this.volumesView.description = viewDescription(this.teamScoped(''), stale, nowMs);
  }

  /** A view description that names the team its list belongs to. */
  private teamScoped(text: string): string {
    return teamDescription(this.deps.data.currentTeam()?.teamName, text);
  }

  private renderStatusBar(): void {
    const nowMs = this.now();
    const data = this.deps.data;
    const deployments = data.deployments.state.value ?? [];
    const volumes = data.volumes.state.value ?? [];
    const burn = burnRate(deployments, volumes);
    const balanceState = data.balance.state;
    let stale = staleOf(balanceState);
    if (
      !stale &&
      balanceState.fetchedAtMs !== undefined &&
      nowMs - balanceState.fetchedAtMs > STATUS_BAR_FRESH_MS
    ) {
      stale = {
        sinceMs: balanceState.fetchedAtMs,
        reason: `not refreshed since ${formatAgo(balanceState.fetchedAtMs, nowMs)} while the Spheron views were hidden`,
      };
    }
    const team = data.currentTeam();
    // A rejected key with nothing loaded is a sign-in problem: say so, and click to sign in.
    const usable =
      this.signedIn && !(balanceState.value === undefined && balanceState.error instanceof AuthError);
    const model = statusBarModel({
      signedIn: usable,
      ...(balanceState.value ? { balance: balanceState.value } : {}),
      ...(team ? { currentTeam: team.teamId } : {}),
      burnRatePerHour: burn.totalPerHour,
      burnBreakdown: burn,
      ...(stale ? { stale } : {}),
      nowMs,
    });
    this.statusBar.text = model.text;
    this.statusBar.tooltip = new vscode.MarkdownString(model.tooltip, true);
    this.statusBar.backgroundColor = model.warning
      ? new vscode.ThemeColor('statusBarItem.warningBackground')
      : undefined;
    this.statusBar.command = usable ? 'spheron.instances.focus' : model.command;
    this.statusBar.show();
  }

  dispose(): void {
    this.polling.dispose();
    this.clusterHealth.dispose();
    vscode.Disposable.from(...this.disposables).dispose();
  }
}

function toVscode(disposable: { dispose(): void }): vscode.Disposable {
  return new vscode.Disposable(() => disposable.dispose());
}

function staleOf<T>(state: ResourceState<T>): StaleState | undefined {
  return state.error !== undefined && state.value !== undefined && state.fetchedAtMs !== undefined
    ? staleFromError(state.error, state.fetchedAtMs)
    : undefined;
}
