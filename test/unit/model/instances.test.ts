import * as assert from 'node:assert/strict';
import type { Deployment, DeploymentStatus } from '../../../src/core/domain/types';
import type { InstanceViewOptions } from '../../../src/core/model/instances';
import {
  buildInstanceNodes,
  costSoFar,
  detectReclaims,
  detectTransitions,
  instanceLabel,
  instanceNode,
  instancePollResult,
  minimumRuntimeState,
  sshCommandFor,
  uptimeMs,
  withOfferInstanceTypes,
} from '../../../src/core/model/instances';
import type { InstanceNode, ModelNode } from '../../../src/core/model/nodes';
import { formatClockTime } from '../../../src/core/model/format';
import { HOUR, MINUTE, NOW, deployment, group, offer } from './fixtures';

const BASE: InstanceViewOptions = {
  nowMs: NOW,
  showEnded: false,
  formatClock: (ms) => formatClockTime(ms, { utc: true }),
};

function node(d: Deployment, options: Partial<InstanceViewOptions> = {}): InstanceNode {
  return instanceNode(d, { ...BASE, ...options });
}

function instances(rows: readonly ModelNode[]): InstanceNode[] {
  return rows.filter((row): row is InstanceNode => row.kind === 'instance');
}

describe('model/instances', () => {
  describe('descriptions', () => {
    const cases: [string, Deployment, string][] = [
      ['running', deployment({ id: 'a' }), '$3.19 · $2.39/h · running 1h 20m'],
      [
        'running, API total above the extrapolation',
        deployment({ id: 'a', totalCost: 5 }),
        '$5.00 · $2.39/h · running 1h 20m',
      ],
      [
        'running for under a minute',
        deployment({ id: 'a', startedAtMs: NOW - 30_000 }),
        '$0.02 · $2.39/h · running 30s',
      ],
      [
        'running, nothing billed yet',
        deployment({ id: 'a', startedAtMs: NOW, hourlyRate: 0 }),
        '$0.00 · $0.00/h · running 0s',
      ],
      [
        'running for days',
        deployment({ id: 'a', startedAtMs: NOW - (3 * 24 + 4) * HOUR, hourlyRate: 1 }),
        '$76.00 · $1.00/h · running 3d 4h',
      ],
      [
        '$2.39/h · deploying',
        deployment({ id: 'a', status: 'deploying', createdAtMs: NOW - 2 * MINUTE, startedAtMs: null }),
        '$2.39/h · deploying 2m',
      ],
      [
        'deploying, no creation time',
        deployment({ id: 'a', status: 'deploying', createdAtMs: null, startedAtMs: null }),
        '$2.39/h · deploying',
      ],
      [
        'stopped (cost extrapolated only up to the stop)',
        deployment({
          id: 'a',
          status: 'stopped',
          startedAtMs: NOW - 2 * HOUR,
          stoppedAtMs: NOW - HOUR,
          hourlyRate: 2,
        }),
        '$2.00 · $2.00/h · stopped',
      ],
      ['failed, never billed', deployment({ id: 'a', status: 'failed', startedAtMs: null }), 'failed'],
      [
        'terminated',
        deployment({
          id: 'a',
          status: 'terminated',
          startedAtMs: NOW - 3 * HOUR,
          stoppedAtMs: NOW - 100 * MINUTE,
          totalCost: 3.21,
        }),
        '$3.21 total · terminated · ran 1h 20m',
      ],
      [
        'reclaimed',
        deployment({
          id: 'a',
          status: 'terminated-provider',
          startedAtMs: NOW - HOUR,
          stoppedAtMs: NOW - 15 * MINUTE,
          totalCost: 1.2,
        }),
        '$1.20 total · reclaimed by provider · ran 45m',
      ],
      [
        'unknown status',
        deployment({ id: 'a', status: 'unknown', rawStatus: 'frozen' }),
        '$3.19 · $2.39/h · unknown status “frozen”',
      ],
    ];
    for (const [name, d, expected] of cases) {
      it(`${name} → “${expected}”`, () => {
        assert.equal(node(d).description, expected);
      });
    }

    it('adds a scheduled termination', () => {
      const d = deployment({ id: 'a' });
      const scheduled = new Map([['a', { atMs: Date.UTC(2026, 8, 22, 14, 32) }]]);
      assert.equal(
        node(d, { scheduledTerminations: scheduled }).description,
        '$3.19 · $2.39/h · ends 14:32 · running 1h 20m',
      );
      assert.deepEqual(node(d, { scheduledTerminations: scheduled }).icon, {
        codicon: 'watch',
        color: 'charts.orange',
      });
    });
  });

  describe('icons', () => {
    const cases: [DeploymentStatus, string, string | undefined, boolean | undefined][] = [
      ['deploying', 'loading~spin', undefined, true],
      ['running', 'vm-running', 'charts.green', undefined],
      ['stopped', 'debug-stop', 'charts.yellow', undefined],
      ['failed', 'error', 'charts.red', undefined],
      ['terminated', 'circle-slash', 'disabledForeground', undefined],
      ['terminated-provider', 'warning', 'charts.orange', undefined],
      ['unknown', 'question', undefined, undefined],
    ];
    for (const [status, codicon, color, spin] of cases) {
      it(`${status} → ${codicon}`, () => {
        const icon = node(deployment({ id: 'a', status })).icon;
        assert.equal(icon.codicon, codicon);
        assert.equal(icon.color, color);
        assert.equal(icon.spin, spin);
      });
    }
  });

  describe('tooltips', () => {
    it('has everything needed to connect and to judge the cost', () => {
      const tooltip = node(deployment({ id: 'abc123' })).tooltip;
      const expected = [
        '**box-abc123** — running',
        '- IP: 198.51.100.42',
        '- SSH user: ubuntu · port 22',
        '- SSH: `ssh ubuntu@198.51.100.42 -p 22`',
        '- Region: us-central-9',
        '- OS: Ubuntu Server 22.04',
        '- GPU: 1 × RTX PRO 6000 PCIe',
        '- Instance type: Dedicated · massed-compute',
        '- Rate: $2.39/h',
        '- Cost so far: $3.19',
        '- Uptime: 1h 20m',
        '- Minimum runtime: past the 20-minute minimum',
        '- ID: `abc123`',
      ];
      for (const line of expected) {
        assert.ok(tooltip.includes(line), `missing “${line}” in:\n${tooltip}`);
      }
    });

    it('says when the SSH user and port are assumed', () => {
      const tooltip = node(deployment({ id: 'a', sshUser: null, sshPort: null })).tooltip;
      assert.ok(tooltip.includes('- SSH user: ubuntu (assumed) · port 22 (assumed)'));
      assert.ok(tooltip.includes('`ssh ubuntu@198.51.100.42 -p 22`'));
    });

    it('builds the ssh command from validated values only, never from the API text', () => {
      const d = deployment({ id: 'a', sshUser: 'root', sshPort: 2222, sshCommand: 'ssh x; rm -rf ~' });
      assert.deepEqual(sshCommandFor(d), { ok: true, value: 'ssh root@198.51.100.42 -p 2222' });
      assert.equal(sshCommandFor(deployment({ id: 'b', ipAddress: null })).ok, false);
      const hostile = sshCommandFor(deployment({ id: 'c', sshUser: 'u;touch /tmp/x;#' }));
      assert.deepEqual(hostile, { ok: false, reason: '"u;touch /tmp/x;#" is not a valid login name' });
      assert.equal(sshCommandFor(deployment({ id: 'd', ipAddress: '1.2.3.4;id' })).ok, false);
      assert.equal(sshCommandFor(deployment({ id: 'e', sshPort: 0 })).ok, false);
      const tooltip = node(deployment({ id: 'f', sshUser: 'u;touch /tmp/x;#' })).tooltip;
      assert.doesNotMatch(tooltip, /- SSH: /);
    });

    it('shows the raw text of an unknown status', () => {
      const tooltip = node(deployment({ id: 'a', status: 'unknown', rawStatus: 'frozen' })).tooltip;
      assert.match(tooltip, /unknown status “frozen” from the API/);
    });

    it('shows a discount', () => {
      const tooltip = node(deployment({ id: 'a', hourlyRate: 2, originalHourlyRate: 2.5 })).tooltip;
      assert.ok(tooltip.includes('- Rate: $2.00/h (discounted 20% from $2.50/h)'));
    });

    const minimumCases: [string, Partial<Deployment>, Partial<InstanceViewOptions>, string][] = [
      ['8 min in', { startedAtMs: NOW - 8 * MINUTE }, {}, 'can terminate in 12 min'],
      ['19.5 min in', { startedAtMs: NOW - 19.5 * MINUTE }, {}, 'can terminate in 1 min'],
      ['exactly 20 min', { startedAtMs: NOW - 20 * MINUTE }, {}, 'past the 20-minute minimum'],
      ['just started', { startedAtMs: NOW }, {}, 'can terminate in 20 min'],
      [
        'a 60-minute minimum from can-terminate',
        { startedAtMs: NOW - 8 * MINUTE },
        { minimumRuntimes: new Map([['a', 60]]) },
        'can terminate in 52 min',
      ],
      [
        'a default set by the caller',
        { startedAtMs: NOW - 8 * MINUTE },
        { minimumRuntimeMinutes: 10 },
        'can terminate in 2 min',
      ],
      [
        'still deploying',
        { status: 'deploying', startedAtMs: null },
        {},
        'the 20-minute minimum runtime starts once it is running',
      ],
    ];
    for (const [name, overrides, options, expected] of minimumCases) {
      it(`minimum runtime, ${name}: “${expected}”`, () => {
        const tooltip = node(deployment({ id: 'a', ...overrides }), options).tooltip;
        assert.ok(tooltip.includes(`- Minimum runtime: ${expected}`), tooltip);
      });
    }

    it('has no minimum-runtime line once ended', () => {
      const d = deployment({ id: 'a', status: 'terminated', stoppedAtMs: NOW });
      assert.equal(minimumRuntimeState(d, NOW), undefined);
      assert.doesNotMatch(node(d).tooltip, /Minimum runtime/);
      assert.match(node(d).tooltip, /- Total cost: \$0\.00/);
      assert.match(node(d).tooltip, /- Ran for: 1h 20m/);
    });

    it('shows a scheduled termination', () => {
      const scheduled = new Map([['a', { atMs: Date.UTC(2026, 8, 22, 14, 32) }]]);
      const tooltip = node(deployment({ id: 'a', startedAtMs: NOW - 8 * MINUTE }), {
        scheduledTerminations: scheduled,
      }).tooltip;
      assert.ok(tooltip.includes('- Scheduled: terminates when allowed, at 14:32'));
    });

    const noteCases: [string, Partial<Deployment>, RegExp][] = [
      ['reclaimed', { status: 'terminated-provider' }, /provider reclaimed this instance/],
      ['stopped', { status: 'stopped' }, /Stopped instances still bill on some providers/],
      ['spot', { instanceType: 'SPOT' }, /Spot: can be reclaimed by the provider at any time\./],
      ['running without an IP', { ipAddress: null }, /has not reported an IP address yet/],
    ];
    for (const [name, overrides, pattern] of noteCases) {
      it(`explains a ${name} instance`, () => {
        assert.match(node(deployment({ id: 'a', ...overrides })).tooltip, pattern);
      });
    }

    it('escapes markdown in names from the API', () => {
      const tooltip = node(deployment({ id: 'a', name: 'my_*box*' })).tooltip;
      assert.ok(tooltip.startsWith('**my\\_\\*box\\*** — running'));
    });
  });

  describe('cost and uptime', () => {
    it('never shows less than the API has charged', () => {
      assert.equal(costSoFar(deployment({ id: 'a', totalCost: 10 }), NOW), 10);
      assert.ok(Math.abs(costSoFar(deployment({ id: 'a', totalCost: 1 }), NOW) - (2.39 * 80) / 60) < 1e-9);
    });

    it('uses the API total for ended instances and before start', () => {
      assert.equal(costSoFar(deployment({ id: 'a', status: 'terminated', totalCost: 1.5 }), NOW), 1.5);
      assert.equal(costSoFar(deployment({ id: 'a', status: 'deploying', startedAtMs: null }), NOW), 0);
    });

    it('ignores clock skew', () => {
      const d = deployment({ id: 'a', startedAtMs: NOW + MINUTE });
      assert.equal(costSoFar(d, NOW), 0);
      assert.equal(uptimeMs(d, NOW), 0);
    });

    it('has no uptime for an ended instance without a stop time', () => {
      assert.equal(
        uptimeMs(deployment({ id: 'a', status: 'terminated', stoppedAtMs: null }), NOW),
        undefined,
      );
    });
  });

  describe('buildInstanceNodes', () => {
    const fleet = [
      deployment({ id: 'r2', name: 'zeta' }),
      deployment({ id: 'r1', name: 'Alpha' }),
      deployment({ id: 'd1', name: 'omega', status: 'deploying', startedAtMs: null }),
      deployment({ id: 's1', name: 'beta', status: 'stopped' }),
      deployment({ id: 'u1', name: 'gamma', status: 'unknown', rawStatus: 'frozen' }),
      deployment({ id: 't1', name: 'delta', status: 'terminated' }),
      deployment({ id: 'f1', name: 'epsilon', status: 'failed' }),
      deployment({ id: 'p1', name: 'eta', status: 'terminated-provider' }),
    ];

    it('hides ended instances and says how many', () => {
      const rows = buildInstanceNodes(fleet, BASE);
      assert.deepEqual(
        instances(rows).map((n) => n.label),
        ['omega', 'Alpha', 'zeta', 'beta', 'gamma'],
      );
      const last = rows[rows.length - 1];
      assert.equal(last?.kind, 'message');
      assert.equal(last?.label, '3 ended instances hidden');
      assert.equal(last?.command?.id, 'spheron.instances.showEnded');
    });

    it('shows ended instances on request, transitional first, then running, then the rest by name', () => {
      const rows = buildInstanceNodes(fleet, { ...BASE, showEnded: true });
      assert.deepEqual(
        rows.map((n) => n.label),
        ['omega', 'Alpha', 'zeta', 'beta', 'delta', 'epsilon', 'eta', 'gamma'],
      );
      assert.deepEqual(
        rows.map((n) => n.id),
        [
          'instance:d1',
          'instance:r1',
          'instance:r2',
          'instance:s1',
          'instance:t1',
          'instance:f1',
          'instance:p1',
          'instance:u1',
        ],
      );
    });

    it('is empty when there are no instances, so the welcome view shows', () => {
      assert.deepEqual(buildInstanceNodes([], BASE), []);
    });

    it('labels unnamed instances by their id', () => {
      assert.equal(instanceLabel({ id: '6a0123456789abcdef012345', name: null }), 'instance ef012345');
      assert.equal(instanceLabel({ id: 'x', name: '  ' }), 'instance x');
    });

    it('keeps an API name on one line (no forged log lines or message lines)', () => {
      assert.equal(
        instanceLabel({ id: 'x', name: 'x\n2026-01-01 [info] ok\r\n  ProxyCommand evil' }),
        'x 2026-01-01 [info] ok ProxyCommand evil',
      );
      assert.equal(instanceLabel({ id: 'x', name: 'a\u2028b\u0000c\u0085d\te' }), 'a b c d e');
      assert.equal(instanceLabel({ id: 'x', name: '\n\t' }), 'instance x');
    });

    it('marks scheduled terminations in contextValue', () => {
      const scheduled = new Map([['r1', { atMs: NOW + HOUR }]]);
      const rows = instances(buildInstanceNodes(fleet, { ...BASE, scheduledTerminations: scheduled }));
      const alpha = rows.find((n) => n.label === 'Alpha');
      const zeta = rows.find((n) => n.label === 'zeta');
      assert.match(alpha?.contextValue ?? '', /\+scheduledTerminate\b/);
      assert.doesNotMatch(zeta?.contextValue ?? '', /scheduledTerminate/);
    });

    it('nests tunnel rows under their instance', () => {
      const tunnels = new Map([
        [
          'r1',
          [
            { name: 'Jupyter', localPort: 8888, remotePort: 8888, phase: 'open' as const },
            {
              name: 'TensorBoard',
              localPort: 6007,
              remotePort: 6006,
              phase: 'error' as const,
              error: 'port in use',
            },
          ],
        ],
      ]);
      const alpha = instances(buildInstanceNodes(fleet, { ...BASE, tunnels })).find(
        (n) => n.label === 'Alpha',
      );
      assert.equal(alpha?.collapsible, 'expanded');
      assert.deepEqual(
        alpha?.children?.map((c) => [c.id, c.label, c.description, c.contextValue, c.icon.codicon]),
        [
          ['tunnel:r1:8888:8888', 'Jupyter → localhost:8888', 'open', 'spheron.tunnel+open', 'plug'],
          [
            'tunnel:r1:6006:6007',
            'TensorBoard → localhost:6007',
            'error: port in use',
            'spheron.tunnel+error',
            'error',
          ],
        ],
      );
      const zeta = instances(buildInstanceNodes(fleet, { ...BASE, tunnels })).find((n) => n.label === 'zeta');
      assert.equal(zeta?.collapsible, 'none');
      assert.equal(zeta?.children, undefined);
    });

    it('keeps the data and puts a stale row on top when stale', () => {
      const rows = buildInstanceNodes(fleet, {
        ...BASE,
        stale: { sinceMs: NOW - 3 * MINUTE, reason: 'Spheron did not answer within 30 s.' },
      });
      assert.equal(rows[0]?.kind, 'error');
      assert.equal(rows[0]?.label, 'Not up to date — last updated 3 min ago');
      assert.equal(rows[0]?.description, 'Spheron did not answer within 30 s.');
      assert.equal(rows[0]?.command?.id, 'spheron.refresh');
      assert.deepEqual(rows[0]?.command?.args, ['instances']);
      assert.equal(instances(rows).length, 5);
    });
  });

  describe('transitions', () => {
    const before = [
      deployment({ id: 'a', status: 'deploying' }),
      deployment({ id: 'b', status: 'running', instanceType: 'SPOT' }),
      deployment({ id: 'c', status: 'terminated-provider' }),
      deployment({ id: 'd', status: 'unknown', rawStatus: 'frozen' }),
      deployment({ id: 'e', status: 'running' }),
    ];
    const after = [
      deployment({ id: 'a', status: 'running' }),
      deployment({ id: 'b', status: 'terminated-provider', instanceType: 'SPOT' }),
      deployment({ id: 'c', status: 'terminated-provider' }),
      deployment({ id: 'd', status: 'unknown', rawStatus: 'thawing' }),
      deployment({ id: 'f', status: 'terminated-provider' }),
    ];

    it('lists every status change of a known deployment', () => {
      assert.deepEqual(
        detectTransitions(before, after).map((t) => [t.deployment.id, t.from, t.to]),
        [
          ['a', 'deploying', 'running'],
          ['b', 'running', 'terminated-provider'],
          ['d', 'unknown', 'unknown'],
        ],
      );
    });

    it('reports reclaims once, and never on the first load', () => {
      assert.deepEqual(
        detectReclaims(before, after).map((d) => d.id),
        ['b'],
      );
      assert.deepEqual(detectReclaims(after, after), []);
      assert.deepEqual(detectReclaims([], after), []);
    });
  });

  describe('instancePollResult', () => {
    it('is transitional while something deploys', () => {
      assert.deepEqual(instancePollResult([deployment({ id: 'a', status: 'deploying' })], { nowMs: NOW }), {
        transitional: true,
      });
      assert.deepEqual(instancePollResult([deployment({ id: 'a' })], { nowMs: NOW }), {
        transitional: false,
      });
    });

    it('is transitional when a scheduled termination is near, and wakes before a later one', () => {
      const running = [deployment({ id: 'a' }), deployment({ id: 'b' })];
      assert.deepEqual(
        instancePollResult(running, {
          nowMs: NOW,
          scheduledTerminations: new Map([['a', { atMs: NOW + MINUTE }]]),
        }),
        { transitional: true },
      );
      assert.deepEqual(
        instancePollResult(running, {
          nowMs: NOW,
          scheduledTerminations: new Map([
            ['a', { atMs: NOW + 12 * MINUTE }],
            ['b', { atMs: NOW + 30 * MINUTE }],
          ]),
        }),
        { transitional: false, wakeInMs: 10 * MINUTE },
      );
    });

    it('ignores schedules for instances that have ended', () => {
      assert.deepEqual(
        instancePollResult([deployment({ id: 'a', status: 'terminated' })], {
          nowMs: NOW,
          scheduledTerminations: new Map([['a', { atMs: NOW }]]),
        }),
        { transitional: false },
      );
    });
  });

  describe('an instanceType the API left out (the live list sends none)', () => {
    const catalogue = [
      group('H100_SXM5', 'H100 SXM5', [
        offer({ provider: 'datacrunch', offerId: 'dc-1h100-sxm5-spot', instanceType: 'SPOT' }),
        offer({ provider: 'voltage-park', offerId: 'vp-h100-sxm5-8x-ib', instanceType: 'CLUSTER' }),
      ]),
    ];

    it('comes from the offer it was deployed from, whichever provider spelling each uses', () => {
      const spot = deployment({
        id: 'a',
        provider: 'data-crunch',
        offerId: 'dc-1h100-sxm5-spot',
        instanceType: '',
      });
      const [filled] = withOfferInstanceTypes([spot], catalogue);
      assert.equal(filled?.instanceType, 'SPOT');
      // So the row warns that the provider can reclaim it, as for a listed SPOT instance.
      const row = node(filled ?? spot);
      assert.match(String(row.tooltip), /Spot: can be reclaimed/);
      assert.match(row.contextValue ?? '', /\+spot\b/);
      assert.doesNotMatch(String(node(spot).tooltip), /Spot: can be reclaimed/);
    });

    it('leaves an instanceType the API sent, and an instance whose offer is not listed', () => {
      const sent = deployment({ id: 'a', provider: 'datacrunch', offerId: 'dc-1h100-sxm5-spot' });
      const unlisted = deployment({ id: 'b', offerId: 'gone-offer', instanceType: '' });
      const otherProvider = deployment({
        id: 'c',
        provider: 'sesterce',
        offerId: 'dc-1h100-sxm5-spot',
        instanceType: '',
      });
      assert.deepEqual(withOfferInstanceTypes([sent, unlisted, otherProvider], catalogue), [
        sent,
        unlisted,
        otherProvider,
      ]);
    });
  });
});
