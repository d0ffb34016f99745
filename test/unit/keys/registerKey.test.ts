// Registering a local key against the real simulator, with keys in a temporary home.
import * as assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { SpheronClient } from '../../../src/core/api/client';
import { findLocalPublicKeys } from '../../../src/core/keys/localKeys';
import {
  InvalidKeyNameError,
  LocalKeyNotFoundError,
  localKeyAt,
  registerLocalKey,
} from '../../../src/core/keys/registerKey';
import { SEED_IDS, SEED_PUBLIC_KEY } from '../../simulator';
import { makeClient, postCount, useSimulator } from '../deploy/simHarness';

// A second real ed25519 public key (not the seed's).
const OTHER_KEY =
  'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl other@box';

describe('registering a local public key (simulator)', function () {
  this.timeout(20_000);
  const sim = useSimulator();
  let client: SpheronClient;
  let home: string;

  before(() => {
    client = makeClient(sim());
  });

  beforeEach(async () => {
    home = await mkdtemp(path.join(tmpdir(), 'spheron-keys-'));
    await mkdir(path.join(home, '.ssh'));
    await writeFile(path.join(home, '.ssh', 'id_ed25519.pub'), `${SEED_PUBLIC_KEY}\n`);
    await writeFile(path.join(home, '.ssh', 'other.pub'), `${OTHER_KEY}\n`);
    await writeFile(path.join(home, 'outside.pub'), `${OTHER_KEY}\n`);
  });

  afterEach(async () => {
    await rm(home, { recursive: true, force: true });
  });

  it('reads only keys that are in ~/.ssh', async () => {
    const inside = path.join(home, '.ssh', 'other.pub');
    assert.equal((await localKeyAt(home, inside)).line, OTHER_KEY);
    await assert.rejects(localKeyAt(home, path.join(home, 'outside.pub')), LocalKeyNotFoundError);
    await assert.rejects(
      localKeyAt(home, path.join(home, '.ssh', '..', 'outside.pub')),
      LocalKeyNotFoundError,
    );
    await assert.rejects(localKeyAt(home, '/etc/passwd'), LocalKeyNotFoundError);
  });

  it('creates the key once with the team id, and recognises it afterwards', async () => {
    const local = await localKeyAt(home, path.join(home, '.ssh', 'other.pub'));
    const before = await client.listSshKeys();
    sim().resetRequestLog();
    const first = await registerLocalKey({
      api: client,
      local,
      registered: before,
      teamId: SEED_IDS.team,
      hostName: 'laptop.local',
    });
    assert.equal(first.alreadyRegistered, false);
    assert.equal(first.key.name, 'other@box (other)');
    assert.equal(first.key.fingerprint, local.fingerprint);
    assert.equal(postCount(sim(), 'POST /api/ssh-keys'), 1);
    const second = await registerLocalKey({
      api: client,
      local,
      registered: await client.listSshKeys(),
      teamId: SEED_IDS.team,
      hostName: 'laptop.local',
    });
    assert.equal(second.alreadyRegistered, true);
    assert.equal(second.key.id, first.key.id);
    assert.equal(postCount(sim(), 'POST /api/ssh-keys'), 1);
  });

  it('finds the seed key already registered, and takes a chosen name', async () => {
    const [seed] = (await findLocalPublicKeys(home)).filter((key) => key.line === SEED_PUBLIC_KEY);
    assert.ok(seed);
    const registered = await client.listSshKeys();
    const known = await registerLocalKey({
      api: client,
      local: seed,
      registered,
      teamId: undefined,
      hostName: 'h',
    });
    assert.deepEqual([known.alreadyRegistered, known.key.id], [true, SEED_IDS.sshKey]);

    const other = await localKeyAt(home, path.join(home, '.ssh', 'other.pub'));
    await assert.rejects(
      registerLocalKey({
        api: client,
        local: other,
        registered,
        teamId: undefined,
        hostName: 'h',
        name: 'a\u0007b',
      }),
      InvalidKeyNameError,
    );
    const named = await registerLocalKey({
      api: client,
      local: other,
      registered,
      teamId: undefined,
      hostName: 'h',
      name: ' work laptop ',
    });
    assert.equal(named.key.name, 'work laptop');
  });
});
