// The host's one submit path, the same for every form: only a press that may start a create
// (idle or failed; "Try again" only when allowed) validates the form again with the webview's
// rules, builds the request, snapshots the ids that exist and submits through the registry.
// Anything else (a double click, a reopened panel) sends nothing and answers the settled state.
import type { SubmitState } from './exactlyOnce';

/** The part of a submission registry a submit needs. */
export interface SubmitRegistry<Request, Form> {
  session(sessionId: string): {
    readonly state: SubmitState;
    readonly busy: boolean;
    settled(): Promise<SubmitState>;
    fail(message: string, fieldErrors?: Readonly<Record<string, string>>): SubmitState;
  };
  rememberForm(sessionId: string, form: Form): void;
  submit(sessionId: string, request: Request, knownIds: Iterable<string>): Promise<SubmitState>;
  retryAfterUnconfirmed(
    sessionId: string,
    request: Request,
    knownIds: Iterable<string>,
  ): Promise<SubmitState>;
}

export type FormValidation<Value> =
  | { readonly ok: true; readonly value: Value }
  | { readonly ok: false; readonly fieldErrors: Readonly<Record<string, string>> };

/** Which session submits what. */
export interface FormSubmission<Request, Form> {
  readonly registry: SubmitRegistry<Request, Form>;
  readonly sessionId: string;
  readonly form: Form;
}

/** What differs between forms: their rules, words, request and list. */
export interface FormSubmitSteps<Request, Value> {
  readonly validate: () => FormValidation<Value>;
  /** The form's words when a field needs attention. */
  readonly invalidMessage: string;
  readonly build: (value: Value) => Request;
  /** The message of an error `build` throws that the user can fix (e.g. an option the offer lacks). */
  readonly refusal?: (error: unknown) => string | undefined;
  /** The ids that exist before the create, so a later look can tell which one is new. */
  readonly knownIds: () => Promise<readonly string[]>;
}

/** `mode`: `submit` (the form's button) or `retry` ("Try again" after a check found nothing). */
export async function submitOnce<Request, Form, Value>(
  input: FormSubmission<Request, Form>,
  mode: 'submit' | 'retry',
  steps: FormSubmitSteps<Request, Value>,
): Promise<SubmitState> {
  const submission = input.registry.session(input.sessionId);
  const current = submission.state;
  const canStart =
    !submission.busy &&
    (mode === 'submit'
      ? current.kind === 'idle' || current.kind === 'failed'
      : current.kind === 'unconfirmed' && current.retryAllowed);
  if (!canStart) {
    // A double click, a reopened panel, or "Try again" before it is allowed: send nothing.
    return submission.settled();
  }
  const validation = steps.validate();
  if (!validation.ok) {
    return submission.fail(steps.invalidMessage, validation.fieldErrors);
  }
  let request: Request;
  try {
    request = steps.build(validation.value);
  } catch (error) {
    const refusal = steps.refusal?.(error);
    if (refusal === undefined) {
      throw error;
    }
    return submission.fail(refusal, {});
  }
  const known = await steps.knownIds();
  input.registry.rememberForm(input.sessionId, input.form);
  return mode === 'submit'
    ? input.registry.submit(input.sessionId, request, known)
    : input.registry.retryAfterUnconfirmed(input.sessionId, request, known);
}
