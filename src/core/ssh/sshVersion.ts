// `ssh -V` parsing and the feature gates that depend on it.

export interface OpenSshVersion {
  readonly major: number;
  readonly minor: number;
  /** The first line `ssh -V` printed. */
  readonly raw: string;
}

/** Accepts `OpenSSH_9.2p1 Debian-2…` and `OpenSSH_for_Windows_8.1p1, LibreSSL …`. */
export function parseSshVersion(output: string): OpenSshVersion | undefined {
  const match = /OpenSSH_(?:for_Windows_)?(\d+)\.(\d+)/.exec(output);
  if (!match) {
    return undefined;
  }
  return { major: Number(match[1]), minor: Number(match[2]), raw: output.trim().split(/\r?\n/)[0] ?? '' };
}

/** `StrictHostKeyChecking accept-new` arrived in OpenSSH 7.6. */
export function supportsAcceptNew(version: OpenSshVersion): boolean {
  return version.major > 7 || (version.major === 7 && version.minor >= 6);
}

export function formatVersion(version: OpenSshVersion): string {
  return `${version.major}.${version.minor}`;
}
