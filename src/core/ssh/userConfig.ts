// The only edit we make to the user's SSH config: one marked Include block at its top. The file is
// handled as raw bytes; every byte outside our block is kept (CRLF, BOM, missing final newline,
// any encoding). It is never parsed-and-reprinted by `ssh-config`.
//
// Placement policy: a new block goes at the very top (after a BOM), because ssh takes the first
// value it sees for each option. An existing block that has only comments or blank lines above it
// is already first for ssh and is left alone. An existing block below a directive (the user moved
// it, or a dotfile manager did) is NOT moved: moving it could change what the user's own earlier
// lines mean and would fight their tooling. checkSshSetup reports it, with the lines involved, and
// `moveIncludeBlockToTop` is there for an explicit "fix it" action.
import { isAbsolute, join } from 'node:path';
import { MalformedMarkersError } from './errors';
import {
  bomLength,
  parseDirective,
  viewConfigText,
  type ConfigDirective,
  type ConfigLine,
  type ConfigTextView,
} from './configText';
import { expandHome, sshPathValue, toForwardSlashes } from './paths';

export const BEGIN_MARKER = '# >>> spheron-vscode (managed, do not edit) >>>';
export const END_MARKER = '# <<< spheron-vscode <<<';

/** Only these exact lines are markers: a user comment that merely starts the same way is not. */
function isBeginMarker(lineText: string): boolean {
  return lineText === BEGIN_MARKER;
}

function isEndMarker(lineText: string): boolean {
  return lineText === END_MARKER;
}

/**
 * `Include "<path>"`, forward slashes, always quoted. A path under `tildeHome` (the directory ssh
 * expands `~` to: the account's home in the password database) is written `~/…`, so a config
 * shared between machines through dotfiles reads the same on each.
 */
export function includeDirective(ourConfigPath: string, tildeHome?: string): string {
  const value = sshPathValue(ourConfigPath, {
    setting: 'Spheron SSH config path',
    expandsTokens: false,
    globs: true,
  });
  // A quoted value starts and ends with the quote: testing either end is the same (equivalent).
  const unquoted = value.startsWith('"') ? value.slice(1, -1) : value;
  const home = tildeHome === undefined ? undefined : toForwardSlashes(tildeHome).replace(/\/+$/, '');
  const shown =
    home !== undefined && home !== '' && unquoted.startsWith(`${home}/`)
      ? `~${unquoted.slice(home.length)}`
      : unquoted;
  return `Include "${shown}"`;
}

export function includeBlockLines(ourConfigPath: string, tildeHome?: string): [string, string, string] {
  return [BEGIN_MARKER, includeDirective(ourConfigPath, tildeHome), END_MARKER];
}

/** The three lines, for a message telling the user what to add by hand. */
export function includeBlockText(ourConfigPath: string, tildeHome?: string): string {
  return includeBlockLines(ourConfigPath, tildeHome).join('\n');
}

export interface LineRef {
  readonly number: number;
  readonly text: string;
}

export interface IncludeLocation {
  /** Inside our `>>>`/`<<<` markers, or a bare Include line the user wrote by hand. */
  readonly marked: boolean;
  readonly firstLine: number;
  readonly lastLine: number;
  /** The line holding the Include of our file; undefined for a marked block without one. */
  readonly includeLine: number | undefined;
  /** Directive lines above it. None means ssh reads our file before anything else. */
  readonly directivesAbove: readonly LineRef[];
  /** The Host/Match line it sits under: our hosts then only load for hosts matching that line. */
  readonly enclosingSection: LineRef | undefined;
  /** Lines the user put between our markers (not ours): kept, and reported by Check SSH Setup. */
  readonly userLines: readonly LineRef[];
}

export type IncludeStatus =
  | { readonly state: 'missing' }
  | { readonly state: 'at-top'; readonly location: IncludeLocation }
  | { readonly state: 'not-at-top'; readonly location: IncludeLocation };

export interface IncludeContext {
  /** The user's config file, for messages. */
  readonly file: string;
  readonly ourConfigPath: string;
  /** Resolves `~` and relative Include arguments (relative means ~/.ssh/…). */
  readonly homeDir: string;
  /** Where ssh expands `~`; when our file is under it, a new Include uses the `~/…` form. */
  readonly tildeHome?: string;
}

interface Markers {
  readonly begin: ConfigLine;
  readonly end: ConfigLine;
}

/** Finds our markers; throws MalformedMarkersError when they are duplicated, unbalanced or reversed. */
function findMarkers(view: ConfigTextView, file: string): Markers | undefined {
  const begins = view.lines.filter((line) => isBeginMarker(line.text));
  const ends = view.lines.filter((line) => isEndMarker(line.text));
  const numbers = (lines: ConfigLine[]) => lines.map((line) => line.number);
  if (begins.length > 1 || ends.length > 1) {
    throw new MalformedMarkersError(file, 'duplicated', numbers(begins), numbers(ends));
  }
  if (begins.length !== ends.length) {
    throw new MalformedMarkersError(file, 'unbalanced', numbers(begins), numbers(ends));
  }
  const [begin] = begins;
  const [end] = ends;
  // The counts are equal here, so `||` and `&&` agree; and `<` below could be `<=`, as a begin
  // and an end marker are never one line (equivalent mutants).
  if (!begin || !end) {
    return undefined;
  }
  if (end.number < begin.number) {
    throw new MalformedMarkersError(file, 'out-of-order', [begin.number], [end.number]);
  }
  return { begin, end };
}

function includesOurFile(line: ConfigLine, context: IncludeContext): boolean {
  const directive = parseDirective(line.text);
  if (directive?.keyword !== 'include') {
    return false;
  }
  // The line was decoded as latin1; compare against our path's UTF-8 bytes decoded the same way.
  const ours = asLatin1View(toForwardSlashes(context.ourConfigPath));
  const home = asLatin1View(context.homeDir);
  return directive.args.some((arg) => {
    const expanded = expandHome(arg, home);
    const absolute =
      isAbsolute(expanded) || /^[A-Za-z]:[\\/]/.test(expanded) ? expanded : join(home, '.ssh', expanded);
    return toForwardSlashes(absolute) === ours;
  });
}

/** Where (if anywhere) the user's config includes our file. */
export function locateInclude(bytes: Buffer | string | null, context: IncludeContext): IncludeStatus {
  if (bytes === null) {
    return { state: 'missing' };
  }
  const view = viewConfigText(bytes);
  const markers = findMarkers(view, context.file);
  let location: Omit<IncludeLocation, 'directivesAbove' | 'enclosingSection'> | undefined;
  if (markers) {
    const inside = view.lines.slice(markers.begin.number, markers.end.number - 1);
    const includeLine = inside.find((line) => includesOurFile(line, context))?.number;
    location = {
      marked: true,
      firstLine: markers.begin.number,
      lastLine: markers.end.number,
      includeLine,
      userLines: inside
        .filter((line) => line.number !== includeLine)
        .map((line) => ({ number: line.number, text: line.text })),
    };
  } else {
    const bare = view.lines.find((line) => includesOurFile(line, context));
    if (bare) {
      location = {
        marked: false,
        firstLine: bare.number,
        lastLine: bare.number,
        includeLine: bare.number,
        userLines: [],
      };
    }
  }
  if (!location) {
    return { state: 'missing' };
  }
  const above: LineRef[] = [];
  let enclosingSection: LineRef | undefined;
  for (const line of view.lines.slice(0, location.firstLine - 1)) {
    const directive = parseDirective(line.text);
    if (directive) {
      above.push({ number: line.number, text: line.text });
      if (directive.keyword === 'host' || directive.keyword === 'match') {
        enclosingSection = { number: line.number, text: line.text };
      }
    }
  }
  const full: IncludeLocation = { ...location, directivesAbove: above, enclosingSection };
  return above.length === 0 ? { state: 'at-top', location: full } : { state: 'not-at-top', location: full };
}

export interface IncludeEdit {
  /** The new bytes (the original ones when nothing changed). */
  readonly content: Buffer;
  readonly changed: boolean;
  readonly action: 'none' | 'added' | 'updated';
  /** Where the Include is after the edit. */
  readonly status: IncludeStatus;
}

/**
 * Makes sure the user's config includes our file: adds the block at the top when there is none,
 * and when our block no longer includes our file, replaces its first Include line (or adds one
 * after the begin marker). Any Include of our file is accepted as it is (`~` or absolute form);
 * lines the user put between the markers stay; every other byte is left alone.
 */
export function ensureIncludeBlock(original: Buffer | null, context: IncludeContext): IncludeEdit {
  const bytes = original ?? Buffer.alloc(0);
  const view = viewConfigText(bytes);
  const markers = findMarkers(view, context.file);
  const desired = includeBlockLines(context.ourConfigPath, context.tildeHome).map(asLatin1View);
  let content = bytes;
  let action: IncludeEdit['action'] = 'none';

  if (markers) {
    const inside = view.lines.slice(markers.begin.number, markers.end.number - 1);
    if (!inside.some((line) => includesOurFile(line, context))) {
      const staleInclude = inside.find((line) => parseDirective(line.text)?.keyword === 'include');
      content = staleInclude
        ? splice(
            view,
            staleInclude.start,
            staleInclude.end,
            desired[1] + (staleInclude.terminator || view.eol),
          )
        : splice(view, markers.begin.end, markers.begin.end, desired[1] + view.eol);
      action = 'updated';
    }
  } else if (locateInclude(bytes, context).state === 'missing') {
    const at = bomLength(view);
    content = splice(view, at, at, desired.join(view.eol) + view.eol);
    action = 'added';
  }
  return {
    content,
    changed: action !== 'none',
    action,
    status: locateInclude(content, context),
  };
}

/**
 * Removes our block (and a bare Include of our file); every other byte stays. Lines the user put
 * between the markers are not ours: they stay where they were.
 */
export function removeIncludeBlock(
  original: Buffer,
  context: IncludeContext,
): { content: Buffer; changed: boolean } {
  const view = viewConfigText(original);
  const markers = findMarkers(view, context.file);
  if (markers) {
    const kept = view.lines
      .slice(markers.begin.number, markers.end.number - 1)
      .filter((line) => !includesOurFile(line, context))
      .map((line) => line.text + line.terminator)
      .join('');
    return { content: splice(view, markers.begin.start, markers.end.end, kept), changed: true };
  }
  const bare = view.lines.find((line) => includesOurFile(line, context));
  if (bare) {
    return { content: splice(view, bare.start, bare.end, ''), changed: true };
  }
  return { content: original, changed: false };
}

/** Explicit fix for a block the user left below other directives: move it to the very top. */
export function moveIncludeBlockToTop(
  original: Buffer,
  context: IncludeContext,
): { content: Buffer; changed: boolean } {
  const status = locateInclude(original, context);
  if (status.state !== 'not-at-top') {
    return { content: original, changed: false };
  }
  const removed = removeIncludeBlock(original, context).content;
  const added = ensureIncludeBlock(removed, context);
  return { content: added.content, changed: true };
}

/** A string as it appears when its UTF-8 bytes are decoded as latin1 (how file text is viewed here). */
function asLatin1View(text: string): string {
  return Buffer.from(text, 'utf8').toString('latin1');
}

function splice(view: ConfigTextView, start: number, end: number, insert: string): Buffer {
  return Buffer.from(view.text.slice(0, start) + insert + view.text.slice(end), 'latin1');
}

export interface UserHostLine {
  readonly number: number;
  readonly text: string;
  /** Set for a file the user's config includes. */
  readonly file?: string;
}

/** The directives on the user's own lines (outside our block), in order, with their lines. */
function* userDirectives(
  bytes: Buffer | string,
): Generator<{ readonly line: ConfigLine; readonly directive: ConfigDirective }> {
  let inOurBlock = false;
  for (const line of viewConfigText(bytes).lines) {
    if (isBeginMarker(line.text) || isEndMarker(line.text)) {
      inOurBlock = isBeginMarker(line.text);
      continue;
    }
    const directive = inOurBlock ? undefined : parseDirective(line.text);
    if (directive) {
      yield { line, directive };
    }
  }
}

/** The arguments of the user's own `Include` lines (outside our block), as written. */
export function userIncludes(bytes: Buffer | string | null): string[] {
  if (bytes === null) {
    return [];
  }
  const includes: string[] = [];
  for (const { directive } of userDirectives(bytes)) {
    if (directive.keyword === 'include') {
      includes.push(...directive.args);
    }
  }
  return includes;
}

/**
 * Literal names on the `Host` lines of the user's own config (outside our block), lowercase, with
 * the first line naming each. An alias equal to one of them would take over the user's host,
 * because our Include is read first. Wildcard patterns are left out: a suffix cannot escape them,
 * and Check SSH Setup already reports the values they override.
 */
export function userHostNames(bytes: Buffer | string | null, file?: string): Map<string, UserHostLine> {
  const names = new Map<string, UserHostLine>();
  if (bytes === null) {
    return names;
  }
  for (const { line, directive } of userDirectives(bytes)) {
    if (directive.keyword !== 'host') {
      continue;
    }
    for (const pattern of directive.args) {
      const name = pattern.toLowerCase();
      if (!/[*?!,]/.test(name) && !names.has(name)) {
        names.set(name, { number: line.number, text: line.text, ...(file === undefined ? {} : { file }) });
      }
    }
  }
  return names;
}
