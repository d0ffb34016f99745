// The status bar item: balance and burn rate at a glance, runway and breakdown on hover.

import type { Balance, TeamBalance } from '../domain/types';
import type { BurnRate } from './costs';
import { runway } from './costs';
import { escapeMarkdown, formatAgo, formatBalance, formatRate, plural } from './format';
import type { StaleState } from './nodes';
import { MODEL_COMMAND_IDS } from './nodes';

/** Below this many hours of runway the item turns to a warning. */
export const LOW_RUNWAY_HOURS = 24;

export interface StatusBarInput {
  readonly signedIn: boolean;
  readonly balance?: Balance;
  /** Team id to show; defaults to the team the API marks current, else the first. */
  readonly currentTeam?: string;
  readonly burnRatePerHour: number;
  /** For the tooltip's breakdown; the text uses `burnRatePerHour` alone. */
  readonly burnBreakdown?: BurnRate;
  readonly stale?: StaleState;
  /** Needed to say how old stale data is. */
  readonly nowMs?: number;
}

export interface StatusBarModel {
  /** With codicons, e.g. `$(credit-card) $212.40 · $4.15/h`. */
  readonly text: string;
  /** Markdown. */
  readonly tooltip: string;
  /** Less than a day of runway left: render with the warning background. */
  readonly warning: boolean;
  readonly command: string;
}

const ICON = '$(credit-card)';

export function selectTeam(balance: Balance, teamId?: string): TeamBalance | undefined {
  return (
    (teamId === undefined ? undefined : balance.teams.find((team) => team.teamId === teamId)) ??
    balance.teams.find((team) => team.isCurrentTeam) ??
    balance.teams[0]
  );
}

function breakdownLines(burn: BurnRate): string[] {
  const lines: string[] = [];
  if (burn.activeCount > 0) {
    lines.push(
      `- ${plural(burn.activeCount, 'instance')} running or deploying: ${formatRate(burn.activePerHour)}`,
    );
  }
  if (burn.stoppedCount > 0) {
    lines.push(
      `- ${plural(burn.stoppedCount, 'stopped instance')}: ${formatRate(burn.stoppedPerHour)} (stopped instances still bill on some providers)`,
    );
  }
  if (burn.volumeCount > 0) {
    lines.push(`- ${plural(burn.volumeCount, 'volume')}: ${formatRate(burn.volumesPerHour)}`);
  }
  return lines;
}

function staleText(stale: StaleState, nowMs: number | undefined): string {
  const age =
    nowMs !== undefined && Number.isFinite(stale.sinceMs)
      ? `last updated ${formatAgo(stale.sinceMs, nowMs)}`
      : 'not up to date';
  return `⚠ **Stale** — ${age}. The last refresh failed: ${escapeMarkdown(stale.reason)}`;
}

export function statusBarModel(input: StatusBarInput): StatusBarModel {
  if (!input.signedIn) {
    return {
      text: `${ICON} Spheron: Sign in`,
      tooltip: 'Sign in to Spheron with an API key to see your balance, instances and volumes.',
      warning: false,
      command: MODEL_COMMAND_IDS.signIn,
    };
  }

  const burn = input.burnRatePerHour > 0 ? input.burnRatePerHour : 0;
  const team = input.balance ? selectTeam(input.balance, input.currentTeam) : undefined;
  const staleMark = input.stale ? ' $(warning)' : '';
  const rateText = burn > 0 ? ` · ${formatRate(burn)}` : '';
  const sections: string[] = [];

  if (!team) {
    sections.push('**Spheron** — balance not loaded yet.');
    if (burn > 0) {
      sections.push(`Burning **${formatRate(burn)}**.`);
    }
    if (input.stale) {
      sections.push(staleText(input.stale, input.nowMs));
    }
    return {
      text: `${ICON} Spheron${rateText}${staleMark}`,
      tooltip: sections.join('\n\n'),
      warning: false,
      command: MODEL_COMMAND_IDS.refresh,
    };
  }

  const left = runway(team.balance, burn);
  const warning = left.hours < LOW_RUNWAY_HOURS;
  const role = team.role === 'unknown' ? '' : ` (${team.role})`;
  sections.push(`**Spheron** · team ${escapeMarkdown(team.teamName)}${role}`);
  sections.push(`Balance: **${formatBalance(team.balance)}**`);
  if (burn > 0) {
    const breakdown = input.burnBreakdown ? breakdownLines(input.burnBreakdown) : [];
    sections.push(
      [`Burning **${formatRate(burn)}**${breakdown.length > 0 ? ':' : '.'}`, ...breakdown].join('\n'),
    );
    sections.push(
      team.balance > 0 ? `Lasts about ${left.text} at this rate.` : 'The balance is used up at this rate.',
    );
  } else {
    sections.push('Nothing is billing right now.');
  }
  if (warning) {
    sections.push('⚠ **Low balance**: less than a day left at this rate. Top up in the Spheron dashboard.');
  }
  const others = input.balance?.teams.filter((other) => other.teamId !== team.teamId) ?? [];
  if (others.length > 0) {
    sections.push(
      `Other teams: ${others.map((other) => `${escapeMarkdown(other.teamName)} ${formatBalance(other.balance)}`).join(', ')}`,
    );
  }
  if (input.stale) {
    sections.push(staleText(input.stale, input.nowMs));
  }
  return {
    text: `${ICON} ${formatBalance(team.balance)}${rateText}${staleMark}`,
    tooltip: sections.join('\n\n'),
    warning,
    command: MODEL_COMMAND_IDS.refresh,
  };
}
