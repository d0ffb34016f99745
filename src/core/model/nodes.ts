// Plain data nodes for the three explorer views. src/vscode renders each node 1:1 into a
// TreeItem (label, description, MarkdownString tooltip, ThemeIcon, contextValue, command) and
// never computes text itself. No vscode types here.

import type { Deployment, Offer, Volume } from '../domain/types';

/** A codicon, optionally tinted with a ThemeColor id such as `charts.green`. */
export interface NodeIcon {
  /** Codicon id, e.g. `vm-running`; `loading~spin` spins by itself. */
  readonly codicon: string;
  /** ThemeColor id, e.g. `charts.green`, `list.warningForeground`, `disabledForeground`. */
  readonly color?: string;
  readonly spin?: boolean;
}

export interface NodeCommand {
  readonly id: string;
  /** Shown by VS Code as the command's title (accessibility, hover on some renderers). */
  readonly title: string;
  readonly args?: readonly unknown[];
}

export type Collapsible = 'none' | 'collapsed' | 'expanded';

/** The three views; ids follow package.json (`spheron.offers`, ...). */
export type ExplorerView = 'offers' | 'instances' | 'volumes';

export const VIEW_IDS: Readonly<Record<ExplorerView, string>> = {
  offers: 'spheron.offers',
  instances: 'spheron.instances',
  volumes: 'spheron.volumes',
};

/**
 * Commands the model attaches to rows. They must exist in package.json; the lead wires
 * them. `refresh` receives the view (`'offers' | 'instances' | 'volumes'`) as its argument.
 */
export const MODEL_COMMAND_IDS = {
  signIn: 'spheron.signIn',
  refresh: 'spheron.refresh',
  showLogs: 'spheron.showLogs',
  clearOfferFilters: 'spheron.offers.clearFilters',
  showEndedInstances: 'spheron.instances.showEnded',
} as const;

interface NodeBase {
  /** Stable across refreshes: VS Code keys expansion and selection on it. */
  readonly id: string;
  readonly label: string;
  readonly description?: string;
  /** Markdown. Offer rows compute it on first read; render it only when VS Code asks. */
  readonly tooltip: string;
  readonly icon: NodeIcon;
  readonly contextValue?: string;
  readonly collapsible: Collapsible;
  readonly command?: NodeCommand;
}

/** Offers of one GPU model (groups sharing a display name are merged). */
export interface OfferGroupNode extends NodeBase {
  readonly kind: 'offerGroup';
  readonly displayName: string;
  /** Every API `gpuType` merged into this row, sorted. */
  readonly gpuTypes: readonly string[];
  readonly children: readonly OfferNode[];
}

export interface OfferNode extends NodeBase {
  readonly kind: 'offer';
  readonly offer: Offer;
}

export interface InstanceNode extends NodeBase {
  readonly kind: 'instance';
  readonly deployment: Deployment;
  /** Forwarded ports, then GPU telemetry rows (messages). */
  readonly children?: readonly (TunnelNode | MessageNode)[];
}

/** A port forward under its instance: `Jupyter → localhost:8888`. */
export interface TunnelNode extends NodeBase {
  readonly kind: 'tunnel';
  readonly deploymentId: string;
  readonly tunnel: TunnelRowState;
}

export interface VolumeNode extends NodeBase {
  readonly kind: 'volume';
  readonly volume: Volume;
}

/** Informational rows: "3 ended instances hidden", fix-it rows ("Sign In", "Show Logs"). */
export interface MessageNode extends NodeBase {
  readonly kind: 'message';
  readonly severity: 'info' | 'warning';
}

/** A failed load (no data to show) or a stale marker (older data still shown below it). */
export interface ErrorNode extends NodeBase {
  readonly kind: 'error';
  /** True when the row sits above data that could not be refreshed. */
  readonly stale: boolean;
  readonly fix: ErrorFix;
  readonly error: unknown;
}

export type ErrorFix = 'signIn' | 'retry';

export type ModelNode =
  OfferGroupNode | OfferNode | InstanceNode | TunnelNode | VolumeNode | MessageNode | ErrorNode;

export type TunnelPhase = 'starting' | 'open' | 'error' | 'stopped';

/** What the tunnel manager tells the model about one forwarded port. */
export interface TunnelRowState {
  /** `Jupyter`, `TensorBoard`, or a port label. */
  readonly name: string;
  readonly localPort: number;
  readonly remotePort: number;
  readonly phase: TunnelPhase;
  /** Why it failed, for the tooltip. */
  readonly error?: string;
}

/** Data could not be refreshed; what is shown is from `sinceMs`. */
export interface StaleState {
  /** When the shown data was last fetched successfully. */
  readonly sinceMs: number;
  /** The refresh failure, in the user's words (the typed error's message). */
  readonly reason: string;
  /** Defaults to `retry`. */
  readonly fix?: ErrorFix;
  /** Why, in two or three words for a narrow row's label: `key rejected`, `offline`. */
  readonly brief?: string;
}
