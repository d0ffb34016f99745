// The health of Kubernetes add-on clusters, for the Instances view. Checked in the background
// after each instance list the explorer's polling loads (one request per live add-on cluster),
// kept per instance, and shown from the cache: the tree never waits for it, and a failed check
// reads "health unknown" with its reason, never hiding the instance.
import { isCancellation } from '../api/errors';
import { describeClusterHealth } from '../api/kubernetes';
import type { RequestOptions } from '../api/spheronApi';
import type { ClusterHealth, Deployment } from '../domain/types';
import { hasKubernetesAddon, isEnded } from './classify';
import { errorMessage } from './errors';
import { escapeMarkdown, formatClockTime } from './format';
import type { InstanceNode, ModelNode } from './nodes';
import { Emitter } from '../util/events';

export type ClusterHealthEntry =
  | { readonly kind: 'checking' }
  | { readonly kind: 'known'; readonly health: ClusterHealth; readonly checkedAtMs: number }
  | { readonly kind: 'unknown'; readonly reason: string; readonly checkedAtMs: number };

/** Instances whose cluster health is worth asking for: with the add-on, and not ended. */
function watched(deployment: Deployment): boolean {
  return hasKubernetesAddon(deployment) && !isEnded(deployment.status);
}

export interface ClusterHealthCacheDeps {
  readonly getClusterHealth: (clusterId: string, options?: RequestOptions) => Promise<ClusterHealth>;
  readonly now: () => number;
  /** Background work waits for the shared request budget: a positive wait skips this round. */
  readonly backgroundWaitMs?: () => number;
  /** A cluster is asked again after this long at the earliest (default a minute). */
  readonly minIntervalMs?: number;
}

/**
 * The instance list polls every 15 s while something deploys (a cluster can take ten minutes):
 * health on every one of those would double the requests against Spheron's 100 per 15 min.
 */
export const CLUSTER_HEALTH_MIN_INTERVAL_MS = 60_000;

export class ClusterHealthCache {
  readonly #deps: ClusterHealthCacheDeps;
  readonly #entries = new Map<string, ClusterHealthEntry>();
  readonly #inFlight = new Set<string>();
  /** When each cluster was last asked, and its instance's status then. */
  readonly #asked = new Map<string, { readonly atMs: number; readonly status: string }>();
  readonly #changed = new Emitter<void>();
  readonly #controller = new AbortController();
  /** Fires when an entry changes; the view re-renders from get(). */
  readonly onDidChange = this.#changed.event;

  constructor(deps: ClusterHealthCacheDeps) {
    this.#deps = deps;
  }

  get(deploymentId: string): ClusterHealthEntry | undefined {
    return this.#entries.get(deploymentId);
  }

  /**
   * Checks the live add-on clusters in `deployments` that are due: never asked, asked over a
   * minute ago, whose instance changed status since, or all of them when `force` (the user asked
   * for a refresh). One already being checked is left to finish; the rest are forgotten.
   * Resolves when the checks are done; callers need not wait. Never rejects.
   */
  async refresh(
    deployments: readonly Deployment[],
    options: { readonly force?: boolean } = {},
  ): Promise<void> {
    const live = deployments.filter(watched);
    const liveIds = new Set(live.map((deployment) => deployment.id));
    let changed = false;
    for (const id of [...this.#entries.keys()]) {
      if (!liveIds.has(id)) {
        this.#entries.delete(id);
        this.#asked.delete(id);
        changed = true;
      }
    }
    const nowMs = this.#deps.now();
    const minIntervalMs = this.#deps.minIntervalMs ?? CLUSTER_HEALTH_MIN_INTERVAL_MS;
    const due = live.filter((deployment) => {
      const asked = this.#asked.get(deployment.id);
      return (
        !this.#inFlight.has(deployment.id) &&
        (options.force === true ||
          asked === undefined ||
          asked.status !== deployment.rawStatus ||
          nowMs - asked.atMs >= minIntervalMs)
      );
    });
    const waitMs = this.#deps.backgroundWaitMs?.() ?? 0;
    if (waitMs > 0) {
      // What was checked before stays, with its time; what never was says why not.
      const reason = `not checked yet: background requests wait about ${Math.max(1, Math.ceil(waitMs / 60_000))} min for Spheron’s rate limit`;
      for (const deployment of due) {
        if (!this.#entries.has(deployment.id)) {
          this.#entries.set(deployment.id, { kind: 'unknown', reason, checkedAtMs: this.#deps.now() });
          changed = true;
        }
      }
      if (changed) {
        this.#changed.fire();
      }
      return;
    }
    for (const deployment of due) {
      if (!this.#entries.has(deployment.id)) {
        this.#entries.set(deployment.id, { kind: 'checking' });
        changed = true;
      }
    }
    if (changed) {
      this.#changed.fire();
    }
    await Promise.all(due.map((deployment) => this.#check(deployment)));
  }

  async #check(deployment: Deployment): Promise<void> {
    const clusterId = deployment.kubernetesAddon?.clusterId;
    if (clusterId === undefined) {
      this.#set(deployment.id, {
        kind: 'unknown',
        reason: 'the API did not report the cluster’s id',
        checkedAtMs: this.#deps.now(),
      });
      return;
    }
    this.#inFlight.add(deployment.id);
    this.#asked.set(deployment.id, { atMs: this.#deps.now(), status: deployment.rawStatus });
    try {
      const health = await this.#deps.getClusterHealth(clusterId, { signal: this.#controller.signal });
      this.#set(deployment.id, { kind: 'known', health, checkedAtMs: this.#deps.now() });
    } catch (error) {
      if (isCancellation(error) || this.#controller.signal.aborted) {
        return;
      }
      this.#set(deployment.id, {
        kind: 'unknown',
        reason: errorMessage(error),
        checkedAtMs: this.#deps.now(),
      });
    } finally {
      this.#inFlight.delete(deployment.id);
    }
  }

  #set(deploymentId: string, entry: ClusterHealthEntry): void {
    if (this.#controller.signal.aborted) {
      return;
    }
    this.#entries.set(deploymentId, entry);
    this.#changed.fire();
  }

  /** Sign-out or another team: the clusters shown belonged to the previous list. */
  clear(): void {
    this.#asked.clear();
    if (this.#entries.size > 0) {
      this.#entries.clear();
      this.#changed.fire();
    }
  }

  dispose(): void {
    this.#controller.abort();
    this.#changed.dispose();
  }
}

/** `k8s healthy`, `k8s checking…`, `k8s health unknown`: the part of the instance's description. */
export function clusterHealthBrief(entry: ClusterHealthEntry | undefined): string {
  switch (entry?.kind) {
    case undefined:
    case 'checking':
      return 'k8s checking…';
    case 'known':
      return `k8s ${entry.health.overall}`;
    case 'unknown':
      return 'k8s health unknown';
  }
}

/** The tooltip's paragraph about the add-on. */
export function clusterHealthTooltip(
  deployment: Pick<Deployment, 'kubernetesAddon'>,
  entry: ClusterHealthEntry | undefined,
  formatClock: (ms: number) => string = (ms) => formatClockTime(ms),
): string {
  const version = deployment.kubernetesAddon?.version;
  const addon = `Kubernetes add-on${version ? ` ${escapeMarkdown(version)}` : ''}`;
  switch (entry?.kind) {
    case undefined:
    case 'checking':
      return `${addon}: checking the cluster’s health…`;
    case 'known':
      return `${addon}: ${escapeMarkdown(describeClusterHealth(entry.health))} (checked at ${formatClock(entry.checkedAtMs)})`;
    case 'unknown':
      return `${addon}: health unknown — ${escapeMarkdown(entry.reason)} (at ${formatClock(entry.checkedAtMs)})`;
  }
}

function decorate(
  node: InstanceNode,
  lookup: (deploymentId: string) => ClusterHealthEntry | undefined,
  formatClock?: (ms: number) => string,
): InstanceNode {
  if (!watched(node.deployment)) {
    return node;
  }
  const entry = lookup(node.deployment.id);
  const brief = clusterHealthBrief(entry);
  return {
    ...node,
    description: node.description ? `${node.description} · ${brief}` : brief,
    tooltip: `${node.tooltip}\n\n${clusterHealthTooltip(node.deployment, entry, formatClock)}`,
  };
}

/** The Instances rows with each add-on cluster's health in its description and tooltip. */
export function withClusterHealth(
  nodes: readonly ModelNode[],
  lookup: (deploymentId: string) => ClusterHealthEntry | undefined,
  formatClock?: (ms: number) => string,
): ModelNode[] {
  return nodes.map((node) => (node.kind === 'instance' ? decorate(node, lookup, formatClock) : node));
}
