// The part of every form's state that is about submitting: what was sent, the host's answer,
// which errors show, what survives a reload. Pure functions (no DOM); each form's state.ts adds
// only its own fields and actions.
import * as z from 'zod/mini';
import type { SubmitStateMessage } from '../../shared/protocol';

/** What survives hide/show and reloads (vscode.setState): the session, the values, the touched fields. */
export function persistedFormStateSchema<F extends z.ZodMiniType>(form: F) {
  return z.object({ sessionId: z.string(), form, touched: z.array(z.string()) });
}

export interface PersistedFormState<Form> {
  readonly sessionId: string;
  readonly form: Form;
  readonly touched: string[];
}

export interface SubmitSlice<Field extends string> {
  readonly touched: ReadonlySet<Field>;
  /** The user pressed the submit button at least once: show every error. */
  readonly submitAttempted: boolean;
  readonly submit: SubmitStateMessage;
  /** Set the moment the button is pressed, before the host answers: blocks a second press. */
  readonly sending: boolean;
  /** The server's words next to fields, from the last failed submit; cleared when the field changes. */
  readonly serverFieldErrors: Partial<Record<Field, string>>;
}

/** The actions every form's reducer handles the same way. */
export type SubmitAction =
  | { readonly type: 'sendSubmit' }
  | { readonly type: 'submitState'; readonly state: SubmitStateMessage }
  | {
      readonly type: 'requestFailed';
      readonly message: string;
      readonly fieldErrors: Readonly<Record<string, string>>;
    };

export function emptySubmitSlice<Field extends string>(): SubmitSlice<Field> {
  return {
    touched: new Set(),
    submitAttempted: false,
    submit: { kind: 'idle' },
    sending: false,
    serverFieldErrors: {},
  };
}

/** Sending, submitting, created or unconfirmed: the values are what was (or is being) sent. */
export function isFormLocked(submit: SubmitStateMessage, sending: boolean): boolean {
  return (
    sending || submit.kind === 'submitting' || submit.kind === 'created' || submit.kind === 'unconfirmed'
  );
}

export function reduceSubmit<S extends SubmitSlice<string>>(state: S, action: SubmitAction): S {
  switch (action.type) {
    case 'sendSubmit':
      return { ...state, sending: true, submitAttempted: true };
    case 'submitState':
      return {
        ...state,
        submit: action.state,
        sending: false,
        serverFieldErrors:
          action.state.kind === 'failed' ? action.state.fieldErrors : state.serverFieldErrors,
      };
    case 'requestFailed':
      return {
        ...state,
        sending: false,
        submit: { kind: 'failed', message: action.message, fieldErrors: action.fieldErrors },
        serverFieldErrors: action.fieldErrors,
      };
  }
}

/**
 * The values and touched fields an `init` starts from: this page's own saved state for the same
 * session, else what the session last submitted, else a fresh form.
 */
export function startingValues<Form, Field extends string>(
  init: { readonly sessionId: string; readonly submittedForm: Form | null },
  saved: PersistedFormState<Form> | undefined,
  isField: (value: string) => value is Field,
  fresh: () => Form,
): { form: Form; touched: ReadonlySet<Field> } {
  if (saved && saved.sessionId === init.sessionId) {
    return { form: saved.form, touched: new Set(saved.touched.filter(isField)) };
  }
  return { form: init.submittedForm ?? fresh(), touched: new Set() };
}

/** The submit slice right after an `init`: its submit state, and the server's errors of a failure. */
export function submitSliceOf<Field extends string>(
  submit: SubmitStateMessage,
  touched: ReadonlySet<Field>,
): SubmitSlice<Field> {
  return {
    ...emptySubmitSlice<Field>(),
    touched,
    submit,
    serverFieldErrors: submit.kind === 'failed' ? (submit.fieldErrors as Partial<Record<Field, string>>) : {},
  };
}

/** An edit: its fields count as touched and lose the server's error. */
export function touchFields<Field extends string>(
  state: SubmitSlice<Field>,
  fields: readonly Field[],
): Pick<SubmitSlice<Field>, 'touched' | 'serverFieldErrors'> {
  const touched = new Set(state.touched);
  const serverFieldErrors: Partial<Record<Field, string>> = { ...state.serverFieldErrors };
  for (const field of fields) {
    touched.add(field);
    delete serverFieldErrors[field];
  }
  return { touched, serverFieldErrors };
}

/** Client errors of touched fields (all of them after a submit), then the server's. */
export function shownFieldErrors<Field extends string>(
  state: SubmitSlice<Field>,
  clientErrors: Partial<Record<Field, string>>,
  alwaysShown: readonly Field[] = [],
): Partial<Record<Field, string>> {
  const shown: Partial<Record<Field, string>> = {};
  for (const [field, message] of Object.entries(clientErrors) as [Field, string][]) {
    if (state.submitAttempted || state.touched.has(field) || alwaysShown.includes(field)) {
      shown[field] = message;
    }
  }
  return Object.assign(shown, state.serverFieldErrors);
}

export function persistedFormState<Form>(
  sessionId: string | undefined,
  state: { readonly form: Form; readonly touched: ReadonlySet<string> },
): PersistedFormState<Form> | undefined {
  return sessionId === undefined ? undefined : { sessionId, form: state.form, touched: [...state.touched] };
}

/** The submit bar's part of a view: busy, its progress words and the follow-ups it offers. */
export interface SubmitBarView {
  readonly busy: boolean;
  readonly progressText: string | undefined;
  readonly submit: SubmitStateMessage;
  readonly canCheckAgain: boolean;
  readonly canTryAgain: boolean;
}

/** `noun`: what is created, as in "Creating the deployment…". */
export function submitBarView(
  state: Pick<SubmitSlice<string>, 'submit' | 'sending'>,
  noun: string,
): SubmitBarView {
  const { submit, sending } = state;
  const busy = sending || submit.kind === 'submitting';
  let progressText: string | undefined;
  if (submit.kind === 'submitting') {
    progressText =
      submit.phase === 'checking'
        ? `Spheron did not answer clearly; checking whether the ${noun} was created…`
        : `Creating the ${noun}…`;
  } else if (sending) {
    progressText = 'Sending…';
  }
  return {
    busy,
    progressText,
    submit,
    canCheckAgain: submit.kind === 'unconfirmed' && !busy,
    canTryAgain: submit.kind === 'unconfirmed' && submit.retryAllowed && !busy,
  };
}
