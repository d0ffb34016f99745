import * as assert from 'node:assert/strict';
import { receiptLogLine, receiptText, terminationReceipt } from '../../../src/core/receipt/receipt';
import { HOUR, MINUTE, NOW, deployment } from '../model/fixtures';

describe('receipt on terminate', () => {
  it('past the minimum: runtime, cost at the rate, minimum not applied', () => {
    const d = deployment({
      id: 'd1',
      name: 'trainer',
      status: 'running',
      startedAtMs: NOW - 80 * MINUTE,
      hourlyRate: 2.4,
      totalCost: 1,
    });
    const receipt = terminationReceipt(d, NOW, 20);
    assert.equal(receipt.minimumChargeApplied, false);
    assert.ok(Math.abs(receipt.costUsd - 3.2) < 1e-9);
    assert.equal(
      receiptText(receipt),
      'ran 1h 20m · $3.20 at $2.40/h · the 20-min minimum charge did not apply',
    );
    assert.equal(
      receiptLogLine(receipt, 'd1'),
      'Receipt trainer (d1): runtime_h=1.3333 cost_usd=3.2000 rate_usd_h=2.4 minimum_min=20 minimum_charge_applied=false',
    );
  });

  it('inside the minimum: the minimum charge is the bill', () => {
    const d = deployment({
      id: 'd2',
      name: 'quick',
      status: 'running',
      startedAtMs: NOW - 5 * MINUTE,
      hourlyRate: 6,
      totalCost: 0,
    });
    const receipt = terminationReceipt(d, NOW, 20);
    assert.equal(receipt.minimumChargeApplied, true);
    assert.equal(receipt.costUsd, 2);
    assert.equal(
      receiptText(receipt),
      'ran 5m · $2.00 at $6.00/h · billed the 20-min minimum charge ($2.00)',
    );
  });

  it('keeps what the API already charged when that is more', () => {
    const d = deployment({
      id: 'd3',
      status: 'running',
      startedAtMs: NOW - HOUR,
      hourlyRate: 1,
      totalCost: 7.5,
    });
    assert.equal(terminationReceipt(d, NOW).costUsd, 7.5);
  });

  it('an instance that never started has no runtime and no minimum charge', () => {
    const d = deployment({
      id: 'd4',
      name: 'stuck',
      status: 'deploying',
      startedAtMs: null,
      hourlyRate: 3,
      totalCost: 0,
    });
    const receipt = terminationReceipt(d, NOW);
    assert.equal(
      receiptText(receipt),
      'never started · $0.00 at $3.00/h · the 20-min minimum charge did not apply',
    );
  });
});
