import * as vscode from 'vscode';
import type { ModelNode } from '../../core/model/nodes';
import type { Explorer } from '../explorer/explorer';

async function reveal(explorer: Explorer, view: 'instances' | 'volumes', nodeId: string): Promise<boolean> {
  await vscode.commands.executeCommand(`spheron.${view}.focus`);
  const tree = view === 'instances' ? explorer.instancesTree : explorer.volumesTree;
  const find = (): ModelNode | undefined => tree.nodes.find((node) => node.id === nodeId);
  let node = find();
  if (!node) {
    await explorer.refresh(view);
    node = find();
  }
  if (!node) {
    return false;
  }
  const treeView = view === 'instances' ? explorer.instancesView : explorer.volumesView;
  await treeView.reveal(node, { select: true, focus: true });
  return true;
}

/** Shows the deployment's row in the Instances view (refreshing once if it is not there yet). */
export function revealInstance(explorer: Explorer, deploymentId: string): Promise<boolean> {
  return reveal(explorer, 'instances', `instance:${deploymentId}`);
}

export function revealVolume(explorer: Explorer, volumeId: string): Promise<boolean> {
  return reveal(explorer, 'volumes', `volume:${volumeId}`);
}

/**
 * Expands the instance's row so its tunnel rows show. VS Code keeps a row's collapse state by id
 * and ignores the `Expanded` a row asks for once it exists, so a row that had no children when it
 * was first drawn stays collapsed (its new tunnel hidden) unless it is expanded like this. Only
 * while the view is visible: this must not open the side bar.
 */
export async function expandInstanceRow(explorer: Explorer, deploymentId: string): Promise<void> {
  const node = explorer.instancesTree.nodes.find((entry) => entry.id === `instance:${deploymentId}`);
  if (node && explorer.instancesView.visible) {
    await explorer.instancesView.reveal(node, { select: false, focus: false, expand: true });
  }
}
