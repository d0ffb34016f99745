// Text that came from the API (names, messages) shown where one line is expected: labels,
// tooltips, log lines. A name must never start a new line (`x\n[info] …` forging a log line, or a
// Markdown heading in a tooltip) nor push everything else off the screen.

/** How many characters of a name labels, tooltips and log lines show. */
export const MAX_NAME_LENGTH = 80;

// Whitespace, C0/C1 control characters and the Unicode line and paragraph separators.
// eslint-disable-next-line no-control-regex
const BREAKS = /[\s\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g;

/** Collapses line breaks and control characters to single spaces, trims, and caps the length. */
export function singleLine(text: string, maxLength: number = MAX_NAME_LENGTH): string {
  const line = text.replace(BREAKS, ' ').trim();
  if (line.length <= maxLength) {
    return line;
  }
  let cut = line.slice(0, maxLength - 1);
  // Never cut a surrogate pair in half.
  if (/[\ud800-\udbff]$/.test(cut)) {
    cut = cut.slice(0, -1);
  }
  return `${cut.trimEnd()}…`;
}
