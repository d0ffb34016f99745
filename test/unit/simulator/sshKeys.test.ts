import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { WireBalance, WireSshKey, WireTeam } from '../../simulator';
import { SEED_IDS, SEED_PUBLIC_KEY } from '../../simulator';
import { call, TEAM_ID, useSimulator } from './helpers';

const SSH_KEYGEN = '/usr/bin/ssh-keygen';

describe('simulator: ssh keys', () => {
  const sim = useSimulator();
  let dir: string;

  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'sim-ssh-'));
  });
  after(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  /** Generates a key with ssh-keygen; returns the .pub text and ssh-keygen's own fingerprint. */
  function generate(type: string, bits?: number): { publicKey: string; fingerprint: string } {
    const file = join(dir, `${type}-${bits ?? 0}`);
    const args = ['-q', '-t', type, '-N', '', '-C', `test-${type}`, '-f', file];
    if (bits) {
      args.push('-b', String(bits));
    }
    execFileSync(SSH_KEYGEN, args);
    const listed = execFileSync(SSH_KEYGEN, ['-l', '-E', 'sha256', '-f', `${file}.pub`], {
      encoding: 'utf8',
    });
    return { publicKey: readFileSync(`${file}.pub`, 'utf8'), fingerprint: listed.split(' ')[1] };
  }

  it('lists the seed key with an OpenSSH fingerprint', async () => {
    const res = await call<WireSshKey[]>(sim(), 'GET', '/api/ssh-keys');
    assert.equal(res.status, 200);
    assert.deepEqual(
      res.body.map((k) => [k.id, k.name, k.fingerprint, k.publicKey]),
      [
        [
          SEED_IDS.sshKey,
          'dev-laptop',
          'SHA256:3Fj3io/UBCtL32oaSkY1mSligAmGZmKMVlILmq3RHHA',
          SEED_PUBLIC_KEY,
        ],
      ],
    );
    assert.ok(!Number.isNaN(Date.parse(res.body[0].createdAt)));
  });

  for (const [type, bits] of [
    ['ed25519', undefined],
    ['rsa', 2048],
    ['ecdsa', 256],
  ] as const) {
    it(`creates a ${type} key whose fingerprint equals ssh-keygen -lf`, async () => {
      const generated = generate(type, bits);
      const res = await call<WireSshKey>(sim(), 'POST', '/api/ssh-keys', {
        body: { name: `laptop-${type}`, publicKey: generated.publicKey, teamId: TEAM_ID },
      });
      assert.equal(res.status, 201, res.text);
      assert.equal(res.body.fingerprint, generated.fingerprint);
      assert.equal(res.body.publicKey, generated.publicKey.trim());
      const fetched = await call<WireSshKey>(sim(), 'GET', `/api/ssh-keys/${res.body.id}`);
      assert.equal(fetched.status, 200);
      assert.deepEqual(fetched.body, res.body);
    });
  }

  it('allows duplicate names', async () => {
    for (let i = 0; i < 2; i++) {
      const res = await call(sim(), 'POST', '/api/ssh-keys', {
        body: { name: 'dev-laptop', publicKey: SEED_PUBLIC_KEY },
      });
      assert.equal(res.status, 201);
    }
    const list = await call<WireSshKey[]>(sim(), 'GET', '/api/ssh-keys');
    assert.equal(list.body.filter((k) => k.name === 'dev-laptop').length, 3);
  });

  const [, seedBlob] = SEED_PUBLIC_KEY.split(' ');
  for (const [what, publicKey] of [
    ['garbage', 'hello world'],
    ['an unknown type', `ssh-foo ${seedBlob}`],
    ['non-base64 data', 'ssh-ed25519 AAAA$$$$'],
    ['a blob of another type', `ssh-rsa ${seedBlob}`],
    ['a truncated blob', `ssh-ed25519 ${seedBlob.slice(0, 40)}`],
    [
      'a private key',
      '-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\n-----END OPENSSH PRIVATE KEY-----',
    ],
    ['two lines', `${SEED_PUBLIC_KEY}\n${SEED_PUBLIC_KEY}`],
  ]) {
    it(`refuses ${what} with 400`, async () => {
      const res = await call(sim(), 'POST', '/api/ssh-keys', { body: { name: 'bad', publicKey } });
      assert.equal(res.status, 400, res.text);
      assert.equal(res.body.error, 'Invalid SSH public key');
    });
  }

  it('requires name and publicKey', async () => {
    for (const body of [
      { publicKey: SEED_PUBLIC_KEY },
      { name: 'x' },
      { name: '  ', publicKey: SEED_PUBLIC_KEY },
    ]) {
      const res = await call(sim(), 'POST', '/api/ssh-keys', { body });
      assert.equal(res.status, 400, JSON.stringify(body));
    }
  });

  it('deletes with {success:true}, then 404s', async () => {
    const del = await call<{ success: boolean }>(sim(), 'DELETE', `/api/ssh-keys/${SEED_IDS.sshKey}`);
    assert.equal(del.status, 200);
    assert.deepEqual(del.body, { success: true });
    assert.equal((await call(sim(), 'GET', `/api/ssh-keys/${SEED_IDS.sshKey}`)).status, 404);
    assert.equal((await call(sim(), 'DELETE', `/api/ssh-keys/${SEED_IDS.sshKey}`)).status, 404);
  });

  it("honours listShape 'wrapped' and idField '_id'", async () => {
    sim().configure({ listShape: 'wrapped', idField: '_id' });
    const res = await call<{ data: WireSshKey[] }>(sim(), 'GET', '/api/ssh-keys');
    assert.equal(res.body.data[0]._id, SEED_IDS.sshKey);
    assert.equal('id' in res.body.data[0], false);
  });
});

describe('simulator: balance and teams', () => {
  const sim = useSimulator({ seedDeployments: false });

  it('reports both teams with the contract shape', async () => {
    const balance = await call<WireBalance>(sim(), 'GET', '/api/balance');
    assert.deepEqual(balance.body, {
      teams: [
        { teamId: TEAM_ID, teamName: 'research', balance: 250, isCurrentTeam: true, role: 'owner' },
        {
          teamId: SEED_IDS.secondTeam,
          teamName: 'staging',
          balance: 12.5,
          isCurrentTeam: false,
          role: 'admin',
        },
      ],
      currency: 'USD',
    });
    const teams = await call<WireTeam[]>(sim(), 'GET', '/api/teams');
    assert.deepEqual(teams.body, [
      { id: TEAM_ID, name: 'research', role: 'owner', isCurrentTeam: true, balance: 250 },
      { id: SEED_IDS.secondTeam, name: 'staging', role: 'admin', isCurrentTeam: false, balance: 12.5 },
    ]);
  });

  it("uses _id for teams when idField is '_id'", async () => {
    sim().configure({ idField: '_id' });
    const teams = await call<WireTeam[]>(sim(), 'GET', '/api/teams');
    assert.equal(teams.body[0]._id, TEAM_ID);
    assert.equal('id' in teams.body[0], false);
  });

  it('sets a balance through the programmatic API', async () => {
    sim().setBalance(42.5, SEED_IDS.secondTeam);
    const balance = await call<WireBalance>(sim(), 'GET', '/api/balance');
    assert.equal(balance.body.teams[1].balance, 42.5);
    assert.throws(() => sim().setBalance(1, 'nope'), /not found/);
  });
});
