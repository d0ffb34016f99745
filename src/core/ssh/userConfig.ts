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
  type ConfigLine,
  type ConfigTextView,
} from './configText';
import { expandHome, sshPathValue, toForwardSlashes } from './paths';

export const BEGIN_MARKER = '# >>> spheron-vscode (managed, do not edit) >>>';
export const END_MARKER = '# <<< spheron-vscode <<<';
const BEGIN_PATTERN = /^\s*#\s*>>>\s*spheron-vscode\b/;
const END_PATTERN = /^\s*#\s*<<<\s*spheron-vscode\b/;

/** `Include "<path>"`, forward slashes, always quoted. */
export function includeDirective(ourConfigPath: string): string {
  const value = sshPathValue(ourConfigPath, {
    setting: 'Spheron SSH config path',
    expandsTokens: false,
    globs: true,
  });
  return `Include ${value.startsWith('"') ? value : `"${value}"`}`;
}

export function includeBlockLines(ourConfigPath: string): [string, string, string] {
  return [BEGIN_MARKER, includeDirective(ourConfigPath), END_MARKER];
}

/** The three lines, for a message telling the user what to add by hand. */
export function includeBlockText(ourConfigPath: string): string {
  return includeBlockLines(ourConfigPath).join('\n');
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
}

interface Markers {
  readonly begin: ConfigLine;
  readonly end: ConfigLine;
}

/** Finds our markers; throws MalformedMarkersError when they are duplicated, unbalanced or reversed. */
function findMarkers(view: ConfigTextView, file: string): Markers | undefined {
  const begins = view.lines.filter((line) => BEGIN_PATTERN.test(line.text));
  const ends = view.lines.filter((line) => END_PATTERN.test(line.text));
  const numbers = (lines: ConfigLine[]) => lines.map((line) => line.number);
  if (begins.length > 1 || ends.length > 1) {
    throw new MalformedMarkersError(file, 'duplicated', numbers(begins), numbers(ends));
  }
  if (begins.length !== ends.length) {
    throw new MalformedMarkersError(file, 'unbalanced', numbers(begins), numbers(ends));
  }
  const [begin] = begins;
  const [end] = ends;
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
    const inside = view.lines.slice(markers.begin.number - 1, markers.end.number);
    location = {
      marked: true,
      firstLine: markers.begin.number,
      lastLine: markers.end.number,
      includeLine: inside.find((line) => includesOurFile(line, context))?.number,
    };
  } else {
    const bare = view.lines.find((line) => includesOurFile(line, context));
    if (bare) {
      location = { marked: false, firstLine: bare.number, lastLine: bare.number, includeLine: bare.number };
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
 * rewrites the inside of our block when it is stale, and otherwise leaves every byte alone.
 */
export function ensureIncludeBlock(original: Buffer | null, context: IncludeContext): IncludeEdit {
  const bytes = original ?? Buffer.alloc(0);
  const view = viewConfigText(bytes);
  const markers = findMarkers(view, context.file);
  const desired = includeBlockLines(context.ourConfigPath).map(asLatin1View);
  let content = bytes;
  let action: IncludeEdit['action'] = 'none';

  if (markers) {
    const current = view.lines.slice(markers.begin.number - 1, markers.end.number).map((line) => line.text);
    if (current.join('\n') !== desired.join('\n')) {
      const replacement = desired.join(view.eol) + markers.end.terminator;
      content = splice(view, markers.begin.start, markers.end.end, replacement);
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

/** Removes our block (and a bare Include of our file); every other byte stays. */
export function removeIncludeBlock(
  original: Buffer,
  context: IncludeContext,
): { content: Buffer; changed: boolean } {
  const view = viewConfigText(original);
  const markers = findMarkers(view, context.file);
  if (markers) {
    return { content: splice(view, markers.begin.start, markers.end.end, ''), changed: true };
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
