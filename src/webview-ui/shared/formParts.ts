// The pieces every form's DOM is made of: a field with its label, help and error; buttons; the
// page's layout.
import type { VscodeButton } from '@vscode-elements/elements/dist/vscode-button/vscode-button.js';
import { el, replaceChildren } from './dom';
import type { SubmitBarDom } from './submitBar';

type Child = Node | string | null | undefined | false;

export function button(id: string, text: string, secondary = false): VscodeButton {
  return el('vscode-button', { id, ...(secondary ? { secondary: true } : {}) }, [text]);
}

/** A field's error text; `aria-live` so a screen reader hears it as it changes. */
export function errorText(id: string): HTMLElement {
  return el('p', { id, class: 'field-error', 'aria-live': 'polite', hidden: true });
}

export function help(id: string, text = ''): HTMLElement {
  return el('p', { id, class: 'field-help' }, [text]);
}

/** One field: the label for its control, the control, what goes under it, then its error. */
export function field(
  controlId: string,
  label: string,
  control: HTMLElement,
  below: readonly Child[],
  error?: HTMLElement,
): HTMLElement {
  return el('div', { class: 'field' }, [
    el('vscode-label', { for: controlId }, [label]),
    control,
    ...below,
    error,
  ]);
}

/** Puts a form page in place: header, the form's error, fields beside the summary card, the submit bar. */
export function mountFormPage(
  root: HTMLElement,
  page: {
    readonly header: readonly Child[];
    readonly formError: HTMLElement;
    readonly fields: HTMLElement;
    readonly card: HTMLElement;
    readonly bar: SubmitBarDom;
  },
): void {
  const main = el('main', { class: 'form-page', 'aria-labelledby': 'title' }, [
    el('header', {}, page.header),
    page.formError,
    el('div', { class: 'form-grid' }, [page.fields, page.card]),
    page.bar.actions,
    page.bar.status,
  ]);
  replaceChildren(root, [main]);
  // The page is there: no longer "loading" to a screen reader.
  root.removeAttribute('aria-busy');
}
