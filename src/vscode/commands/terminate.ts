import * as vscode from 'vscode';
import { MinimumRuntimeError } from '../../core/api/errors';
import type { CanTerminate, Deployment } from '../../core/domain/types';
import { planTermination, type TerminationPlan } from '../../core/deploy/terminationPrompt';
import { isEnded } from '../../core/model/classify';
import { formatClockTime } from '../../core/model/format';
import { instanceLabel } from '../../core/model/instances';
import { receiptLogLine, receiptText, terminationReceipt } from '../../core/receipt/receipt';
import type { Confirmations } from '../prompts';
import type { Services } from '../services';
import { resolveDeployment } from './instanceArgs';
import type { SpheronCommand } from './types';

/** The harmless choice, first in the dialog so Enter keeps the instance. */
const KEEP_RUNNING_BUTTON = 'Keep Running';

export type TerminateResult = 'terminated' | 'already-terminated' | 'scheduled' | 'cancelled';

/** Stops what pointed at the instance and reloads the list; the SSH sync then drops its host entry. */
export async function afterTermination(services: Services, deploymentId: string): Promise<void> {
  if (services.terminations.isScheduled(deploymentId)) {
    await services.terminations.cancel(deploymentId);
  }
  await services.ssh
    .tunnels()
    .stopAllFor(deploymentId)
    .catch((error: unknown) => services.logger.warn(`Stopping tunnels of ${deploymentId}: ${String(error)}`));
  await services.explorer.refresh('instances');
}

async function schedule(
  services: Services,
  deployment: Deployment,
  plan: Extract<TerminationPlan, { kind: 'wait' }>,
  confirmations: Confirmations,
): Promise<TerminateResult> {
  const choice = await confirmations.destructive(plan.message, plan.detail, KEEP_RUNNING_BUTTON, plan.button);
  if (choice !== plan.button) {
    return 'cancelled';
  }
  const name = instanceLabel(deployment);
  await services.terminations.schedule(deployment.id, plan.earliestAtMs, name);
  services.logger.info(`Scheduled termination of ${name} (${deployment.id}) in ${plan.minutesRemaining} min`);
  void vscode.window.showInformationMessage(
    `“${name}” will be terminated when Spheron allows it, at about ${formatClockTime(plan.earliestAtMs)}. Keep VS Code open; you can cancel it from the instance's context menu.`,
  );
  return 'scheduled';
}

/** The terminate command's whole path after the target is known (the chat tool uses it too). */
export async function terminateNow(
  services: Services,
  deployment: Deployment,
  confirmations: Confirmations,
): Promise<TerminateResult> {
  const api = services.session.api;
  const name = instanceLabel(deployment);
  const allowed = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Window, title: `Checking whether “${name}” can be terminated…` },
    () => api.canTerminate(deployment.id),
  );
  const scheduled = services.terminations.scheduled().find((entry) => entry.deploymentId === deployment.id);
  const plan = planTermination(deployment, allowed, {
    nowMs: Date.now(),
    ...(scheduled ? { scheduled } : {}),
  });
  switch (plan.kind) {
    case 'alreadyTerminated':
      await afterTermination(services, deployment.id);
      void vscode.window.showInformationMessage(plan.message);
      return 'already-terminated';
    case 'wait':
      return schedule(services, deployment, plan, confirmations);
    case 'confirm':
      break;
  }
  const choice = await confirmations.destructive(plan.message, plan.detail, KEEP_RUNNING_BUTTON, plan.button);
  if (choice !== plan.button) {
    return 'cancelled';
  }
  let alreadyTerminated: boolean;
  try {
    const result = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Terminating “${name}”…` },
      () => api.terminateDeployment(deployment.id),
    );
    alreadyTerminated = result.alreadyTerminated;
  } catch (error) {
    if (!(error instanceof MinimumRuntimeError)) {
      throw error;
    }
    // can-terminate said yes a moment ago, but the DELETE disagrees: offer to wait after all.
    const refused: CanTerminate = {
      canTerminate: false,
      runtimeMinutes: undefined,
      minimumRuntimeMinutes: error.minimumRuntime,
      timeRemainingMinutes: Math.max(1, error.timeRemaining),
      reason: error.message,
    };
    const waitPlan = planTermination(deployment, refused, { nowMs: Date.now() });
    return waitPlan.kind === 'wait' ? schedule(services, deployment, waitPlan, confirmations) : 'cancelled';
  }
  services.logger.info(
    `Terminated ${name} (${deployment.id})${alreadyTerminated ? ' (already terminated)' : ''}`,
  );
  const receipt = terminationReceipt(deployment, Date.now(), allowed.minimumRuntimeMinutes);
  services.logger.info(receiptLogLine(receipt, deployment.id));
  await afterTermination(services, deployment.id);
  void vscode.window.showInformationMessage(
    alreadyTerminated
      ? `“${name}” was already terminated.`
      : `Terminated “${name}”. It no longer bills. Receipt: ${receiptText(receipt)}.`,
  );
  return alreadyTerminated ? 'already-terminated' : 'terminated';
}

/**
 * Terminate: checks `can-terminate`, confirms in a modal (name, cost so far, rate, the disk is
 * destroyed), and inside the minimum runtime offers "Terminate When Allowed".
 */
export const terminateCommand: SpheronCommand = {
  id: 'spheron.instance.terminate',
  title: 'Terminate',
  async run(services, target?: unknown, options?: unknown): Promise<TerminateResult> {
    const deployment = await resolveDeployment(services, target, {
      title: 'Terminate Instance',
      accept: (candidate) => !isEnded(candidate.status),
    });
    if (!deployment) {
      return 'cancelled';
    }
    return terminateNow(services, deployment, services.prompts.for(options));
  },
};
