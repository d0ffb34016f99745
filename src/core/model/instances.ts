// The Instances view: what is running and what it is costing, from the deployment list alone.

import type { Deployment, DeploymentStatus, OfferGroup } from '../domain/types';
import { sameProvider } from '../volumes/providerRules';
import { checkHostAddress, checkSshPort, checkSshUser, type Checked } from '../ssh/validate';
import { hasUsableIp, isEnded, isSpot } from './classify';
import { contextValueFor } from './contextValue';
import { gpuTypeDisplayName, instanceTypeDisplayName } from './displayNames';
import { withStaleRow, withUnreadableRow } from './errors';
import {
  codeSpan,
  escapeMarkdown,
  formatClockTime,
  formatCount,
  formatDuration,
  formatRate,
  formatUsd,
  plural,
  roundTo,
} from './format';
import type {
  InstanceNode,
  MessageNode,
  ModelNode,
  NodeIcon,
  StaleState,
  TunnelNode,
  TunnelRowState,
} from './nodes';
import { MODEL_COMMAND_IDS } from './nodes';
import type { PollResult } from './polling';
import { singleLine } from '../util/text';

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;

/** Spheron's documented minimum before manual termination; the API may report another. */
export const DEFAULT_MINIMUM_RUNTIME_MINUTES = 20;

/** A "terminate when allowed" the extension will carry out at `atMs`. */
export interface ScheduledTermination {
  readonly atMs: number;
}

export interface InstanceViewOptions {
  readonly nowMs: number;
  /** Show failed, terminated and reclaimed instances. */
  readonly showEnded: boolean;
  readonly scheduledTerminations?: ReadonlyMap<string, ScheduledTermination>;
  /** Forwarded ports per deployment id. */
  readonly tunnels?: ReadonlyMap<string, readonly TunnelRowState[]>;
  readonly stale?: StaleState;
  /** Instances the API sent that could not be read. */
  readonly rejected?: number;
  /** Default 20. */
  readonly minimumRuntimeMinutes?: number;
  /** Per-instance minimums learnt from `can-terminate`; they override the default. */
  readonly minimumRuntimes?: ReadonlyMap<string, number>;
  /** Wall-clock formatting for "at 14:32"; defaults to the host's local time. */
  readonly formatClock?: (ms: number) => string;
}

/**
 * `name`, or the id's tail when the deployment has no name. The name comes from the API: it is
 * collapsed to one line and capped (singleLine), so it can never start a new line in the log or
 * a message (`x\n[info] …` forging a log line).
 */
export function instanceLabel(deployment: Pick<Deployment, 'id' | 'name'>): string {
  const name = deployment.name ? singleLine(deployment.name) : '';
  return name ? name : `instance ${singleLine(deployment.id.slice(-8))}`;
}

/**
 * USD spent so far.
 *
 * For live instances this is max(API totalCost, hourlyRate × time since startedAt): Spheron
 * bills per second, but the API's totalCost only moves at its credit-deduction ticks and our
 * copy is up to one poll old, so on its own it lags and sits frozen between polls. The
 * extrapolation keeps the figure current without another request; the max() keeps anything
 * the API has already charged beyond that (a provider minimum billed up front, an earlier
 * higher rate), so we never show less than was actually taken. A stopped instance is
 * extrapolated only up to its stop time. Ended instances show the API's final figure.
 */
export function costSoFar(deployment: Deployment, nowMs: number): number {
  if (isEnded(deployment.status) || deployment.startedAtMs === null) {
    return deployment.totalCost;
  }
  const endMs =
    deployment.status === 'stopped' && deployment.stoppedAtMs !== null ? deployment.stoppedAtMs : nowMs;
  const hours = Math.max(0, endMs - deployment.startedAtMs) / HOUR_MS;
  return Math.max(deployment.totalCost, deployment.hourlyRate * hours);
}

/** How long it has been up (or, while deploying, how long it has been deploying). */
export function uptimeMs(deployment: Deployment, nowMs: number): number | undefined {
  if (deployment.status === 'deploying') {
    return deployment.createdAtMs === null ? undefined : Math.max(0, nowMs - deployment.createdAtMs);
  }
  if (deployment.startedAtMs === null) {
    return undefined;
  }
  const stopped = deployment.status === 'stopped' || isEnded(deployment.status);
  const endMs = stopped ? deployment.stoppedAtMs : nowMs;
  return endMs === null ? undefined : Math.max(0, endMs - deployment.startedAtMs);
}

export type MinimumRuntimeState =
  | { readonly kind: 'notStarted'; readonly minimumMinutes: number }
  | { readonly kind: 'waiting'; readonly minimumMinutes: number; readonly remainingMinutes: number }
  | { readonly kind: 'passed'; readonly minimumMinutes: number };

/**
 * Where an instance stands against the minimum runtime, counted from startedAt (the contract
 * does not say whether the API counts from createdAt; startedAt is the later, safer choice).
 * Remaining minutes round up, as the API's `timeRemaining` does. Undefined once ended.
 */
export function minimumRuntimeState(
  deployment: Deployment,
  nowMs: number,
  minimumMinutes: number = DEFAULT_MINIMUM_RUNTIME_MINUTES,
): MinimumRuntimeState | undefined {
  if (isEnded(deployment.status)) {
    return undefined;
  }
  if (deployment.startedAtMs === null) {
    return { kind: 'notStarted', minimumMinutes };
  }
  const elapsedMinutes = Math.max(0, nowMs - deployment.startedAtMs) / MINUTE_MS;
  const remaining = Math.ceil(roundTo(minimumMinutes - elapsedMinutes, 6));
  return remaining > 0
    ? { kind: 'waiting', minimumMinutes, remainingMinutes: remaining }
    : { kind: 'passed', minimumMinutes };
}

export function describeMinimumRuntime(state: MinimumRuntimeState): string {
  switch (state.kind) {
    case 'notStarted':
      return `the ${state.minimumMinutes}-minute minimum runtime starts once it is running`;
    case 'waiting':
      return `can terminate in ${state.remainingMinutes} min`;
    case 'passed':
      return `past the ${state.minimumMinutes}-minute minimum`;
  }
}

/** The SSH login user: the API's, or `ubuntu` (what Spheron images use when the API is silent). */
export function sshUserOf(deployment: Pick<Deployment, 'sshUser'>): { user: string; assumed: boolean } {
  const user = deployment.sshUser?.trim();
  return user ? { user, assumed: false } : { user: 'ubuntu', assumed: true };
}

/**
 * `ssh <user>@<ip> -p <port>`, composed only from values that pass the same checks as the SSH
 * config writer. The API's own `sshCommand` text is never passed on: it would reach a shell.
 */
export function sshCommandFor(deployment: Deployment): Checked<string> {
  const address = checkHostAddress(deployment.ipAddress);
  const user = checkSshUser(deployment.sshUser);
  const port = checkSshPort(deployment.sshPort);
  if (!address.ok) {
    return address;
  }
  if (!user.ok) {
    return user;
  }
  if (!port.ok) {
    return port;
  }
  return { ok: true, value: `ssh ${user.value}@${address.value} -p ${port.value}` };
}

function statusText(deployment: Deployment): string {
  switch (deployment.status) {
    case 'terminated-provider':
      return 'reclaimed by provider';
    case 'unknown':
      return `unknown status “${singleLine(deployment.rawStatus)}”`;
    case 'deploying':
    case 'running':
    case 'stopped':
    case 'failed':
    case 'terminated':
      return deployment.status;
  }
}

export function instanceIcon(status: DeploymentStatus): NodeIcon {
  switch (status) {
    case 'deploying':
      return { codicon: 'loading~spin', spin: true };
    case 'running':
      return { codicon: 'vm-running', color: 'charts.green' };
    case 'stopped':
      return { codicon: 'debug-stop', color: 'charts.yellow' };
    case 'failed':
      return { codicon: 'error', color: 'charts.red' };
    case 'terminated':
      return { codicon: 'circle-slash', color: 'disabledForeground' };
    case 'terminated-provider':
      return { codicon: 'warning', color: 'charts.orange' };
    case 'unknown':
      return { codicon: 'question' };
  }
}

interface Resolved {
  readonly nowMs: number;
  readonly scheduled: ScheduledTermination | undefined;
  readonly minimumMinutes: number;
  readonly formatClock: (ms: number) => string;
}

/**
 * The row's description, money first: in a 250–300 px sidebar the end of the row is what gets
 * cut, so cost so far and rate lead, then a scheduled termination, then status and uptime:
 * `$3.25 · $2.39/h · ends 20:15 · running 1h 21m`.
 */
function instanceDescription(deployment: Deployment, resolved: Resolved): string {
  const { nowMs } = resolved;
  const parts: string[] = [];
  const uptime = uptimeMs(deployment, nowMs);
  const status = statusText(deployment);
  const scheduled =
    resolved.scheduled && !isEnded(deployment.status)
      ? `ends ${resolved.formatClock(resolved.scheduled.atMs)}`
      : undefined;
  switch (deployment.status) {
    case 'deploying':
      parts.push(formatRate(deployment.hourlyRate));
      if (scheduled) {
        parts.push(scheduled);
      }
      parts.push(uptime === undefined ? status : `${status} ${formatDuration(uptime)}`);
      break;
    case 'running':
    case 'stopped':
    case 'unknown':
      parts.push(formatUsd(costSoFar(deployment, nowMs)), formatRate(deployment.hourlyRate));
      if (scheduled) {
        parts.push(scheduled);
      }
      parts.push(
        uptime !== undefined && deployment.status === 'running'
          ? `${status} ${formatDuration(uptime)}`
          : status,
      );
      break;
    case 'failed':
    case 'terminated':
    case 'terminated-provider':
      if (deployment.status !== 'failed' || deployment.totalCost > 0) {
        parts.push(`${formatUsd(deployment.totalCost)} total`);
      }
      parts.push(status);
      if (uptime !== undefined) {
        parts.push(`ran ${formatDuration(uptime)}`);
      }
      break;
  }
  return parts.join(' · ');
}

function rateText(deployment: Deployment): string {
  const rate = formatRate(deployment.hourlyRate);
  if (deployment.originalHourlyRate > deployment.hourlyRate && deployment.originalHourlyRate > 0) {
    const percent = Math.round((1 - deployment.hourlyRate / deployment.originalHourlyRate) * 100);
    return `${rate} (discounted ${percent}% from ${formatRate(deployment.originalHourlyRate)})`;
  }
  return rate;
}

function instanceTooltip(deployment: Deployment, resolved: Resolved): string {
  const { nowMs } = resolved;
  const ended = isEnded(deployment.status);
  const header =
    deployment.status === 'unknown'
      ? `**${escapeMarkdown(instanceLabel(deployment))}** — unknown status “${escapeMarkdown(singleLine(deployment.rawStatus))}” from the API`
      : `**${escapeMarkdown(instanceLabel(deployment))}** — ${statusText(deployment)}`;
  const lines: string[] = [];
  lines.push(`- IP: ${deployment.ipAddress ? escapeMarkdown(deployment.ipAddress) : 'not assigned yet'}`);
  if (!ended) {
    const { user, assumed } = sshUserOf(deployment);
    lines.push(
      `- SSH user: ${escapeMarkdown(user)}${assumed ? ' (assumed)' : ''} · port ${deployment.sshPort ?? '22 (assumed)'}`,
    );
    const command = sshCommandFor(deployment);
    if (command.ok) {
      lines.push(`- SSH: ${codeSpan(command.value)}`);
    }
  }
  lines.push(`- Region: ${deployment.region ? escapeMarkdown(deployment.region) : 'unknown'}`);
  if (deployment.operatingSystem) {
    lines.push(`- OS: ${escapeMarkdown(deployment.operatingSystem)}`);
  }
  lines.push(
    deployment.gpuCount === 0
      ? '- GPU: none (CPU only)'
      : `- GPU: ${formatCount(deployment.gpuCount)} × ${deployment.gpuType ? escapeMarkdown(gpuTypeDisplayName(singleLine(deployment.gpuType))) : 'unknown'}`,
  );
  lines.push(
    `- Instance type: ${deployment.instanceType ? escapeMarkdown(instanceTypeDisplayName(singleLine(deployment.instanceType))) : 'unknown'} · ${deployment.provider ? escapeMarkdown(deployment.provider) : 'provider unknown'}`,
  );
  lines.push(`- Rate: ${rateText(deployment)}`);
  lines.push(`- ${ended ? 'Total cost' : 'Cost so far'}: ${formatUsd(costSoFar(deployment, nowMs))}`);
  const uptime = uptimeMs(deployment, nowMs);
  if (uptime !== undefined) {
    lines.push(
      `- ${deployment.status === 'deploying' ? 'Deploying for' : ended ? 'Ran for' : 'Uptime'}: ${formatDuration(uptime)}`,
    );
  }
  const minimum = minimumRuntimeState(deployment, nowMs, resolved.minimumMinutes);
  if (minimum) {
    lines.push(`- Minimum runtime: ${describeMinimumRuntime(minimum)}`);
  }
  if (resolved.scheduled && !ended) {
    lines.push(`- Scheduled: terminates when allowed, at ${resolved.formatClock(resolved.scheduled.atMs)}`);
  }
  lines.push(`- ID: ${codeSpan(deployment.id)}`);

  const sections = [header, lines.join('\n')];
  if (deployment.status === 'terminated-provider') {
    sections.push(
      '⚠ The provider reclaimed this instance (spot preemption or hardware failure). It no longer bills.',
    );
  }
  if (deployment.status === 'stopped') {
    sections.push('Stopped instances still bill on some providers. Terminate it if you no longer need it.');
  }
  if (deployment.status === 'running' && !hasUsableIp(deployment.ipAddress)) {
    sections.push('Running, but the API has not reported an IP address yet.');
  }
  if (isSpot(deployment.instanceType) && !ended) {
    sections.push('Spot: can be reclaimed by the provider at any time.');
  }
  return sections.join('\n\n');
}

function tunnelIcon(tunnel: TunnelRowState): NodeIcon {
  switch (tunnel.phase) {
    case 'starting':
      return { codicon: 'loading~spin', spin: true };
    case 'open':
      return { codicon: 'plug', color: 'charts.green' };
    case 'error':
      return { codicon: 'error', color: 'charts.red' };
    case 'stopped':
      return { codicon: 'debug-disconnect', color: 'disabledForeground' };
  }
}

function tunnelNode(deploymentId: string, tunnel: TunnelRowState): TunnelNode {
  const label = `${tunnel.name} → localhost:${tunnel.localPort}`;
  const lines = [`**${escapeMarkdown(label)}** — ${tunnel.phase}`, `Remote port ${tunnel.remotePort}.`];
  if (tunnel.error) {
    lines.push(escapeMarkdown(tunnel.error));
  }
  return {
    kind: 'tunnel',
    id: `tunnel:${deploymentId}:${tunnel.remotePort}:${tunnel.localPort}`,
    label,
    description: tunnel.phase === 'error' && tunnel.error ? `error: ${tunnel.error}` : tunnel.phase,
    tooltip: lines.join('\n\n'),
    icon: tunnelIcon(tunnel),
    contextValue: contextValueFor({ kind: 'tunnel', phase: tunnel.phase }),
    collapsible: 'none',
    deploymentId,
    tunnel,
  };
}

export function instanceNode(deployment: Deployment, options: InstanceViewOptions): InstanceNode {
  const scheduled = options.scheduledTerminations?.get(deployment.id);
  const resolved: Resolved = {
    nowMs: options.nowMs,
    scheduled,
    minimumMinutes:
      options.minimumRuntimes?.get(deployment.id) ??
      options.minimumRuntimeMinutes ??
      DEFAULT_MINIMUM_RUNTIME_MINUTES,
    formatClock: options.formatClock ?? ((ms) => formatClockTime(ms)),
  };
  const tunnels = options.tunnels?.get(deployment.id) ?? [];
  const children = tunnels.map((tunnel) => tunnelNode(deployment.id, tunnel));
  const node: InstanceNode = {
    kind: 'instance',
    id: `instance:${deployment.id}`,
    label: instanceLabel(deployment),
    description: instanceDescription(deployment, resolved),
    tooltip: instanceTooltip(deployment, resolved),
    // A scheduled termination shows in the icon too: the description's end may be cut off.
    icon:
      scheduled && !isEnded(deployment.status)
        ? { codicon: 'watch', color: 'charts.orange' }
        : instanceIcon(deployment.status),
    contextValue: contextValueFor({
      kind: 'instance',
      deployment,
      scheduledTerminate: scheduled !== undefined,
    }),
    collapsible: children.length > 0 ? 'expanded' : 'none',
    deployment,
  };
  return children.length > 0 ? { ...node, children } : node;
}

function sortRank(status: DeploymentStatus): number {
  switch (status) {
    case 'deploying':
      return 0;
    case 'running':
      return 1;
    case 'stopped':
    case 'unknown':
    case 'failed':
    case 'terminated':
    case 'terminated-provider':
      return 2;
  }
}

function compareInstances(a: Deployment, b: Deployment): number {
  const rank = sortRank(a.status) - sortRank(b.status);
  if (rank !== 0) {
    return rank;
  }
  const labelA = instanceLabel(a).toLowerCase();
  const labelB = instanceLabel(b).toLowerCase();
  return labelA < labelB ? -1 : labelA > labelB ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

function endedHiddenRow(count: number): MessageNode {
  return {
    kind: 'message',
    severity: 'info',
    id: 'instances:endedHidden',
    label: `${plural(count, 'ended instance')} hidden`,
    tooltip: 'Failed, terminated and reclaimed instances are hidden. Click to show them.',
    icon: { codicon: 'eye-closed' },
    collapsible: 'none',
    command: { id: MODEL_COMMAND_IDS.showEndedInstances, title: 'Show Ended Instances' },
  };
}

/**
 * Deployments with the `instanceType` the API left out filled in from the catalogue offer they
 * were deployed from (same offer id, same provider in either spelling: `datacrunch` is
 * `data-crunch`). The live list sends no instanceType; without this a spot instance shows as
 * "unknown", without the warning that the provider can reclaim it. Unchanged when the API sent
 * one, or when no offer matches.
 */
export function withOfferInstanceTypes(
  deployments: readonly Deployment[],
  groups: readonly Pick<OfferGroup, 'offers'>[],
): Deployment[] {
  return deployments.map((deployment) => {
    if (deployment.instanceType || deployment.offerId === null) {
      return deployment;
    }
    const offer = groups
      .flatMap((group) => group.offers)
      .find(
        (candidate) =>
          candidate.offerId === deployment.offerId && sameProvider(candidate.provider, deployment.provider),
      );
    return offer?.instanceType ? { ...deployment, instanceType: offer.instanceType } : deployment;
  });
}

/**
 * The Instances view rows: a stale row when the list could not be refreshed, then instances
 * (deploying first, then running, then the rest, each by name), then a note about hidden
 * ended instances. Empty when there is nothing at all, so the view's welcome text shows.
 */
export function buildInstanceNodes(
  deployments: readonly Deployment[],
  options: InstanceViewOptions,
): ModelNode[] {
  const shown = options.showEnded ? [...deployments] : deployments.filter((d) => !isEnded(d.status));
  const hiddenCount = deployments.length - shown.length;
  shown.sort(compareInstances);
  const rows: ModelNode[] = shown.map((deployment) => instanceNode(deployment, options));
  if (hiddenCount > 0) {
    rows.push(endedHiddenRow(hiddenCount));
  }
  return withStaleRow(
    withUnreadableRow(rows, options.rejected, 'instance', 'instances'),
    options.stale,
    'instances',
    options.nowMs,
  );
}

export interface StatusTransition {
  readonly deployment: Deployment;
  readonly from: DeploymentStatus;
  readonly to: DeploymentStatus;
}

/**
 * Status changes between two lists of the same team. Deployments that are new or gone are not
 * transitions (the first load must not announce everything). An unknown status that changes
 * its raw text counts as a change.
 */
export function detectTransitions(
  previous: readonly Deployment[],
  next: readonly Deployment[],
): StatusTransition[] {
  const before = new Map(previous.map((deployment) => [deployment.id, deployment]));
  const transitions: StatusTransition[] = [];
  for (const deployment of next) {
    const old = before.get(deployment.id);
    if (old && (old.status !== deployment.status || old.rawStatus !== deployment.rawStatus)) {
      transitions.push({ deployment, from: old.status, to: deployment.status });
    }
  }
  return transitions;
}

/** Deployments the provider reclaimed since the previous list, for a notification. */
export function detectReclaims(previous: readonly Deployment[], next: readonly Deployment[]): Deployment[] {
  return detectTransitions(previous, next)
    .filter(
      (transition) => transition.to === 'terminated-provider' && transition.from !== 'terminated-provider',
    )
    .map((transition) => transition.deployment);
}

/** How close a scheduled termination must be before instances poll fast. */
export const SCHEDULED_TERMINATION_NEAR_MS = 2 * MINUTE_MS;

/**
 * What the instances poller needs from a fresh list: poll fast while anything is deploying or
 * a scheduled termination is near, and wake up in time for the next one that is not near yet.
 */
export function instancePollResult(
  deployments: readonly Deployment[],
  options: {
    readonly nowMs: number;
    readonly scheduledTerminations?: ReadonlyMap<string, ScheduledTermination>;
  },
): PollResult {
  const live = new Set(deployments.filter((d) => !isEnded(d.status)).map((d) => d.id));
  let transitional = deployments.some((d) => d.status === 'deploying');
  let wakeInMs: number | undefined;
  for (const [id, scheduled] of options.scheduledTerminations ?? []) {
    if (!live.has(id)) {
      continue;
    }
    const untilNear = scheduled.atMs - SCHEDULED_TERMINATION_NEAR_MS - options.nowMs;
    if (untilNear <= 0) {
      transitional = true;
    } else {
      wakeInMs = wakeInMs === undefined ? untilNear : Math.min(wakeInMs, untilNear);
    }
  }
  return wakeInMs === undefined ? { transitional } : { transitional, wakeInMs };
}
