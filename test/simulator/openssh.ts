// OpenSSH public key parsing and the `SHA256:` fingerprint `ssh-keygen -lf` prints.
import { createHash } from 'node:crypto';

/** How many SSH wire strings follow the type name in each key type's blob. */
const FIELDS_AFTER_TYPE: Readonly<Record<string, number>> = {
  'ssh-ed25519': 1,
  'ssh-rsa': 2,
  'ssh-dss': 4,
  'ecdsa-sha2-nistp256': 2,
  'ecdsa-sha2-nistp384': 2,
  'ecdsa-sha2-nistp521': 2,
  'sk-ssh-ed25519@openssh.com': 2,
  'sk-ecdsa-sha2-nistp256@openssh.com': 3,
};

export interface ParsedPublicKey {
  readonly type: string;
  readonly blob: Buffer;
  readonly comment: string;
  /** `SHA256:` + unpadded base64 of the blob's SHA-256, as OpenSSH prints it. */
  readonly fingerprint: string;
}

/** Thrown with a message fit for a 400 answer. */
export class PublicKeyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PublicKeyError';
  }
}

export function fingerprintOf(blob: Buffer): string {
  return 'SHA256:' + createHash('sha256').update(blob).digest('base64').replace(/=+$/, '');
}

function readStrings(blob: Buffer): Buffer[] {
  const fields: Buffer[] = [];
  let offset = 0;
  while (offset < blob.length) {
    if (offset + 4 > blob.length) {
      throw new PublicKeyError('Invalid SSH public key: truncated key data');
    }
    const length = blob.readUInt32BE(offset);
    offset += 4;
    if (offset + length > blob.length) {
      throw new PublicKeyError('Invalid SSH public key: truncated key data');
    }
    fields.push(blob.subarray(offset, offset + length));
    offset += length;
  }
  return fields;
}

/** Parses one `type base64 [comment]` line; throws PublicKeyError on anything else. */
export function parsePublicKey(text: string): ParsedPublicKey {
  const trimmed = text.trim();
  if (trimmed.includes('PRIVATE KEY')) {
    throw new PublicKeyError('Invalid SSH public key: this looks like a private key; paste the .pub file');
  }
  if (/[\r\n]/.test(trimmed)) {
    throw new PublicKeyError('Invalid SSH public key: expected a single line');
  }
  const [type, data, ...rest] = trimmed.split(/\s+/);
  const expectedFields = type === undefined ? undefined : FIELDS_AFTER_TYPE[type];
  if (!type || expectedFields === undefined) {
    throw new PublicKeyError(
      'Invalid SSH public key format: expected OpenSSH format starting with ssh-ed25519, ssh-rsa or ecdsa-sha2-*',
    );
  }
  if (!data || !/^[A-Za-z0-9+/]+={0,2}$/.test(data) || data.length % 4 !== 0) {
    throw new PublicKeyError('Invalid SSH public key format: key data is not base64');
  }
  const blob = Buffer.from(data, 'base64');
  const fields = readStrings(blob);
  if (fields.length !== expectedFields + 1 || fields[0].toString('latin1') !== type) {
    throw new PublicKeyError('Invalid SSH public key: key data does not match the key type');
  }
  if (type === 'ssh-ed25519' && fields[1].length !== 32) {
    throw new PublicKeyError('Invalid SSH public key: an ed25519 key has 32 bytes');
  }
  return { type, blob, comment: rest.join(' '), fingerprint: fingerprintOf(blob) };
}
