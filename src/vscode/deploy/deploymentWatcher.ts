import * as vscode from 'vscode';
import type { SpheronApi } from '../../core/api/spheronApi';
import type { Logger } from '../../core/util/logger';
import { formatDuration } from '../../core/model/format';
import { instanceLabel } from '../../core/model/instances';
import {
  abortableSleep,
  CANCEL_DEPLOYMENT_ACTION,
  deployingMessage,
  STOP_WATCHING_ACTION,
  watchDeployment,
  type WatchOutcome,
} from '../../core/deploy/watchDeployment';
import { reportError } from '../errors';

export interface DeploymentWatcherDeps {
  readonly api: Pick<SpheronApi, 'getDeployment'>;
  readonly logger: Logger;
  /** Refreshes the Instances view. */
  readonly refreshInstances: () => Promise<void>;
  readonly now?: () => number;
  /** Never below 10 s (watchDeployment enforces it). */
  readonly intervalMs?: number;
  /** Changes of the list the Instances view shows; the progress follows them at once. */
  readonly listChanges?: (listener: () => void) => { dispose(): void };
}

export const CONNECT_ACTION = 'Connect';
export const OPEN_JUPYTER_ACTION = 'Open Jupyter';

/** What cancelling the new deployment costs at least: its offer's minimum runtime at its rate. */
export interface MinimumCharge {
  readonly minutes: number;
  readonly charge: number;
}

/**
 * After a create: a progress notification from `deploying` until `running`, then an offer to
 * connect. Beside it, a message whose Stop Watching ends the watch only (the deployment carries
 * on) and whose Cancel Deployment… terminates through the Terminate command's guarded path.
 */
export class DeploymentWatcher implements vscode.Disposable {
  private readonly watches = new Map<string, Promise<WatchOutcome>>();
  private readonly controllers = new Set<AbortController>();
  private disposed = false;

  constructor(private readonly deps: DeploymentWatcherDeps) {}

  /** The outcome of the watch for this deployment, if one was started (tests await it). */
  outcome(deploymentId: string): Promise<WatchOutcome> | undefined {
    return this.watches.get(deploymentId);
  }

  /** Starts watching once per deployment; later calls return the same watch. */
  watch(deploymentId: string, name: string, minimum?: MinimumCharge): Promise<WatchOutcome> {
    const existing = this.watches.get(deploymentId);
    if (existing) {
      return existing;
    }
    const watch = this.run(deploymentId, name, minimum);
    this.watches.set(deploymentId, watch);
    return watch;
  }

  private async run(deploymentId: string, name: string, minimum?: MinimumCharge): Promise<WatchOutcome> {
    const now = this.deps.now ?? Date.now;
    const startedAt = now();
    const controller = new AbortController();
    this.controllers.add(controller);
    this.deps.logger.info(`Watching deployment ${name} (${deploymentId}) until it runs`);
    void this.offerActions(deploymentId, name, minimum, controller);
    let outcome: WatchOutcome;
    try {
      outcome = await vscode.window.withProgress(
        {
          location: vscode.ProgressLocation.Notification,
          // VS Code shows "title: message"; an ellipsis before the colon reads badly.
          title: `Deploying ${name}`,
          // Its button would say "Cancel" and only stop watching: offerActions names both choices.
          cancellable: false,
        },
        (progress) => {
          progress.report({ message: 'waiting for the provider' });
          return watchDeployment({
            id: deploymentId,
            getDeployment: (id, options) => this.deps.api.getDeployment(id, options),
            sleep: abortableSleep,
            now,
            signal: controller.signal,
            ...(this.deps.intervalMs !== undefined ? { intervalMs: this.deps.intervalMs } : {}),
            ...(this.deps.listChanges ? { changes: this.deps.listChanges } : {}),
            onPoll: (deployment) =>
              progress.report({
                message: `${deployment.status}${deployment.ipAddress ? ` · ${deployment.ipAddress}` : ''} · ${formatDuration(now() - startedAt)}`,
              }),
          });
        },
      );
    } finally {
      this.controllers.delete(controller);
    }
    this.deps.logger.info(`Deployment ${name} (${deploymentId}): watch ended (${outcome.kind})`);
    if (this.disposed) {
      return outcome;
    }
    await this.deps.refreshInstances().catch(() => undefined);
    void this.announce(deploymentId, name, outcome);
    return outcome;
  }

  private async offerActions(
    deploymentId: string,
    name: string,
    minimum: MinimumCharge | undefined,
    controller: AbortController,
  ): Promise<void> {
    const choice = await vscode.window.showInformationMessage(
      deployingMessage(name, minimum),
      STOP_WATCHING_ACTION,
      CANCEL_DEPLOYMENT_ACTION,
    );
    if (choice === STOP_WATCHING_ACTION) {
      controller.abort();
    } else if (choice === CANCEL_DEPLOYMENT_ACTION) {
      // The Terminate command's path: can-terminate, the confirmation naming the cost, and inside
      // the minimum runtime "Terminate When Allowed".
      await vscode.commands.executeCommand('spheron.instance.terminate', deploymentId);
    }
  }

  private async announce(deploymentId: string, fallbackName: string, outcome: WatchOutcome): Promise<void> {
    switch (outcome.kind) {
      case 'running': {
        const name = instanceLabel(outcome.deployment);
        const choice = await vscode.window.showInformationMessage(
          `“${name}” is running${outcome.deployment.ipAddress ? ` at ${outcome.deployment.ipAddress}` : ''}.`,
          CONNECT_ACTION,
          OPEN_JUPYTER_ACTION,
        );
        if (choice === CONNECT_ACTION) {
          await vscode.commands.executeCommand('spheron.instance.connect', deploymentId);
        } else if (choice === OPEN_JUPYTER_ACTION) {
          await vscode.commands.executeCommand('spheron.instance.openJupyter', deploymentId);
        }
        return;
      }
      case 'failed':
        await this.showProblem(
          `Deployment “${instanceLabel(outcome.deployment)}” failed at the provider. Try another region or offer; the failed instance is listed under ended instances.`,
        );
        return;
      case 'ended':
        await this.showProblem(
          `“${instanceLabel(outcome.deployment)}” is ${outcome.deployment.rawStatus || outcome.deployment.status} and never reached running.`,
        );
        return;
      case 'gone':
        await this.showProblem(`Spheron no longer lists deployment “${fallbackName}”.`);
        return;
      case 'timeout':
        void vscode.window.showInformationMessage(
          `“${fallbackName}” is still deploying after a long time. Stopped watching; the Instances view shows its status.`,
        );
        return;
      case 'cancelled':
        void vscode.window.showInformationMessage(
          `Stopped watching “${fallbackName}”. It keeps deploying; the Instances view shows when it is running.`,
        );
        return;
      case 'error':
        await reportError(outcome.error, this.deps.logger, `Watching “${fallbackName}”`);
        return;
    }
  }

  private async showProblem(message: string): Promise<void> {
    this.deps.logger.warn(message);
    const choice = await vscode.window.showWarningMessage(message, 'Show Instances');
    if (choice === 'Show Instances') {
      await vscode.commands.executeCommand('spheron.instances.focus');
    }
  }

  dispose(): void {
    this.disposed = true;
    for (const controller of this.controllers) {
      controller.abort();
    }
    this.controllers.clear();
  }
}
