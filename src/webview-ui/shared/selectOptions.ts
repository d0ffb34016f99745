// Keeps a vscode-single-select's options in sync with a list, rebuilding them only when the
// list changes (so the open dropdown is not reset on every render).
import type { VscodeSingleSelect } from '@vscode-elements/elements/dist/vscode-single-select/vscode-single-select.js';

export interface SelectOption {
  readonly value: string;
  readonly label: string;
  readonly description?: string;
}

export function syncSelect(
  select: VscodeSingleSelect,
  options: readonly SelectOption[],
  value: string,
): void {
  const signature = JSON.stringify(options);
  if (select.dataset.options !== signature) {
    select.dataset.options = signature;
    select.replaceChildren(
      ...options.map((option) => {
        const element = document.createElement('vscode-option');
        element.value = option.value;
        element.textContent = option.label;
        if (option.description) {
          element.description = option.description;
        }
        return element;
      }),
    );
  }
  for (const option of Array.from(select.querySelectorAll('vscode-option'))) {
    option.selected = option.value === value;
  }
  if (select.value !== value) {
    select.value = value;
  }
}
