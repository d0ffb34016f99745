// Create intents: "this form is creating <name> for <team>", written before the create is sent, in
// storage every window of this machine shares (the vscode layer passes globalState). A reloaded
// window finds its unanswered create here, and no panel or window sends a second create of the
// same name while the first is unresolved.
import * as z from 'zod/mini';
import type { Clock } from './exactlyOnce';

export const CREATE_INTENTS_KEY = 'spheron.createIntents';

/**
 * How long an intent blocks the same name. A create is answered or dead long before; this only
 * keeps an intent whose window crashed from blocking the name for ever.
 */
export const INTENT_BLOCK_MS = 15 * 60_000;
/**
 * How long a created intent still refuses the same name from another form: two panels clicked
 * together must not make two, even when the second one's list already shows the first.
 */
export const CREATED_BLOCK_MS = 2 * 60_000;
const MAX_INTENTS = 100;

const text = z.string().check(z.maxLength(500));

const intentSchema = z.object({
  id: text,
  noun: text,
  teamId: text,
  name: text,
  sessionId: text,
  startedAtMs: z.number(),
  /** Set once the create is known to have happened. */
  createdId: z.optional(text),
});
export type CreateIntent = z.output<typeof intentSchema>;

const persistedSchema = z.object({ version: z.literal(1), intents: z.array(intentSchema) });

export interface IntentInput {
  readonly noun: string;
  readonly teamId: string;
  readonly name: string;
  readonly sessionId: string;
  readonly startedAtMs: number;
}

export type ClaimResult =
  | { readonly kind: 'claimed'; readonly intent: CreateIntent; readonly written: Promise<void> }
  | { readonly kind: 'blocked'; readonly by: CreateIntent };

/** A KeyValueStore (globalState), read as untrusted. */
export interface IntentStore {
  get(key: string): unknown;
  update(key: string, value: unknown): PromiseLike<void>;
}

export class CreateIntentLedger {
  readonly #store: IntentStore;
  readonly #clock: Clock;
  readonly #key: string;
  #nextId = 0;

  constructor(store: IntentStore, options: { clock?: Clock; key?: string } = {}) {
    this.#store = store;
    this.#clock = options.clock ?? { now: () => Date.now() };
    this.#key = options.key ?? CREATE_INTENTS_KEY;
  }

  #read(): CreateIntent[] {
    const parsed = persistedSchema.safeParse(this.#store.get(this.#key));
    return parsed.success ? parsed.data.intents : [];
  }

  #write(intents: readonly CreateIntent[]): Promise<void> {
    const now = this.#clock.now();
    const kept = intents.filter((intent) => now - intent.startedAtMs <= INTENT_BLOCK_MS).slice(-MAX_INTENTS);
    return Promise.resolve(this.#store.update(this.#key, { version: 1, intents: kept }));
  }

  /**
   * The intent of another session that a create of `name` would duplicate: one still unanswered,
   * or one created moments ago.
   */
  blocking(input: Omit<IntentInput, 'startedAtMs'>): CreateIntent | undefined {
    const now = this.#clock.now();
    return this.#read().find(
      (intent) =>
        intent.sessionId !== input.sessionId &&
        intent.noun === input.noun &&
        intent.teamId === input.teamId &&
        intent.name === input.name &&
        now - intent.startedAtMs <= (intent.createdId === undefined ? INTENT_BLOCK_MS : CREATED_BLOCK_MS),
    );
  }

  /**
   * Checks and records in one synchronous step, so no other panel of this window can slip in
   * between; `written` resolves once the store holds it. Replaces the session's earlier intent.
   */
  claim(input: IntentInput): ClaimResult {
    const by = this.blocking(input);
    if (by) {
      return { kind: 'blocked', by };
    }
    this.#nextId += 1;
    const intent: CreateIntent = {
      ...input,
      id: `${input.sessionId}:${input.startedAtMs}:${this.#nextId}`,
    };
    const others = this.#read().filter((other) => other.sessionId !== input.sessionId);
    return { kind: 'claimed', intent, written: this.#write([...others, intent]) };
  }

  /** The create happened: the intent now only blocks creates whose list could not show it. */
  created(intentId: string, createdId: string): Promise<void> {
    return this.#write(
      this.#read().map((intent) => (intent.id === intentId ? { ...intent, createdId } : intent)),
    );
  }

  /** The server refused, or the user moved on: nothing of this intent exists. */
  drop(intentId: string): Promise<void> {
    return this.#write(this.#read().filter((intent) => intent.id !== intentId));
  }

  /** The session's unanswered intent, if any (a window reloaded while its create was out). */
  unresolvedOf(sessionId: string): CreateIntent | undefined {
    const now = this.#clock.now();
    return this.#read().find(
      (intent) =>
        intent.sessionId === sessionId &&
        intent.createdId === undefined &&
        now - intent.startedAtMs <= INTENT_BLOCK_MS,
    );
  }
}
