// Our file holds one marked section per team. Two windows signed in to different teams each
// replace only their own section and copy the others byte for byte, so neither can drop the
// other's hosts (or, through the known_hosts prune, their pins). Host blocks outside any section
// come from files written before sections existed: they wait in an "unclaimed" section until a
// team's list names them.
import { createHash } from 'node:crypto';
import { OUR_FILE_HEADER } from './hostBlocks';

const TEAM_KEY = /^[A-Za-z0-9_-]{1,64}$/;
const BEGIN = /^# >>> spheron team ([A-Za-z0-9_-]{1,64}) >>>$/;
const END = /^# <<< spheron team ([A-Za-z0-9_-]{1,64}) <<<$/;

/** Used when the account reports no team (the API then lists the account's own deployments). */
export const DEFAULT_TEAM_KEY = 'default';

/**
 * Hosts of a file written before sections existed that no team's list has claimed yet: each is
 * moved to the first team whose list names it, so no window drops another team's hosts on upgrade.
 */
export const UNCLAIMED_KEY = 'unclaimed';

/** A team id as it can appear on a marker line: itself when plain, else a digest of it. */
export function teamKeyFor(teamId: string | undefined): string {
  if (teamId === undefined || teamId === '') {
    return DEFAULT_TEAM_KEY;
  }
  return TEAM_KEY.test(teamId) && teamId !== UNCLAIMED_KEY
    ? teamId
    : `t${createHash('sha256').update(teamId).digest('hex').slice(0, 24)}`;
}

export interface OurConfigSections {
  /** Team key → the exact text between its markers. */
  readonly sections: ReadonlyMap<string, string>;
  /** Everything outside the sections (header, blocks of an older file). */
  readonly unowned: string;
}

/** Splits our file. A damaged section (no end, nested, duplicated) counts as unowned text. */
export function splitTeamSections(text: string): OurConfigSections {
  const sections = new Map<string, string>();
  let unowned = '';
  let open: { key: string; body: string; beginLine: string } | undefined;
  for (const raw of text.split(/(?<=\n)/)) {
    const line = raw.replace(/\r?\n$/, '');
    const begin = BEGIN.exec(line);
    const end = END.exec(line);
    if (open) {
      if (end && end[1] === open.key) {
        if (!sections.has(open.key)) {
          sections.set(open.key, open.body);
        } else {
          unowned += open.body;
        }
        open = undefined;
      } else if (begin) {
        unowned += open.beginLine + open.body;
        open = { key: begin[1] ?? '', body: '', beginLine: raw };
      } else {
        open.body += raw;
      }
    } else if (begin) {
      open = { key: begin[1] ?? '', body: '', beginLine: raw };
    } else {
      unowned += raw;
    }
  }
  if (open) {
    unowned += open.beginLine + open.body;
  }
  return { sections, unowned };
}

/** Header, then the sections sorted by team key; empty sections are left out. */
export function composeTeamSections(sections: ReadonlyMap<string, string>): string {
  let text = OUR_FILE_HEADER;
  for (const key of [...sections.keys()].sort()) {
    const body = sections.get(key) ?? '';
    if (body.trim() === '') {
      continue;
    }
    text += `\n# >>> spheron team ${key} >>>\n${body}${body.endsWith('\n') ? '' : '\n'}# <<< spheron team ${key} <<<\n`;
  }
  return text;
}
