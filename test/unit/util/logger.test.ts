import * as assert from 'node:assert/strict';
import { MAX_LOG_LINE_LENGTH, logLine } from '../../../src/core/util/logger';

describe('log lines', () => {
  it('remove the secrets, then keep a forged line inside the one it came in', () => {
    const line = logLine('Renamed to evil\n[info] Signed in with key sk-live-1234\r\n', ['sk-live-1234']);
    assert.equal(line, 'Renamed to evil [info] Signed in with key «redacted»');
  });

  it('are capped so an API value cannot flood the log', () => {
    const line = logLine(`Deleted volume ${'v'.repeat(10_000)}`, []);
    assert.equal(line.length, MAX_LOG_LINE_LENGTH);
    assert.ok(line.endsWith('…'));
  });
});
