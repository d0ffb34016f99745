import * as assert from 'node:assert/strict';
import { burnRate, burnRatePerHour, runway } from '../../../src/core/model/costs';
import { statusBarModel } from '../../../src/core/model/statusBar';
import { BALANCE, MINUTE, NOW, deployment, volume } from './fixtures';

const FLEET = [
  deployment({ id: 'run', status: 'running', hourlyRate: 2.39 }),
  deployment({ id: 'dep', status: 'deploying', hourlyRate: 0 }),
  deployment({ id: 'stop', status: 'stopped', hourlyRate: 0.5 }),
  deployment({ id: 'unk', status: 'unknown', rawStatus: 'frozen', hourlyRate: 1 }),
  deployment({ id: 'term', status: 'terminated', hourlyRate: 3 }),
  deployment({ id: 'fail', status: 'failed', hourlyRate: 3 }),
  deployment({ id: 'recl', status: 'terminated-provider', hourlyRate: 3 }),
];
const VOLUMES = [
  volume({ id: 'free', sizeGb: 1024, hourlyRatePerGb: 0.000109 }),
  volume({
    id: 'att',
    sizeGb: 500,
    hourlyRatePerGb: 0.0001,
    status: 'attached',
    attachedDeploymentIds: ['run'],
  }),
  volume({ id: 'going', sizeGb: 100, hourlyRatePerGb: 0.0001, status: 'deleting' }),
  volume({ id: 'gone', sizeGb: 100, hourlyRatePerGb: 0.0001, status: 'deleted' }),
];

function close(actual: number | undefined, expected: number): void {
  assert.ok(actual !== undefined && Math.abs(actual - expected) < 1e-9, `${actual} ≉ ${expected}`);
}

describe('model/costs', () => {
  describe('burnRate', () => {
    const burn = burnRate(FLEET, VOLUMES);

    it('counts live instances, stopped ones included, and every volume not yet deleted', () => {
      assert.equal(burn.activeCount, 3);
      close(burn.activePerHour, 3.39);
      assert.equal(burn.stoppedCount, 1);
      close(burn.stoppedPerHour, 0.5);
      assert.equal(burn.volumeCount, 3);
      close(burn.volumesPerHour, 0.111616 + 0.05 + 0.01);
      close(burn.totalPerHour, 3.39 + 0.5 + 0.171616);
      close(burnRatePerHour(FLEET, VOLUMES), burn.totalPerHour);
    });

    it('is zero when nothing runs', () => {
      assert.equal(burnRatePerHour([], []), 0);
      assert.equal(burnRatePerHour([deployment({ id: 'x', status: 'terminated' })], []), 0);
    });
  });

  describe('runway', () => {
    const cases: [number, number, number, string][] = [
      [212.4, 4.15, 212.4 / 4.15, '2 days 3 h'],
      [20, 1, 20, '20 h'],
      [0.5, 2, 0.25, '15 min'],
      [10, 0, Number.POSITIVE_INFINITY, '∞'],
      [-5, 1, 0, '0 min'],
      [0, 0, Number.POSITIVE_INFINITY, '∞'],
      [5, -1, Number.POSITIVE_INFINITY, '∞'],
    ];
    for (const [balance, burn, hours, text] of cases) {
      it(`$${balance} at $${burn}/h → ${text}`, () => {
        const result = runway(balance, burn);
        assert.equal(result.text, text);
        if (Number.isFinite(hours)) {
          close(result.hours, hours);
        } else {
          assert.equal(result.hours, hours);
        }
      });
    }
  });

  describe('statusBarModel', () => {
    it('asks to sign in when signed out', () => {
      const model = statusBarModel({ signedIn: false, burnRatePerHour: 0 });
      assert.equal(model.text, '$(credit-card) Spheron: Sign in');
      assert.equal(model.command, 'spheron.signIn');
      assert.equal(model.warning, false);
    });

    it('shows balance and burn, with runway and breakdown on hover', () => {
      const model = statusBarModel({
        signedIn: true,
        balance: BALANCE,
        burnRatePerHour: 4.15,
        burnBreakdown: burnRate(FLEET, VOLUMES),
      });
      assert.equal(model.text, '$(credit-card) $212.40 · $4.15/h');
      assert.equal(model.warning, false);
      for (const piece of [
        '**Spheron** · team research (owner)',
        'Balance: **$212.40**',
        'Burning **$4.15/h**:',
        '- 3 instances running or deploying: $3.39/h',
        '- 1 stopped instance: $0.50/h (stopped instances still bill on some providers)',
        '- 3 volumes: $0.17/h',
        'Lasts about 2 days 3 h at this rate.',
        'Other teams: ops $12.00',
      ]) {
        assert.ok(model.tooltip.includes(piece), `missing “${piece}” in:\n${model.tooltip}`);
      }
    });

    it('omits the rate when nothing burns', () => {
      const model = statusBarModel({ signedIn: true, balance: BALANCE, burnRatePerHour: 0 });
      assert.equal(model.text, '$(credit-card) $212.40');
      assert.match(model.tooltip, /Nothing is billing right now\./);
      assert.equal(model.warning, false);
    });

    it('warns when less than a day is left', () => {
      const model = statusBarModel({ signedIn: true, balance: BALANCE, burnRatePerHour: 10 });
      assert.equal(model.warning, true);
      assert.match(model.tooltip, /Lasts about 21 h 14 min at this rate\./);
      assert.match(model.tooltip, /Low balance/);
    });

    it('says when the balance is used up', () => {
      const overdrawn = { ...BALANCE, teams: [{ ...BALANCE.teams[0], balance: -1 }] };
      const model = statusBarModel({ signedIn: true, balance: overdrawn, burnRatePerHour: 1 });
      assert.equal(model.text, '$(credit-card) -$1.00 · $1.00/h');
      assert.equal(model.warning, true);
      assert.match(model.tooltip, /The balance is used up at this rate\./);
    });

    it('shows the chosen team', () => {
      const model = statusBarModel({
        signedIn: true,
        balance: BALANCE,
        currentTeam: '66f1c0ffee00000000000a02',
        burnRatePerHour: 0,
      });
      assert.equal(model.text, '$(credit-card) $12.00');
      assert.match(model.tooltip, /team ops \(member\)/);
    });

    it('falls back to the first team when none is current', () => {
      const noCurrent = { ...BALANCE, teams: BALANCE.teams.map((t) => ({ ...t, isCurrentTeam: false })) };
      assert.equal(
        statusBarModel({ signedIn: true, balance: noCurrent, burnRatePerHour: 0 }).text,
        '$(credit-card) $212.40',
      );
    });

    it('works before the balance has loaded', () => {
      const model = statusBarModel({ signedIn: true, burnRatePerHour: 4.15 });
      assert.equal(model.text, '$(credit-card) Spheron · $4.15/h');
      assert.match(model.tooltip, /balance not loaded yet/);
    });

    it('never shows stale data as fresh', () => {
      const model = statusBarModel({
        signedIn: true,
        balance: BALANCE,
        burnRatePerHour: 4.15,
        stale: { sinceMs: NOW - 5 * MINUTE, reason: 'Could not reach Spheron (ECONNREFUSED).' },
        nowMs: NOW,
      });
      assert.equal(model.text, '$(credit-card) $212.40 · $4.15/h $(warning)');
      assert.match(
        model.tooltip,
        /⚠ \*\*Stale\*\* — last updated 5 min ago\. The last refresh failed: Could not reach Spheron \(ECONNREFUSED\)\./,
      );
    });
  });
});
