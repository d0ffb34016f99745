// The idle guard's decision: pure, so every rule is unit-tested with plain numbers. "In use" is
// any SSH session, a Jupyter kernel busy or active within the limit, or a GPU above 5 %. The
// guard warns 10 minutes before the limit and terminates only after that warning, never while a
// kernel is busy, and never inside Spheron's minimum runtime (it schedules "Terminate When
// Allowed" instead). Keep 1 h / 4 h moves the deadline; the record is shared by every window.

const MINUTE_MS = 60_000;

/** GPU utilisation above this counts as in use. */
export const GPU_BUSY_PERCENT = 5;
export const WARNING_LEAD_MS = 10 * MINUTE_MS;
export const KEEP_CHOICES_HOURS = [1, 4] as const;

export interface KernelActivity {
  /** `idle`, `busy`, `starting`… as Jupyter's `/api/kernels` reports `execution_state`. */
  readonly executionState: string;
  /** `last_activity`, parsed; undefined when missing or unreadable. */
  readonly lastActivityMs: number | undefined;
}

/** One look at the instance. An undefined signal could not be observed (and proves nothing). */
export interface ActivityObservation {
  readonly atMs: number;
  readonly sshSessions: number | undefined;
  readonly kernels: readonly KernelActivity[] | undefined;
  readonly maxGpuUtilization: number | undefined;
}

export interface Activity {
  /** In use right now. */
  readonly inUse: boolean;
  /** The latest moment the observation proves the instance was in use, if any. */
  readonly lastActiveAtMs: number | undefined;
  readonly busyKernel: boolean;
  /** At least one signal could be read; a look that saw nothing (SSH failed) proves no idleness. */
  readonly observed: boolean;
  /** Why it counts as in use, for the tooltip and log. */
  readonly reasons: readonly string[];
}

export function activityOf(observation: ActivityObservation): Activity {
  const reasons: string[] = [];
  let lastActiveAtMs: number | undefined;
  const sessions = observation.sshSessions ?? 0;
  if (sessions > 0) {
    reasons.push(sessions === 1 ? '1 SSH session' : `${sessions} SSH sessions`);
  }
  const kernels = observation.kernels ?? [];
  const busyKernel = kernels.some((kernel) => kernel.executionState === 'busy');
  if (busyKernel) {
    reasons.push('a Jupyter kernel is busy');
  }
  for (const kernel of kernels) {
    if (kernel.lastActivityMs !== undefined) {
      // A clock ahead of ours must not push activity into the future.
      const at = Math.min(kernel.lastActivityMs, observation.atMs);
      lastActiveAtMs = lastActiveAtMs === undefined ? at : Math.max(lastActiveAtMs, at);
    }
  }
  const gpu = observation.maxGpuUtilization;
  if (gpu !== undefined && gpu > GPU_BUSY_PERCENT) {
    reasons.push(`GPU at ${Math.round(gpu)} %`);
  }
  const inUse = reasons.length > 0;
  return {
    inUse,
    lastActiveAtMs: inUse ? observation.atMs : lastActiveAtMs,
    busyKernel,
    observed:
      observation.sshSessions !== undefined ||
      observation.kernels !== undefined ||
      observation.maxGpuUtilization !== undefined,
    reasons,
  };
}

/** What the guard remembers per instance (shared by every window through the store). */
export interface IdleRecord {
  readonly deploymentId: string;
  /** The last moment anything showed the instance in use (or when the guard started watching). */
  readonly lastActiveAtMs: number;
  /** "Keep 1 h / 4 h more": nothing happens before this. */
  readonly keepUntilMs?: number;
  /** When a window showed the warning for the current deadline. */
  readonly warnedAtMs?: number;
}

/** Folds an observation into the record: activity moves lastActiveAt forward, never back. */
export function recordActivity(record: IdleRecord, activity: Activity): IdleRecord {
  const at = activity.lastActiveAtMs;
  if (at === undefined || at <= record.lastActiveAtMs) {
    return record;
  }
  // Activity after a warning makes that warning moot; the next deadline gets its own.
  const { warnedAtMs: _dropped, ...rest } = record;
  return { ...rest, lastActiveAtMs: at };
}

/** After "Keep N h more": the deadline moves to now + N h, and a new warning will come before it. */
export function keepFor(record: IdleRecord, hours: number, nowMs: number): IdleRecord {
  const { warnedAtMs: _dropped, ...rest } = record;
  return { ...rest, keepUntilMs: Math.max(record.keepUntilMs ?? 0, nowMs + hours * 60 * MINUTE_MS) };
}

/** When the limit runs out, before any warning delay. */
export function idleDeadlineMs(record: IdleRecord, limitMinutes: number): number {
  return Math.max(record.lastActiveAtMs + limitMinutes * MINUTE_MS, record.keepUntilMs ?? 0);
}

export interface IdleDecisionInput {
  readonly nowMs: number;
  /** The effective limit; undefined or ≤ 0 means the guard is off for this instance. */
  readonly limitMinutes: number | undefined;
  readonly record: IdleRecord;
  /** The latest observation's reading (busy kernels block termination whatever the record says). */
  readonly activity: Activity;
  /** When Spheron first allows termination (startedAt + minimum runtime); undefined if unknown. */
  readonly terminableAtMs: number | undefined;
  /** A "Terminate When Allowed" is already pending for it. */
  readonly alreadyScheduled: boolean;
}

export type IdleDecision =
  | { readonly kind: 'off' }
  | { readonly kind: 'in-use'; readonly reasons: readonly string[] }
  | { readonly kind: 'idle'; readonly idleMs: number; readonly deadlineMs: number }
  /** Show the warning now (it was not shown for this deadline yet). */
  | { readonly kind: 'warn'; readonly idleMs: number; readonly deadlineMs: number }
  /** The deadline passed after a warning with no answer: terminate through the scheduler. */
  | { readonly kind: 'terminate'; readonly idleMs: number }
  /** Same, but inside the minimum runtime: schedule "Terminate When Allowed" for this time. */
  | { readonly kind: 'schedule'; readonly idleMs: number; readonly atMs: number }
  /** A termination is already pending; nothing more to do. */
  | { readonly kind: 'pending' }
  /** Nothing could be read (SSH failed): a training run may be going on, so no warning, no end. */
  | { readonly kind: 'unobserved' };

export function decideIdle(input: IdleDecisionInput): IdleDecision {
  const { nowMs, limitMinutes, record, activity } = input;
  if (limitMinutes === undefined || !(limitMinutes > 0)) {
    return { kind: 'off' };
  }
  if (input.alreadyScheduled) {
    return { kind: 'pending' };
  }
  if (activity.inUse || activity.busyKernel) {
    return { kind: 'in-use', reasons: activity.reasons };
  }
  if (!activity.observed) {
    return { kind: 'unobserved' };
  }
  const idleMs = Math.max(0, nowMs - record.lastActiveAtMs);
  // The user always gets the full warning lead, even when the guard starts late.
  const deadlineMs = Math.max(
    idleDeadlineMs(record, limitMinutes),
    record.warnedAtMs === undefined ? 0 : record.warnedAtMs + WARNING_LEAD_MS,
  );
  if (record.warnedAtMs === undefined) {
    return nowMs >= deadlineMs - WARNING_LEAD_MS
      ? { kind: 'warn', idleMs, deadlineMs: Math.max(deadlineMs, nowMs + WARNING_LEAD_MS) }
      : { kind: 'idle', idleMs, deadlineMs };
  }
  if (nowMs < deadlineMs) {
    return { kind: 'idle', idleMs, deadlineMs };
  }
  if (input.terminableAtMs !== undefined && nowMs < input.terminableAtMs) {
    return { kind: 'schedule', idleMs, atMs: input.terminableAtMs };
  }
  return { kind: 'terminate', idleMs };
}

/** `idle for 23 min · guard at 60 min`, or `in use (1 SSH session) · guard at 60 min`. */
export function idleTooltipLine(
  decision: IdleDecision,
  limitMinutes: number | undefined,
): string | undefined {
  if (limitMinutes === undefined || !(limitMinutes > 0)) {
    return undefined;
  }
  const guard = `guard at ${limitMinutes} min`;
  switch (decision.kind) {
    case 'off':
      return undefined;
    case 'in-use':
      return `in use (${decision.reasons.join(', ')}) · ${guard}`;
    case 'idle':
    case 'warn':
    case 'terminate':
    case 'schedule':
      return `idle for ${Math.floor(decision.idleMs / MINUTE_MS)} min · ${guard}`;
    case 'pending':
      return `idle guard: termination pending · ${guard}`;
    case 'unobserved':
      return `idle guard: cannot see the instance (SSH did not answer), so it is left alone · ${guard}`;
  }
}

/** The limit for one instance: its own override (0 = off for it) or the setting. */
export function effectiveLimitMinutes(
  settingMinutes: number,
  override: number | undefined,
): number | undefined {
  const minutes = override ?? settingMinutes;
  return Number.isFinite(minutes) && minutes > 0 ? minutes : undefined;
}
