// Our entries in the user's kubeconfig (~/.kube/config), edited as lines, never re-serialised: the
// file is the user's, and kubectl, cloud CLIs and editors all write it in their own style. Each of
// our cluster, user and context items sits between two marker comments naming it; adding inserts
// such a block at the top of each list, removing deletes exactly those lines. Every other byte
// stays as it was.

/** The kubeconfig cannot be edited as lines safely (JSON, flow-style lists, broken markers). */
export class KubeconfigShapeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'KubeconfigShapeError';
  }
}

/** What one instance's cluster needs in the kubeconfig. */
export interface SpheronKubeEntry {
  /** The cluster, user and context name: `spheron-<instance name>`. */
  readonly name: string;
  /** The mapping under `cluster:` (server, certificate-authority-data …), one `key: value` per line. */
  readonly clusterLines: readonly string[];
  /** The mapping under `user:` (client-certificate-data, token …). */
  readonly userLines: readonly string[];
}

type ListKey = 'clusters' | 'users' | 'contexts';
const LISTS: readonly ListKey[] = ['clusters', 'users', 'contexts'];
const NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

const beginMarker = (name: string) => `# >>> spheron-vscode ${name} (managed, do not edit) >>>`;
const endMarker = (name: string) => `# <<< spheron-vscode ${name} <<<`;
// A list key we had to write (missing list, or an inline empty one) says so, with the original line,
// so removing our last entry puts the file back byte for byte.
const KEY_NOTE = / # spheron-vscode: (?:added|was “(.*)”)$/;
const keyNote = (original: string | undefined) =>
  original === undefined ? ' # spheron-vscode: added' : ` # spheron-vscode: was “${original}”`;
const BEGIN = /^\s*# >>> spheron-vscode (\S+) \(managed, do not edit\) >>>\s*$/;
const END = /^\s*# <<< spheron-vscode (\S+) <<<\s*$/;

interface Lines {
  readonly lines: string[];
  readonly eol: '\n' | '\r\n';
  readonly finalNewline: boolean;
}

function split(text: string): Lines {
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const finalNewline = text === '' || text.endsWith('\n');
  const body = finalNewline && text !== '' ? text.slice(0, -eol.length) : text;
  return { lines: text === '' ? [] : body.split(eol), eol, finalNewline };
}

function join({ lines, eol, finalNewline }: Lines): string {
  return lines.length === 0 ? '' : lines.join(eol) + (finalNewline ? eol : '');
}

function refuseUnsafeShapes(text: string): void {
  if (/^\s*[{[]/.test(text)) {
    throw new KubeconfigShapeError('The kubeconfig is JSON; add the context with kubectl instead.');
  }
}

/** The names of our entries in the kubeconfig (to remove those of instances that ended). */
export function spheronKubeEntryNames(text: string): string[] {
  const names = new Set<string>();
  for (const line of split(text).lines) {
    const name = BEGIN.exec(line)?.[1];
    if (name) {
      names.add(name);
    }
  }
  return [...names];
}

/** Removes our marked blocks for `name` (all three lists); every other line stays as it was. */
export function removeSpheronKubeEntry(text: string, name: string): string {
  const parsed = split(text);
  const kept: string[] = [];
  let inside = false;
  for (const line of parsed.lines) {
    const begin = BEGIN.exec(line)?.[1];
    const end = END.exec(line)?.[1];
    if (begin === name) {
      if (inside) {
        throw new KubeconfigShapeError(
          `The kubeconfig has a broken Spheron block for ${name}; fix or remove it by hand.`,
        );
      }
      inside = true;
    } else if (end === name) {
      if (!inside) {
        throw new KubeconfigShapeError(
          `The kubeconfig has a broken Spheron block for ${name}; fix or remove it by hand.`,
        );
      }
      inside = false;
    } else if (!inside) {
      kept.push(line);
    }
  }
  if (inside) {
    throw new KubeconfigShapeError(
      `The kubeconfig has a broken Spheron block for ${name}; fix or remove it by hand.`,
    );
  }
  return join({ ...parsed, lines: restoreNotedKeys(kept) });
}

/** A list key we wrote, left with no items: back to what it was (or gone, if we added it). */
function restoreNotedKeys(lines: readonly string[]): string[] {
  const result: string[] = [];
  lines.forEach((line, index) => {
    const note = /^(?:clusters|users|contexts):/.test(line) ? KEY_NOTE.exec(line) : null;
    if (!note) {
      result.push(line);
      return;
    }
    const next = lines
      .slice(index + 1)
      .find((candidate) => candidate.trim() !== '' && !/^\s*#/.test(candidate));
    if (next !== undefined && /^\s*-( |$)/.test(next)) {
      result.push(line);
    } else if (note[1] !== undefined) {
      result.push(note[1]);
    }
  });
  return result;
}

function itemLines(list: ListKey, entry: SpheronKubeEntry): string[] {
  const nested = (lines: readonly string[]) => lines.map((line) => `    ${line}`);
  switch (list) {
    case 'clusters':
      return ['- cluster:', ...nested(entry.clusterLines), `  name: ${entry.name}`];
    case 'users':
      return [`- name: ${entry.name}`, '  user:', ...nested(entry.userLines)];
    case 'contexts':
      return ['- context:', `    cluster: ${entry.name}`, `    user: ${entry.name}`, `  name: ${entry.name}`];
  }
}

/** Where a top-level list starts: its key line and the indentation of its items. */
function findList(
  lines: readonly string[],
  list: ListKey,
): { keyLine: number; indent: string; empty: boolean } | undefined {
  const keyLine = lines.findIndex((line) => new RegExp(`^${list}:`).test(line));
  if (keyLine < 0) {
    return undefined;
  }
  const rest = (lines[keyLine] ?? '')
    .slice(list.length + 1)
    .replace(/\s+#.*$/, '')
    .trim();
  if (rest === '[]' || rest === 'null' || rest === '~') {
    return { keyLine, indent: '', empty: true };
  }
  if (rest !== '') {
    throw new KubeconfigShapeError(
      `The kubeconfig's ${list} are written inline (${list}: ${rest.slice(0, 20)}…); add the context with kubectl instead.`,
    );
  }
  for (const line of lines.slice(keyLine + 1)) {
    if (line.trim() === '' || /^\s*#/.test(line)) {
      continue;
    }
    const item = /^(\s*)- /.exec(line) ?? /^(\s*)-$/.exec(line);
    return { keyLine, indent: item ? (item[1] ?? '') : '', empty: false };
  }
  return { keyLine, indent: '', empty: false };
}

/**
 * Adds (or replaces) our cluster, user and context for `entry`, each at the top of its list with
 * the list's own indentation. `current-context` is left alone: switching is the user's choice.
 * A missing list is added, and an empty one written `[]` or `null` becomes a block list, each with
 * a note that lets removal restore it; nothing else outside our blocks moves.
 */
export function addSpheronKubeEntry(text: string, entry: SpheronKubeEntry): string {
  if (!NAME_PATTERN.test(entry.name)) {
    throw new KubeconfigShapeError(`“${entry.name}” cannot name a kubeconfig entry.`);
  }
  const bad = [...entry.clusterLines, ...entry.userLines].find(
    (line) => /[\r\n]/.test(line) || line.trim() === '',
  );
  if (bad !== undefined) {
    throw new KubeconfigShapeError('The fetched kubeconfig entry has an empty or multi-line field.');
  }
  refuseUnsafeShapes(text);
  const parsed = split(removeSpheronKubeEntry(text, entry.name));
  const lines = [...parsed.lines];
  const wasEmpty = lines.length === 0;
  if (wasEmpty) {
    lines.push('apiVersion: v1', 'kind: Config');
  }
  for (const list of LISTS) {
    const block = (indent: string) => [
      `${indent}${beginMarker(entry.name)}`,
      ...itemLines(list, entry).map((line) => `${indent}${line}`),
      `${indent}${endMarker(entry.name)}`,
    ];
    const found = findList(lines, list);
    if (!found) {
      lines.push(`${list}:${keyNote(undefined)}`, ...block(''));
    } else if (found.empty) {
      lines.splice(found.keyLine, 1, `${list}:${keyNote(lines[found.keyLine])}`, ...block(''));
    } else {
      lines.splice(found.keyLine + 1, 0, ...block(found.indent));
    }
  }
  return join({ ...parsed, lines, finalNewline: parsed.finalNewline || wasEmpty });
}

/**
 * The mapping under the first item's `cluster:` or `user:` in a kubeconfig fetched from the node
 * (k3s.yaml, kubeadm's admin.conf), dedented to one `key: value` per line.
 */
export function firstEntryFields(text: string, list: 'clusters' | 'users'): string[] {
  refuseUnsafeShapes(text);
  const { lines } = split(text);
  const field = list === 'clusters' ? 'cluster' : 'user';
  const found = findList(lines, list);
  if (!found || found.empty) {
    throw new KubeconfigShapeError(`The cluster's kubeconfig has no ${list}.`);
  }
  const itemStart = lines.findIndex((line, index) => index > found.keyLine && /^\s*- ?/.test(line));
  const itemIndent = found.indent.length;
  const fields: string[] = [];
  let fieldIndent: number | undefined;
  for (let index = itemStart; index >= 0 && index < lines.length; index += 1) {
    const line = lines[index] ?? '';
    if (line.trim() === '' || /^\s*#/.test(line)) {
      continue;
    }
    const indent = line.length - line.trimStart().length;
    if (
      index > itemStart &&
      (indent < itemIndent || (indent === itemIndent && line.trimStart().startsWith('-')))
    ) {
      break;
    }
    // The key is either on the item's own line (`- cluster:`) or a sibling (`  cluster:`).
    const keyMatch = new RegExp(`^(\\s*(?:- )?)${field}:\\s*$`).exec(line);
    if (keyMatch) {
      fieldIndent = (keyMatch[1] ?? '').length;
      continue;
    }
    if (fieldIndent !== undefined) {
      if (indent > fieldIndent) {
        fields.push(line);
      } else {
        fieldIndent = undefined;
      }
    }
  }
  if (fields.length === 0) {
    throw new KubeconfigShapeError(`The cluster's kubeconfig has no ${field} fields.`);
  }
  const least = Math.min(...fields.map((line) => line.length - line.trimStart().length));
  return fields.map((line) => line.slice(least).trimEnd());
}

/** The cluster's fields with `server:` pointing at `url` (the node answers on its own address). */
export function withServer(clusterLines: readonly string[], url: string): string[] {
  return clusterLines.map((line) => (/^server:/.test(line) ? `server: ${url}` : line));
}
