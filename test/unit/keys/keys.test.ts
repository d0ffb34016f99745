import * as assert from 'node:assert/strict';
import { execFile as execFileCallback } from 'node:child_process';
import { mkdtemp, mkdir, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import type { SshKey } from '../../../src/core/domain/types';
import { KEY_COMMENT, generateLocalKey, planKeyGeneration } from '../../../src/core/keys/keygen';
import type { ExecFile } from '../../../src/core/keys/keygen';
import {
  findLocalPublicKeys,
  findRegisteredKey,
  isSameKey,
  matchLocalKeys,
} from '../../../src/core/keys/localKeys';
import { PublicKeyParseError, parsePublicKey, tryParsePublicKey } from '../../../src/core/keys/publicKey';

const execFileAsync = promisify(execFileCallback);
const realExecFile: ExecFile = async (file, args) => {
  const { stdout, stderr } = await execFileAsync(file, [...args]);
  return { stdout, stderr };
};

async function sshKeygen(args: string[]): Promise<string> {
  return (await execFileAsync('ssh-keygen', args)).stdout;
}

/** `ssh-keygen -lf` prints `256 SHA256:… comment (ED25519)`. */
async function keygenFingerprint(file: string): Promise<string> {
  const output = await sshKeygen(['-lf', file]);
  const fingerprint = output.split(/\s+/)[1];
  assert.ok(fingerprint?.startsWith('SHA256:'), output);
  return fingerprint;
}

function registered(overrides: Partial<SshKey>): SshKey {
  return { id: 'k1', name: 'laptop', fingerprint: null, publicKey: null, createdAtMs: null, ...overrides };
}

describe('local SSH keys', function () {
  this.timeout(60_000);
  let home: string;
  let sshDir: string;

  beforeEach(async () => {
    home = await mkdtemp(path.join(tmpdir(), 'spheron-keys-'));
    sshDir = path.join(home, '.ssh');
  });

  afterEach(async () => {
    await rm(home, { recursive: true, force: true });
  });

  async function makeKey(
    name: string,
    type: 'ed25519' | 'ecdsa' | 'rsa',
    comment = `${name}@test`,
  ): Promise<string> {
    await mkdir(sshDir, { recursive: true, mode: 0o700 });
    const file = path.join(sshDir, name);
    const bits = type === 'rsa' ? ['-b', '2048'] : type === 'ecdsa' ? ['-b', '256'] : [];
    await sshKeygen(['-q', '-t', type, ...bits, '-f', file, '-N', '', '-C', comment]);
    return file;
  }

  describe('fingerprints', () => {
    for (const type of ['ed25519', 'ecdsa', 'rsa'] as const) {
      it(`match ssh-keygen -lf for ${type}`, async () => {
        const file = await makeKey(`id_${type}`, type);
        const parsed = parsePublicKey(await readFile(`${file}.pub`, 'utf8'));
        assert.equal(parsed.fingerprint, await keygenFingerprint(`${file}.pub`));
        assert.equal(parsed.family, type);
        assert.equal(parsed.comment, `id_${type}@test`);
        assert.doesNotMatch(parsed.fingerprint, /=/);
      });
    }

    it('matches ssh-keygen -lf for a 384-bit ECDSA key', async () => {
      await mkdir(sshDir, { recursive: true });
      const file = path.join(sshDir, 'id_ecdsa384');
      await sshKeygen(['-q', '-t', 'ecdsa', '-b', '384', '-f', file, '-N', '']);
      const parsed = parsePublicKey(await readFile(`${file}.pub`, 'utf8'));
      assert.equal(parsed.type, 'ecdsa-sha2-nistp384');
      assert.equal(parsed.fingerprint, await keygenFingerprint(`${file}.pub`));
    });
  });

  describe('parsePublicKey', () => {
    const valid =
      'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIEkw/1qSzSq9ZQcGZUBGUUEMBNr1MCtGnxzZTI2YS1Nn dev@laptop';

    it('keeps a multi-word comment and normalises spacing', () => {
      const parsed = parsePublicKey(
        'ssh-ed25519   AAAAC3NzaC1lZDI1NTE5AAAAIEkw/1qSzSq9ZQcGZUBGUUEMBNr1MCtGnxzZTI2YS1Nn  my  laptop \n',
      );
      assert.equal(parsed.comment, 'my laptop');
      assert.equal(
        parsed.line,
        'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIEkw/1qSzSq9ZQcGZUBGUUEMBNr1MCtGnxzZTI2YS1Nn my laptop',
      );
    });

    it('accepts a key without a comment', () => {
      assert.equal(parsePublicKey(valid.split(' ').slice(0, 2).join(' ')).comment, '');
    });

    it('rejects private keys, unknown types, bad base64 and a blob of another type', () => {
      assert.throws(() => parsePublicKey('-----BEGIN OPENSSH PRIVATE KEY-----'), PublicKeyParseError);
      assert.throws(() => parsePublicKey('ssh-dss AAAAB3NzaC1kc3M='), /Unsupported key type/);
      assert.throws(() => parsePublicKey('ssh-ed25519 not*base64'), /base64/);
      // An ed25519 blob labelled as RSA.
      assert.throws(() => parsePublicKey(valid.replace('ssh-ed25519', 'ssh-rsa')), /does not hold/);
      assert.throws(() => parsePublicKey(`${valid}\n${valid}`), /one public key/);
      assert.equal(tryParsePublicKey('garbage'), undefined);
    });
  });

  describe('findLocalPublicKeys', () => {
    it('returns nothing when ~/.ssh does not exist', async () => {
      assert.deepEqual(await findLocalPublicKeys(home), []);
    });

    it('orders ed25519, then ECDSA, then RSA, usable keys first, and skips junk', async () => {
      await makeKey('id_rsa', 'rsa');
      await makeKey('work_ecdsa', 'ecdsa');
      await makeKey('zz_ed25519', 'ed25519');
      await makeKey('id_ed25519', 'ed25519');
      // A public key whose private half is gone, and files that are not keys.
      const orphan = await makeKey('orphan_ed25519', 'ed25519');
      await rm(orphan);
      await writeFile(path.join(sshDir, 'broken.pub'), 'not a key\n');
      await writeFile(path.join(sshDir, 'config'), 'Host *\n');
      await mkdir(path.join(sshDir, 'dir.pub'));

      const keys = await findLocalPublicKeys(home);
      assert.deepEqual(
        keys.map((k) => path.basename(k.path)),
        ['id_ed25519.pub', 'zz_ed25519.pub', 'work_ecdsa.pub', 'id_rsa.pub', 'orphan_ed25519.pub'],
      );
      assert.equal(keys.at(-1)?.hasPrivateKey, false);
      assert.equal(keys[0]?.hasPrivateKey, true);
      assert.equal(keys[0]?.privateKeyPath, path.join(sshDir, 'id_ed25519'));
      assert.equal(keys[0]?.fingerprint, await keygenFingerprint(path.join(sshDir, 'id_ed25519.pub')));
    });
  });

  describe('matching registered keys', () => {
    it('matches by SHA256 fingerprint, by MD5 fingerprint and by key blob', async () => {
      const file = await makeKey('id_ed25519', 'ed25519');
      const [local] = await findLocalPublicKeys(home);
      assert.ok(local);
      const md5 = (await sshKeygen(['-E', 'md5', '-lf', `${file}.pub`])).split(/\s+/)[1] ?? '';
      assert.match(md5, /^MD5:/);

      assert.equal(isSameKey(local, registered({ fingerprint: local.fingerprint })), true);
      assert.equal(isSameKey(local, registered({ fingerprint: `${local.fingerprint}=` })), true);
      assert.equal(isSameKey(local, registered({ fingerprint: md5 })), true);
      assert.equal(
        isSameKey(local, registered({ publicKey: `${local.type} ${local.blobBase64} other comment` })),
        true,
      );
      assert.equal(isSameKey(local, registered({ fingerprint: 'SHA256:somethingElse' })), false);
      assert.equal(
        isSameKey(
          local,
          registered({
            publicKey: 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIEkw/1qSzSq9ZQcGZUBGUUEMBNr1MCtGnxzZTI2YS1Nn x',
          }),
        ),
        false,
      );

      const keys = [
        registered({ id: 'other', fingerprint: 'SHA256:x' }),
        registered({ id: 'mine', fingerprint: local.fingerprint }),
      ];
      assert.equal(findRegisteredKey(local, keys)?.id, 'mine');
      assert.deepEqual(
        matchLocalKeys([local], keys).map((m) => m.registered?.id),
        ['mine'],
      );
    });
  });

  describe('ssh-keygen', () => {
    it('plans id_ed25519 in an empty home, with the exact argv', async () => {
      const plan = await planKeyGeneration(home);
      const keyPath = path.join(home, '.ssh', 'id_ed25519');
      assert.equal(plan.keyPath, keyPath);
      assert.equal(plan.file, 'ssh-keygen');
      assert.deepEqual(plan.args, ['-t', 'ed25519', '-f', keyPath, '-N', '', '-C', KEY_COMMENT]);
      assert.match(plan.displayCommand, /^ssh-keygen -t ed25519 -f .*id_ed25519"? -N "" -C spheron-vscode$/);
    });

    it('chooses id_ed25519_spheron when id_ed25519 (or only its .pub) exists, then numbered names', async () => {
      await mkdir(sshDir, { recursive: true });
      await writeFile(path.join(sshDir, 'id_ed25519.pub'), 'x');
      assert.equal(path.basename((await planKeyGeneration(home)).keyPath), 'id_ed25519_spheron');
      await writeFile(path.join(sshDir, 'id_ed25519_spheron'), 'x');
      assert.equal(path.basename((await planKeyGeneration(home)).keyPath), 'id_ed25519_spheron_2');
    });

    it('quotes a path with spaces in the shown command', async () => {
      const plan = await planKeyGeneration(path.join(home, 'with space'));
      assert.ok(plan.displayCommand.includes(`-f "${path.join(home, 'with space', '.ssh', 'id_ed25519')}"`));
    });

    it('runs the real ssh-keygen without touching an existing key', async () => {
      const existing = await makeKey('id_ed25519', 'ed25519');
      const before = await readFile(existing, 'utf8');
      const calls: (readonly string[])[] = [];
      const key = await generateLocalKey({
        home,
        execFile: async (file, args) => {
          calls.push([file, ...args]);
          return realExecFile(file, args);
        },
      });
      assert.equal(calls.length, 1);
      assert.equal(key.path, path.join(sshDir, 'id_ed25519_spheron.pub'));
      assert.equal(key.comment, KEY_COMMENT);
      assert.equal(key.hasPrivateKey, true);
      assert.equal(key.fingerprint, await keygenFingerprint(key.path));
      assert.equal(await readFile(existing, 'utf8'), before);
      assert.deepEqual((await readdir(sshDir)).sort(), [
        'id_ed25519',
        'id_ed25519.pub',
        'id_ed25519_spheron',
        'id_ed25519_spheron.pub',
      ]);
    });

    it('creates ~/.ssh (mode 0700 on POSIX) when missing', async () => {
      const key = await generateLocalKey({ home, execFile: realExecFile });
      assert.equal(path.basename(key.path), 'id_ed25519.pub');
      const mode = (await stat(sshDir)).mode & 0o777;
      assert.equal(process.platform === 'win32' || mode === 0o700, true, `mode ${mode.toString(8)}`);
    });

    it('explains a missing ssh-keygen and a failing one', async () => {
      const missing: ExecFile = () =>
        Promise.reject(Object.assign(new Error('spawn ssh-keygen ENOENT'), { code: 'ENOENT' }));
      await assert.rejects(generateLocalKey({ home, execFile: missing }), /ssh-keygen was not found/);
      const failing: ExecFile = () =>
        Promise.reject(Object.assign(new Error('exit 1'), { code: 1, stderr: 'Saving key failed\nmore' }));
      await assert.rejects(
        generateLocalKey({ home, execFile: failing }),
        /ssh-keygen failed: Saving key failed$/,
      );
    });
  });
});
