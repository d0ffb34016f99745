// Adds telemetry and the idle guard to the Instances rows the model built: GPU rows under each
// running instance (shown, and read, only while it is expanded), a summary in its description,
// and the guard's line in its tooltip. Pure, over plain nodes.
import type { Deployment } from '../domain/types';
import { isConnectable } from '../model/classify';
import type { InstanceNode, MessageNode, ModelNode } from '../model/nodes';
import type { InstanceTelemetry } from './telemetryManager';
import { gpuRowDescription, gpuRowLabel, telemetrySummary } from './telemetryText';

export interface InstanceExtras {
  readonly nowMs: number;
  /** Undefined while the instance is not watched (collapsed). */
  readonly telemetry: (deploymentId: string) => InstanceTelemetry | undefined;
  /** Why there is no telemetry at all (no SSH host for it), if so. */
  readonly unavailable?: (deployment: Deployment) => string | undefined;
  /** `idle for 23 min · guard at 60 min`, when the guard watches it. */
  readonly idleLine: (deploymentId: string) => string | undefined;
}

function row(
  deploymentId: string,
  suffix: string,
  label: string,
  rest: Partial<MessageNode> = {},
): MessageNode {
  return {
    kind: 'message',
    severity: 'info',
    id: `telemetry:${deploymentId}:${suffix}`,
    label,
    tooltip: rest.tooltip ?? label,
    icon: rest.icon ?? { codicon: 'pulse' },
    collapsible: 'none',
    ...(rest.description !== undefined ? { description: rest.description } : {}),
  };
}

function telemetryRows(
  deployment: Deployment,
  telemetry: InstanceTelemetry | undefined,
  extras: InstanceExtras,
): MessageNode[] {
  const id = deployment.id;
  const unavailable = extras.unavailable?.(deployment);
  if (unavailable !== undefined) {
    return [row(id, 'status', `GPU telemetry unavailable: ${unavailable}`, { icon: { codicon: 'info' } })];
  }
  if (!telemetry || telemetry.state === 'connecting') {
    return [row(id, 'status', 'GPU telemetry: connecting…', { icon: { codicon: 'loading~spin' } })];
  }
  switch (telemetry.state) {
    case 'ssh-failed':
      return [
        row(id, 'status', 'GPU telemetry: SSH failed, will retry', {
          tooltip: `SSH failed: ${telemetry.message}. Retrying in ${Math.max(1, Math.ceil((telemetry.retryAtMs - extras.nowMs) / 1000))} s.`,
          description: telemetry.message,
          icon: { codicon: 'warning', color: 'list.warningForeground' },
        }),
      ];
    case 'no-gpu':
      return [
        row(id, 'status', 'No GPU readings', {
          description: telemetry.message,
          tooltip: telemetry.message,
          icon: { codicon: 'info' },
        }),
      ];
    case 'ok':
      return telemetry.gpus.map((gpu) =>
        row(id, `gpu:${gpu.index}`, gpuRowLabel(gpu), {
          description: gpuRowDescription(gpu),
          tooltip: [gpu.name ?? `GPU ${gpu.index}`, gpuRowLabel(gpu), gpuRowDescription(gpu)]
            .filter(Boolean)
            .join('\n\n'),
          icon: { codicon: 'circuit-board' },
        }),
      );
  }
}

function decorate(node: InstanceNode, extras: InstanceExtras): InstanceNode {
  const deployment = node.deployment;
  const idle = extras.idleLine(deployment.id);
  const tooltip = idle === undefined ? node.tooltip : `${node.tooltip}\n\nIdle guard: ${idle}`;
  if (deployment.status !== 'running' || !isConnectable(deployment)) {
    return idle === undefined ? node : { ...node, tooltip };
  }
  const telemetry = extras.telemetry(deployment.id);
  const summary =
    telemetry?.state === 'ok' && telemetry.gpus.length > 0 ? telemetrySummary(telemetry.gpus) : undefined;
  return {
    ...node,
    ...(summary !== undefined
      ? { description: node.description ? `${node.description} · ${summary}` : summary }
      : {}),
    tooltip,
    // Collapsed until the user opens it: expanding is what starts the readings.
    collapsible: node.collapsible === 'none' ? 'collapsed' : node.collapsible,
    children: [...(node.children ?? []), ...telemetryRows(deployment, telemetry, extras)],
  };
}

export function withInstanceExtras(nodes: readonly ModelNode[], extras: InstanceExtras): ModelNode[] {
  return nodes.map((node) => (node.kind === 'instance' ? decorate(node, extras) : node));
}
