// What must outlive a window reload about a form (deploy, volume, any later one): which offer it
// was for (the webview's own state holds only the session id and the form), and whether a create
// was sent.
// The submission registries live in memory; after a reload this record (with the create intents,
// createIntents.ts) is what stops a restored panel from creating the same thing again.
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
  /** Which form: its protocol's name (`deploy`, `volume`). */
  form: z.string().check(z.minLength(1), z.maxLength(50)),
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
    patch: Partial<Omit<FormSessionRecord, 'sessionId' | 'savedAtMs'>>,
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
