// The submit bar every form ends with (submit button, progress, Close) and the outcome under it:
// created, or unconfirmed with Check again / Try again, plus the form's own buttons for each.
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-progress-ring/index.js';
import type { VscodeButton } from '@vscode-elements/elements/dist/vscode-button/vscode-button.js';
import { el, setHidden, setText, showMessage } from './dom';
import { button } from './formParts';
import type { SubmitBarView } from './formState';

export interface SubmitBarDom {
  /** The row of the submit button, its progress and Close. */
  readonly actions: HTMLElement;
  /** The outcome: what happened and what can be done next. */
  readonly status: HTMLElement;
  readonly submit: VscodeButton;
  readonly progress: HTMLElement;
  readonly progressText: HTMLElement;
  readonly cancel: VscodeButton;
  readonly message: HTMLElement;
  readonly checkAgain: VscodeButton;
  readonly tryAgain: VscodeButton;
  readonly whenCreated: readonly VscodeButton[];
  readonly whenUnconfirmed: readonly VscodeButton[];
}

export function buildSubmitBar(options: {
  /** The submit button's id and words; its progress ring is `<id>-progress`. */
  readonly submitId: string;
  readonly submitLabel: string;
  /** What the progress ring says to a screen reader (`Deploying`). */
  readonly progressLabel: string;
  /** The form's own outcome buttons: shown once created, and while unconfirmed. */
  readonly whenCreated: readonly VscodeButton[];
  readonly whenUnconfirmed?: readonly VscodeButton[];
}): SubmitBarDom {
  const submit = button(options.submitId, options.submitLabel);
  const progress = el('vscode-progress-ring', { id: `${options.submitId}-progress`, hidden: true });
  progress.setAttribute('aria-label', options.progressLabel);
  const progressText = el('span', {
    id: `${options.submitId}-progress-text`,
    class: 'progress-text',
    'aria-live': 'polite',
  });
  const cancel = button('cancel', 'Close', true);
  const message = el('p', { id: 'submit-message' });
  const checkAgain = button('check-again', 'Check again');
  const tryAgain = button('try-again', 'Try again', true);
  const whenUnconfirmed = options.whenUnconfirmed ?? [];
  const status = el(
    'section',
    { id: 'submit-status', class: 'submit-status', 'aria-live': 'polite', hidden: true },
    [
      message,
      el('div', { class: 'button-row' }, [checkAgain, tryAgain, ...options.whenCreated, ...whenUnconfirmed]),
    ],
  );
  return {
    actions: el('div', { class: 'actions' }, [submit, progress, progressText, cancel]),
    status,
    submit,
    progress,
    progressText,
    cancel,
    message,
    checkAgain,
    tryAgain,
    whenCreated: options.whenCreated,
    whenUnconfirmed,
  };
}

export function renderSubmitBar(
  bar: SubmitBarDom,
  root: HTMLElement,
  view: SubmitBarView & {
    readonly enabled: boolean;
    readonly label?: string;
    /** What the outcome says once created. */
    readonly createdMessage: (name: string) => string;
  },
): void {
  const { submit } = view;
  bar.submit.disabled = !view.enabled;
  if (view.label !== undefined) {
    setText(bar.submit, view.label);
  }
  setHidden(bar.submit, submit.kind === 'created' || submit.kind === 'unconfirmed');
  setHidden(bar.progress, !view.busy);
  setText(bar.progressText, view.progressText ?? '');
  root.setAttribute('aria-busy', view.busy ? 'true' : 'false');

  bar.status.dataset.state = submit.kind;
  setHidden(bar.checkAgain, submit.kind !== 'unconfirmed');
  bar.checkAgain.disabled = !view.canCheckAgain;
  setHidden(bar.tryAgain, submit.kind !== 'unconfirmed');
  bar.tryAgain.disabled = !view.canTryAgain;
  for (const outcome of bar.whenCreated) {
    setHidden(outcome, submit.kind !== 'created');
  }
  for (const outcome of bar.whenUnconfirmed) {
    setHidden(outcome, submit.kind !== 'unconfirmed');
  }
  const message =
    submit.kind === 'created'
      ? view.createdMessage(submit.name)
      : submit.kind === 'unconfirmed'
        ? submit.message
        : undefined;
  // Last, so the status is scrolled into view with its buttons laid out.
  showMessage(bar.message, message, bar.status);
}
