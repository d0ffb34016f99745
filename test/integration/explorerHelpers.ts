// Shared by the explorer's extension-host tests: reading the three trees the way VS Code does
// (getChildren, getTreeItem), and putting the explorer and the simulator back to a known state.
import * as vscode from 'vscode';
import type { ModelNode } from '../../src/core/model/nodes';
import { DEFAULT_OFFER_FILTERS } from '../../src/core/model/offers';
import type { Services } from '../../src/vscode/services';
import type { ModelTreeProvider } from '../../src/vscode/tree/render';
import { DEFAULT_API_KEY } from '../simulator/config';
import { SEED_IDS } from '../simulator/seed';
import { simulatorAdmin, waitFor } from './helpers';

/** Ids from the simulator's seed, and its demo key. */
export const SEED = { apiKey: DEFAULT_API_KEY, ...SEED_IDS } as const;

/** What VS Code shows for one row: the TreeItem the provider hands out, and the row's children. */
export interface ShownRow {
  readonly node: ModelNode;
  readonly item: vscode.TreeItem;
  readonly label: string;
  readonly description: string;
  readonly tooltip: string;
  readonly icon: string | undefined;
  readonly children: readonly ShownRow[];
}

function labelText(label: vscode.TreeItem['label']): string {
  return typeof label === 'string' ? label : (label?.label ?? '');
}

function tooltipText(tooltip: vscode.TreeItem['tooltip']): string {
  return typeof tooltip === 'string' ? tooltip : (tooltip?.value ?? '');
}

/** The rows of a tree, as VS Code asks for them: getChildren, then getTreeItem for each. */
export function shownRows(tree: ModelTreeProvider, parent?: ModelNode): ShownRow[] {
  return tree.getChildren(parent).map((node) => {
    const item = tree.getTreeItem(node);
    return {
      node,
      item,
      label: labelText(item.label),
      description: typeof item.description === 'string' ? item.description : '',
      tooltip: tooltipText(item.tooltip),
      icon: item.iconPath instanceof vscode.ThemeIcon ? item.iconPath.id : undefined,
      children: shownRows(tree, node),
    };
  });
}

export function rowLabels(rows: readonly ShownRow[]): string[] {
  return rows.map((row) => row.label);
}

export function findRow(rows: readonly ShownRow[], label: string | RegExp): ShownRow | undefined {
  return rows.find((row) => (typeof label === 'string' ? row.label === label : label.test(row.label)));
}

/** Rows whose node is of one kind (e.g. the offer groups, without stale or message rows). */
export function rowsOfKind(rows: readonly ShownRow[], kind: ModelNode['kind']): ShownRow[] {
  return rows.filter((row) => row.node.kind === kind);
}

export function describeRows(rows: readonly ShownRow[]): string {
  return rows.map((row) => `${row.label}${row.description ? ` — ${row.description}` : ''}`).join(' | ');
}

export async function clearFaults(): Promise<void> {
  await simulatorAdmin('faults', undefined, 'DELETE');
}

/**
 * Back to the seed: the simulator reset (faults cleared), default filters, ended instances hidden,
 * the seed's current team, and every view reloaded from scratch.
 */
export async function resetExplorer(services: Services): Promise<void> {
  await simulatorAdmin('reset', {});
  if (services.session.selectedTeamId() !== undefined) {
    await services.globalState.update('spheron.selectedTeamId', undefined);
  }
  await services.explorer.setOfferFilters(DEFAULT_OFFER_FILTERS);
  await services.explorer.setShowEnded(false);
  services.data.resetAccountData();
  services.data.offers.reset();
  await services.explorer.refresh();
  await waitFor(
    () =>
      services.data.offers.state.value !== undefined &&
      services.data.deployments.state.value !== undefined &&
      services.data.volumes.state.value !== undefined &&
      services.data.balance.state.value !== undefined,
    { timeoutMs: 20_000, message: 'the explorer data after a reset' },
  );
}

export interface RequestLogEntry {
  readonly method: string;
  readonly path: string;
  readonly route: string;
  readonly status: number;
  readonly atMs: number;
}

export async function requestLog(): Promise<RequestLogEntry[]> {
  const log = await simulatorAdmin<{ entries: RequestLogEntry[] }>('requests');
  return log.entries;
}
