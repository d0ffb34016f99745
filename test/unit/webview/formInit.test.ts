import * as assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import type { Deployment, Volume } from '../../../src/core/domain/types';
import { createDeploySubmissionRegistry } from '../../../src/core/deploy/deploySubmission';
import { planKeyGeneration } from '../../../src/core/keys/keygen';
import { findLocalPublicKeys, matchLocalKeys } from '../../../src/core/keys/localKeys';
import { createVolumeSubmissionRegistry } from '../../../src/core/volumes/volumeSubmission';
import { buildDeployInit } from '../../../src/core/deploy/deployInit';
import { buildVolumeInit } from '../../../src/core/volumes/volumeInit';
import { parseDeployHostMessage } from '../../../src/shared/deployProtocol';
import { parseVolumeHostMessage } from '../../../src/shared/volumeProtocol';
import { deployment } from '../model/fixtures';
import { offer, sshKey, volume } from './fixtures';

const noApi = {
  createDeployment: (): Promise<Deployment> => Promise.reject(new Error('not used')),
  listDeployments: (): Promise<Deployment[]> => Promise.resolve([]),
  createVolume: (): Promise<Volume> => Promise.reject(new Error('not used')),
  listVolumes: (): Promise<Volume[]> => Promise.resolve([]),
};

describe('form init builders', function () {
  this.timeout(20_000);
  let home: string;

  beforeEach(async () => {
    home = await mkdtemp(path.join(tmpdir(), 'spheron-init-'));
  });

  afterEach(async () => {
    await rm(home, { recursive: true, force: true });
  });

  it('builds a deploy init the protocol accepts, with the keygen command only when there is no local key', async () => {
    const registry = createDeploySubmissionRegistry({ api: noApi });
    const base = {
      sessionId: 's1',
      offer: offer({ minimumRuntimeMinutes: 60 }),
      group: { gpuType: 'H100_SXM5', displayName: 'H100 SXM5' },
      team: { id: 't1', name: 'research' },
      balance: undefined,
      burnPerHour: 5.96,
      keys: [sshKey()],
      volumes: [volume()],
      deployments: [
        deployment({ id: 'd1', name: 'train-1', status: 'running' }),
        deployment({ id: 'd2', name: null, status: 'unknown', rawStatus: 'frozen' }),
      ],
      registry,
      random: () => 0,
    };
    const empty = buildDeployInit({ ...base, localKeys: [], keygenPlan: await planKeyGeneration(home) });
    assert.equal(empty.keygen?.keyPath, path.join(home, '.ssh', 'id_ed25519'));
    assert.equal(empty.balance, null);
    assert.equal(empty.burnPerHour, 5.96);
    assert.equal(empty.minimumRuntimeMinutes, 60);
    assert.equal(empty.suggestedName, 'h100-sxm5-0000');
    assert.deepEqual(empty.submitState, { kind: 'idle' });
    assert.equal(empty.submittedForm, null);
    assert.deepEqual(empty.instances, [
      { id: 'd1', name: 'train-1', status: 'running' },
      { id: 'd2', name: null, status: 'frozen' },
    ]);
    assert.equal(parseDeployHostMessage({ type: 'init', data: empty }).ok, true);

    await mkdir(path.join(home, '.ssh'));
    await promisify(execFile)('ssh-keygen', [
      '-q',
      '-t',
      'ed25519',
      '-f',
      path.join(home, '.ssh', 'id_ed25519'),
      '-N',
      '',
    ]);
    const locals = await findLocalPublicKeys(home);
    const [local] = locals;
    assert.ok(local);
    const registered = sshKey({ id: 'mine', fingerprint: local.fingerprint });
    const withKey = buildDeployInit({
      ...base,
      balance: 12,
      keys: [registered],
      localKeys: matchLocalKeys(locals, [registered]),
      keygenPlan: await planKeyGeneration(home),
    });
    assert.equal(withKey.keygen, null);
    assert.equal(withKey.localKeys[0]?.registeredKeyId, 'mine');
    assert.equal(withKey.localKeys[0]?.publicKey, local.line);
    assert.equal(parseDeployHostMessage({ type: 'init', data: withKey }).ok, true);
  });

  it('builds a volume init offering the loaded providers and passes load errors through', () => {
    const registry = createVolumeSubmissionRegistry({ api: noApi });
    const init = buildVolumeInit({
      sessionId: 'v1',
      team: undefined,
      regions: [
        { provider: 'data-crunch', regions: { hasAnyOffers: true, regions: [] } },
        { provider: 'voltage-park', regions: null, error: 'HTTP 500' },
        { provider: 'massed-compute', regions: null },
      ],
      registry,
    });
    assert.deepEqual(
      init.providers.map((p) => p.id),
      ['data-crunch', 'voltage-park'],
    );
    assert.equal(init.regions[1]?.error, 'HTTP 500');
    assert.equal(init.team, null);
    assert.equal('defaultProvider' in init, false);
    assert.equal(parseVolumeHostMessage({ type: 'init', data: init }).ok, true);
  });
});
