// The Volumes view: where the data is, what it is attached to, and whether it bills for nothing.

import { rejectedCount, type Volume } from '../domain/types';
import { HOURS_PER_MONTH, isVolumeAttached, isVolumeUnattachedBilling, volumeHourlyCost } from './classify';
import { contextValueFor } from './contextValue';
import { withStaleRow, withUnreadableRow } from './errors';
import { codeSpan, escapeMarkdown, formatBytes, formatRate, formatSizeGb, formatUsd } from './format';
import type { ModelNode, NodeIcon, StaleState, VolumeNode } from './nodes';
import { singleLine } from '../util/text';

export interface VolumeViewOptions {
  /** Deployment id → display name, to say what a volume is attached to. */
  readonly deploymentNames: ReadonlyMap<string, string>;
  readonly nowMs: number;
  readonly stale?: StaleState;
  /** Volumes the API sent that could not be read. */
  readonly rejected?: number;
}

/** USD per month for keeping the volume, at 730 h a month. */
export function volumeMonthlyCost(volume: Pick<Volume, 'hourlyRatePerGb' | 'sizeGb'>): number {
  return volumeHourlyCost(volume) * HOURS_PER_MONTH;
}

/** The name from the API on one capped line (singleLine), or the id when it has none. */
export function volumeLabel(volume: Pick<Volume, 'id' | 'name'>): string {
  return singleLine(volume.name) || singleLine(volume.id);
}

function attachmentNames(volume: Volume, names: ReadonlyMap<string, string>): string[] {
  return volume.attachedDeploymentIds.map((id) => names.get(id) ?? `instance ${singleLine(id.slice(-8))}`);
}

function volumeIcon(volume: Volume): NodeIcon {
  if (isVolumeUnattachedBilling(volume)) {
    return { codicon: 'warning', color: 'list.warningForeground' };
  }
  switch (volume.status) {
    case 'attached':
    case 'available':
      return isVolumeAttached(volume)
        ? { codicon: 'database', color: 'charts.green' }
        : { codicon: 'database' };
    case 'deleting':
      return { codicon: 'loading~spin', spin: true };
    case 'deleted':
      return { codicon: 'trash', color: 'disabledForeground' };
    case 'unknown':
      return { codicon: 'question' };
  }
}

function attachmentText(volume: Volume, names: ReadonlyMap<string, string>): string {
  switch (volume.status) {
    case 'deleting':
      return 'deleting…';
    case 'deleted':
      return 'deleted';
    case 'unknown':
      return `unknown status “${singleLine(volume.rawStatus)}”`;
    case 'attached':
    case 'available': {
      const attached = attachmentNames(volume, names);
      if (attached.length > 0) {
        return `attached to ${attached.join(', ')}`;
      }
      return volume.status === 'attached' ? 'attached' : 'unattached';
    }
  }
}

function volumeDescription(volume: Volume, names: ReadonlyMap<string, string>): string {
  const parts = [
    formatSizeGb(volume.sizeGb),
    volume.provider ? singleLine(volume.provider) : 'provider unknown',
  ];
  if (volume.region) {
    parts.push(singleLine(volume.region));
  }
  parts.push(attachmentText(volume, names));
  return parts.join(' · ');
}

function volumeTooltip(volume: Volume, names: ReadonlyMap<string, string>): string {
  const hourly = volumeHourlyCost(volume);
  const lines = [
    `- Size: ${formatSizeGb(volume.sizeGb)}${volume.usedBytes > 0 ? ` (${formatBytes(volume.usedBytes)} used)` : ''}`,
    `- Provider: ${volume.provider ? escapeMarkdown(singleLine(volume.provider)) : 'unknown'}`,
    `- Region: ${volume.region ? escapeMarkdown(singleLine(volume.region)) : 'not reported'}`,
    `- Status: ${escapeMarkdown(attachmentText(volume, names))}`,
  ];
  if (volume.hourlyRatePerGb > 0 && volume.status !== 'deleted') {
    lines.push(
      `- Cost: ${formatRate(hourly)} (about ${formatUsd(volumeMonthlyCost(volume))}/month at ${formatRate(volume.hourlyRatePerGb)} per GB)`,
    );
  }
  lines.push(
    `- ID: ${codeSpan(volume.id)}${volume.providerVolumeId ? ` · provider ${codeSpan(volume.providerVolumeId)}` : ''}`,
  );
  const sections = [`**${escapeMarkdown(volumeLabel(volume))}**`, lines.join('\n')];
  if (isVolumeUnattachedBilling(volume)) {
    sections.push(`⚠ Unattached but still billing: ${formatUsd(volumeMonthlyCost(volume))}/month`);
  }
  return sections.join('\n\n');
}

export function volumeNode(volume: Volume, names: ReadonlyMap<string, string>): VolumeNode {
  return {
    kind: 'volume',
    id: `volume:${volume.id}`,
    label: volumeLabel(volume),
    description: volumeDescription(volume, names),
    tooltip: volumeTooltip(volume, names),
    icon: volumeIcon(volume),
    contextValue: contextValueFor({ kind: 'volume', volume }),
    collapsible: 'none',
    volume,
  };
}

/** Volumes by name, with a stale row on top when the list could not be refreshed. */
export function buildVolumeNodes(volumes: readonly Volume[], options: VolumeViewOptions): ModelNode[] {
  const sorted = [...volumes].sort((a, b) => {
    const nameA = a.name.toLowerCase();
    const nameB = b.name.toLowerCase();
    return nameA < nameB ? -1 : nameA > nameB ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
  });
  const rows = sorted.map((volume) => volumeNode(volume, options.deploymentNames));
  return withStaleRow(
    withUnreadableRow(rows, options.rejected, 'volume', 'volumes'),
    options.stale,
    'volumes',
    options.nowMs,
  );
}

/**
 * The volumes of one team. `GET /api/volumes` takes no team parameter (it answers `page`,
 * `limit` and `status` only) and its volumes carry no team, so the team is inferred here: a
 * volume attached to one of the team's deployments is the team's, one attached elsewhere is
 * another team's, and an unattached one is counted for the account's current team only (the
 * team the API scopes team-less calls to), never billed to a team the user switched to.
 */
export function teamVolumes(
  volumes: readonly Volume[],
  team: { readonly deploymentIds: ReadonlySet<string>; readonly isAccountCurrentTeam: boolean },
): Volume[] {
  const kept = volumes.filter((volume) =>
    volume.attachedDeploymentIds.length > 0
      ? volume.attachedDeploymentIds.some((id) => team.deploymentIds.has(id))
      : team.isAccountCurrentTeam,
  );
  // Keep the "could not be read" count the client attached to the list.
  const rejected = rejectedCount(volumes);
  return rejected === 0 ? kept : Object.assign(kept, { rejected });
}
