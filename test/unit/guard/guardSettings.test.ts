import * as assert from 'node:assert/strict';
import { parseGuardSettings } from '../../../src/core/guard/guardSettings';

describe('guard/guardSettings', () => {
  it('defaults: guard off, no budget, runway alert at 30 minutes, no automatic stop', () => {
    assert.deepEqual(
      parseGuardSettings(() => undefined),
      {
        idleMinutes: 0,
        budget: { dailyUsd: undefined, monthlyUsd: undefined, runwayAlertMinutes: 30 },
        terminateAtBudget: false,
      },
    );
  });

  it('reads valid values and ignores nonsense', () => {
    const values: Record<string, unknown> = {
      'idle.minutes': 60,
      'budget.dailyUsd': 25,
      'budget.monthlyUsd': -4,
      'budget.runwayAlertMinutes': 'soon',
      'budget.terminateAtLimit': true,
    };
    assert.deepEqual(
      parseGuardSettings((key) => values[key]),
      {
        idleMinutes: 60,
        budget: { dailyUsd: 25, monthlyUsd: undefined, runwayAlertMinutes: 30 },
        terminateAtBudget: true,
      },
    );
  });
});
