import type { SshKey } from '../../core/domain/types';
import type { Services } from '../services';

/** The team's SSH keys, loaded now (the list is small and other windows may have changed it). */
export async function loadSshKeys(services: Services): Promise<SshKey[]> {
  await services.sshKeys.refresh();
  const { value, error } = services.sshKeys.state;
  if (!value) {
    throw error instanceof Error ? error : new Error('Could not load the SSH keys.');
  }
  return value;
}

/** The key id a command was started with: an id or a key. */
export function sshKeyIdFrom(arg: unknown): string | undefined {
  if (typeof arg === 'string' && arg !== '') {
    return arg;
  }
  const id = (arg as { id?: unknown } | null | undefined)?.id;
  return typeof id === 'string' && id !== '' ? id : undefined;
}

export function describeKey(key: SshKey): string {
  return key.fingerprint ?? 'no fingerprint reported';
}
