import * as vscode from 'vscode';
import type { Collapsible, ModelNode, NodeIcon } from '../../core/model/nodes';

const COLLAPSIBLE: Record<Collapsible, vscode.TreeItemCollapsibleState> = {
  none: vscode.TreeItemCollapsibleState.None,
  collapsed: vscode.TreeItemCollapsibleState.Collapsed,
  expanded: vscode.TreeItemCollapsibleState.Expanded,
};

export function themeIcon(icon: NodeIcon): vscode.ThemeIcon {
  // `loading~spin` already spins; `~spin` on any other codicon makes it spin too.
  const id = icon.spin && !icon.codicon.endsWith('~spin') ? `${icon.codicon}~spin` : icon.codicon;
  return new vscode.ThemeIcon(id, icon.color ? new vscode.ThemeColor(icon.color) : undefined);
}

/** Renders a model node 1:1; all text was computed in src/core/model. */
export function toTreeItem(node: ModelNode): vscode.TreeItem {
  const item = new vscode.TreeItem(node.label, COLLAPSIBLE[node.collapsible]);
  item.id = node.id;
  item.description = node.description;
  const tooltip = new vscode.MarkdownString(node.tooltip, true);
  tooltip.isTrusted = false;
  item.tooltip = tooltip;
  item.iconPath = themeIcon(node.icon);
  item.contextValue = node.contextValue;
  if (node.command) {
    item.command = {
      command: node.command.id,
      title: node.command.title,
      arguments: node.command.args ? [...node.command.args] : [node],
    };
  }
  item.accessibilityInformation = {
    label: node.description ? `${node.label}, ${node.description}` : node.label,
  };
  return item;
}

/** Children a node carries inline (groups, instances with tunnels). */
export function childrenOf(node: ModelNode): readonly ModelNode[] {
  switch (node.kind) {
    case 'offerGroup':
      return node.children;
    case 'instance':
      return node.children ?? [];
    case 'offer':
    case 'tunnel':
    case 'volume':
    case 'message':
    case 'error':
      return [];
  }
}

/**
 * A TreeDataProvider over a list of model nodes. The owner calls `setNodes` after each change;
 * VS Code asks again for what is visible.
 */
export class ModelTreeProvider implements vscode.TreeDataProvider<ModelNode>, vscode.Disposable {
  private roots: readonly ModelNode[] = [];
  private readonly parents = new Map<string, ModelNode>();
  private readonly changed = new vscode.EventEmitter<ModelNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  setNodes(nodes: readonly ModelNode[]): void {
    this.roots = nodes;
    this.parents.clear();
    const visit = (parent: ModelNode) => {
      // An offer group builds its rows on first expansion; getChildren records them then.
      if (parent.kind === 'offerGroup') {
        return;
      }
      for (const child of childrenOf(parent)) {
        this.parents.set(child.id, parent);
        visit(child);
      }
    };
    nodes.forEach(visit);
    this.changed.fire(undefined);
  }

  get nodes(): readonly ModelNode[] {
    return this.roots;
  }

  getTreeItem(node: ModelNode): vscode.TreeItem {
    return toTreeItem(node);
  }

  getChildren(node?: ModelNode): ModelNode[] {
    if (!node) {
      return [...this.roots];
    }
    const children = childrenOf(node);
    for (const child of children) {
      this.parents.set(child.id, node);
    }
    return [...children];
  }

  getParent(node: ModelNode): ModelNode | undefined {
    return this.parents.get(node.id);
  }

  dispose(): void {
    this.changed.dispose();
  }
}
