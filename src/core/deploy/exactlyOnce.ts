// Exactly-once creation of things that cost money. POST /api/deployments is not idempotent: a
// timeout or 5xx can still have created the instance (contract §4.3, the "triple deploy"). So a
// create is sent once per explicit user action, an ambiguous failure is resolved by listing and
// looking for the new resource, and a second create happens only after a fresh look finds nothing
// and the user asks again.
import { AuthError, NotFoundError, RateLimitError, SpheronError, ValidationError } from '../api/errors';

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
  idOf(resource: Resource): string;
  nameOf(resource: Resource, request: Request): string;
  /** Whether a listed resource is the one this request created (the id is already known to be new). */
  matches(resource: Resource, request: Request, submitStartedAtMs: number): boolean;
  /** Two in-flight creates with the same key would create the same thing twice. */
  conflictKey(request: Request): string;
  /** The request's display name, for messages. */
  requestName(request: Request): string;
  /** Field errors for a 400, from the server's words; the form-level message is always kept. */
  fieldErrorsFor(serverMessage: string): Readonly<Record<string, string>>;
}

export interface SubmissionOptions {
  readonly clock?: Clock;
  /**
   * How long after an ambiguous failure a check must start before "Try again" is offered. A create
   * that timed out on our side may still be in progress on the server.
   */
  readonly settleMs?: number;
}

export const DEFAULT_SETTLE_MS = 15_000;

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

interface Attempt<Request> {
  readonly request: Request;
  readonly startedAtMs: number;
  readonly knownIds: ReadonlySet<string>;
  ambiguousAtMs: number | undefined;
}

export class ExactlyOnceSubmission<Request, Resource> {
  readonly #strategy: CreateStrategy<Request, Resource>;
  readonly #clock: Clock;
  readonly #settleMs: number;
  readonly #listeners = new Set<(state: SubmitState) => void>();
  #state: SubmitState = { kind: 'idle' };
  #inFlight: Promise<SubmitState> | undefined;
  #attempt: Attempt<Request> | undefined;
  #creates = 0;
  /** Ids seen by the last check; they cannot be what a retry creates. */
  #lastListedIds: ReadonlySet<string> = new Set();

  constructor(strategy: CreateStrategy<Request, Resource>, options: SubmissionOptions = {}) {
    this.#strategy = strategy;
    this.#clock = options.clock ?? systemClock;
    this.#settleMs = options.settleMs ?? DEFAULT_SETTLE_MS;
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

  /** The request of the current or last attempt. */
  get request(): Request | undefined {
    return this.#attempt?.request;
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
   * a conflicting panel). Only from idle or failed.
   */
  fail(message: string, fieldErrors: Readonly<Record<string, string>> = {}): SubmitState {
    if (this.#inFlight || (this.#state.kind !== 'idle' && this.#state.kind !== 'failed')) {
      return this.#state;
    }
    return this.#setState({ kind: 'failed', message, fieldErrors });
  }

  #start(request: Request, knownIds: ReadonlySet<string>): Promise<SubmitState> {
    const attempt: Attempt<Request> = {
      request,
      startedAtMs: this.#clock.now(),
      knownIds,
      ambiguousAtMs: undefined,
    };
    this.#attempt = attempt;
    this.#setState({ kind: 'submitting', phase: 'creating', startedAtMs: attempt.startedAtMs });
    return this.#track(this.#create(attempt));
  }

  #track(work: Promise<SubmitState>): Promise<SubmitState> {
    const tracked = work.finally(() => {
      if (this.#inFlight === tracked) {
        this.#inFlight = undefined;
      }
    });
    this.#inFlight = tracked;
    return tracked;
  }

  async #create(attempt: Attempt<Request>): Promise<SubmitState> {
    this.#creates += 1;
    let created: Resource;
    try {
      created = await this.#strategy.create(attempt.request);
    } catch (error) {
      if (isDefinitiveFailure(error)) {
        const message = definitiveMessage(error, this.#strategy.noun);
        const fieldErrors =
          error instanceof ValidationError ? this.#strategy.fieldErrorsFor(error.serverMessage) : {};
        return this.#setState({ kind: 'failed', message, fieldErrors });
      }
      attempt.ambiguousAtMs = this.#clock.now();
      return this.#check(attempt, ambiguousReason(error));
    }
    return this.#setState({
      kind: 'created',
      id: this.#strategy.idOf(created),
      name: this.#strategy.nameOf(created, attempt.request),
    });
  }

  async #check(attempt: Attempt<Request>, firstReason?: string): Promise<SubmitState> {
    const checkStartedAtMs = this.#clock.now();
    this.#setState({ kind: 'submitting', phase: 'checking', startedAtMs: attempt.startedAtMs });
    const name = this.#strategy.requestName(attempt.request);
    const noun = this.#strategy.noun;
    let listed: readonly Resource[];
    try {
      listed = await this.#strategy.list(attempt.request);
    } catch (error) {
      return this.#setState({
        kind: 'unconfirmed',
        message: `${firstReason ? `${firstReason}. ` : ''}Spheron may still have created ${noun} "${name}", and the check failed too (${ambiguousReason(error)}). Check again before trying again.`,
        retryAllowed: false,
        checkedAtMs: undefined,
      });
    }
    this.#lastListedIds = new Set(listed.map((resource) => this.#strategy.idOf(resource)));
    const found = listed.find(
      (resource) =>
        !attempt.knownIds.has(this.#strategy.idOf(resource)) &&
        this.#strategy.matches(resource, attempt.request, attempt.startedAtMs),
    );
    if (found) {
      return this.#setState({
        kind: 'created',
        id: this.#strategy.idOf(found),
        name: this.#strategy.nameOf(found, attempt.request),
      });
    }
    const settled = checkStartedAtMs - (attempt.ambiguousAtMs ?? attempt.startedAtMs) >= this.#settleMs;
    const retryAllowed = firstReason === undefined && settled;
    const message = retryAllowed
      ? `No new ${noun} named "${name}" has appeared at Spheron, so it was most likely not created. You can try again.`
      : `${firstReason ? `${firstReason}. ` : ''}Spheron has not confirmed ${noun} "${name}" yet; it may still appear. Check again in a few seconds before trying again.`;
    return this.#setState({ kind: 'unconfirmed', message, retryAllowed, checkedAtMs: checkStartedAtMs });
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
  readonly #create: () => ExactlyOnceSubmission<Request, Resource>;
  readonly #strategy: CreateStrategy<Request, Resource>;

  constructor(strategy: CreateStrategy<Request, Resource>, options: SubmissionOptions = {}) {
    this.#strategy = strategy;
    this.#create = () => new ExactlyOnceSubmission(strategy, options);
  }

  /** The session's submission, created on first use. */
  session(sessionId: string): ExactlyOnceSubmission<Request, Resource> {
    let submission = this.#sessions.get(sessionId);
    if (!submission) {
      submission = this.#create();
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
   * Submits for this session, unless another session is creating (or has an unconfirmed create of)
   * the same thing: two panels deploying the same name on the same offer would create two.
   */
  submit(sessionId: string, request: Request, knownIds: Iterable<string>): Promise<SubmitState> {
    const submission = this.session(sessionId);
    if (!submission.busy && (submission.state.kind === 'idle' || submission.state.kind === 'failed')) {
      const key = this.#strategy.conflictKey(request);
      for (const [otherId, other] of this.#sessions) {
        const pending = other.busy || other.state.kind === 'unconfirmed';
        if (otherId !== sessionId && pending && other.request !== undefined) {
          if (this.#strategy.conflictKey(other.request) === key) {
            return Promise.resolve(
              submission.fail(
                `Another Spheron panel is already creating ${this.#strategy.noun} "${this.#strategy.requestName(request)}". Wait for it to finish, or use another name.`,
              ),
            );
          }
        }
      }
    }
    return submission.submit(request, knownIds);
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
    this.#forms.delete(sessionId);
    return this.#sessions.delete(sessionId);
  }
}
