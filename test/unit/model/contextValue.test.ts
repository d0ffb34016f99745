import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import type { DeploymentStatus } from '../../../src/core/domain/types';
import type { ContextSubject } from '../../../src/core/model/contextValue';
import { MENU_WHEN, contextValueFor, itemWhen, viewItemPattern } from '../../../src/core/model/contextValue';
import { SEED, deployment, volume } from './fixtures';

function instance(
  status: DeploymentStatus,
  extra: { ipAddress?: string | null; instanceType?: string; scheduled?: boolean; kubernetes?: boolean } = {},
): ContextSubject {
  return {
    kind: 'instance',
    deployment: deployment({
      id: 'a',
      status,
      ipAddress: extra.ipAddress === undefined ? '198.51.100.42' : extra.ipAddress,
      instanceType: extra.instanceType ?? 'DEDICATED',
      ...(extra.kubernetes ? { kubernetesAddon: { version: '1.35', clusterId: 'c-1' } } : {}),
    }),
    scheduledTerminate: extra.scheduled ?? false,
  };
}

const CASES: [string, ContextSubject, string][] = [
  ['running with an IP', instance('running'), 'spheron.instance+connectable+renamable+running+terminable'],
  [
    'running without an IP',
    instance('running', { ipAddress: null }),
    'spheron.instance+renamable+running+terminable',
  ],
  [
    'running with a placeholder IP',
    instance('running', { ipAddress: '0.0.0.0' }),
    'spheron.instance+renamable+running+terminable',
  ],
  [
    'running with garbage for an IP',
    instance('running', { ipAddress: 'pending' }),
    'spheron.instance+renamable+running+terminable',
  ],
  [
    'running on IPv6',
    instance('running', { ipAddress: '2001:db8::1' }),
    'spheron.instance+connectable+renamable+running+terminable',
  ],
  ['deploying, IP already set', instance('deploying'), 'spheron.instance+deploying+renamable+terminable'],
  ['stopped', instance('stopped'), 'spheron.instance+renamable+stopped+terminable'],
  ['failed', instance('failed'), 'spheron.instance+ended+failed'],
  ['terminated', instance('terminated'), 'spheron.instance+ended+terminated'],
  [
    'reclaimed spot',
    instance('terminated-provider', { instanceType: 'SPOT' }),
    'spheron.instance+ended+reclaimed+spot',
  ],
  ['unknown status', instance('unknown'), 'spheron.instance+renamable+terminable+unknown'],
  [
    'running spot with a scheduled termination',
    instance('running', { instanceType: 'SPOT', scheduled: true }),
    'spheron.instance+connectable+renamable+running+scheduledTerminate+spot+terminable',
  ],
  [
    'running cluster with the Kubernetes add-on',
    instance('running', { instanceType: 'CLUSTER', kubernetes: true }),
    'spheron.instance+connectable+kubernetes+renamable+running+terminable',
  ],
  [
    'deploying cluster with the add-on',
    instance('deploying', { instanceType: 'CLUSTER', kubernetes: true }),
    'spheron.instance+deploying+kubernetes+renamable+terminable',
  ],
  [
    'add-on cluster whose type the API left out',
    instance('running', { instanceType: '', kubernetes: true }),
    'spheron.instance+connectable+kubernetes+renamable+running+terminable',
  ],
  [
    'running cluster without the add-on',
    instance('running', { instanceType: 'CLUSTER' }),
    'spheron.instance+connectable+renamable+running+terminable',
  ],
  [
    'a VM that claims the add-on',
    instance('running', { kubernetes: true }),
    'spheron.instance+connectable+renamable+running+terminable',
  ],
  [
    'terminated cluster with the add-on',
    instance('terminated', { instanceType: 'CLUSTER', kubernetes: true }),
    'spheron.instance+ended+terminated',
  ],
  ['offer group', { kind: 'offerGroup' }, 'spheron.offerGroup'],
  ['dedicated offer', { kind: 'offer', offer: SEED.dcA100 }, 'spheron.offer+dedicated+deployable'],
  ['spot offer', { kind: 'offer', offer: SEED.dcH100Spot }, 'spheron.offer+deployable+spot'],
  ['cluster offer', { kind: 'offer', offer: SEED.vpH100Cluster }, 'spheron.offer+cluster+deployable'],
  [
    'maintenance offer',
    { kind: 'offer', offer: SEED.dcA100Maintenance },
    'spheron.offer+dedicated+maintenance',
  ],
  [
    'offer of an unknown type',
    { kind: 'offer', offer: { ...SEED.dcA100, instanceType: 'BARE_METAL' } },
    'spheron.offer+deployable',
  ],
  [
    'unattached volume that bills',
    { kind: 'volume', volume: volume({ id: 'v' }) },
    'spheron.volume+billing+deletable+detached',
  ],
  [
    'unattached volume with no known rate',
    { kind: 'volume', volume: volume({ id: 'v', hourlyRatePerGb: 0 }) },
    'spheron.volume+deletable+detached',
  ],
  [
    'attached volume',
    { kind: 'volume', volume: volume({ id: 'v', status: 'attached', attachedDeploymentIds: ['d1'] }) },
    'spheron.volume+attached',
  ],
  [
    'available volume that lists an attachment',
    { kind: 'volume', volume: volume({ id: 'v', attachedDeploymentIds: ['d1'] }) },
    'spheron.volume+attached',
  ],
  [
    'deleting volume',
    { kind: 'volume', volume: volume({ id: 'v', status: 'deleting' }) },
    'spheron.volume+deleting',
  ],
  [
    'deleted volume',
    { kind: 'volume', volume: volume({ id: 'v', status: 'deleted' }) },
    'spheron.volume+deleted',
  ],
  [
    'unknown volume',
    { kind: 'volume', volume: volume({ id: 'v', status: 'unknown' }) },
    'spheron.volume+unknown',
  ],
  ['open tunnel', { kind: 'tunnel', phase: 'open' }, 'spheron.tunnel+open'],
  ['auth error', { kind: 'error', fix: 'signIn', stale: false }, 'spheron.error+signIn'],
  ['network error', { kind: 'error', fix: 'retry', stale: false }, 'spheron.error+retry'],
  ['stale marker', { kind: 'error', fix: 'retry', stale: true }, 'spheron.error+retry+stale'],
];

/** The regex inside a `viewItem =~ /…/` clause. */
function viewItemRegex(when: string): RegExp {
  const match = /viewItem =~ \/(.*)\/$/.exec(when);
  assert.ok(match?.[1], `no viewItem regex in ${when}`);
  return new RegExp(match[1]);
}

describe('model/contextValue', () => {
  for (const [name, subject, expected] of CASES) {
    it(`${name} → ${expected}`, () => {
      assert.equal(contextValueFor(subject), expected);
    });
  }

  it('builds the regex from the style guide', () => {
    assert.equal(
      viewItemPattern('spheron.instance', ['connectable']),
      '^spheron\\.instance\\b.*\\+connectable\\b',
    );
    assert.equal(
      MENU_WHEN.instanceConnectable,
      'view == spheron.instances && viewItem =~ /^spheron\\.instance\\b.*\\+connectable\\b/',
    );
    assert.equal(
      itemWhen('any', 'spheron.error', ['retry']),
      'view =~ /^spheron\\./ && viewItem =~ /^spheron\\.error\\b.*\\+retry\\b/',
    );
  });

  const menuCases: [keyof typeof MENU_WHEN, string[], string[]][] = [
    [
      'instanceConnectable',
      ['spheron.instance+connectable+renamable+running+terminable'],
      ['spheron.instance+renamable+running+terminable', 'spheron.instance+deploying+renamable+terminable'],
    ],
    [
      'instanceTerminable',
      ['spheron.instance+renamable+stopped+terminable', 'spheron.instance+renamable+terminable+unknown'],
      ['spheron.instance+ended+terminated'],
    ],
    [
      'instanceSchedulable',
      ['spheron.instance+connectable+renamable+running+terminable'],
      [
        'spheron.instance+connectable+renamable+running+scheduledTerminate+terminable',
        'spheron.instance+ended+failed',
      ],
    ],
    [
      'instanceScheduled',
      ['spheron.instance+connectable+renamable+running+scheduledTerminate+spot+terminable'],
      ['spheron.instance+connectable+renamable+running+terminable'],
    ],
    [
      'instanceKubeconfig',
      [
        'spheron.instance+connectable+kubernetes+renamable+running+terminable',
        'spheron.instance+connectable+kubernetes+renamable+running+scheduledTerminate+terminable',
      ],
      [
        'spheron.instance+connectable+renamable+running+terminable',
        'spheron.instance+deploying+kubernetes+renamable+terminable',
        'spheron.instance+ended+terminated',
      ],
    ],
    [
      'offerDeployable',
      ['spheron.offer+dedicated+deployable'],
      ['spheron.offer+dedicated+maintenance', 'spheron.offerGroup'],
    ],
    [
      'volumeDeletable',
      ['spheron.volume+billing+deletable+detached'],
      ['spheron.volume+attached', 'spheron.volume+deleting'],
    ],
    ['volumeAttached', ['spheron.volume+attached'], ['spheron.volume+deletable+detached']],
    ['volumeDetached', ['spheron.volume+deletable+detached'], ['spheron.volume+attached']],
    ['tunnelOpen', ['spheron.tunnel+open'], ['spheron.tunnel+error', 'spheron.instance+connectable+running']],
    ['errorSignIn', ['spheron.error+signIn', 'spheron.error+signIn+stale'], ['spheron.error+retry']],
    ['errorRetry', ['spheron.error+retry', 'spheron.error+retry+stale'], ['spheron.error+signIn']],
  ];
  for (const [key, matching, notMatching] of menuCases) {
    it(`MENU_WHEN.${key} matches exactly the intended rows`, () => {
      const regex = viewItemRegex(MENU_WHEN[key]);
      for (const value of matching) {
        assert.ok(regex.test(value), `${key} should match ${value}`);
      }
      for (const value of notMatching) {
        assert.ok(!regex.test(value), `${key} should not match ${value}`);
      }
    });
  }

  it('every item menu clause names its view', () => {
    for (const when of Object.values(MENU_WHEN)) {
      assert.match(when, /^view (==|=~) /);
    }
  });

  it('documents exactly the MENU_WHEN clauses in its header comment', () => {
    const source = readFileSync(path.join(__dirname, '../../../src/core/model/contextValue.ts'), 'utf8');
    const documented = [...source.matchAll(/^\/\/\s+("view .*")$/gm)].map(
      (m) => JSON.parse(m[1] ?? '""') as string,
    );
    assert.deepEqual([...documented].sort(), Object.values(MENU_WHEN).sort());
  });
});
