// Runs the idle decision for every running instance that has a limit, once a minute while VS
// Code is open: observes it, folds the observation into the shared record, and acts. It never
// calls the API itself: termination goes through the "Terminate When Allowed" scheduler (which
// checks can-terminate and the shared schedule before its DELETE). Instances without a limit
// cost nothing: no SSH, no request.
import type { Deployment } from '../domain/types';
import type { Clock } from '../forms/exactlyOnce';
import type { ScheduleStore, Timers } from '../deploy/terminationScheduler';
import type { Logger } from '../util/logger';
import { isEnded } from '../model/classify';
import { DEFAULT_MINIMUM_RUNTIME_MINUTES, instanceLabel } from '../model/instances';
import {
  activityOf,
  decideIdle,
  keepFor,
  recordActivity,
  type ActivityObservation,
  type IdleDecision,
} from './idleDecision';
import { claimWarning, pruneIdleRecords, readIdleState, updateIdleRecord } from './idleStore';
import { KEEP_1H_BUTTON, KEEP_4H_BUTTON, TERMINATE_NOW_BUTTON, type IdleWarningChoice } from './idleText';

export const IDLE_CHECK_INTERVAL_MS = 60_000;
const MINUTE_MS = 60_000;

export interface IdleGuardDeps {
  readonly store: ScheduleStore;
  readonly clock: Clock;
  readonly timers: Timers;
  readonly logger: Pick<Logger, 'info' | 'warn'>;
  /** The instance list as last loaded (the guard makes no request of its own); undefined before the first load. */
  readonly deployments: () => readonly Deployment[] | undefined;
  /** The setting, in minutes (0 = off). */
  readonly settingMinutes: () => number;
  /**
   * Looks at the instance; `fresh` asks for a new look rather than a recent one. Undefined when it
   * cannot be looked at at all (no SSH host for it): such an instance is not guarded, since
   * nothing could ever show it in use.
   */
  readonly observe: (
    deployment: Deployment,
    options: { fresh: boolean },
  ) => Promise<ActivityObservation | undefined>;
  readonly isScheduled: (deploymentId: string) => boolean;
  /** "Terminate When Allowed" at `atMs` (now, or when the minimum runtime ends). */
  readonly schedule: (deploymentId: string, atMs: number, name: string) => Promise<void>;
  /** Shows the warning; resolves with the button chosen, or undefined when dismissed. */
  readonly warn: (
    deployment: Deployment,
    decision: Extract<IdleDecision, { kind: 'warn' }>,
  ) => Promise<IdleWarningChoice | undefined>;
  /** Per-instance minimum runtime, when learnt from can-terminate. */
  readonly minimumRuntimeMinutes?: (deploymentId: string) => number | undefined;
}

export class IdleGuard {
  readonly #deps: IdleGuardDeps;
  readonly #decisions = new Map<string, IdleDecision>();
  readonly #listeners = new Set<() => void>();
  #timer: unknown;
  #running: Promise<void> | undefined;
  #disposed = false;

  constructor(deps: IdleGuardDeps) {
    this.#deps = deps;
  }

  /** Checks now and then every minute. */
  start(): void {
    this.#arm(0);
  }

  /** The latest decision per instance (the tooltip shows it). */
  decision(deploymentId: string): IdleDecision | undefined {
    return this.#decisions.get(deploymentId);
  }

  limitFor(deploymentId: string): number | undefined {
    const override = readIdleState(this.#deps.store).overrides.get(deploymentId);
    const minutes = override ?? this.#deps.settingMinutes();
    return Number.isFinite(minutes) && minutes > 0 ? minutes : undefined;
  }

  onDidChange(listener: () => void): { dispose(): void } {
    this.#listeners.add(listener);
    return { dispose: () => this.#listeners.delete(listener) };
  }

  /** One pass over every guarded instance; concurrent calls share the pass in flight. */
  check(): Promise<void> {
    this.#running ??= this.#checkAll().finally(() => {
      this.#running = undefined;
    });
    return this.#running;
  }

  dispose(): void {
    this.#disposed = true;
    this.#deps.timers.clearTimeout(this.#timer);
    this.#listeners.clear();
  }

  #arm(delayMs: number): void {
    if (this.#disposed) {
      return;
    }
    this.#timer = this.#deps.timers.setTimeout(() => {
      void this.check().finally(() => this.#arm(IDLE_CHECK_INTERVAL_MS));
    }, delayMs);
  }

  async #checkAll(): Promise<void> {
    const deployments = this.#deps.deployments();
    if (deployments === undefined) {
      // Not loaded in this window yet: nothing to judge, and nothing to prune (other windows' state).
      return;
    }
    const running = deployments.filter((deployment) => deployment.status === 'running');
    const live = new Set(deployments.filter((d) => !isEnded(d.status)).map((d) => d.id));
    await pruneIdleRecords(this.#deps.store, live);
    for (const id of [...this.#decisions.keys()]) {
      if (!live.has(id)) {
        this.#decisions.delete(id);
      }
    }
    for (const deployment of running) {
      if (this.#disposed) {
        return;
      }
      try {
        await this.#checkOne(deployment);
      } catch (error) {
        this.#deps.logger.warn(
          `Idle guard: checking ${instanceLabel(deployment)} failed: ${error instanceof Error ? error.message : String(error)}`,
        );
      }
    }
    this.#listeners.forEach((listener) => listener());
  }

  async #checkOne(deployment: Deployment, fresh = false): Promise<void> {
    const limitMinutes = this.limitFor(deployment.id);
    if (limitMinutes === undefined) {
      this.#decisions.delete(deployment.id);
      return;
    }
    const observation = await this.#deps.observe(deployment, { fresh });
    if (observation === undefined) {
      this.#decisions.delete(deployment.id);
      return;
    }
    const activity = activityOf(observation);
    const nowMs = this.#deps.clock.now();
    const record = await updateIdleRecord(this.#deps.store, deployment.id, (current) =>
      recordActivity(current ?? { deploymentId: deployment.id, lastActiveAtMs: nowMs }, activity),
    );
    if (!record) {
      return;
    }
    const minimum = this.#deps.minimumRuntimeMinutes?.(deployment.id) ?? DEFAULT_MINIMUM_RUNTIME_MINUTES;
    const decision = decideIdle({
      nowMs,
      limitMinutes,
      record,
      activity,
      terminableAtMs:
        deployment.startedAtMs === null ? undefined : deployment.startedAtMs + minimum * MINUTE_MS,
      alreadyScheduled: this.#deps.isScheduled(deployment.id),
    });
    this.#decisions.set(deployment.id, decision);
    const name = instanceLabel(deployment);
    switch (decision.kind) {
      case 'warn':
        if (await claimWarning(this.#deps.store, deployment.id, nowMs)) {
          this.#deps.logger.info(
            `Idle guard: ${name} idle for ${Math.floor(decision.idleMs / MINUTE_MS)} min, warning shown`,
          );
          void this.#deps
            .warn(deployment, decision)
            .then((choice) => this.#answer(deployment, choice))
            .catch((error: unknown) =>
              this.#deps.logger.warn(`Idle guard: warning failed: ${String(error)}`),
            );
        }
        return;
      case 'terminate':
      case 'schedule':
        if (!fresh) {
          // Act only on a look taken now: a kernel may have started since the last one.
          await this.#checkOne(deployment, true);
          return;
        }
        this.#deps.logger.info(
          `Idle guard: ${name} idle for ${Math.floor(decision.idleMs / MINUTE_MS)} min (limit ${limitMinutes} min), terminating${decision.kind === 'schedule' ? ' when Spheron allows' : ''}`,
        );
        await this.#deps.schedule(deployment.id, decision.kind === 'schedule' ? decision.atMs : nowMs, name);
        return;
      case 'off':
      case 'in-use':
      case 'idle':
      case 'pending':
      case 'unobserved':
        return;
    }
  }

  async #answer(deployment: Deployment, choice: IdleWarningChoice | undefined): Promise<void> {
    const nowMs = this.#deps.clock.now();
    const name = instanceLabel(deployment);
    switch (choice) {
      case KEEP_1H_BUTTON:
      case KEEP_4H_BUTTON: {
        const hours = choice === KEEP_1H_BUTTON ? 1 : 4;
        await updateIdleRecord(this.#deps.store, deployment.id, (current) =>
          current ? keepFor(current, hours, nowMs) : current,
        );
        this.#deps.logger.info(`Idle guard: keeping ${name} ${hours} h more`);
        break;
      }
      case TERMINATE_NOW_BUTTON:
        this.#deps.logger.info(`Idle guard: terminating ${name} now, as asked`);
        await this.#deps.schedule(deployment.id, nowMs, name);
        break;
      case undefined:
        // Dismissed: the deadline stands.
        break;
    }
    this.#listeners.forEach((listener) => listener());
  }
}
