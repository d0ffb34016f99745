// Which budget alerts have fired, in the store every window shares, so each fires once per
// threshold per period however many windows are open. Keys of past periods are pruned.
import * as z from 'zod/mini';
import type { ScheduleStore } from '../deploy/terminationScheduler';

export const BUDGET_ALERTS_KEY = 'spheron.budgetAlerts';
const MAX_KEYS = 200;

const storedSchema = z.object({ version: z.literal(1), fired: z.array(z.string()) });

export function firedAlerts(store: Pick<ScheduleStore, 'get'>, key = BUDGET_ALERTS_KEY): Set<string> {
  const parsed = storedSchema.safeParse(store.get(key));
  return new Set(parsed.success ? parsed.data.fired : []);
}

/**
 * Records `keys` as fired; true when `keys[0]` was not fired before (this window shows it).
 * Keys that do not mention one of `currentPeriods` are dropped, so the list stays small.
 */
export async function claimAlert(
  store: ScheduleStore,
  keys: readonly string[],
  currentPeriods: readonly string[],
  key = BUDGET_ALERTS_KEY,
): Promise<boolean> {
  const fired = firedAlerts(store, key);
  const [first] = keys;
  if (first === undefined || fired.has(first)) {
    return false;
  }
  const kept = [...fired].filter((entry) => currentPeriods.some((period) => entry.includes(`:${period}`)));
  const next = [...new Set([...kept, ...keys])].slice(-MAX_KEYS);
  await store.update(key, { version: 1, fired: next });
  return true;
}
