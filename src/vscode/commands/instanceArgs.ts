import * as vscode from 'vscode';
import type { Deployment } from '../../core/domain/types';
import { isEnded } from '../../core/model/classify';
import { formatCount, formatRate } from '../../core/model/format';
import { instanceLabel } from '../../core/model/instances';
import type { ModelNode } from '../../core/model/nodes';
import type { Services } from '../services';

/** The deployment id a command was started with: a tree node, a deployment, or an id. */
export function deploymentIdFrom(arg: unknown): string | undefined {
  if (typeof arg === 'string') {
    return arg;
  }
  if (typeof arg === 'object' && arg !== null) {
    const node = arg as Partial<ModelNode> & { id?: unknown; deploymentId?: unknown };
    if (node.kind === 'instance') {
      return node.deployment?.id;
    }
    if (node.kind === 'tunnel' && typeof node.deploymentId === 'string') {
      return node.deploymentId;
    }
    if (!node.kind && typeof node.id === 'string' && 'rawStatus' in arg) {
      return node.id;
    }
  }
  return undefined;
}

/**
 * The deployment a command acts on. From a tree row it is that row's; from the palette the
 * user picks among the instances that `accept` allows.
 */
export async function resolveDeployment(
  services: Services,
  arg: unknown,
  options: { title: string; accept?: (deployment: Deployment) => boolean },
): Promise<Deployment | undefined> {
  const accept = options.accept ?? ((deployment: Deployment) => !isEnded(deployment.status));
  const id = deploymentIdFrom(arg);
  if (id) {
    const known = services.data.deployments.state.value?.find((deployment) => deployment.id === id);
    return known ?? (await services.session.api.getDeployment(id));
  }
  if (!services.data.deployments.state.value) {
    await services.data.deployments.refresh();
  }
  const { value, error } = services.data.deployments.state;
  if (!value) {
    throw error instanceof Error ? error : new Error('Could not load the instances.');
  }
  const candidates = value.filter(accept);
  if (candidates.length === 0) {
    void vscode.window.showInformationMessage(`${options.title}: there is no suitable instance.`);
    return undefined;
  }
  const picked = await vscode.window.showQuickPick(
    candidates.map((deployment) => ({
      label: instanceLabel(deployment),
      description: `${deployment.status} · ${formatCount(deployment.gpuCount)}× ${deployment.gpuType || 'unknown GPU'} · ${formatRate(deployment.hourlyRate)}`,
      detail: deployment.ipAddress ?? undefined,
      deployment,
    })),
    { title: options.title, placeHolder: 'Pick an instance' },
  );
  return picked?.deployment;
}
