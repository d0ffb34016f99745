// Typed failures of the SSH layer. Messages are written for users: they name the file, say what
// was (not) written and what to change by hand.

export type SshConfigErrorKind =
  'markers' | 'not-writable' | 'concurrent-change' | 'lock-timeout' | 'invalid-setting';

export abstract class SshConfigError extends Error {
  abstract readonly kind: SshConfigErrorKind;

  protected constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** Our `# >>> spheron-vscode` / `# <<< spheron-vscode` lines are duplicated, unbalanced or out of order. */
export class MalformedMarkersError extends SshConfigError {
  readonly kind = 'markers';
  constructor(
    readonly file: string,
    readonly problem: 'duplicated' | 'unbalanced' | 'out-of-order',
    /** 1-based line numbers of the `>>>` lines. */
    readonly beginLines: readonly number[],
    /** 1-based line numbers of the `<<<` lines. */
    readonly endLines: readonly number[],
  ) {
    super(
      `The Spheron block in ${file} is damaged (${problem}): "# >>> spheron-vscode" on ${describeLines(beginLines)}, ` +
        `"# <<< spheron-vscode" on ${describeLines(endLines)}. Nothing was written. ` +
        'Fix it by hand: keep exactly one ">>>" line, the Include line and one "<<<" line, in that order, ' +
        'or delete all of these lines and sync again so the block is added afresh.',
    );
  }
}

/** A file or directory we must write is read-only (or on a read-only file system). */
export class NotWritableError extends SshConfigError {
  readonly kind = 'not-writable';
  constructor(
    readonly file: string,
    /** Short cause, e.g. `read-only file`, `EROFS`. */
    readonly reason: string,
    /** For the user's config: the exact lines to add at its top by hand. */
    readonly manualInclude?: string,
  ) {
    super(
      manualInclude === undefined
        ? `Cannot write ${file} (${reason}). Nothing was written to it.`
        : `Cannot write ${file} (${reason}). Nothing was written to it. ` +
            `To use Spheron hosts, add these lines at the top of ${file} yourself:\n${manualInclude}`,
    );
  }
}

/** The file kept changing under us while we tried to replace it. */
export class ConcurrentChangeError extends SshConfigError {
  readonly kind = 'concurrent-change';
  constructor(
    readonly file: string,
    readonly attempts: number,
  ) {
    super(
      `${file} changed while it was being updated (${attempts} attempts). Nothing was written; try again.`,
    );
  }
}

export class LockTimeoutError extends SshConfigError {
  readonly kind = 'lock-timeout';
  constructor(
    readonly lockFile: string,
    readonly waitedMs: number,
    /** What the lock file says about its holder, when readable. */
    readonly holder: string | undefined,
  ) {
    super(
      `Another VS Code window is updating the Spheron SSH config (lock ${lockFile}${holder ? `, held by ${holder}` : ''}); ` +
        `gave up after ${Math.round(waitedMs / 1000)} s. If no other window is open, delete the lock file.`,
    );
  }
}

/** A setting (identity file path, port list…) cannot be written into ssh_config safely. */
export class InvalidSshSettingError extends SshConfigError {
  readonly kind = 'invalid-setting';
  constructor(
    readonly setting: string,
    readonly value: string,
    readonly reason: string,
  ) {
    super(`The setting ${setting} (${JSON.stringify(value)}) cannot be used: ${reason}.`);
  }
}

function describeLines(lines: readonly number[]): string {
  if (lines.length === 0) {
    return 'no line';
  }
  return `line${lines.length === 1 ? '' : 's'} ${lines.join(', ')}`;
}
