// Wiring for GPU telemetry, the idle guard and budgets: view events in, notifications out. The
// logic is in src/core/telemetry, src/core/guard and src/core/budget.
import * as vscode from 'vscode';
import type { Deployment } from '../../core/domain/types';
import { claimAlert, firedAlerts } from '../../core/budget/alertStore';
import {
  BUDGET_TERMINATION_DELAY_MS,
  budgetAlertMessage,
  budgetTerminationWarning,
  dueBudgetAlerts,
  instancesToStopAtBudget,
  periodBounds,
} from '../../core/budget/budget';
import type { TerminationScheduler } from '../../core/deploy/terminationScheduler';
import type { ExplorerData } from '../../core/explorer/explorerData';
import { parseGuardSettings, type GuardSettings } from '../../core/guard/guardSettings';
import { idleTooltipLine, type ActivityObservation } from '../../core/guard/idleDecision';
import { IdleGuard } from '../../core/guard/idleGuard';
import { IDLE_WARNING_BUTTONS, idleWarningMessage, type IdleWarningChoice } from '../../core/guard/idleText';
import type { KeyValueStore } from '../../core/util/keyValueStore';
import type { Logger } from '../../core/util/logger';
import { burnRatePerHour } from '../../core/model/costs';
import { instanceLabel } from '../../core/model/instances';
import type { ModelNode } from '../../core/model/nodes';
import { withInstanceExtras } from '../../core/telemetry/instanceRows';
import { maxUtilization } from '../../core/telemetry/nvidiaSmi';
import {
  FRAME_BEGIN,
  FRAME_END,
  parseFrame,
  probeOnceCommand,
  type ProbeFrame,
} from '../../core/telemetry/probe';
import { TelemetryManager } from '../../core/telemetry/telemetryManager';
import { systemTimers } from '../../core/deploy/terminationScheduler';
import { systemClock } from '../../core/forms/exactlyOnce';
import type { Explorer } from '../explorer/explorer';
import type { SshService } from '../ssh/sshService';

/** Set once the idle guard has been offered on this machine (after a first deploy). */
const IDLE_OFFERED_KEY = 'spheron.idleGuardOffered';
const OFFERED_LIMIT_MINUTES = 60;
const TURN_ON_BUTTON = `Turn On (${OFFERED_LIMIT_MINUTES} min)`;

/** A telemetry frame this recent stands in for a new look. */
const LIVE_FRAME_MAX_AGE_MS = 30_000;
/** Between one-off looks at a collapsed instance, the guard reuses the last one. */
const PROBE_REUSE_MS = 5 * 60_000;

export interface GuardsDeps {
  readonly explorer: Explorer;
  readonly data: ExplorerData;
  readonly ssh: SshService;
  readonly terminations: TerminationScheduler;
  readonly store: KeyValueStore;
  readonly logger: Logger;
  /** Extension-host tests may answer the idle warning (as Prompts answers modals); never in normal use. */
  readonly testMode?: boolean;
}

function readGuardSettings(): GuardSettings {
  const configuration = vscode.workspace.getConfiguration('spheron');
  return parseGuardSettings((key) => configuration.get(key));
}

function observationFrom(frame: ProbeFrame, atMs: number): ActivityObservation {
  return {
    atMs,
    sshSessions: frame.sshSessions,
    kernels: frame.kernels,
    maxGpuUtilization: frame.gpu.kind === 'ok' ? maxUtilization(frame.gpu.gpus) : undefined,
  };
}

const UNOBSERVED = (atMs: number): ActivityObservation => ({
  atMs,
  sshSessions: undefined,
  kernels: undefined,
  maxGpuUtilization: undefined,
});

export class Guards implements vscode.Disposable {
  readonly telemetry: TelemetryManager;
  readonly idle: IdleGuard;
  readonly #deps: GuardsDeps;
  readonly #expanded = new Set<string>();
  readonly #probes = new Map<string, ActivityObservation>();
  readonly #disposables: vscode.Disposable[] = [];
  /** Test mode only: answers for the next idle warnings, and the warnings shown. */
  readonly #scriptedAnswers: (IdleWarningChoice | undefined)[] = [];
  readonly shownIdleWarnings: string[] = [];
  /** Budget checks run one after another, so one window never shows an alert twice. */
  #budgetChecks: Promise<void> = Promise.resolve();

  constructor(deps: GuardsDeps) {
    this.#deps = deps;
    const { explorer, ssh, terminations, logger } = deps;
    this.telemetry = new TelemetryManager({
      sshPath: () => ssh.sshPath(),
      userConfigPath: () => ssh.userConfigPath(),
    });
    this.idle = new IdleGuard({
      store: deps.store,
      clock: systemClock,
      timers: systemTimers,
      logger,
      deployments: () => deps.data.deployments.state.value,
      settingMinutes: () => readGuardSettings().idleMinutes,
      observe: (deployment, options) => this.#observe(deployment, options.fresh),
      isScheduled: (id) => terminations.isScheduled(id),
      schedule: (id, atMs, name) => terminations.schedule(id, atMs, name),
      warn: (deployment, decision) => this.#warn(deployment, decision.idleMs, decision.deadlineMs),
    });
    const view = explorer.instancesView;
    this.#disposables.push(
      view.onDidExpandElement((event) => this.#expand(event.element)),
      view.onDidCollapseElement((event) => {
        if (event.element.kind === 'instance') {
          this.#expanded.delete(event.element.deployment.id);
          this.telemetry.unwatch(event.element.deployment.id);
        }
      }),
      view.onDidChangeVisibility(() => {
        if (view.visible) {
          this.#expanded.forEach((id) => this.#watch(id));
        } else {
          // Hidden views read nothing.
          this.telemetry.unwatchAll();
        }
      }),
      explorer.onDidChangeDeployments((deployments) => {
        this.#offerIdleGuard(deployments);
        const running = new Set(deployments.filter((d) => d.status === 'running').map((d) => d.id));
        for (const id of this.telemetry.watched()) {
          if (!running.has(id)) {
            this.telemetry.unwatch(id);
          }
        }
      }),
      toVscode(this.telemetry.onDidChange(() => explorer.renderInstanceExtras())),
      toVscode(this.idle.onDidChange(() => explorer.renderInstanceExtras())),
      toVscode(deps.data.deployments.onDidChange(() => this.#queueBudgetCheck())),
      toVscode(deps.data.volumes.onDidChange(() => this.#queueBudgetCheck())),
      toVscode(deps.data.balance.onDidChange(() => this.#queueBudgetCheck())),
    );
    explorer.setInstanceDecorator((nodes) => this.#decorate(nodes));
    this.idle.start();
  }

  /** After an SSH config sync: an instance expanded before its host existed starts now. */
  hostsChanged(): void {
    if (!this.#deps.explorer.instancesView.visible) {
      return;
    }
    const running = new Set(
      (this.#deps.data.deployments.state.value ?? []).filter((d) => d.status === 'running').map((d) => d.id),
    );
    [...this.#expanded].filter((id) => running.has(id)).forEach((id) => this.#watch(id));
    this.#deps.explorer.renderInstanceExtras();
  }

  /** Once per machine: when a freshly deployed instance runs and the guard is off, offer it. */
  #offerIdleGuard(deployments: readonly Deployment[]): void {
    const { store, logger } = this.#deps;
    const nowMs = Date.now();
    const fresh = deployments.some(
      (d) => d.status === 'running' && d.createdAtMs !== null && nowMs - d.createdAtMs < 60 * 60_000,
    );
    if (!fresh || store.get<boolean>(IDLE_OFFERED_KEY) === true || readGuardSettings().idleMinutes > 0) {
      return;
    }
    void store.update(IDLE_OFFERED_KEY, true);
    void vscode.window
      .showInformationMessage(
        `Spheron can terminate an instance nobody uses: no SSH session, no busy Jupyter kernel, no GPU load for ${OFFERED_LIMIT_MINUTES} minutes, after a warning you can answer with Keep. It works while VS Code is open. Turn on the idle guard?`,
        TURN_ON_BUTTON,
        'Not Now',
      )
      .then(async (choice) => {
        if (choice === TURN_ON_BUTTON) {
          await vscode.workspace
            .getConfiguration('spheron')
            .update('idle.minutes', OFFERED_LIMIT_MINUTES, vscode.ConfigurationTarget.Global);
          logger.info(`Idle guard turned on at ${OFFERED_LIMIT_MINUTES} min`);
        }
      });
  }

  #decorate(nodes: ModelNode[]): ModelNode[] {
    return withInstanceExtras(nodes, {
      nowMs: Date.now(),
      telemetry: (id) => this.telemetry.get(id),
      unavailable: (deployment) =>
        this.#deps.ssh.hostFor(deployment.id)
          ? undefined
          : 'no SSH host for it (is spheron.ssh.manageConfig off?)',
      idleLine: (id) => {
        const decision = this.idle.decision(id);
        return decision ? idleTooltipLine(decision, this.idle.limitFor(id)) : undefined;
      },
    });
  }

  #expand(node: ModelNode): void {
    if (node.kind !== 'instance' || node.deployment.status !== 'running') {
      return;
    }
    this.#expanded.add(node.deployment.id);
    if (this.#deps.explorer.instancesView.visible) {
      this.#watch(node.deployment.id);
    }
  }

  #watch(deploymentId: string): void {
    const host = this.#deps.ssh.hostFor(deploymentId);
    if (host) {
      this.telemetry.watch({ deploymentId, alias: host.tunnelAlias });
    } else {
      this.#deps.explorer.renderInstanceExtras();
    }
  }

  async #observe(deployment: Deployment, fresh: boolean): Promise<ActivityObservation | undefined> {
    const nowMs = Date.now();
    const live = this.telemetry.get(deployment.id);
    if (
      live &&
      (live.state === 'ok' || live.state === 'no-gpu') &&
      nowMs - live.atMs <= LIVE_FRAME_MAX_AGE_MS
    ) {
      return observationFrom(live.frame, live.atMs);
    }
    const cached = this.#probes.get(deployment.id);
    if (!fresh && cached && nowMs - cached.atMs < PROBE_REUSE_MS) {
      return cached;
    }
    const host = this.#deps.ssh.hostFor(deployment.id);
    if (!host) {
      return undefined;
    }
    const result = await this.#deps.ssh.runRemote(host, probeOnceCommand(), 30_000);
    const begin = result.stdout.indexOf(`${FRAME_BEGIN}\n`);
    const end = result.stdout.indexOf(`${FRAME_END}\n`, begin);
    const observation =
      begin >= 0 && end > begin
        ? observationFrom(parseFrame(result.stdout.slice(begin + FRAME_BEGIN.length + 1, end)), nowMs)
        : UNOBSERVED(nowMs);
    this.#probes.set(deployment.id, observation);
    return observation;
  }

  async #warn(
    deployment: Deployment,
    idleMs: number,
    deadlineMs: number,
  ): Promise<IdleWarningChoice | undefined> {
    const message = idleWarningMessage(deployment, { nowMs: Date.now(), idleMs, deadlineMs });
    this.#deps.logger.info(message);
    if (this.#deps.testMode && this.#scriptedAnswers.length > 0) {
      this.shownIdleWarnings.push(message);
      return this.#scriptedAnswers.shift();
    }
    return vscode.window.showWarningMessage(message, ...IDLE_WARNING_BUTTONS);
  }

  /** Extension-host tests: the next idle warnings take these answers (undefined: dismissed). Ignored outside test mode. */
  scriptIdleAnswers(answers: readonly (IdleWarningChoice | undefined)[]): void {
    if (this.#deps.testMode) {
      this.#scriptedAnswers.push(...answers);
    }
  }

  #queueBudgetCheck(): void {
    this.#budgetChecks = this.#budgetChecks
      .then(() => this.#checkBudgets())
      .catch((error: unknown) => this.#deps.logger.warn(`Budget check failed: ${String(error)}`));
  }

  async #checkBudgets(): Promise<void> {
    const { data, store, logger } = this.#deps;
    const deployments = data.deployments.state.value;
    if (!deployments) {
      return;
    }
    const settings = readGuardSettings();
    const volumes = data.volumes.state.value ?? [];
    const nowMs = Date.now();
    const alerts = dueBudgetAlerts({
      nowMs,
      limits: settings.budget,
      deployments,
      volumes,
      balance: data.currentTeam()?.balance,
      burnPerHour: burnRatePerHour(deployments, volumes),
      fired: firedAlerts(store),
    });
    const periods = [periodBounds('daily', nowMs).key, periodBounds('monthly', nowMs).key];
    for (const alert of alerts) {
      const keys = alert.kind === 'threshold' ? [alert.key, ...alert.coveredKeys] : [alert.key];
      if (!(await claimAlert(store, keys, periods))) {
        continue;
      }
      const message = budgetAlertMessage(alert);
      logger.warn(message);
      void vscode.window.showWarningMessage(message, 'Show Instances').then((choice) => {
        if (choice === 'Show Instances') {
          void vscode.commands.executeCommand('spheron.instances.focus');
        }
      });
      if (alert.kind === 'threshold' && alert.threshold === 100 && settings.terminateAtBudget) {
        this.#stopAtBudget(instancesToStopAtBudget(deployments));
      }
    }
  }

  /** The opt-in stop at 100 %: a 10-minute warning that can be cancelled, then Terminate When Allowed for each. */
  #stopAtBudget(targets: readonly Deployment[]): void {
    if (targets.length === 0) {
      return;
    }
    const { logger, terminations } = this.#deps;
    const minutes = BUDGET_TERMINATION_DELAY_MS / 60_000;
    logger.warn(budgetTerminationWarning(targets, minutes));
    void vscode.window.withProgress(
      {
        location: vscode.ProgressLocation.Notification,
        title: budgetTerminationWarning(targets, minutes),
        cancellable: true,
      },
      (_progress, token) =>
        new Promise<void>((resolve) => {
          const timer = setTimeout(() => {
            resolve();
            for (const deployment of targets) {
              void terminations
                .schedule(deployment.id, Date.now(), instanceLabel(deployment))
                .catch((error: unknown) => logger.warn(`Budget stop of ${deployment.id}: ${String(error)}`));
            }
          }, BUDGET_TERMINATION_DELAY_MS);
          token.onCancellationRequested(() => {
            clearTimeout(timer);
            logger.info('Budget stop cancelled; the instances keep running');
            resolve();
          });
        }),
    );
  }

  dispose(): void {
    this.idle.dispose();
    this.telemetry.dispose();
    vscode.Disposable.from(...this.#disposables).dispose();
  }
}

function toVscode(disposable: { dispose(): void }): vscode.Disposable {
  return new vscode.Disposable(() => disposable.dispose());
}
