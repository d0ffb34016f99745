import * as assert from 'node:assert/strict';
import type { Volume } from '../../../src/core/domain/types';
import {
  buildVolumeNodes,
  teamVolumes,
  volumeMonthlyCost,
  volumeNode,
} from '../../../src/core/model/volumes';
import { MINUTE, NOW, volume } from './fixtures';

const NAMES = new Map([
  ['d1', 'gpu-box-1'],
  ['d2', 'gpu-box-2'],
]);

describe('model/volumes', () => {
  const cases: [string, Volume, string, string, string | undefined][] = [
    [
      'attached',
      volume({ id: 'v', status: 'attached', attachedDeploymentIds: ['d1'] }),
      '1 TB · voltage-park · Dallas, TX · attached to gpu-box-1',
      'database',
      'charts.green',
    ],
    [
      'attached to two instances (DataCrunch)',
      volume({
        id: 'v',
        provider: 'data-crunch',
        region: 'FIN-01',
        sizeGb: 500,
        status: 'attached',
        attachedDeploymentIds: ['d1', 'd2'],
      }),
      '500 GB · data-crunch · FIN-01 · attached to gpu-box-1, gpu-box-2',
      'database',
      'charts.green',
    ],
    [
      'attached to an instance we do not know',
      volume({ id: 'v', status: 'attached', attachedDeploymentIds: ['6a0123456789abcdef012345'] }),
      '1 TB · voltage-park · Dallas, TX · attached to instance ef012345',
      'database',
      'charts.green',
    ],
    [
      'unattached and billing',
      volume({ id: 'v', sizeGb: 65536 }),
      '64 TB · voltage-park · Dallas, TX · unattached',
      'warning',
      'list.warningForeground',
    ],
    [
      'unattached, rate unknown',
      volume({ id: 'v', hourlyRatePerGb: 0, region: null }),
      '1 TB · voltage-park · unattached',
      'database',
      undefined,
    ],
    [
      'deleting',
      volume({ id: 'v', status: 'deleting' }),
      '1 TB · voltage-park · Dallas, TX · deleting…',
      'loading~spin',
      undefined,
    ],
    [
      'deleted',
      volume({ id: 'v', status: 'deleted' }),
      '1 TB · voltage-park · Dallas, TX · deleted',
      'trash',
      'disabledForeground',
    ],
    [
      'unknown status',
      volume({ id: 'v', status: 'unknown', rawStatus: 'resizing' }),
      '1 TB · voltage-park · Dallas, TX · unknown status “resizing”',
      'question',
      undefined,
    ],
  ];
  for (const [name, v, description, codicon, color] of cases) {
    it(`${name} → “${description}”`, () => {
      const node = volumeNode(v, NAMES);
      assert.equal(node.description, description);
      assert.equal(node.icon.codicon, codicon);
      assert.equal(node.icon.color, color);
      assert.equal(node.id, 'volume:v');
      assert.equal(node.label, 'vol-v');
    });
  }

  it('warns in the tooltip when an unattached volume still bills', () => {
    const v = volume({ id: 'v' });
    assert.ok(Math.abs(volumeMonthlyCost(v) - 0.000109 * 1024 * 730) < 1e-9);
    const tooltip = volumeNode(v, NAMES).tooltip;
    assert.match(tooltip, /⚠ Unattached but still billing: \$81\.48\/month/);
    assert.match(tooltip, /- Cost: \$0\.11\/h \(about \$81\.48\/month at \$0\.000109\/h per GB\)/);
    assert.equal(volumeNode(v, NAMES).contextValue, 'spheron.volume+billing+deletable+detached');
  });

  it('does not warn for attached or deleted volumes', () => {
    const attached = volumeNode(
      volume({ id: 'v', status: 'attached', attachedDeploymentIds: ['d1'] }),
      NAMES,
    );
    const deleted = volumeNode(volume({ id: 'v', status: 'deleted' }), NAMES);
    assert.doesNotMatch(attached.tooltip, /still billing/);
    assert.doesNotMatch(deleted.tooltip, /still billing|Cost:/);
  });

  it('shows usage and ids in the tooltip', () => {
    const tooltip = volumeNode(
      volume({ id: 'v', usedBytes: 12.3 * 1024 ** 3, providerVolumeId: 'vp-vol-01' }),
      NAMES,
    ).tooltip;
    assert.match(tooltip, /- Size: 1 TB \(12\.3 GB used\)/);
    assert.match(tooltip, /- ID: `v` · provider `vp-vol-01`/);
  });

  it('sorts by name and puts a stale row on top when stale', () => {
    const rows = buildVolumeNodes(
      [volume({ id: '2', name: 'models' }), volume({ id: '1', name: 'Datasets' })],
      {
        deploymentNames: NAMES,
        nowMs: NOW,
        stale: { sinceMs: NOW - 3 * MINUTE, reason: 'Spheron answered with an error (HTTP 502).' },
      },
    );
    assert.deepEqual(
      rows.map((r) => r.label),
      ['Not up to date — last updated 3 min ago', 'Datasets', 'models'],
    );
    assert.deepEqual(rows[0]?.command?.args, ['volumes']);
  });

  it('is empty without volumes, so the welcome view shows', () => {
    assert.deepEqual(buildVolumeNodes([], { deploymentNames: NAMES, nowMs: NOW }), []);
  });
});

describe('teamVolumes', () => {
  const ours = volume({ id: 'v-ours', attachedDeploymentIds: ['d-ours'] });
  const theirs = volume({ id: 'v-theirs', attachedDeploymentIds: ['d-theirs'] });
  const loose = volume({ id: 'v-loose', attachedDeploymentIds: [] });
  const list = Object.assign([ours, theirs, loose], { rejected: 2 });

  it("keeps volumes attached to the team's deployments, and unattached ones only for the account's current team", () => {
    const current = teamVolumes(list, { deploymentIds: new Set(['d-ours']), isAccountCurrentTeam: true });
    assert.deepEqual(
      current.map((v) => v.id),
      ['v-ours', 'v-loose'],
    );
    const switched = teamVolumes(list, { deploymentIds: new Set(['d-theirs']), isAccountCurrentTeam: false });
    assert.deepEqual(
      switched.map((v) => v.id),
      ['v-theirs'],
    );
  });

  it('keeps the count of volumes that could not be read', () => {
    const kept = teamVolumes(list, { deploymentIds: new Set(), isAccountCurrentTeam: true });
    assert.equal((kept as Volume[] & { rejected?: number }).rejected, 2);
  });
});
