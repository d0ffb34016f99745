// The card beside a form that sums up what it costs: label/value rows, each pair on one row
// when it fits and the value under its label when not, so a long value never squeezes a label.
import { el, replaceChildren } from './dom';

type Child = Node | string | null | undefined | false;

export interface SummaryRow {
  /** The value's element id. */
  readonly id: string;
  readonly label: string;
  readonly value: string;
}

export interface SummaryCard {
  readonly card: HTMLElement;
  readonly rows: HTMLElement;
}

export function buildSummaryCard(options: {
  readonly id: string;
  readonly heading: string;
  readonly headingId: string;
  readonly rowsId?: string;
  /** Under the rows (notes, warnings, buttons). */
  readonly below: readonly Child[];
}): SummaryCard {
  const rows = el('dl', { ...(options.rowsId ? { id: options.rowsId } : {}), class: 'summary-rows' });
  const card = el(
    'aside',
    { id: options.id, class: 'cost-panel', 'aria-live': 'polite', 'aria-labelledby': options.headingId },
    [el('h2', { id: options.headingId }, [options.heading]), rows, ...options.below],
  );
  return { card, rows };
}

/** Rebuilds the rows only when they changed (screen readers announce the live region). */
export function renderSummaryRows(rows: HTMLElement, lines: readonly SummaryRow[]): void {
  const signature = JSON.stringify(lines);
  if (rows.dataset.signature === signature) {
    return;
  }
  rows.dataset.signature = signature;
  replaceChildren(
    rows,
    lines.map((line) =>
      el('div', { class: 'summary-row' }, [
        el('dt', {}, [line.label]),
        el('dd', { id: line.id }, [line.value]),
      ]),
    ),
  );
}
