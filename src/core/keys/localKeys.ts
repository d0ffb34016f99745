// Finds the user's SSH public keys in `<home>/.ssh/*.pub` and matches them with the keys
// registered at Spheron.
import { readFile, readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import type { SshKey } from '../domain/types';
import { familyRank, md5FingerprintOfBlob, tryParsePublicKey } from './publicKey';
import type { ParsedPublicKey } from './publicKey';

export interface LocalPublicKey extends ParsedPublicKey {
  /** Absolute path of the `.pub` file. */
  readonly path: string;
  /** The private key next to it (same name without `.pub`). */
  readonly privateKeyPath: string;
  /** Whether that private key exists; a public key without one cannot log in from here. */
  readonly hasPrivateKey: boolean;
}

/** A `.pub` file larger than this is not a public key. */
const MAX_PUBLIC_KEY_BYTES = 16 * 1024;
/** The default names ssh tries, in its own order; they sort before other names. */
const DEFAULT_KEY_NAMES = ['id_ed25519', 'id_ed25519_sk', 'id_ecdsa', 'id_ecdsa_sk', 'id_rsa'];

export function sshDirectory(home: string): string {
  return path.join(home, '.ssh');
}

async function isFile(filePath: string): Promise<boolean> {
  try {
    return (await stat(filePath)).isFile();
  } catch {
    return false;
  }
}

function nameRank(baseName: string): number {
  const index = DEFAULT_KEY_NAMES.indexOf(baseName);
  return index === -1 ? DEFAULT_KEY_NAMES.length : index;
}

/** Sort order: usable (private key present) first, then ed25519, ECDSA, RSA, then default names, then by name. */
export function compareLocalKeys(a: LocalPublicKey, b: LocalPublicKey): number {
  const aName = path.basename(a.privateKeyPath);
  const bName = path.basename(b.privateKeyPath);
  return (
    Number(b.hasPrivateKey) - Number(a.hasPrivateKey) ||
    familyRank(a.family) - familyRank(b.family) ||
    nameRank(aName) - nameRank(bName) ||
    aName.localeCompare(bName)
  );
}

/**
 * Every parseable public key in `<home>/.ssh/*.pub`, best first. A missing `.ssh` directory means
 * no keys; unreadable or malformed files are skipped.
 */
export async function findLocalPublicKeys(home: string): Promise<LocalPublicKey[]> {
  const directory = sshDirectory(home);
  let names: string[];
  try {
    names = await readdir(directory);
  } catch {
    return [];
  }
  const keys: LocalPublicKey[] = [];
  for (const name of names.filter((n) => n.endsWith('.pub')).sort()) {
    const key = await readLocalPublicKey(path.join(directory, name));
    if (key) {
      keys.push(key);
    }
  }
  return keys.sort(compareLocalKeys);
}

/** Reads and parses one `.pub` file; undefined when it is not a usable public key. */
export async function readLocalPublicKey(publicKeyPath: string): Promise<LocalPublicKey | undefined> {
  try {
    const info = await stat(publicKeyPath);
    if (!info.isFile() || info.size > MAX_PUBLIC_KEY_BYTES) {
      return undefined;
    }
    const text = await readFile(publicKeyPath, 'utf8');
    const firstLine = text.split(/\r?\n/).find((line) => line.trim() !== '') ?? '';
    const parsed = tryParsePublicKey(firstLine);
    if (!parsed) {
      return undefined;
    }
    const privateKeyPath = publicKeyPath.slice(0, -'.pub'.length);
    return { ...parsed, path: publicKeyPath, privateKeyPath, hasPrivateKey: await isFile(privateKeyPath) };
  } catch {
    return undefined;
  }
}

function normaliseFingerprint(fingerprint: string): string {
  const trimmed = fingerprint.trim();
  if (/^sha256:/i.test(trimmed)) {
    return `SHA256:${trimmed.slice('SHA256:'.length).replace(/=+$/, '')}`;
  }
  return trimmed.replace(/^md5:/i, '').toLowerCase();
}

/** Whether a registered key is this local key: same fingerprint (SHA256 or MD5) or same key blob. */
export function isSameKey(local: ParsedPublicKey, registered: SshKey): boolean {
  if (registered.fingerprint) {
    const theirs = normaliseFingerprint(registered.fingerprint);
    if (theirs === local.fingerprint) {
      return true;
    }
    if (theirs === md5FingerprintOfBlob(Buffer.from(local.blobBase64, 'base64'))) {
      return true;
    }
  }
  if (registered.publicKey) {
    const parsed = tryParsePublicKey(registered.publicKey);
    if (parsed && parsed.type === local.type && parsed.blobBase64 === local.blobBase64) {
      return true;
    }
  }
  return false;
}

/** The registered key that is this local key, if any. */
export function findRegisteredKey(local: ParsedPublicKey, registered: readonly SshKey[]): SshKey | undefined {
  return registered.find((key) => isSameKey(local, key));
}

export interface LocalKeyMatch {
  readonly local: LocalPublicKey;
  readonly registered: SshKey | undefined;
}

/** Pairs every local key with its registered twin, keeping the local order. */
export function matchLocalKeys(
  locals: readonly LocalPublicKey[],
  registered: readonly SshKey[],
): LocalKeyMatch[] {
  return locals.map((local) => ({ local, registered: findRegisteredKey(local, registered) }));
}
