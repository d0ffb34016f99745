import * as assert from 'node:assert/strict';
import { createHmac, randomBytes } from 'node:crypto';
import { pruneKnownHosts } from '../../../src/core/ssh/knownHosts';

function hashed(host: string): string {
  const salt = randomBytes(20);
  return `|1|${salt.toString('base64')}|${createHmac('sha1', salt).update(host).digest('base64')}`;
}

describe('ssh/knownHosts', () => {
  const key = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIEXAMPLEKEYEXAMPLEKEYEXAMPLEKEYEXAMPLEKEY';

  it('removes only the pins of removed entries and keeps the rest byte for byte', () => {
    const text = [
      '# our known hosts',
      `spheron-aaa ${key}`,
      `[spheron-bbb]:2222 ${key}`,
      `spheron-ccc ${key}`,
      `github.com ${key}`,
      `@revoked spheron-bbb ${key}`,
      `spheron-bbb,10.0.0.1 ${key}`,
      '',
    ].join('\r\n');
    const result = pruneKnownHosts(Buffer.from(text), [
      { hostKeyAlias: 'spheron-aaa', port: 22 },
      { hostKeyAlias: 'spheron-bbb', port: 2222 },
    ]);
    assert.equal(result.removedLines, 2);
    assert.equal(
      result.content.toString(),
      [
        '# our known hosts',
        `spheron-ccc ${key}`,
        `github.com ${key}`,
        `@revoked spheron-bbb ${key}`,
        `spheron-bbb,10.0.0.1 ${key}`,
        '',
      ].join('\r\n'),
    );
  });

  it('recognises hashed entries of removed instances, with and without a port', () => {
    const text = [
      `${hashed('spheron-aaa')} ${key}`,
      `${hashed('[spheron-bbb]:2222')} ${key}`,
      `${hashed('[spheron-keep]:2222')} ${key}`,
      '',
    ].join('\n');
    const result = pruneKnownHosts(Buffer.from(text), [
      { hostKeyAlias: 'spheron-aaa', port: 22 },
      { hostKeyAlias: 'spheron-bbb', port: 2222 },
    ]);
    assert.equal(result.removedLines, 2);
    assert.match(result.content.toString(), /^\|1\|/);
    assert.equal(result.content.toString().split('\n').length, 2);
  });

  it('keeps pins it was not told to remove (pins of another team) and returns the original buffer', () => {
    const original = Buffer.from(`spheron-aaa ${key}\nspheron-other-team ${key}\n`);
    const result = pruneKnownHosts(original, [{ hostKeyAlias: 'spheron-zzz', port: 22 }]);
    assert.equal(result.removedLines, 0);
    assert.equal(result.content, original);
  });
});
