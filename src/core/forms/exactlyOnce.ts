// Exactly-once creation of things that cost money. POST /api/deployments is not idempotent: a
// timeout or 5xx can still have created the instance (contract §4.3, the "triple deploy"). So a
// create is sent once per explicit user action, an ambiguous failure is resolved by listing and
// looking for the new resource, and a second create happens only after a fresh look finds nothing
// and the user asks again. The intent is recorded before sending (createIntents.ts), so a reloaded
// window or another panel knows a create is out.
import { AuthError, NotFoundError, RateLimitError, SpheronError, ValidationError } from '../api/errors';
import { CreateIntentLedger } from './createIntents';
import type { CreateIntent } from './createIntents';
import { MemoryKeyValueStore } from '../util/keyValueStore';

export interface Clock {
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

export interface Disposable {
  dispose(): void;
}

export type SubmitState =
  | { readonly kind: 'idle' }
  | {
      readonly kind: 'submitting';
      /** `creating`: the create request is out; `checking`: listing to see whether it landed. */
      readonly phase: 'creating' | 'checking';
      readonly startedAtMs: number;
    }
  | { readonly kind: 'created'; readonly id: string; readonly name: string }
  | {
      readonly kind: 'unconfirmed';
      readonly message: string;
      /** True once a check made late enough found nothing; "Try again" is offered only then. */
      readonly retryAllowed: boolean;
      readonly checkedAtMs: number | undefined;
    }
  | {
      readonly kind: 'failed';
      readonly message: string;
      readonly fieldErrors: Readonly<Record<string, string>>;
    };

/** How one kind of resource is created, listed and recognised. */
export interface CreateStrategy<Request, Resource> {
  /** `deployment`, `volume`: used in messages. */
  readonly noun: string;
  create(request: Request): Promise<Resource>;
  list(request: Request): Promise<readonly Resource[]>;
  /** The team's resources, for a create restored after a reload (its request is gone). */
  listTeam(teamId: string): Promise<readonly Resource[]>;
  idOf(resource: Resource): string;
  nameOf(resource: Resource, request: Request): string;
  /** The listed name and creation time, to recognise a restored create by name and time. */
  listedOf(resource: Resource): { readonly name: string | null; readonly createdAtMs: number | null };
  /** Whether a listed resource is the one this request created (the id is already known to be new). */
  matches(resource: Resource, request: Request, submitStartedAtMs: number): boolean;
  /** The team the create is for ('' when the request names none). */
  teamOf(request: Request): string;
  /** The request's display name, for messages. */
  requestName(request: Request): string;
  /** Field errors for a 400, from the server's words; the form-level message is always kept. */
  fieldErrorsFor(serverMessage: string): Readonly<Record<string, string>>;
}

/** setTimeout/clearTimeout, injectable so tests move time themselves. */
export interface Timers {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export interface SubmissionOptions {
  readonly clock?: Clock;
  /**
   * How long after an ambiguous failure (or a restore) a check must start before "Try again" is
   * offered. A create that timed out on our side may still be committed on the server later.
   */
  readonly settleMs?: number;
  /** With timers, an unconfirmed create is looked for again every `recheckMs` until settled. */
  readonly timers?: Timers;
  readonly recheckMs?: number;
  /** Waits before the one resend after a short 429 (tests inject one that returns at once). */
  readonly sleep?: (ms: number) => Promise<void>;
  /** Shared by every window (globalState); a registry without one keeps its own in memory. */
  readonly intents?: CreateIntentLedger;
}

export const DEFAULT_SETTLE_MS = 60_000;
export const DEFAULT_RECHECK_MS = 10_000;
/** A create refused with 429 is sent once more only when the server asks for at most this wait. */
export const MAX_CREATE_RESEND_WAIT_MS = 10_000;
/** How much earlier than our clock Spheron's createdAt may be and still count. */
export const CREATED_SKEW_MS = 2 * 60_000;
/** Rechecks stop this long after settling even if the list keeps failing; "Check again" remains. */
const RECHECK_GIVE_UP_MS = 5 * 60_000;

const realSleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Definitive: the server answered and said no, so nothing was created. */
export function isDefinitiveFailure(error: unknown): boolean {
  return (
    error instanceof ValidationError ||
    error instanceof AuthError ||
    error instanceof RateLimitError ||
    error instanceof NotFoundError
  );
}

function definitiveMessage(error: unknown, noun: string): string {
  if (error instanceof ValidationError) {
    const text = error.serverMessage.trim() || 'the request was not accepted';
    const sentence = /[.!?]$/.test(text) ? text : `${text}.`;
    const credit = /balance|credit|fund/i.test(text) ? ' Add credit to your team and try again.' : '';
    return `Spheron refused the ${noun}: ${sentence}${credit}`;
  }
  return error instanceof Error ? error.message : String(error);
}

function ambiguousReason(error: unknown): string {
  if (error instanceof SpheronError) {
    return error.message.replace(/\.$/, '');
  }
  return 'The request failed before Spheron answered';
}

/** "in 40 s", "in 12 min": when a rate-limited user may try again. */
export function tryAgainIn(waitMs: number): string {
  if (waitMs <= 0) {
    return 'Wait a minute, then try again.';
  }
  const seconds = Math.ceil(waitMs / 1000);
  return seconds < 90 ? `Try again in ${seconds} s.` : `Try again in ${Math.ceil(seconds / 60)} min.`;
}

function blockedMessage(by: CreateIntent, noun: string): string {
  return by.createdId === undefined
    ? `Another Spheron form or window is already creating ${noun} "${by.name}", and Spheron has not confirmed it yet. Wait for it to finish, or use another name.`
    : `Another Spheron form or window has just created ${noun} "${by.name}". Use another name to create a second one.`;
}

/** A create whose window reloaded before it was answered: only its name, team and time are left. */
export interface RestoredCreate {
  readonly name: string;
  readonly teamId: string;
  readonly startedAtMs: number;
  readonly intentId?: string;
}

interface Attempt<Request> {
  /** Undefined for a create restored after a reload. */
  readonly request: Request | undefined;
  readonly name: string;
  readonly teamId: string;
  readonly startedAtMs: number;
  readonly knownIds: ReadonlySet<string>;
  ambiguousAtMs: number | undefined;
  readonly intentId: string | undefined;
  /** The one resend after a short 429 was used. */
  resent: boolean;
}

let anonymousSessions = 0;

export class ExactlyOnceSubmission<Request, Resource> {
  readonly #strategy: CreateStrategy<Request, Resource>;
  readonly #clock: Clock;
  readonly #settleMs: number;
  readonly #recheckMs: number;
  readonly #timers: Timers | undefined;
  readonly #sleep: (ms: number) => Promise<void>;
  readonly #intents: CreateIntentLedger | undefined;
  readonly #sessionId: string;
  readonly #listeners = new Set<(state: SubmitState) => void>();
  #state: SubmitState = { kind: 'idle' };
  #inFlight: Promise<SubmitState> | undefined;
  #attempt: Attempt<Request> | undefined;
  #creates = 0;
  #recheckTimer: unknown;
  #disposed = false;
  /** Ids seen by the last check; they cannot be what a retry creates. */
  #lastListedIds: ReadonlySet<string> = new Set();

  constructor(
    strategy: CreateStrategy<Request, Resource>,
    options: SubmissionOptions = {},
    sessionId?: string,
  ) {
    this.#strategy = strategy;
    this.#clock = options.clock ?? systemClock;
    this.#settleMs = options.settleMs ?? DEFAULT_SETTLE_MS;
    this.#recheckMs = options.recheckMs ?? DEFAULT_RECHECK_MS;
    this.#timers = options.timers;
    this.#sleep = options.sleep ?? realSleep;
    this.#intents = options.intents;
    // Counting down would keep the ids distinct too (an equivalent mutant).
    anonymousSessions += 1;
    this.#sessionId = sessionId ?? `anonymous-${anonymousSessions}`;
  }

  get state(): SubmitState {
    return this.#state;
  }

  /** True while a create or a check is running. */
  get busy(): boolean {
    return this.#inFlight !== undefined;
  }

  /** How many create requests this session has sent (for logs and tests). */
  get createCount(): number {
    return this.#creates;
  }

  /** The request of the current or last attempt (undefined for one restored after a reload). */
  get request(): Request | undefined {
    return this.#attempt?.request;
  }

  /** The name of the current or last attempt. */
  get requestName(): string | undefined {
    return this.#attempt?.name;
  }

  /** The in-flight work's outcome, or the current state when nothing is running. Sends nothing. */
  settled(): Promise<SubmitState> {
    return this.#inFlight ?? Promise.resolve(this.#state);
  }

  onDidChange(listener: (state: SubmitState) => void): Disposable {
    this.#listeners.add(listener);
    return { dispose: () => this.#listeners.delete(listener) };
  }

  /**
   * Sends the create, once. While one is in flight, returns the same promise. After success, or
   * while the outcome is unconfirmed, returns the current state and sends nothing.
   */
  submit(request: Request, knownIds: Iterable<string>): Promise<SubmitState> {
    if (this.#inFlight) {
      return this.#inFlight;
    }
    if (this.#state.kind === 'idle' || this.#state.kind === 'failed') {
      return this.#start(request, new Set(knownIds));
    }
    return Promise.resolve(this.#state);
  }

  /**
   * A create the window sent before it reloaded and that was never answered: unconfirmed (never
   * failed) while the list is checked for it, by name, team and time, for at least `settleMs`.
   * Only from idle; sends no create.
   */
  resume(restored: RestoredCreate): Promise<SubmitState> {
    if (this.#inFlight || this.#state.kind !== 'idle') {
      return this.settled();
    }
    const attempt: Attempt<Request> = {
      request: undefined,
      name: restored.name,
      teamId: restored.teamId,
      startedAtMs: restored.startedAtMs,
      knownIds: new Set(),
      // The wait counts from the restore: the form must not offer a resend sooner.
      ambiguousAtMs: this.#clock.now(),
      intentId: restored.intentId,
      // Never read: a restored attempt sends no create, so it never meets a 429 (equivalent mutant).
      resent: true,
    };
    this.#attempt = attempt;
    return this.#track(this.#check(attempt, 'The window reloaded before Spheron answered the create'));
  }

  /** "Check again": lists and looks for the resource. Only meaningful while unconfirmed. */
  checkAgain(): Promise<SubmitState> {
    if (this.#inFlight) {
      return this.#inFlight;
    }
    const attempt = this.#attempt;
    if (this.#state.kind !== 'unconfirmed' || !attempt) {
      return Promise.resolve(this.#state);
    }
    return this.#track(this.#check(attempt));
  }

  /**
   * "Try again" after an unconfirmed outcome: a new create, allowed only once a late-enough check
   * found nothing. Ids listed by that check count as known, so the old attempt cannot match.
   */
  retryAfterUnconfirmed(request: Request, knownIds: Iterable<string>): Promise<SubmitState> {
    if (this.#inFlight) {
      return this.#inFlight;
    }
    // Only an unconfirmed state has `retryAllowed`: the kind test narrows the type (equivalent).
    if (this.#state.kind !== 'unconfirmed' || !this.#state.retryAllowed) {
      return Promise.resolve(this.#state);
    }
    const known = new Set(knownIds);
    for (const id of this.#lastListedIds) {
      known.add(id);
    }
    return this.#start(request, known);
  }

  /**
   * Marks the session failed without sending anything (a refusal decided before the create, e.g.
   * invalid input). Only from idle or failed.
   */
  fail(message: string, fieldErrors: Readonly<Record<string, string>> = {}): SubmitState {
    if (this.#inFlight || (this.#state.kind !== 'idle' && this.#state.kind !== 'failed')) {
      return this.#state;
    }
    return this.#setState({ kind: 'failed', message, fieldErrors });
  }

  /** Stops the rechecks; what was sent carries on. */
  dispose(): void {
    this.#disposed = true;
    this.#cancelRecheck();
    this.#listeners.clear();
  }

  #start(request: Request, knownIds: ReadonlySet<string>): Promise<SubmitState> {
    const startedAtMs = this.#clock.now();
    const name = this.#strategy.requestName(request);
    const teamId = this.#strategy.teamOf(request);
    let intentId: string | undefined;
    let written: Promise<void> = Promise.resolve();
    if (this.#intents) {
      // Checked and recorded in one synchronous step: no other panel of this window runs between.
      const claim = this.#intents.claim({
        noun: this.#strategy.noun,
        teamId,
        name,
        sessionId: this.#sessionId,
        startedAtMs,
      });
      if (claim.kind === 'blocked') {
        return Promise.resolve(
          this.#setState({
            kind: 'failed',
            message: blockedMessage(claim.by, this.#strategy.noun),
            fieldErrors: {},
          }),
        );
      }
      intentId = claim.intent.id;
      written = claim.written;
    }
    const attempt: Attempt<Request> = {
      request,
      name,
      teamId,
      startedAtMs,
      knownIds,
      ambiguousAtMs: undefined,
      intentId,
      resent: false,
    };
    this.#cancelRecheck();
    this.#attempt = attempt;
    this.#setState({ kind: 'submitting', phase: 'creating', startedAtMs });
    return this.#track(this.#send(attempt, written));
  }

  #track(work: Promise<SubmitState>): Promise<SubmitState> {
    const tracked = work.finally(() => {
      // Defensive: nothing starts work while #inFlight is set, so this is always true today.
      if (this.#inFlight === tracked) {
        this.#inFlight = undefined;
      }
    });
    this.#inFlight = tracked;
    return tracked;
  }

  async #send(attempt: Attempt<Request>, intentWritten: Promise<void>): Promise<SubmitState> {
    try {
      // Durable before sending: a reload from here on finds the intent.
      await intentWritten;
    } catch (error) {
      this.#dropIntent(attempt);
      return this.#setState({
        kind: 'failed',
        message: `Nothing was sent: the ${this.#strategy.noun} could not be recorded before sending (${error instanceof Error ? error.message : String(error)}).`,
        fieldErrors: {},
      });
    }
    return this.#create(attempt);
  }

  async #create(attempt: Attempt<Request>): Promise<SubmitState> {
    const request = attempt.request;
    // Defensive, like `attempt.request !== undefined` in #rateLimited: a restored attempt never
    // gets here, so no test can reach this branch (its mutants are equivalent, and ignored).
    // Stryker disable next-line all: unreachable, only narrows the type
    if (request === undefined) {
      // A restored attempt has no request to send; it is only ever looked for.
      return this.#state;
    }
    this.#creates += 1;
    let created: Resource;
    try {
      created = await this.#strategy.create(request);
    } catch (error) {
      if (error instanceof RateLimitError) {
        return this.#rateLimited(attempt, error);
      }
      if (isDefinitiveFailure(error)) {
        this.#dropIntent(attempt);
        const message = definitiveMessage(error, this.#strategy.noun);
        const fieldErrors =
          error instanceof ValidationError ? this.#strategy.fieldErrorsFor(error.serverMessage) : {};
        return this.#setState({ kind: 'failed', message, fieldErrors });
      }
      attempt.ambiguousAtMs = this.#clock.now();
      return this.#check(attempt, ambiguousReason(error));
    }
    return this.#created(attempt, this.#strategy.idOf(created), this.#strategy.nameOf(created, request));
  }

  /**
   * A 429 on the create. A proxy can answer 429 after the create was committed, so the list
   * decides; with nothing there, one resend after a short wait, else the user is told when.
   */
  async #rateLimited(attempt: Attempt<Request>, error: RateLimitError): Promise<SubmitState> {
    this.#setState({ kind: 'submitting', phase: 'checking', startedAtMs: attempt.startedAtMs });
    const look = await this.#look(attempt);
    if ('error' in look) {
      attempt.ambiguousAtMs = this.#clock.now();
      return this.#unconfirmedAfterFailedList(attempt, ambiguousReason(error), look.error);
    }
    if (look.found !== undefined) {
      return this.#created(attempt, this.#strategy.idOf(look.found), this.#foundName(look.found, attempt));
    }
    const waitMs = error.retryAfterMs;
    if (
      !attempt.resent &&
      attempt.request !== undefined &&
      waitMs > 0 &&
      waitMs <= MAX_CREATE_RESEND_WAIT_MS
    ) {
      attempt.resent = true;
      this.#setState({ kind: 'submitting', phase: 'creating', startedAtMs: attempt.startedAtMs });
      await this.#sleep(waitMs);
      return this.#create(attempt);
    }
    this.#dropIntent(attempt);
    return this.#setState({
      kind: 'failed',
      message: `Spheron's rate limit was reached, and ${this.#strategy.noun} "${attempt.name}" was not created. ${tryAgainIn(waitMs)}`,
      fieldErrors: {},
    });
  }

  /** Lists and looks for what the attempt created. Never rejects. */
  async #look(
    attempt: Attempt<Request>,
  ): Promise<{ readonly found: Resource | undefined } | { readonly error: unknown }> {
    let listed: readonly Resource[];
    try {
      listed =
        attempt.request === undefined
          ? await this.#strategy.listTeam(attempt.teamId)
          : await this.#strategy.list(attempt.request);
    } catch (error) {
      return { error };
    }
    this.#lastListedIds = new Set(listed.map((resource) => this.#strategy.idOf(resource)));
    const found = listed.find(
      (resource) =>
        !attempt.knownIds.has(this.#strategy.idOf(resource)) && this.#isAttempts(resource, attempt),
    );
    return { found };
  }

  #isAttempts(resource: Resource, attempt: Attempt<Request>): boolean {
    if (attempt.request !== undefined) {
      return this.#strategy.matches(resource, attempt.request, attempt.startedAtMs);
    }
    const listed = this.#strategy.listedOf(resource);
    return (
      listed.name === attempt.name &&
      (listed.createdAtMs === null || listed.createdAtMs >= attempt.startedAtMs - CREATED_SKEW_MS)
    );
  }

  #foundName(resource: Resource, attempt: Attempt<Request>): string {
    // `?? attempt.name` is defensive: a restored attempt only matches a listed name equal to its own.
    return attempt.request === undefined
      ? (this.#strategy.listedOf(resource).name ?? attempt.name)
      : this.#strategy.nameOf(resource, attempt.request);
  }

  async #check(attempt: Attempt<Request>, firstReason?: string): Promise<SubmitState> {
    const checkStartedAtMs = this.#clock.now();
    this.#setState({ kind: 'submitting', phase: 'checking', startedAtMs: attempt.startedAtMs });
    const look = await this.#look(attempt);
    if ('error' in look) {
      return this.#unconfirmedAfterFailedList(attempt, firstReason, look.error);
    }
    if (look.found !== undefined) {
      return this.#created(attempt, this.#strategy.idOf(look.found), this.#foundName(look.found, attempt));
    }
    const noun = this.#strategy.noun;
    const name = attempt.name;
    const sinceMs = checkStartedAtMs - (attempt.ambiguousAtMs ?? attempt.startedAtMs);
    const retryAllowed = firstReason === undefined && sinceMs >= this.#settleMs;
    const next = this.#timers
      ? `Looking again every ${Math.round(this.#recheckMs / 1000)} s for up to ${Math.round(this.#settleMs / 1000)} s; nothing is sent again until then.`
      : 'Check again in a few seconds before trying again.';
    const message = retryAllowed
      ? `No new ${noun} named "${name}" has appeared at Spheron, so it was most likely not created. You can try again.`
      : `${firstReason ? `${firstReason}. ` : ''}Spheron has not confirmed ${noun} "${name}" yet; it may still appear. ${next}`;
    const state = this.#setState({
      kind: 'unconfirmed',
      message,
      retryAllowed,
      checkedAtMs: checkStartedAtMs,
    });
    if (!retryAllowed) {
      this.#scheduleRecheck(attempt, Math.min(this.#recheckMs, Math.max(1_000, this.#settleMs - sinceMs)));
    }
    return state;
  }

  #unconfirmedAfterFailedList(
    attempt: Attempt<Request>,
    firstReason: string | undefined,
    error: unknown,
  ): SubmitState {
    const noun = this.#strategy.noun;
    const state = this.#setState({
      kind: 'unconfirmed',
      message: `${firstReason ? `${firstReason}. ` : ''}Spheron may still have created ${noun} "${attempt.name}", and the check failed too (${ambiguousReason(error)}). Check again before trying again.`,
      retryAllowed: false,
      checkedAtMs: undefined,
    });
    const sinceMs = this.#clock.now() - (attempt.ambiguousAtMs ?? attempt.startedAtMs);
    if (sinceMs < this.#settleMs + RECHECK_GIVE_UP_MS) {
      const waitMs = error instanceof RateLimitError ? error.retryAfterMs : 0;
      this.#scheduleRecheck(attempt, Math.max(this.#recheckMs, waitMs));
    }
    return state;
  }

  #created(attempt: Attempt<Request>, id: string, name: string): SubmitState {
    this.#cancelRecheck();
    // An attempt has an intent id exactly when there is a ledger: either test alone would do (here
    // and in #dropIntent: equivalent mutants).
    if (this.#intents && attempt.intentId !== undefined) {
      this.#intents.created(attempt.intentId, id).catch(() => undefined);
    }
    return this.#setState({ kind: 'created', id, name });
  }

  #dropIntent(attempt: Attempt<Request>): void {
    if (this.#intents && attempt.intentId !== undefined) {
      this.#intents.drop(attempt.intentId).catch(() => undefined);
    }
  }

  #scheduleRecheck(attempt: Attempt<Request>, delayMs: number): void {
    const timers = this.#timers;
    if (!timers || this.#disposed) {
      return;
    }
    this.#cancelRecheck();
    this.#recheckTimer = timers.setTimeout(() => {
      this.#recheckTimer = undefined;
      // A new attempt and a state that is no longer unconfirmed cancel this timer first, so only
      // `!this.#inFlight` can be false here today (the other two are equivalent mutants).
      if (this.#attempt === attempt && this.#state.kind === 'unconfirmed' && !this.#inFlight) {
        void this.#track(this.#check(attempt));
      }
    }, delayMs);
  }

  #cancelRecheck(): void {
    // A timer is only ever set with #timers, and clearing none is harmless (equivalent mutants).
    if (this.#recheckTimer !== undefined) {
      this.#timers?.clearTimeout(this.#recheckTimer);
      this.#recheckTimer = undefined;
    }
  }

  #setState(state: SubmitState): SubmitState {
    this.#state = state;
    for (const listener of [...this.#listeners]) {
      try {
        listener(state);
      } catch {
        // A broken listener (UI) must not change what was sent or what we know.
      }
    }
    return state;
  }
}

/** Submissions by form session id, so a reopened panel finds its earlier submission. */
export class SubmissionRegistry<Request, Resource, Form = unknown> {
  readonly #sessions = new Map<string, ExactlyOnceSubmission<Request, Resource>>();
  readonly #forms = new Map<string, Form>();
  readonly #create: (sessionId: string) => ExactlyOnceSubmission<Request, Resource>;
  readonly #intents: CreateIntentLedger;

  constructor(strategy: CreateStrategy<Request, Resource>, options: SubmissionOptions = {}) {
    // Without a shared ledger, this registry's panels still refuse each other's duplicates.
    const intents =
      options.intents ??
      new CreateIntentLedger(new MemoryKeyValueStore(), options.clock ? { clock: options.clock } : {});
    this.#intents = intents;
    this.#create = (sessionId) => new ExactlyOnceSubmission(strategy, { ...options, intents }, sessionId);
  }

  /** The session's submission, created on first use. */
  session(sessionId: string): ExactlyOnceSubmission<Request, Resource> {
    let submission = this.#sessions.get(sessionId);
    if (!submission) {
      submission = this.#create(sessionId);
      this.#sessions.set(sessionId, submission);
    }
    return submission;
  }

  has(sessionId: string): boolean {
    return this.#sessions.has(sessionId);
  }

  stateOf(sessionId: string): SubmitState {
    return this.#sessions.get(sessionId)?.state ?? { kind: 'idle' };
  }

  /** Remembers the form a session last submitted, so a reopened panel can show it. */
  rememberForm(sessionId: string, form: Form): void {
    this.#forms.set(sessionId, form);
  }

  /** The form this session last submitted, if any. */
  formOf(sessionId: string): Form | undefined {
    return this.#forms.get(sessionId);
  }

  /**
   * Submits for this session, unless another session, panel or window is creating (or has just
   * created) the same name for the same team: see CreateIntentLedger.
   */
  submit(sessionId: string, request: Request, knownIds: Iterable<string>): Promise<SubmitState> {
    return this.session(sessionId).submit(request, knownIds);
  }

  /**
   * After a reload: the session's create that was never answered, looked for in the list instead
   * of being forgotten. `fallback` is the form record's own note of it, for an intent the ledger
   * no longer has. Undefined when the session has nothing unanswered.
   */
  resume(sessionId: string, fallback?: RestoredCreate): Promise<SubmitState> | undefined {
    const intent = this.#intents.unresolvedOf(sessionId);
    const restored: RestoredCreate | undefined = intent
      ? { name: intent.name, teamId: intent.teamId, startedAtMs: intent.startedAtMs, intentId: intent.id }
      : fallback;
    return restored ? this.session(sessionId).resume(restored) : undefined;
  }

  checkAgain(sessionId: string): Promise<SubmitState> {
    return this.session(sessionId).checkAgain();
  }

  retryAfterUnconfirmed(
    sessionId: string,
    request: Request,
    knownIds: Iterable<string>,
  ): Promise<SubmitState> {
    return this.session(sessionId).retryAfterUnconfirmed(request, knownIds);
  }

  /** Drops a finished session (created, failed or idle). Refuses while anything is pending. */
  forget(sessionId: string): boolean {
    const submission = this.#sessions.get(sessionId);
    if (!submission) {
      return true;
    }
    if (submission.busy || submission.state.kind === 'unconfirmed') {
      return false;
    }
    submission.dispose();
    this.#forms.delete(sessionId);
    return this.#sessions.delete(sessionId);
  }

  /** Stops every session's rechecks (deactivation). */
  dispose(): void {
    for (const submission of this.#sessions.values()) {
      submission.dispose();
    }
  }
}
