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
