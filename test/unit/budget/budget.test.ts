import * as assert from 'node:assert/strict';
import { claimAlert, firedAlerts } from '../../../src/core/budget/alertStore';
import {
  budgetAlertMessage,
  budgetTerminationWarning,
  dueBudgetAlerts,
  instancesToStopAtBudget,
  periodBounds,
  spendInPeriod,
  type BudgetInput,
} from '../../../src/core/budget/budget';
import { MemoryStore } from '../deploy/fakeTime';
import { DAY, HOUR, MINUTE, NOW, deployment, volume } from '../model/fixtures';

// NOW is 2026-09-22T12:00Z.
const DAY_START = Date.UTC(2026, 8, 22);
const MONTH_START = Date.UTC(2026, 8, 1);

function running(id: string, startedAtMs: number, hourlyRate: number) {
  return deployment({ id, name: id, status: 'running', startedAtMs, hourlyRate, totalCost: 0 });
}

function budget(overrides: Partial<BudgetInput>): BudgetInput {
  return {
    nowMs: NOW,
    limits: { dailyUsd: 100, monthlyUsd: undefined, runwayAlertMinutes: 30 },
    deployments: [],
    volumes: [],
    balance: undefined,
    burnPerHour: 0,
    fired: new Set(),
    ...overrides,
  };
}

describe('budget', () => {
  it('days and months are UTC periods with stable keys', () => {
    assert.deepEqual(periodBounds('daily', NOW), { period: 'daily', key: '2026-09-22', startMs: DAY_START });
    assert.deepEqual(periodBounds('monthly', NOW), {
      period: 'monthly',
      key: '2026-09',
      startMs: MONTH_START,
    });
  });

  describe('spend in a period', () => {
    it('counts an instance started inside the period in full, and only the part inside for an older one', () => {
      const today = running('a', NOW - 2 * HOUR, 3); // $6 so far
      const sinceYesterday = running('b', DAY_START - 10 * HOUR, 2); // 12 h today → $24
      assert.equal(spendInPeriod([today], [], DAY_START, NOW), 6);
      assert.equal(spendInPeriod([sinceYesterday], [], DAY_START, NOW), 24);
      assert.equal(
        spendInPeriod([today, sinceYesterday], [], MONTH_START, NOW),
        6 + 2 * 22,
        'both started inside the month',
      );
    });

    it('keeps a minimum charge the API already billed for an instance started today', () => {
      const charged = deployment({
        id: 'c',
        status: 'terminated',
        startedAtMs: NOW - HOUR,
        stoppedAtMs: NOW - 50 * MINUTE,
        hourlyRate: 6,
        totalCost: 2,
      });
      assert.equal(spendInPeriod([charged], [], DAY_START, NOW), 2);
    });

    it('counts an ended instance from before the period only up to its stop', () => {
      const ended = deployment({
        id: 'e',
        status: 'terminated',
        startedAtMs: DAY_START - HOUR,
        stoppedAtMs: DAY_START + 2 * HOUR,
        hourlyRate: 5,
        totalCost: 15,
      });
      assert.equal(spendInPeriod([ended], [], DAY_START, NOW), 10);
    });

    it('counts volumes by size and rate over the part of the period they existed', () => {
      const disk = volume({
        id: 'v',
        sizeGb: 1000,
        hourlyRatePerGb: 0.0001,
        status: 'available',
        createdAtMs: DAY_START - DAY,
      });
      assert.ok(Math.abs(spendInPeriod([], [disk], DAY_START, NOW) - 1.2) < 1e-9);
      assert.equal(spendInPeriod([], [{ ...disk, status: 'deleted' }], DAY_START, NOW), 0);
    });
  });

  describe('threshold alerts', () => {
    it('nothing below 50 %', () => {
      assert.deepEqual(dueBudgetAlerts(budget({ deployments: [running('a', NOW - 2 * HOUR, 24)] })), []);
    });

    for (const [rate, threshold] of [
      [25.5, 50],
      [41, 80],
      [50, 100],
    ] as const) {
      it(`fires ${threshold} % at ${rate * 2} of 100 spent`, () => {
        const [alert] = dueBudgetAlerts(budget({ deployments: [running('a', NOW - 2 * HOUR, rate)] }));
        assert.equal(alert?.kind, 'threshold');
        assert.equal(alert?.kind === 'threshold' ? alert.threshold : undefined, threshold);
        assert.equal(alert?.key, `daily:2026-09-22:${threshold}`);
      });
    }

    it('a jump past two thresholds fires the higher one once and covers the lower', () => {
      const [alert] = dueBudgetAlerts(budget({ deployments: [running('a', NOW - 2 * HOUR, 45)] }));
      assert.ok(alert?.kind === 'threshold');
      assert.deepEqual(alert.coveredKeys, ['daily:2026-09-22:50', 'daily:2026-09-22:80']);
    });

    it('once per threshold per period, across windows', async () => {
      const store = new MemoryStore();
      const input = budget({ deployments: [running('a', NOW - 2 * HOUR, 45)] });
      const [alert] = dueBudgetAlerts({ ...input, fired: firedAlerts(store) });
      assert.ok(alert?.kind === 'threshold');
      const periods = ['2026-09-22', '2026-09'];
      assert.equal(
        await claimAlert(store, [alert.key, ...alert.coveredKeys], periods),
        true,
        'window A shows it',
      );
      assert.equal(
        await claimAlert(store, [alert.key, ...alert.coveredKeys], periods),
        false,
        'window B does not',
      );
      assert.deepEqual(
        dueBudgetAlerts({ ...input, fired: firedAlerts(store) }),
        [],
        'and it is not due again',
      );
      // The next day is a new period.
      const tomorrow = { ...input, nowMs: NOW + DAY, deployments: [running('a', NOW + DAY - 2 * HOUR, 45)] };
      assert.equal(
        dueBudgetAlerts({ ...tomorrow, fired: firedAlerts(store) })[0]?.key,
        'daily:2026-09-23:80',
      );
    });

    it('daily and monthly budgets alert separately', () => {
      const alerts = dueBudgetAlerts(
        budget({
          limits: { dailyUsd: 100, monthlyUsd: 1000, runwayAlertMinutes: 30 },
          deployments: [running('a', MONTH_START, 1), running('b', NOW - HOUR, 60)],
        }),
      );
      // Today: 12 h × $1 + $60 = $72 → 50 %; month: 516 h × $1 + $60 = $576 → 50 %.
      assert.deepEqual(
        alerts.map((alert) => alert.key),
        ['daily:2026-09-22:50', 'monthly:2026-09:50'],
      );
    });

    it('no budget set, no threshold alert', () => {
      const limits = { dailyUsd: undefined, monthlyUsd: 0, runwayAlertMinutes: 30 };
      assert.deepEqual(
        dueBudgetAlerts(budget({ limits, deployments: [running('a', NOW - 2 * HOUR, 999)] })),
        [],
      );
    });

    it('says what was spent of which budget', () => {
      const [alert] = dueBudgetAlerts(budget({ deployments: [running('a', NOW - 2 * HOUR, 41)] }));
      assert.ok(alert);
      assert.equal(
        budgetAlertMessage(alert),
        'Spheron: you have spent $82.00 of your $100.00 daily budget (82 %).',
      );
      const [full] = dueBudgetAlerts(budget({ deployments: [running('a', NOW - 2 * HOUR, 50)] }));
      assert.ok(full);
      assert.equal(
        budgetAlertMessage(full),
        'Spheron: you have spent $100.00 of your $100.00 daily budget (100 %). The budget is used up.',
      );
    });
  });

  describe('runway alert', () => {
    it('fires when the balance lasts less than the setting at the current burn, once a day', () => {
      const input = budget({
        limits: { dailyUsd: undefined, monthlyUsd: undefined, runwayAlertMinutes: 30 },
        balance: 10,
        burnPerHour: 30,
      });
      const [alert] = dueBudgetAlerts(input);
      assert.deepEqual(alert, {
        kind: 'runway',
        key: 'runway:2026-09-22',
        runwayHours: 1 / 3,
        burnPerHour: 30,
      });
      assert.equal(
        budgetAlertMessage(alert),
        'Spheron: your balance lasts about 20 min at the current burn of $30.00/h. Add credit or stop what you do not need; instances end when the balance runs out.',
      );
      assert.deepEqual(dueBudgetAlerts({ ...input, fired: new Set([alert.key]) }), []);
    });

    it('is quiet with enough runway, no burn, an unknown balance, or the alert off', () => {
      const limits = { dailyUsd: undefined, monthlyUsd: undefined, runwayAlertMinutes: 30 };
      assert.deepEqual(dueBudgetAlerts(budget({ limits, balance: 16, burnPerHour: 30 })), []);
      assert.deepEqual(dueBudgetAlerts(budget({ limits, balance: 10, burnPerHour: 0 })), []);
      assert.deepEqual(dueBudgetAlerts(budget({ limits, balance: undefined, burnPerHour: 30 })), []);
      assert.deepEqual(
        dueBudgetAlerts(
          budget({ limits: { ...limits, runwayAlertMinutes: 0 }, balance: 1, burnPerHour: 30 }),
        ),
        [],
      );
    });
  });

  it('the opt-in stop at 100 % names every instance not yet ended', () => {
    const live = running('trainer', NOW - HOUR, 2);
    const ended = deployment({ id: 'old', name: 'old', status: 'terminated' });
    const targets = instancesToStopAtBudget([live, ended]);
    assert.deepEqual(
      targets.map((d) => d.id),
      ['trainer'],
    );
    assert.equal(
      budgetTerminationWarning(targets, 10),
      'Spheron: the budget is used up. Instance “trainer” will be terminated in 10 min (spheron.budget.terminateAtLimit). Cancel to keep it.',
    );
  });
});
