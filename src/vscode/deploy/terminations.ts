import * as vscode from 'vscode';
import type { TerminationEvent, TerminationScheduler } from '../../core/deploy/terminationScheduler';
import type { Deployment } from '../../core/domain/types';
import type { Logger } from '../../core/util/logger';
import { receiptLogLine, receiptText, terminationReceipt } from '../../core/receipt/receipt';
import { formatClockTime } from '../../core/model/format';

export interface TerminationFollowerDeps {
  readonly scheduler: TerminationScheduler;
  readonly logger: Logger;
  /** Re-renders the instance rows (the schedule shows on them). */
  readonly renderInstances: () => void;
  readonly refreshInstances: () => Promise<void>;
  readonly stopTunnels: (deploymentId: string) => Promise<void>;
  /** The instance as last listed, for the receipt. */
  readonly lookupDeployment?: (deploymentId: string) => Deployment | undefined;
}

function nameOf(name: string | undefined, deploymentId: string): string {
  return name ? `“${name}”` : `instance ${deploymentId}`;
}

/**
 * Keeps the Instances view in step with "terminate when allowed" and tells the user when a
 * scheduled termination happened or gave up.
 */
export function followTerminationScheduler(deps: TerminationFollowerDeps): vscode.Disposable {
  const handle = async (event: TerminationEvent): Promise<void> => {
    deps.renderInstances();
    switch (event.type) {
      case 'scheduled':
        deps.logger.info(
          `Scheduled termination of ${event.entry.deploymentId} at ${new Date(event.entry.dueAtMs).toISOString()}`,
        );
        return;
      case 'rescheduled':
        deps.logger.info(
          `Termination of ${event.entry.deploymentId} moved to ${new Date(event.entry.dueAtMs).toISOString()}: ${event.reason}`,
        );
        return;
      case 'cancelled':
        deps.logger.info(
          `Scheduled termination of ${event.deploymentId} ${event.elsewhere ? 'cancelled or carried out in another window' : 'cancelled'}`,
        );
        return;
      case 'done': {
        deps.logger.info(
          `Scheduled termination of ${event.deploymentId} done${event.alreadyTerminated ? ' (it was already terminated)' : ''}`,
        );
        const last = event.alreadyTerminated ? undefined : deps.lookupDeployment?.(event.deploymentId);
        const receipt = last ? terminationReceipt(last, Date.now()) : undefined;
        if (receipt) {
          deps.logger.info(receiptLogLine(receipt, event.deploymentId));
        }
        await deps.stopTunnels(event.deploymentId).catch(() => undefined);
        await deps.refreshInstances().catch(() => undefined);
        void vscode.window.showInformationMessage(
          `Spheron: ${nameOf(event.name, event.deploymentId)} ${event.alreadyTerminated ? 'was already terminated' : `was terminated as scheduled at ${formatClockTime(Date.now())}`}. It no longer bills.${receipt ? ` Receipt: ${receiptText(receipt)}.` : ''}`,
        );
        return;
      }
      case 'failed': {
        deps.logger.warn(event.message);
        await deps.refreshInstances().catch(() => undefined);
        const choice = await vscode.window.showWarningMessage(
          `Spheron: the scheduled termination did not happen. ${event.message} The instance may still be billing.`,
          'Show Instances',
          'Show Logs',
        );
        if (choice === 'Show Instances') {
          await vscode.commands.executeCommand('spheron.instances.focus');
        } else if (choice === 'Show Logs') {
          await vscode.commands.executeCommand('spheron.showLogs');
        }
        return;
      }
    }
  };
  const subscription = deps.scheduler.onDidChange((event) => {
    handle(event).catch((error: unknown) =>
      deps.logger.warn(`Following the termination schedule failed: ${String(error)}`),
    );
  });
  return new vscode.Disposable(() => subscription.dispose());
}
