import * as vscode from 'vscode';
import { formatClockTime } from '../../core/model/format';
import { instanceLabel } from '../../core/model/instances';
import { deploymentIdFrom } from './instanceArgs';
import type { SpheronCommand } from './types';

/** Cancels a "terminate when allowed"; from the palette, picks among the scheduled ones. */
export const cancelScheduledTerminationCommand: SpheronCommand = {
  id: 'spheron.instance.cancelScheduledTermination',
  title: 'Cancel Scheduled Termination',
  async run(services, target?: unknown): Promise<boolean> {
    const scheduled = services.terminations.scheduled();
    const names = new Map(
      (services.data.deployments.state.value ?? []).map((deployment) => [
        deployment.id,
        instanceLabel(deployment),
      ]),
    );
    const nameOf = (id: string, fallback: string | undefined) => names.get(id) ?? fallback ?? id;
    let deploymentId = deploymentIdFrom(target);
    if (!deploymentId) {
      if (scheduled.length === 0) {
        void vscode.window.showInformationMessage('No instance is scheduled to terminate.');
        return false;
      }
      const picked = await vscode.window.showQuickPick(
        scheduled.map((entry) => ({
          label: nameOf(entry.deploymentId, entry.name),
          description: `terminates at ${formatClockTime(entry.dueAtMs)}`,
          id: entry.deploymentId,
        })),
        { title: 'Cancel Scheduled Termination', placeHolder: 'Pick the instance to keep running' },
      );
      deploymentId = picked?.id;
    }
    if (!deploymentId) {
      return false;
    }
    const entry = scheduled.find((candidate) => candidate.deploymentId === deploymentId);
    const cancelled = await services.terminations.cancel(deploymentId);
    const name = nameOf(deploymentId, entry?.name);
    void vscode.window.showInformationMessage(
      cancelled
        ? `“${name}” will not be terminated automatically. It keeps running and billing.`
        : `“${name}” had no scheduled termination.`,
    );
    return cancelled;
  },
};
