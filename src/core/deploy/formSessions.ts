// What must outlive a window reload about a deploy or volume form: which offer it was for (the
// webview's own state holds only the session id and the form), and whether a create was sent.
// The submission registries live in memory; after a reload this record is what stops a restored
// panel from creating the same thing again.
import * as z from 'zod/mini';
import type { SubmitState } from './exactlyOnce';
import type { Clock } from './exactlyOnce';
import { systemClock } from './exactlyOnce';

export const FORM_SESSIONS_KEY = 'spheron.formSessions';
const MAX_AGE_MS = 7 * 24 * 60 * 60_000;
const MAX_RECORDS = 50;

export interface FormSessionStoreBackend {
  get(key: string): unknown;
  update(key: string, value: unknown): PromiseLike<void>;
}

const text = z.string().check(z.minLength(1), z.maxLength(500));

const recordSchema = z.object({
  sessionId: text,
  form: z.enum(['deploy', 'volume']),
  offer: z.optional(z.object({ provider: text, offerId: text, gpuType: z.optional(text) })),
  savedAtMs: z.number(),
  /** A create went out and its outcome is not known yet. */
  pending: z.optional(z.object({ name: z.string().check(z.maxLength(200)), startedAtMs: z.number() })),
  created: z.optional(z.object({ id: text, name: z.string().check(z.maxLength(200)) })),
});
export type FormSessionRecord = z.output<typeof recordSchema>;

const persistedSchema = z.object({ version: z.literal(1), records: z.array(recordSchema) });

export class FormSessionStore {
  readonly #backend: FormSessionStoreBackend;
  readonly #clock: Clock;
  readonly #key: string;
  #writes: Promise<void> = Promise.resolve();

  constructor(backend: FormSessionStoreBackend, options: { clock?: Clock; key?: string } = {}) {
    this.#backend = backend;
    this.#clock = options.clock ?? systemClock;
    this.#key = options.key ?? FORM_SESSIONS_KEY;
  }

  #read(): FormSessionRecord[] {
    const parsed = persistedSchema.safeParse(this.#backend.get(this.#key));
    return parsed.success ? parsed.data.records : [];
  }

  get(sessionId: string): FormSessionRecord | undefined {
    return this.#read().find((record) => record.sessionId === sessionId);
  }

  /** Inserts or merges; `undefined` values in the patch remove those fields. */
  update(
    sessionId: string,
    patch: Partial<Omit<FormSessionRecord, 'sessionId' | 'savedAtMs'>> & { form?: 'deploy' | 'volume' },
  ): Promise<void> {
    return this.#write((records) => {
      const now = this.#clock.now();
      const index = records.findIndex((record) => record.sessionId === sessionId);
      const previous = index === -1 ? undefined : records[index];
      const form = patch.form ?? previous?.form;
      if (!form) {
        return records;
      }
      const merged: Record<string, unknown> = { ...previous, ...patch, sessionId, form, savedAtMs: now };
      for (const key of Object.keys(merged)) {
        if (merged[key] === undefined) {
          delete merged[key];
        }
      }
      const parsed = recordSchema.safeParse(merged);
      if (!parsed.success) {
        return records;
      }
      const next = records.filter((record) => record.sessionId !== sessionId);
      next.push(parsed.data);
      return next;
    });
  }

  delete(sessionId: string): Promise<void> {
    return this.#write((records) => records.filter((record) => record.sessionId !== sessionId));
  }

  /** Resolves when every write issued so far has landed. */
  flush(): Promise<void> {
    return this.#writes;
  }

  #write(change: (records: FormSessionRecord[]) => FormSessionRecord[]): Promise<void> {
    // Chained so an older snapshot never lands after a newer one; each change reads the latest.
    const run = async () => {
      const now = this.#clock.now();
      const kept = change(this.#read())
        .filter((record) => now - record.savedAtMs <= MAX_AGE_MS)
        .sort((a, b) => a.savedAtMs - b.savedAtMs)
        .slice(-MAX_RECORDS);
      await this.#backend.update(this.#key, { version: 1, records: kept });
    };
    this.#writes = this.#writes.then(run, run);
    return this.#writes;
  }
}

/** What a list call tells us about one resource, enough to recognise a create. */
export interface CreatedCandidate {
  readonly id: string;
  readonly name: string | null;
  readonly createdAtMs: number | null;
}

/** How much earlier than our clock Spheron's createdAt may be and still count. */
export const RESTORE_SKEW_MS = 2 * 60_000;

/**
 * The submit state a restored form starts in. `created` stays created; a create that was in
 * flight when the window went away is looked for in the list: found, it is created; not found,
 * the form may send again, with a message saying what happened. Undefined: nothing was sent.
 */
export async function restoredSubmitState(
  record: FormSessionRecord | undefined,
  listCandidates: () => Promise<readonly CreatedCandidate[]>,
  noun: 'deployment' | 'volume',
): Promise<SubmitState | undefined> {
  if (record?.created) {
    return { kind: 'created', id: record.created.id, name: record.created.name };
  }
  const pending = record?.pending;
  if (!pending) {
    return undefined;
  }
  const candidates = await listCandidates();
  const found = candidates.find(
    (candidate) =>
      candidate.name === pending.name &&
      (candidate.createdAtMs === null || candidate.createdAtMs >= pending.startedAtMs - RESTORE_SKEW_MS),
  );
  if (found) {
    return { kind: 'created', id: found.id, name: found.name ?? pending.name };
  }
  return {
    kind: 'failed',
    message: `The window reloaded while ${noun} "${pending.name}" was being created, and no ${noun} with that name has appeared at Spheron. Check the list before sending it again.`,
    fieldErrors: {},
  };
}

/** The session id a form webview kept in its state (getState), if it looks like one of ours. */
export function webviewSessionIdOf(state: unknown): string | undefined {
  const sessionId = (state as { sessionId?: unknown } | null | undefined)?.sessionId;
  return typeof sessionId === 'string' && sessionId.length > 0 && sessionId.length <= 200
    ? sessionId
    : undefined;
}

/**
 * What a form shows: a create restored after a reload stays shown as created; otherwise the live
 * submission, unless it has not started and a restored outcome (e.g. "not found") says more.
 */
export function shownSubmitState(restored: SubmitState | undefined, live: SubmitState): SubmitState {
  if (restored?.kind === 'created') {
    return restored;
  }
  return live.kind === 'idle' && restored ? restored : live;
}

/** Records what must outlive a reload about a submission: a create sent, made, or refused. */
export async function recordSubmitState(
  sessions: Pick<FormSessionStore, 'update'>,
  sessionId: string,
  state: SubmitState,
  requestName: string | undefined,
): Promise<void> {
  switch (state.kind) {
    case 'submitting':
      if (state.phase === 'creating') {
        await sessions.update(sessionId, {
          pending: { name: requestName ?? '', startedAtMs: state.startedAtMs },
        });
      }
      return;
    case 'created':
      await sessions.update(sessionId, { created: { id: state.id, name: state.name }, pending: undefined });
      return;
    case 'failed':
      await sessions.update(sessionId, { pending: undefined });
      return;
    case 'unconfirmed':
    case 'idle':
      return;
  }
}
