// OpenSSH public keys: parsing one `.pub` line and computing the fingerprint exactly as
// `ssh-keygen -lf` prints it (`SHA256:` + unpadded base64 of the SHA-256 of the key blob).
import { createHash } from 'node:crypto';

/** Key types we offer, most preferred first. Anything else is ignored. */
export const PREFERRED_KEY_TYPES = [
  'ssh-ed25519',
  'sk-ssh-ed25519@openssh.com',
  'ecdsa-sha2-nistp256',
  'ecdsa-sha2-nistp384',
  'ecdsa-sha2-nistp521',
  'sk-ecdsa-sha2-nistp256@openssh.com',
  'ssh-rsa',
] as const;
export type PublicKeyType = (typeof PREFERRED_KEY_TYPES)[number];

export type KeyFamily = 'ed25519' | 'ecdsa' | 'rsa';

export interface ParsedPublicKey {
  readonly type: PublicKeyType;
  readonly family: KeyFamily;
  /** The base64 key blob exactly as written in the file. */
  readonly blobBase64: string;
  readonly comment: string;
  /** `SHA256:…`, as `ssh-keygen -lf` prints it. */
  readonly fingerprint: string;
  /** `type blob comment`, normalised to single spaces; what we upload. */
  readonly line: string;
}

export class PublicKeyParseError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PublicKeyParseError';
  }
}

function isPublicKeyType(value: string): value is PublicKeyType {
  return (PREFERRED_KEY_TYPES as readonly string[]).includes(value);
}

export function keyFamily(type: PublicKeyType): KeyFamily {
  if (type.includes('ed25519')) {
    return 'ed25519';
  }
  return type.includes('ecdsa') ? 'ecdsa' : 'rsa';
}

/** Reads the SSH wire string at the start of the blob (uint32 length + bytes). */
function leadingWireString(blob: Buffer): string | undefined {
  if (blob.length < 4) {
    return undefined;
  }
  const length = blob.readUInt32BE(0);
  if (length === 0 || length > 64 || blob.length < 4 + length) {
    return undefined;
  }
  return blob.subarray(4, 4 + length).toString('latin1');
}

/** SHA256 fingerprint of a decoded key blob, in OpenSSH's format. */
export function fingerprintOfBlob(blob: Uint8Array): string {
  return `SHA256:${createHash('sha256').update(blob).digest('base64').replace(/=+$/, '')}`;
}

/** MD5 fingerprint (`aa:bb:…`), which older services still show. */
export function md5FingerprintOfBlob(blob: Uint8Array): string {
  const hex = createHash('md5').update(blob).digest('hex');
  return hex.replace(/(..)(?!$)/g, '$1:');
}

/** Parses one OpenSSH public key line: `type base64 [comment]`. */
export function parsePublicKey(text: string): ParsedPublicKey {
  const trimmed = text.trim();
  if (trimmed.includes('\n')) {
    throw new PublicKeyParseError('Expected one public key line.');
  }
  const [type = '', blobBase64 = '', ...commentWords] = trimmed.split(/[ \t]+/);
  if (type.includes('PRIVATE KEY') || trimmed.startsWith('-----')) {
    throw new PublicKeyParseError('This is a private key. Only public keys (.pub) can be used.');
  }
  if (!isPublicKeyType(type)) {
    throw new PublicKeyParseError(`Unsupported key type "${type}". Use an ed25519, ECDSA or RSA key.`);
  }
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(blobBase64) || blobBase64.length % 4 !== 0) {
    throw new PublicKeyParseError('The key data is not valid base64.');
  }
  const blob = Buffer.from(blobBase64, 'base64');
  if (leadingWireString(blob) !== type) {
    throw new PublicKeyParseError(`The key data does not hold a ${type} key.`);
  }
  const comment = commentWords.join(' ');
  return {
    type,
    family: keyFamily(type),
    blobBase64,
    comment,
    fingerprint: fingerprintOfBlob(blob),
    line: comment ? `${type} ${blobBase64} ${comment}` : `${type} ${blobBase64}`,
  };
}

/** Like parsePublicKey, but undefined instead of an error. */
export function tryParsePublicKey(text: string): ParsedPublicKey | undefined {
  try {
    return parsePublicKey(text);
  } catch (error) {
    if (error instanceof PublicKeyParseError) {
      return undefined;
    }
    throw error;
  }
}

/** Rank for sorting: ed25519 first, then ECDSA, then RSA. */
export function familyRank(family: KeyFamily): number {
  return family === 'ed25519' ? 0 : family === 'ecdsa' ? 1 : 2;
}
