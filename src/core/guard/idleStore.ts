// The idle guard's shared state: one record per instance and the per-instance limits, in the
// store every VS Code window shares (globalState), so a warning shown or a "Keep 1 h more"
// chosen in one window holds in all of them. Writes merge into what the store holds now.
import * as z from 'zod/mini';
import type { ScheduleStore } from '../deploy/terminationScheduler';
import type { IdleRecord } from './idleDecision';

export const IDLE_STORAGE_KEY = 'spheron.idleGuard';

const finite = z.number().check(z.refine(Number.isFinite));

const storedSchema = z.object({
  version: z.literal(1),
  records: z.array(
    z.object({
      deploymentId: z.string().check(z.minLength(1)),
      lastActiveAtMs: finite,
      keepUntilMs: z.optional(finite),
      warnedAtMs: z.optional(finite),
    }),
  ),
  /** Minutes per instance; 0 turns the guard off for it. */
  overrides: z.record(z.string(), z.number().check(z.int(), z.nonnegative())),
});

export interface IdleState {
  readonly records: ReadonlyMap<string, IdleRecord>;
  readonly overrides: ReadonlyMap<string, number>;
}

export function readIdleState(store: Pick<ScheduleStore, 'get'>, key = IDLE_STORAGE_KEY): IdleState {
  const parsed = storedSchema.safeParse(store.get(key));
  if (!parsed.success) {
    return { records: new Map(), overrides: new Map() };
  }
  return {
    records: new Map(parsed.data.records.map((record) => [record.deploymentId, record])),
    overrides: new Map(Object.entries(parsed.data.overrides)),
  };
}

function write(store: ScheduleStore, state: IdleState, key: string): PromiseLike<void> {
  return store.update(key, {
    version: 1,
    records: [...state.records.values()].sort((a, b) => (a.deploymentId < b.deploymentId ? -1 : 1)),
    overrides: Object.fromEntries(state.overrides),
  });
}

/** Applies `change` to the stored record (undefined: none yet); returning undefined removes it. */
export async function updateIdleRecord(
  store: ScheduleStore,
  deploymentId: string,
  change: (current: IdleRecord | undefined) => IdleRecord | undefined,
  key = IDLE_STORAGE_KEY,
): Promise<IdleRecord | undefined> {
  const state = readIdleState(store, key);
  const records = new Map(state.records);
  const current = records.get(deploymentId);
  const next = change(current);
  if (next === current) {
    return next;
  }
  if (next === undefined) {
    records.delete(deploymentId);
  } else {
    records.set(deploymentId, next);
  }
  await write(store, { ...state, records }, key);
  return next;
}

/** Sets the instance's own limit in minutes (0 = off for it), or undefined to follow the setting. */
export async function setIdleOverride(
  store: ScheduleStore,
  deploymentId: string,
  minutes: number | undefined,
  key = IDLE_STORAGE_KEY,
): Promise<void> {
  const state = readIdleState(store, key);
  const overrides = new Map(state.overrides);
  if (minutes === undefined) {
    overrides.delete(deploymentId);
  } else {
    overrides.set(deploymentId, Math.max(0, Math.round(minutes)));
  }
  await write(store, { ...state, overrides }, key);
}

/**
 * Marks the warning shown unless a window already did; true when this caller should show it.
 * Windows share one store, so only the first window to ask shows the notification.
 */
export async function claimWarning(
  store: ScheduleStore,
  deploymentId: string,
  nowMs: number,
  key = IDLE_STORAGE_KEY,
): Promise<boolean> {
  let claimed = false;
  await updateIdleRecord(
    store,
    deploymentId,
    (current) => {
      if (!current || current.warnedAtMs !== undefined) {
        return current;
      }
      claimed = true;
      return { ...current, warnedAtMs: nowMs };
    },
    key,
  );
  return claimed;
}

/** Drops records of instances that no longer run, so the store does not grow for ever. */
export async function pruneIdleRecords(
  store: ScheduleStore,
  liveIds: ReadonlySet<string>,
  key = IDLE_STORAGE_KEY,
): Promise<void> {
  const state = readIdleState(store, key);
  const records = new Map([...state.records].filter(([id]) => liveIds.has(id)));
  const overrides = new Map([...state.overrides].filter(([id]) => liveIds.has(id)));
  if (records.size !== state.records.size || overrides.size !== state.overrides.size) {
    await write(store, { records, overrides }, key);
  }
}
