// Another window may cancel a "terminate when allowed" that this window also has a timer for:
// every window's scheduler reads the shared schedule when it starts. Just before the DELETE, the
// shared store (VS Code keeps globalState in step across windows) must still list the instance.
import { CancelledError } from '../api/errors';
import type { ScheduleStore, TerminationApi } from './terminationScheduler';
import { DEFAULT_STORAGE_KEY } from './terminationScheduler';

export function isStillScheduled(
  store: Pick<ScheduleStore, 'get'>,
  deploymentId: string,
  key: string,
): boolean {
  const saved = store.get(key) as { entries?: unknown } | undefined;
  const entries = Array.isArray(saved?.entries) ? (saved.entries as unknown[]) : [];
  return entries.some(
    (entry) =>
      typeof entry === 'object' &&
      entry !== null &&
      (entry as { deploymentId?: unknown }).deploymentId === deploymentId,
  );
}

/**
 * The API the scheduler terminates through: a withdrawn schedule ends as a cancellation (the
 * scheduler drops nothing and sends nothing), never as a DELETE the user took back.
 */
export function guardedTerminationApi(
  api: TerminationApi,
  store: Pick<ScheduleStore, 'get'>,
  key: string = DEFAULT_STORAGE_KEY,
): TerminationApi {
  return {
    canTerminate: (id, options) => api.canTerminate(id, options),
    terminateDeployment: (id, options) =>
      isStillScheduled(store, id, key)
        ? api.terminateDeployment(id, options)
        : Promise.reject(new CancelledError('DELETE /api/deployments/{id}')),
  };
}
