// Tiny DOM helpers. Text always goes in through textContent and attributes through
// setAttribute, never through innerHTML, so nothing from the API can become markup.

type Attributes = Readonly<Record<string, string | boolean | undefined>>;
type Child = Node | string | null | undefined | false;

export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attributes: Attributes = {},
  children: readonly Child[] = [],
): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === true) {
      element.setAttribute(name, '');
    } else if (typeof value === 'string') {
      element.setAttribute(name, value);
    }
  }
  append(element, children);
  return element;
}

export function append(parent: Node, children: readonly Child[]): void {
  for (const child of children) {
    if (child === null || child === undefined || child === false) {
      continue;
    }
    parent.appendChild(typeof child === 'string' ? document.createTextNode(child) : child);
  }
}

/** Replaces all children. */
export function replaceChildren(parent: Element, children: readonly Child[]): void {
  parent.replaceChildren();
  append(parent, children);
}

export function setText(element: Element, text: string): void {
  if (element.textContent !== text) {
    element.textContent = text;
  }
}

export function setHidden(element: HTMLElement, hidden: boolean): void {
  if (element.hidden !== hidden) {
    element.hidden = hidden;
  }
}

/**
 * Shows `text` in a message element (hidden when undefined). A message that appears or changes is
 * scrolled into view: the buttons that cause it sit at the bottom of a long form, the form's
 * error at the top and the submit status below the fold.
 */
export function showMessage(
  element: HTMLElement,
  text: string | undefined,
  box: HTMLElement = element,
): void {
  const changed = text !== undefined && (box.hidden || element.textContent !== text);
  setText(element, text ?? '');
  setHidden(box, text === undefined);
  if (changed) {
    box.scrollIntoView({ block: 'nearest' });
  }
}

export function byId<T extends HTMLElement = HTMLElement>(id: string, root: ParentNode = document): T {
  const element = root.querySelector<T>(`#${id}`);
  if (!element) {
    throw new Error(`Missing element #${id}`);
  }
  return element;
}

/**
 * Shows a field's error text (or hides it) and marks the control invalid. Error texts are
 * `aria-live` so a screen reader hears them as they change.
 */
export function showFieldError(
  control: HTMLElement & { invalid?: boolean },
  errorElement: HTMLElement,
  message: string | undefined,
): void {
  setText(errorElement, message ?? '');
  setHidden(errorElement, message === undefined);
  control.invalid = message !== undefined;
  if (message === undefined) {
    control.removeAttribute('aria-invalid');
  } else {
    control.setAttribute('aria-invalid', 'true');
  }
}
