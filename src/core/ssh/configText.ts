// A read-only, byte-exact view of an ssh_config file as lines. Text is decoded as latin1 so that
// one character is one byte: offsets stay byte offsets and re-encoding gives back the same bytes,
// whatever encoding the user's file really has.

export interface ConfigLine {
  /** 1-based, as editors and ssh show them. */
  readonly number: number;
  /** Offset of the first byte (after a BOM for line 1). */
  readonly start: number;
  /** Offset just past the line terminator (or end of file). */
  readonly end: number;
  /** The line without its terminator. */
  readonly text: string;
  /** `\n`, `\r\n` or `` for a last line without one. */
  readonly terminator: string;
}

export interface ConfigTextView {
  readonly text: string;
  readonly hasBom: boolean;
  /** The file's line ending (from its first line break); LF when it has none. */
  readonly eol: '\n' | '\r\n';
  readonly lines: readonly ConfigLine[];
}

const BOM = '\u00ef\u00bb\u00bf';

export function viewConfigText(bytes: Buffer | string): ConfigTextView {
  const text = typeof bytes === 'string' ? bytes : bytes.toString('latin1');
  const hasBom = text.startsWith(BOM);
  const firstBreak = text.indexOf('\n');
  const eol = firstBreak > 0 && text[firstBreak - 1] === '\r' ? '\r\n' : '\n';
  const lines: ConfigLine[] = [];
  let offset = hasBom ? BOM.length : 0;
  while (offset < text.length) {
    const newline = text.indexOf('\n', offset);
    const end = newline === -1 ? text.length : newline + 1;
    const raw = text.slice(offset, end);
    const terminator = raw.endsWith('\r\n') ? '\r\n' : raw.endsWith('\n') ? '\n' : '';
    lines.push({
      number: lines.length + 1,
      start: offset,
      end,
      text: raw.slice(0, raw.length - terminator.length),
      terminator,
    });
    offset = end;
  }
  return { text, hasBom, eol, lines };
}

export function bomLength(view: ConfigTextView): number {
  return view.hasBom ? BOM.length : 0;
}

export interface ConfigDirective {
  /** Lowercase keyword. */
  readonly keyword: string;
  /** Arguments, quotes removed. */
  readonly args: readonly string[];
}

/** Splits `Keyword args`, `Keyword=args` and `Keyword = args`; undefined for blank and comment lines. */
export function parseDirective(lineText: string): ConfigDirective | undefined {
  const trimmed = lineText.trim();
  if (trimmed === '' || trimmed.startsWith('#')) {
    return undefined;
  }
  const match = /^([^\s=]+)\s*(?:=\s*|\s+|$)(.*)$/.exec(trimmed);
  if (!match) {
    return undefined;
  }
  return { keyword: (match[1] ?? '').toLowerCase(), args: splitArgs(match[2] ?? '') };
}

function splitArgs(rest: string): string[] {
  const args: string[] = [];
  const pattern = /"([^"]*)"|(\S+)/g;
  for (let match = pattern.exec(rest); match; match = pattern.exec(rest)) {
    args.push(match[1] ?? match[2] ?? '');
  }
  return args;
}

export function isBlankOrComment(lineText: string): boolean {
  return parseDirective(lineText) === undefined;
}

/** ssh's Host pattern matching: `*`, `?`, `!negation`, comma or space separated, case-insensitive. */
export function hostPatternsMatch(patterns: readonly string[], host: string): boolean {
  const target = host.toLowerCase();
  let matched = false;
  for (const entry of patterns.flatMap((pattern) => pattern.split(','))) {
    if (entry === '') {
      continue;
    }
    const negated = entry.startsWith('!');
    const pattern = (negated ? entry.slice(1) : entry).toLowerCase();
    if (globMatch(pattern, target)) {
      if (negated) {
        return false;
      }
      matched = true;
    }
  }
  return matched;
}

function globMatch(pattern: string, text: string): boolean {
  const regex = new RegExp(
    '^' +
      pattern
        .split('')
        .map((char) => (char === '*' ? '.*' : char === '?' ? '.' : char.replace(/[.+^${}()|[\]\\]/g, '\\$&')))
        .join('') +
      '$',
    's',
  );
  return regex.test(text);
}
