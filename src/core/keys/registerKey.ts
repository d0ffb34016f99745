// Registering one of the user's own public keys with Spheron. Only keys found in `~/.ssh` by
// findLocalPublicKeys are ever read: a path coming from a webview or a command argument is looked
// up in that list, never opened directly.
import type { SshKey } from '../domain/types';
import type { SpheronApi } from '../api/spheronApi';
import { sshKeyNameProblem, suggestSshKeyName } from './keyNames';
import { findLocalPublicKeys, findRegisteredKey } from './localKeys';
import type { LocalPublicKey } from './localKeys';

export class LocalKeyNotFoundError extends Error {
  constructor(readonly keyPath: string) {
    super('That file is not one of the SSH public keys in ~/.ssh. Pick a key from the list.');
    this.name = 'LocalKeyNotFoundError';
  }
}

export class InvalidKeyNameError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InvalidKeyNameError';
  }
}

/** The local key at `keyPath`, if it is one of the keys in `<home>/.ssh`. */
export async function localKeyAt(home: string, keyPath: string): Promise<LocalPublicKey> {
  const key = (await findLocalPublicKeys(home)).find((candidate) => candidate.path === keyPath);
  if (!key) {
    throw new LocalKeyNotFoundError(keyPath);
  }
  return key;
}

export interface RegisterLocalKeyInput {
  readonly api: Pick<SpheronApi, 'createSshKey'>;
  readonly local: LocalPublicKey;
  /** The team's keys as last listed. */
  readonly registered: readonly SshKey[];
  readonly teamId: string | undefined;
  readonly hostName: string;
  /** Chosen by the user; a name is suggested otherwise. */
  readonly name?: string;
}

export interface RegisterLocalKeyResult {
  readonly key: SshKey;
  /** True when Spheron already had this key; nothing was sent. */
  readonly alreadyRegistered: boolean;
}

/** Registers the key unless the team already has it (same fingerprint or blob). */
export async function registerLocalKey(input: RegisterLocalKeyInput): Promise<RegisterLocalKeyResult> {
  const existing = findRegisteredKey(input.local, input.registered);
  if (existing) {
    return { key: existing, alreadyRegistered: true };
  }
  const name =
    input.name?.trim() ||
    suggestSshKeyName(
      input.local,
      input.hostName,
      input.registered.map((key) => key.name),
    );
  const problem = sshKeyNameProblem(name);
  if (problem) {
    throw new InvalidKeyNameError(problem);
  }
  const key = await input.api.createSshKey({
    name,
    publicKey: input.local.line,
    ...(input.teamId ? { teamId: input.teamId } : {}),
  });
  return { key, alreadyRegistered: false };
}
