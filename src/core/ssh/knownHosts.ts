// Pruning our private known_hosts: entries are keyed by `HostKeyAlias spheron-<id>` (written by ssh
// as `spheron-<id>` or `[spheron-<id>]:<port>`). Only the pins of entries a sync just removed go:
// pins of other teams' instances (written by other windows) are never ours to judge. Everything
// else (comments, foreign lines, markers) stays byte for byte.
import { createHmac } from 'node:crypto';
import { viewConfigText } from './configText';

const ALIAS_ENTRY = /^(?:\[(spheron-[A-Za-z0-9_-]+)\]:\d+|(spheron-[A-Za-z0-9_-]+))$/;

export interface RemovedHostKey {
  /** `spheron-<id>` (lowercase id). */
  readonly hostKeyAlias: string;
  /** The SSH port it used, to recognise a hashed `[alias]:port` entry. */
  readonly port: number | undefined;
}

/** @param removed instances whose entry a sync just removed (ended, or gone from their team's list) */
export function pruneKnownHosts(
  original: Buffer,
  removed: readonly RemovedHostKey[],
): { content: Buffer; removedLines: number } {
  if (removed.length === 0) {
    return { content: original, removedLines: 0 };
  }
  const removedAliases = new Set(removed.map((entry) => entry.hostKeyAlias.toLowerCase()));
  const view = viewConfigText(original);
  const hashedCandidates = removed.flatMap((entry) => [
    entry.hostKeyAlias,
    `[${entry.hostKeyAlias}]:22`,
    ...(entry.port !== undefined && entry.port !== 22 ? [`[${entry.hostKeyAlias}]:${entry.port}`] : []),
  ]);
  let kept = view.hasBom ? view.text.slice(0, 3) : '';
  let removedLines = 0;
  for (const line of view.lines) {
    if (shouldRemove(line.text, removedAliases, hashedCandidates)) {
      removedLines++;
    } else {
      kept += line.text + line.terminator;
    }
  }
  return { content: removedLines === 0 ? original : Buffer.from(kept, 'latin1'), removedLines };
}

function shouldRemove(
  lineText: string,
  removedAliases: ReadonlySet<string>,
  hashedCandidates: readonly string[],
): boolean {
  const trimmed = lineText.trim();
  if (trimmed === '' || trimmed.startsWith('#') || trimmed.startsWith('@')) {
    return false;
  }
  const hostsField = trimmed.split(/\s+/, 1)[0] ?? '';
  if (hostsField.startsWith('|1|')) {
    return hashedCandidates.some((candidate) => hashedEntryMatches(hostsField, candidate));
  }
  const entries = hostsField.split(',');
  // Only lines made entirely of our aliases are ours to remove.
  return entries.every((entry) => {
    const match = ALIAS_ENTRY.exec(entry);
    const alias = (match?.[1] ?? match?.[2])?.toLowerCase();
    return alias !== undefined && removedAliases.has(alias);
  });
}

/** OpenSSH's hashed form: `|1|base64(salt)|base64(HMAC-SHA1(salt, host))`. */
function hashedEntryMatches(field: string, host: string): boolean {
  const [, , salt, hash] = field.split('|');
  if (!salt || !hash) {
    return false;
  }
  try {
    const digest = createHmac('sha1', Buffer.from(salt, 'base64')).update(host).digest('base64');
    return digest === hash;
  } catch {
    return false;
  }
}
