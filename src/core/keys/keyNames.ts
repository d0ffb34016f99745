// The name a local public key gets when it is registered with Spheron: people see it in the
// dashboard and in the deploy form's key list, so it says which machine and which file it is.
import path from 'node:path';

export const SSH_KEY_NAME_MAX_LENGTH = 100;

/** Why the name cannot be used, or undefined when it can. */
export function sshKeyNameProblem(name: string): string | undefined {
  const trimmed = name.trim();
  if (trimmed === '') {
    return 'Enter a name for the key.';
  }
  if (trimmed.length > SSH_KEY_NAME_MAX_LENGTH) {
    return `Use at most ${SSH_KEY_NAME_MAX_LENGTH} characters.`;
  }
  if ([...trimmed].some((char) => char.charCodeAt(0) < 0x20 || char.charCodeAt(0) === 0x7f)) {
    return 'The name must not contain control characters.';
  }
  return undefined;
}

function cleanPart(text: string): string {
  return text
    .replace(/[^A-Za-z0-9._@-]+/g, '-')
    .replace(/-+/g, '-')
    .replace(/^-|-$/g, '');
}

/**
 * `<host>-<file>` (`laptop-id_ed25519`), or the key's comment when it already names a user and a
 * machine (`me@laptop`), made unique against the names already registered.
 */
export function suggestSshKeyName(
  key: { readonly path: string; readonly comment: string },
  hostName: string,
  takenNames: readonly string[] = [],
): string {
  const file = cleanPart(path.basename(key.path).replace(/\.pub$/, '')) || 'key';
  const comment = key.comment.trim();
  const host = cleanPart(hostName.split('.')[0] ?? '');
  let base =
    /^[^\s@]+@[^\s@]+$/.test(comment) && sshKeyNameProblem(comment) === undefined
      ? `${comment} (${file})`
      : host
        ? `${host}-${file}`
        : `vscode-${file}`;
  base = base.slice(0, SSH_KEY_NAME_MAX_LENGTH - 3);
  const taken = new Set(takenNames);
  if (!taken.has(base)) {
    return base;
  }
  for (let n = 2; n < 100; n++) {
    const candidate = `${base}-${n}`;
    if (!taken.has(candidate)) {
      return candidate;
    }
  }
  return base;
}
