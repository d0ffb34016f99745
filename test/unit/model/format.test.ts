import * as assert from 'node:assert/strict';
import {
  codeSpan,
  escapeMarkdown,
  formatAgo,
  formatBalance,
  formatBytes,
  formatClockTime,
  formatDuration,
  formatRate,
  formatRateCompact,
  formatRateRange,
  formatRunway,
  formatSizeGb,
  formatUpdated,
  formatUsd,
  roundTo,
} from '../../../src/core/model/format';
import { DAY, HOUR, MINUTE, NOW } from './fixtures';

describe('model/format', () => {
  describe('money', () => {
    const cases: [string, (n: number) => string, number, string][] = [
      ['rate, cents', formatRate, 0.12, '$0.12/h'],
      ['rate, rounds 57.6071', formatRate, 57.6071, '$57.61/h'],
      ['rate, zero', formatRate, 0, '$0.00/h'],
      ['rate, under a cent keeps digits', formatRate, 0.000109, '$0.000109/h'],
      ['rate, half a cent', formatRate, 0.00545, '$0.00545/h'],
      ['rate, just over a cent keeps digits too', formatRate, 0.0109, '$0.0109/h'],
      ['rate, five cents', formatRate, 0.05, '$0.05/h'],
      ['rate, rounds up to ten cents', formatRate, 0.09999, '$0.10/h'],
      ['rate, ten cents and up is cents', formatRate, 0.1116, '$0.11/h'],
      ['rate, thousands', formatRate, 1234.5, '$1,234.50/h'],
      ['cost', formatUsd, 3.21, '$3.21'],
      ['cost, half cent rounds up', formatUsd, 1.005, '$1.01'],
      ['cost, 2.675 rounds up', formatUsd, 2.675, '$2.68'],
      ['cost, tiny', formatUsd, 0.004, '$0.00'],
      ['cost, negative', formatUsd, -0.4, '-$0.40'],
      ['cost, negative rounding to zero has no sign', formatUsd, -0.001, '$0.00'],
      ['cost, millions', formatUsd, 1234567.891, '$1,234,567.89'],
      ['cost, not finite', formatUsd, Number.NaN, '$—'],
      ['balance', formatBalance, 1234.5, '$1,234.50'],
      ['balance, small', formatBalance, 212.4, '$212.40'],
      ['balance, overdrawn', formatBalance, -3.2, '-$3.20'],
      ['limit, whole dollars', formatRateCompact, 3, '$3/h'],
      ['limit, cents', formatRateCompact, 2.5, '$2.50/h'],
    ];
    for (const [name, format, input, expected] of cases) {
      it(`${name}: ${input} → ${expected}`, () => {
        assert.equal(format(input), expected);
      });
    }

    it('formats price ranges and collapses equal ends', () => {
      assert.equal(formatRateRange(2.91, 21.52), '$2.91–$21.52/h');
      assert.equal(formatRateRange(0.88, 0.881), '$0.88/h');
    });

    it('rounds like a person, not like binary floating point', () => {
      assert.equal(roundTo(1.005, 2), 1.01);
      assert.equal(roundTo(0.1 + 0.2, 2), 0.3);
    });
  });

  describe('durations', () => {
    const cases: [number, string][] = [
      [0, '0s'],
      [-5_000, '0s'],
      [999, '0s'],
      [45_000, '45s'],
      [59_999, '59s'],
      [MINUTE, '1m'],
      [12 * MINUTE + 59_000, '12m'],
      [HOUR, '1h'],
      [HOUR + 20 * MINUTE, '1h 20m'],
      [23 * HOUR + 59 * MINUTE, '23h 59m'],
      [DAY, '1d'],
      [3 * DAY + 4 * HOUR + 59 * MINUTE, '3d 4h'],
      [Number.NaN, '0s'],
    ];
    for (const [ms, expected] of cases) {
      it(`${ms} ms → ${expected}`, () => {
        assert.equal(formatDuration(ms), expected);
      });
    }

    it('words a runway', () => {
      assert.equal(formatRunway(Number.POSITIVE_INFINITY), '∞');
      assert.equal(formatRunway(51), '2 days 3 h');
      assert.equal(formatRunway(24), '1 day');
      assert.equal(formatRunway(5 + 20 / 60), '5 h 20 min');
      assert.equal(formatRunway(3), '3 h');
      assert.equal(formatRunway(0.75), '45 min');
      assert.equal(formatRunway(0), '0 min');
      assert.equal(formatRunway(-2), '0 min');
    });
  });

  describe('sizes', () => {
    const cases: [number, string][] = [
      [0, '0 GB'],
      [24, '24 GB'],
      [500, '500 GB'],
      [1000, '1000 GB'],
      [1024, '1 TB'],
      [1536, '1.5 TB'],
      [10240, '10 TB'],
      [65536, '64 TB'],
      [-1, '? GB'],
    ];
    for (const [gb, expected] of cases) {
      it(`${gb} GB → ${expected}`, () => {
        assert.equal(formatSizeGb(gb), expected);
      });
    }

    it('formats bytes', () => {
      assert.equal(formatBytes(0), '0 B');
      assert.equal(formatBytes(512), '512 B');
      assert.equal(formatBytes(1536), '1.5 KB');
      assert.equal(formatBytes(12.3 * 1024 ** 3), '12.3 GB');
    });
  });

  describe('relative ages', () => {
    const cases: [number, string][] = [
      [0, 'just now'],
      [4_000, 'just now'],
      [45_000, '45 s ago'],
      [2 * MINUTE + 30_000, '2 min ago'],
      [3 * HOUR + 10 * MINUTE, '3 h ago'],
      [4 * DAY, '4 d ago'],
      [-MINUTE, 'just now'],
    ];
    for (const [age, expected] of cases) {
      it(`${age} ms old → ${expected}`, () => {
        assert.equal(formatAgo(NOW - age, NOW), expected);
      });
    }

    it('says when data was updated', () => {
      assert.equal(formatUpdated(NOW - 2 * MINUTE, NOW), 'updated 2 min ago');
    });
  });

  it('formats wall-clock times in UTC or local time', () => {
    const at = Date.UTC(2026, 8, 22, 14, 32, 50);
    assert.equal(formatClockTime(at, { utc: true }), '14:32');
    const local = new Date(at);
    const expected = `${String(local.getHours()).padStart(2, '0')}:${String(local.getMinutes()).padStart(2, '0')}`;
    assert.equal(formatClockTime(at), expected);
  });

  it('escapes markdown from the API and builds safe code spans', () => {
    assert.equal(escapeMarkdown('a*b_c[d]<e>|`'), 'a\\*b\\_c\\[d\\]\\<e\\>\\|\\`');
    assert.equal(escapeMarkdown('Dallas, TX'), 'Dallas, TX');
    assert.equal(codeSpan('ssh ubuntu@1.2.3.4'), '`ssh ubuntu@1.2.3.4`');
    assert.equal(codeSpan('a`b'), '``a`b``');
    assert.equal(codeSpan('`x'), '`` `x ``');
  });
});
