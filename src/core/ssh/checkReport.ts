import type { SshSetupReport } from './check';
import { formatVersion } from './sshVersion';

/** The Check SSH Setup result as a Markdown document a user can read top to bottom. */
export function renderSshSetupReport(report: SshSetupReport, userConfigPath: string): string {
  const lines: string[] = [`# SSH setup for \`${report.alias}\``, ''];
  lines.push(
    report.ok
      ? '**Everything Spheron writes takes effect.** `ssh` and Remote-SSH will use these settings.'
      : `**${report.problems.filter((problem) => problem.severity === 'error').length} problem(s) stop Spheron's settings from taking effect.**`,
    '',
    `- Config file checked (\`ssh -G -F\`): \`${userConfigPath}\``,
    `- OpenSSH: ${report.sshVersion ? formatVersion(report.sshVersion) : 'unknown'}`,
    '',
  );
  if (report.problems.length > 0) {
    lines.push('## What to change', '');
    for (const problem of report.problems) {
      const where = problem.file ? ` (${problem.file}${problem.line ? `, line ${problem.line}` : ''})` : '';
      lines.push(`- **${problem.severity === 'error' ? 'Error' : 'Warning'}**${where}: ${problem.message}`);
      for (const adviceLine of problem.advice.split('\n')) {
        lines.push(`  ${adviceLine}`);
      }
    }
    lines.push('');
  }
  if (report.options.length > 0) {
    lines.push('## Options', '', '| option | Spheron wrote | ssh uses | |', '|---|---|---|---|');
    for (const option of report.options) {
      const source = option.source ? ` overridden at line ${option.source.line.number}` : '';
      lines.push(
        `| ${option.option} | \`${option.expected}\` | \`${option.actual.join(', ') || '—'}\` | ${option.ok ? '✓' : `✗${source}`} |`,
      );
    }
    lines.push('');
  }
  return lines.join('\n');
}
