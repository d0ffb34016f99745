import * as assert from 'node:assert/strict';
import {
  attachTargets,
  noAttachTargetMessage,
  volumeRefusalMessage,
} from '../../../src/core/volumes/attachTargets';
import { deployment, volume } from '../model/fixtures';

const vpRunning = deployment({ id: 'vp1', name: 'vp-box', provider: 'voltage-park', region: 'Dallas, TX' });
const vpDeploying = deployment({ id: 'vp2', name: 'vp-new', provider: 'voltage-park', status: 'deploying' });
const dcFin1 = deployment({ id: 'dc1', name: 'fin-one', provider: 'data-crunch', region: 'FIN-01' });
const dcFin2 = deployment({ id: 'dc2', name: 'fin-two', provider: 'data-crunch', region: 'FIN-02' });
const ended = deployment({ id: 'old', provider: 'voltage-park', status: 'terminated' });

describe('attach targets for a volume', () => {
  it('allows running instances the provider rules accept and says why not for the rest', () => {
    const vpVolume = volume({ id: 'v1', name: 'datasets', provider: 'voltage-park' });
    const targets = attachTargets(vpVolume, [vpRunning, vpDeploying, dcFin1, ended], [vpVolume]);
    assert.deepEqual(
      targets.allowed.map((d) => d.id),
      ['vp1'],
    );
    assert.deepEqual(
      targets.refused.map((entry) => entry.deployment.id),
      ['vp2', 'dc1'],
    );
    assert.match(targets.refused[0]?.reason ?? '', /only be attached to running instances/);
    assert.match(targets.refused[1]?.reason ?? '', /Voltage Park volume/);
  });

  it('keeps DataCrunch volumes in their region and counts Voltage Park’s one volume per instance', () => {
    const dcVolume = volume({ id: 'v2', name: 'ckpt', provider: 'data-crunch', region: 'FIN-01' });
    assert.deepEqual(
      attachTargets(dcVolume, [dcFin1, dcFin2], [dcVolume]).allowed.map((d) => d.id),
      ['dc1'],
    );
    const first = volume({
      id: 'v3',
      name: 'first',
      provider: 'voltage-park',
      status: 'attached',
      attachedDeploymentIds: ['vp1'],
    });
    const second = volume({ id: 'v4', name: 'second', provider: 'voltage-park' });
    const targets = attachTargets(second, [vpRunning], [first, second]);
    assert.equal(targets.allowed.length, 0);
    assert.match(
      targets.refused[0]?.reason ?? '',
      /^"vp-box" already has "first" attached\. Voltage Park allows one volume per instance\.$/,
    );
  });

  it('explains, with the provider rule, when nothing can take the volume', () => {
    const vpVolume = volume({ id: 'v1', name: 'datasets', provider: 'voltage-park' });
    const none = noAttachTargetMessage(vpVolume, { allowed: [], refused: [] });
    assert.match(none, /^There is no running instance to attach volume “datasets” to\. Voltage Park volumes/);
    const refused = noAttachTargetMessage(
      vpVolume,
      attachTargets(vpVolume, [dcFin1, vpDeploying], [vpVolume]),
    );
    // The same-provider reason says more than "wrong provider".
    assert.match(refused, /only be attached to running instances/);
    assert.match(refused, /attach to one instance at a time/);
  });

  it('words Spheron’s refusals with the provider rule', () => {
    const dcVolume = volume({ id: 'v2', name: 'ckpt', provider: 'data-crunch', region: 'FIN-01' });
    assert.equal(
      volumeRefusalMessage(
        'attach',
        dcVolume,
        'fin-two',
        'Volume and deployment must be in the same region.',
      ),
      'Spheron refused to attach volume “ckpt” to “fin-two”: Volume and deployment must be in the same region. DataCrunch volumes hold up to 10 TB and can be attached to several instances at once, but only to instances in the same region (FIN-01, FIN-02 or FIN-03).',
    );
    assert.equal(
      volumeRefusalMessage('delete', dcVolume, undefined, 'Volume is attached'),
      'Spheron refused to delete volume “ckpt”: Volume is attached.',
    );
  });
});
